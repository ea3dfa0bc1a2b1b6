"""What the use cases share: the time, the caller (an admin, or none for a job or an anonymous
request), the audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from awasi_common.auth import Principal
from awasi_common.errors import Forbidden
from awasi_identity.domain.akun import Akun
from awasi_identity.domain.audit import CatatanAudit, Tindakan
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork

UowFactory = Callable[[], IdentityUnitOfWork]


def sekarang() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def staf(principal: Principal | None) -> Principal:
    if principal is None:
        raise Forbidden("Tindakan ini memerlukan akun admin.")
    return principal


def catatan(
    tindakan: Tindakan,
    principal: Principal | None,
    akun: Akun | None = None,
    alamat: str | None = None,
    **rincian: Any,
) -> CatatanAudit:
    return CatatanAudit(
        tindakan=tindakan,
        pelaku=principal.subject if principal else None,
        pelaku_unit=principal.unit if principal else None,
        akun_id=akun.id if akun else None,
        unit=akun.unit if akun else None,
        alamat=alamat,
        rincian=rincian,
    )
