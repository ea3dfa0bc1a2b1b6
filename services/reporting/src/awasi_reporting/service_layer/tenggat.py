"""Handling deadlines that passed with their step not taken."""

from __future__ import annotations

import contextlib
import datetime as dt

from awasi_common.auth import Principal, Role
from awasi_common.errors import Conflict, Forbidden
from awasi_reporting.commands import PeriksaTenggat
from awasi_reporting.domain.model import latest_local_date, local_date
from awasi_reporting.service_layer.base import utcnow
from awasi_reporting.service_layer.unit_of_work import UowFactory


async def check_deadlines(command: PeriksaTenggat, principal: Principal | None, uow_factory: UowFactory) -> int:
    """Raise an alert for every deadline that passed with its step not taken (once each), by
    the service's own job or an admin. Each case is its own transaction: a case changed
    meanwhile is simply checked next time.

    Without ``today``, each case is checked against the date in its own unit's time zone (a
    deadline in Papua passes two hours before one in Jakarta); the candidates are read with the
    latest date in Indonesia (WIT)."""
    if principal is not None and principal.role is not Role.ADMIN:
        raise Forbidden("Hanya admin yang dapat menjalankan pemeriksaan tenggat.")
    today = command.today
    now = utcnow()
    latest = today or latest_local_date(now)

    def today_of(unit: str) -> dt.date:
        return today or local_date(now, unit)

    alerts = 0
    async with uow_factory() as uow:
        laporan_ids = [c.id for c in await uow.laporan.open_past_deadline(latest)]
        temuan_ids = [c.id for c in await uow.temuan.open_past_deadline(latest)]
        psap_ids = [c.id for c in await uow.pengawasan.psap_past_deadline(latest)]
    for laporan_id in laporan_ids:
        async with uow_factory() as uow:
            laporan = await uow.laporan.get(laporan_id)
            if laporan is not None and laporan.deadline_passed(today_of(laporan.unit)) is not None:
                with contextlib.suppress(Conflict):  # changed meanwhile: checked next round
                    await uow.laporan.save(laporan)
                    uow.publish(*laporan.pull_events())
                    await uow.commit()
                    alerts += 1
    for temuan_id in temuan_ids:
        async with uow_factory() as uow:
            temuan = await uow.temuan.get(temuan_id)
            if temuan is not None and temuan.deadline_passed(today_of(temuan.unit)) is not None:
                with contextlib.suppress(Conflict):
                    await uow.temuan.save(temuan)
                    uow.publish(*temuan.pull_events())
                    await uow.commit()
                    alerts += 1
    for psap_id in psap_ids:
        async with uow_factory() as uow:
            case = await uow.pengawasan.get_psap(psap_id)
            if case is not None and case.deadline_passed(today_of(case.unit)) is not None:
                if not await uow.pengawasan.claim_psap_alert(case.id):
                    continue  # another replica raised it
                uow.publish(*case.pull_events())
                await uow.commit()
                alerts += 1
    return alerts
