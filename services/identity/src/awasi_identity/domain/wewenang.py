"""Who may manage whose account: a unit's admin, for its unit and the units below it, never
above or beside. Bawaslu RI's admin manages every unit."""

from __future__ import annotations

from awasi_common.errors import Forbidden
from awasi_common.principal import Principal
from awasi_common.units import is_within, unit_name
from awasi_common.vocabulary import Role


def wajib_admin(principal: Principal) -> Principal:
    if principal.role != Role.ADMIN:
        raise Forbidden(f"Hanya admin unit yang dapat mengelola akun; peran Anda {principal.role.value}.")
    return principal


def wajib_admin_atas(principal: Principal, unit: str) -> None:
    """Refuse unless ``principal`` is an admin of ``unit`` or of a unit above it."""
    wajib_admin(principal)
    if not is_within(unit, principal.unit):
        raise Forbidden(
            f"Admin unit {principal.unit} ({unit_name(principal.unit)}) hanya dapat mengelola akun unit itu "
            f"dan unit di bawahnya; unit {unit} ({unit_name(unit)}) berada di atas atau di sampingnya."
        )
