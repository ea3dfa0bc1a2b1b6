"""Password reset by an emailed link (issue 15, item 2): a one-time token, valid for an hour,
stored as its SHA-256. Asking for one changes nothing of the account (whoever knows an address
cannot lock its owner out); using it sets the new password and ends every sign-in."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from awasi_common.errors import DomainError


class ResetTidakBerlaku(DomainError):
    status_code = 400

    def __init__(self) -> None:
        super().__init__("Tautan atur ulang kata sandi tidak berlaku (sudah dipakai, kedaluwarsa, atau salah).")


@dataclass
class ResetSandi:
    id: str
    akun_id: str
    sidik: str
    dibuat_pada: dt.datetime
    kedaluwarsa: dt.datetime
    dipakai_pada: dt.datetime | None = None

    @classmethod
    def buat(cls, akun_id: str, sidik: str, now: dt.datetime, umur: dt.timedelta) -> ResetSandi:
        return cls(id=str(uuid.uuid4()), akun_id=akun_id, sidik=sidik, dibuat_pada=now, kedaluwarsa=now + umur)

    def pakai(self, now: dt.datetime) -> None:
        if self.dipakai_pada is not None or now >= self.kedaluwarsa:
            raise ResetTidakBerlaku()
        self.dipakai_pada = now
