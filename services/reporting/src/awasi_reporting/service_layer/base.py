"""What every reporting handler shares: who may act, the clock, and finding a laporan."""

from __future__ import annotations

import datetime as dt

from awasi_common.auth import Principal, Role
from awasi_common.errors import NotFound
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

CASE_HANDLERS = (Role.PENANGANAN, Role.PIMPINAN)
"""Who handles cases (ADMIN always may)."""
DECIDERS = (Role.PIMPINAN,)
"""Who decides a case (the members in plenary)."""
IDENTITY_ROLES = frozenset({Role.PENANGANAN, Role.PIMPINAN, Role.ADMIN})
RECORDERS = (Role.PENGAWAS, Role.OPERATOR, Role.PENANGANAN, Role.PIMPINAN)
"""Who records laporan taken down by staff, evidence, temuan, Form A, pencegahan and APK."""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def actor(principal: Principal) -> str:
    return f"{principal.subject} ({principal.role.value})"


async def visible_laporan(
    uow: ReportingUnitOfWork, laporan_id: str, principal: Principal, *, with_identity: bool = False
) -> Laporan:
    laporan = await uow.laporan.get(laporan_id, with_identity=with_identity)
    if laporan is None or not principal.can_read(laporan.unit):
        # Not visible to this account: answer as if it did not exist.
        raise NotFound(f"Laporan {laporan_id} tidak ditemukan.")
    return laporan
