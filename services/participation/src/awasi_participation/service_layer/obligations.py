"""The evaluator: raises each obligation that fell due unmet exactly once (the obligations
themselves are computed from rows by ``adapters.kewajiban``).

The evaluator raises an obligation only when its deadline passed unmet and lies within the
look-back window (default 90 days): loading years of history does not flood units with alerts
about periods long gone, which the views still show as ``terlewat``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import sqlalchemy as sa

from awasi_common.events.base import Event
from awasi_common.events.participation import (
    ForumWargaOverdue,
    KampungKomunikasiOverdue,
    PemantauanOverdue,
    PengembanganKampungOverdue,
    TindakLanjutOverdue,
)
from awasi_participation.adapters import orm
from awasi_participation.adapters.kewajiban import compute
from awasi_participation.domain.base import today_in
from awasi_participation.domain.obligations import JenisKewajiban, Kewajiban, StatusKewajiban
from awasi_participation.service_layer.unit_of_work import ParticipationUnitOfWork

__all__ = ["compute", "evaluate", "overdue_event"]

log = logging.getLogger(__name__)


_EVENTS: dict[JenisKewajiban, type[Event]] = {
    JenisKewajiban.FORUM_WARGA: ForumWargaOverdue,
    JenisKewajiban.PEMANTAUAN: PemantauanOverdue,
    JenisKewajiban.TINDAK_LANJUT: TindakLanjutOverdue,
    JenisKewajiban.KOMUNIKASI_KAMPUNG: KampungKomunikasiOverdue,
    JenisKewajiban.KOORDINASI_KAMPUNG: KampungKomunikasiOverdue,
    JenisKewajiban.PENGEMBANGAN_KAMPUNG: PengembanganKampungOverdue,
}


def overdue_event(k: Kewajiban) -> Event:
    fields = {
        "unit": k.unit,
        "kewajiban_id": k.id,
        "jenis": k.jenis.value,
        "periode": k.periode,
        "batas_waktu": k.batas_waktu,
        "wajib": k.wajib,
        "terlaksana": k.terlaksana,
        "pasal": k.pasal,
        "pesan": k.pesan(),
    }
    if k.jenis == JenisKewajiban.TINDAK_LANJUT:
        return TindakLanjutOverdue(**fields, penilaian_id=k.penilaian_id or "")
    kind = _EVENTS[k.jenis]
    if "program_id" in kind.model_fields:
        fields["program_id"] = k.program_id or ""
    return kind(**fields)


async def evaluate(
    uow_factory: Callable[[], ParticipationUnitOfWork],
    *,
    now: dt.datetime | None = None,
    lookback_days: int = 90,
) -> list[Kewajiban]:
    """Raise every obligation that fell due unmet (on its unit's own date) and was not raised
    before; return those raised by this call. Safe to run concurrently and repeatedly."""
    now = now or dt.datetime.now(dt.UTC)
    raised: list[Kewajiban] = []
    async with uow_factory() as uow:
        # A stable order: concurrent evaluators take row locks in the same order (no deadlock).
        obligations = sorted(await compute(uow.session, now=now), key=lambda k: k.id)
        done = set((await uow.session.execute(sa.select(orm.kewajiban_terlewat.c.id))).scalars())
        for k in obligations:
            if k.id in done or k.status_at(now) != StatusKewajiban.TERLEWAT:
                continue
            if (today_in(k.unit, now) - k.batas_waktu).days > lookback_days:
                continue
            recorded = await uow.repo.raise_overdue(
                kewajiban_id=k.id,
                jenis=k.jenis.value,
                unit=k.unit,
                periode=k.periode,
                batas_waktu=k.batas_waktu,
                wajib=k.wajib,
                terlaksana=k.terlaksana,
            )
            if recorded:
                uow.publish(overdue_event(k))
                raised.append(k)
        await uow.commit()
    if raised:
        log.info("raised %d overdue obligations", len(raised))
    return raised
