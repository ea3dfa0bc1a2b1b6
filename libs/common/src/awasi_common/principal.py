"""Who a request acts as: a role at a unit (and, for staff, a division), with the unit-scoped
rules of what it may read and change. No web framework here: domain models check a principal
too, and :mod:`awasi_common.auth` reads one from a bearer token.

A unit's operators act on their own unit; every role reads its unit and the units below it.
Bawaslu RI's admin acts anywhere."""

from __future__ import annotations

from pydantic import BaseModel, Field

from awasi_common.errors import DomainError, Forbidden
from awasi_common.units import RI_CODE, UnitCode, is_within, unit_name
from awasi_common.vocabulary import Divisi, Role

WRITERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.PENANGANAN, Role.PENGAWAS, Role.PIMPINAN})


class Unauthenticated(DomainError):
    status_code = 401


class Principal(BaseModel):
    subject: str
    role: Role
    unit: UnitCode
    divisi: Divisi | None = None
    """The person's division at its unit (SDMO, HPS, PP-Datin, P2H), where the issuer says."""
    jabatan: str | None = Field(default=None, max_length=200)
    """For signature blocks."""
    scopes: frozenset[str] | None = None
    """An agency client's OAuth2 scopes (``katalog:baca``, ``webhook:kelola``); None when the
    token names none (staff, development tokens): the role alone decides."""

    def can_read(self, unit: str) -> bool:
        return is_within(unit, self.unit)

    def can_act_on(self, unit: str) -> bool:
        if self.role == Role.ADMIN and self.unit == RI_CODE:
            return True
        return self.role in WRITERS and unit == self.unit

    def require_read(self, unit: str) -> None:
        if not self.can_read(unit):
            raise Forbidden(f"Akun untuk unit {self.unit} tidak berhak melihat data unit {unit}.")

    def require_divisi(self, unit: str, divisi: Divisi, *, what: str, pasal: str) -> None:
        """:meth:`require_act` on ``unit``, by a member of ``divisi`` at that unit. The platform's
        admins (a unit's own, and Bawaslu RI's anywhere) are let through as they are by role
        requirements: they mend the records of the unit's divisions (and identity audits them)."""
        self.require_act(unit)
        if self.role == Role.ADMIN or self.divisi == divisi:
            return
        held = f"divisi Anda {self.divisi.value}" if self.divisi else "akun Anda tidak tercatat pada divisi mana pun"
        raise Forbidden(
            f"{what} dikoordinasikan anggota yang membidangi divisi {divisi.value} unit {unit} ({pasal}); {held}.",
            pasal=pasal,
        )

    def require_act(self, unit: str, *roles: Role) -> None:
        if roles and self.role not in roles and self.role != Role.ADMIN:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"Tindakan ini memerlukan peran {allowed}; peran Anda {self.role.value}.")
        if self.role not in WRITERS:
            raise Forbidden(
                f"Peran {self.role.value} hanya dapat membaca; tindakan ini memerlukan peran yang dapat mengubah data."
            )
        if not self.can_act_on(unit):
            raise Forbidden(
                f"Akun untuk unit {self.unit} ({unit_name(self.unit)}) tidak berhak bertindak atas nama unit {unit}."
            )
