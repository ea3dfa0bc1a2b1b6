"""Personal numbers sealed at rest: a staff member's NIK (the national identity number), NIP
and telephone are kept as AES-GCM ciphertext bound to the account and the field, opened only
for the admins who read the account. Name and email stay readable: the email is the sign-in
name looked up on every attempt, and both are printed on the unit's documents."""

from __future__ import annotations

import logging
from typing import Any

from awasi_common.sealing import KeyRing, is_sealed

log = logging.getLogger(__name__)

TERSEGEL = ("telepon", "nik", "nip")


def _konteks(akun_id: str, field: str) -> str:
    return f"awasi:identity:akun:{akun_id}:{field}"


def segel(row: dict[str, Any], keyring: KeyRing) -> dict[str, Any]:
    """The row with its personal numbers sealed (an account row with its ``id``)."""
    return row | {
        field: keyring.seal_text(row[field], _konteks(row["id"], field)) for field in TERSEGEL if row.get(field)
    }


def buka(row: dict[str, Any], keyring: KeyRing, *, untuk_dibaca: bool = False) -> dict[str, Any]:
    """The row with its personal numbers opened (a value written before sealing is taken as is).

    A value that does not open (copied from another row, or sealed with a key no longer
    configured) raises, so that no change is saved over it; a reader (``untuk_dibaca``) is
    shown None instead, and the operators a warning."""
    opened = dict(row)
    for field in TERSEGEL:
        value = row.get(field)
        if value and is_sealed(value):
            try:
                opened[field] = keyring.open_text(value, _konteks(row["id"], field))
            except ValueError:
                if not untuk_dibaca:
                    raise
                log.warning("identity: %s of account %s does not open with the configured keys", field, row["id"])
                opened[field] = None
    return opened
