"""Idempotency keys of Form A submissions: a client (the console sending a draft kept offline,
a field app retrying after a lost answer) names each submission with an ``Idempotency-Key``;
a repeat of the key with the same content is answered with the first submission's form(s),
never a second one. Pure rules, no I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from awasi_common.errors import DomainError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[\x20-\x7e]{1,128}$"
"""1 to 128 printable ASCII characters (a UUID fits)."""


class Rute(enum.StrEnum):
    """The scope of a key besides its person: one key may name one single and one collective
    submission."""

    FORM_A = "form-a"
    FORM_A_KOLEKTIF = "form-a/kolektif"


@dataclass(frozen=True)
class KunciTerpakai:
    """A key already used: what it made and the fingerprint of what was sent with it."""

    subjek: str
    rute: Rute
    kunci: str
    sidik: str
    form_a_ids: tuple[str, ...]
    dibuat_pada: dt.datetime
    penyampaian_id: str | None = None

    def ulangi(self, sidik: str) -> KunciTerpakai:
        """The key sent again: itself when the content is the same, refused otherwise."""
        if sidik != self.sidik:
            raise DomainError(
                f"Header {HEADER} ini sudah dipakai untuk Form A dengan isi yang berbeda; "
                "gunakan kunci baru untuk Form A yang lain.",
                field=HEADER,
            )
        return self


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical form")


def sidik(content: Any) -> str:
    """SHA-256 (hex) of a command's content in a canonical JSON form (keys sorted, defaults
    filled), without its idempotency key: the same form sent twice has one fingerprint however
    its JSON was spelled."""
    data = dataclasses.asdict(dataclasses.replace(content, kunci_idempotensi=None))
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()
