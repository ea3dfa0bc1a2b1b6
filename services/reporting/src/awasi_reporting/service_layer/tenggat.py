"""Handling deadlines that passed with their step not taken."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Protocol, TypeVar

from awasi_common.auth import Principal, Role
from awasi_common.errors import Conflict, Forbidden
from awasi_reporting.commands import PeriksaTenggat
from awasi_reporting.domain.perkara import Perkara
from awasi_reporting.domain.vocabulary import latest_local_date, local_date
from awasi_reporting.service_layer.base import utcnow
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory

P = TypeVar("P", bound=Perkara)


class Cases(Protocol[P]):
    """Laporan or temuan, as the deadline check reads and keeps them."""

    async def get(self, case_id: str, /) -> P | None: ...

    async def save(self, case: P, /) -> None: ...


async def _alert_case(
    uow_factory: UowFactory,
    cases: Callable[[ReportingUnitOfWork], Cases[P]],
    case_id: str,
    today_of: Callable[[str], dt.date],
) -> bool:
    """One case in its own transaction; False when nothing fell due or it changed meanwhile."""
    async with uow_factory() as uow:
        case = await cases(uow).get(case_id)
        if case is None or case.deadline_passed(today_of(case.unit)) is None:
            return False
        with contextlib.suppress(Conflict):  # changed meanwhile: checked next round
            await cases(uow).save(case)
            uow.publish(*case.pull_events())
            await uow.commit()
            return True
    return False


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

    async with uow_factory() as uow:
        laporan_ids = [c.id for c in await uow.laporan.open_past_deadline(latest)]
        temuan_ids = [c.id for c in await uow.temuan.open_past_deadline(latest)]
        psap_ids = [c.id for c in await uow.pengawasan.psap_past_deadline(latest)]
    alerts = 0
    for laporan_id in laporan_ids:
        alerts += await _alert_case(uow_factory, lambda uow: uow.laporan, laporan_id, today_of)
    for temuan_id in temuan_ids:
        alerts += await _alert_case(uow_factory, lambda uow: uow.temuan, temuan_id, today_of)
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
