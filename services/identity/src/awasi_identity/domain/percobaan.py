"""Failed sign-ins, counted per email address whether or not an account has it (so a wrong
password and an unknown email are answered alike): after :attr:`Kebijakan.bebas` failures
each next attempt waits longer, after :attr:`Kebijakan.batas` the address is locked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from awasi_common.errors import DomainError


@dataclass(frozen=True)
class Kebijakan:
    batas: int = 5
    """Failures in a row that lock the address."""
    kunci: dt.timedelta = dt.timedelta(minutes=15)
    bebas: int = 2
    """Failures answered without a wait before the next attempt."""
    jeda: dt.timedelta = dt.timedelta(seconds=1)
    """The first wait after :attr:`bebas` failures, doubled with every further failure."""
    lupa: dt.timedelta = dt.timedelta(hours=1)
    """Failures older than this (with no lock) no longer count: last week's typos do not make
    today's first typo wait."""


class TerlaluBanyakPercobaan(DomainError):
    status_code = 429

    def __init__(self, sampai: dt.datetime, terkunci: bool) -> None:
        jam = sampai.astimezone(dt.UTC).strftime("%H:%M:%S UTC")
        if terkunci:
            message = f"Terlalu banyak percobaan masuk yang gagal; alamat ini dikunci sampai {jam}."
        else:
            message = f"Percobaan masuk yang gagal berturut-turut; coba lagi setelah {jam}."
        super().__init__(message)
        self.sampai = sampai
        self.terkunci = terkunci


@dataclass
class PercobaanMasuk:
    email_sidik: str
    gagal: int = 0
    tunggu_sampai: dt.datetime | None = None
    terkunci: bool = False
    gagal_terakhir: dt.datetime | None = None

    def periksa(self, now: dt.datetime, kebijakan: Kebijakan) -> None:
        """Raise while the address must wait; a lock that ended, or failures long past, start
        the count afresh."""
        if self.tunggu_sampai is not None and now < self.tunggu_sampai:
            raise TerlaluBanyakPercobaan(self.tunggu_sampai, self.terkunci)
        forgotten = self.gagal_terakhir is not None and now - self.gagal_terakhir > kebijakan.lupa
        if self.terkunci or forgotten:
            self.catat_berhasil()

    def catat_gagal(self, now: dt.datetime, kebijakan: Kebijakan) -> bool:
        """Count one failure; True when it locked the address."""
        self.gagal += 1
        self.gagal_terakhir = now
        if self.gagal >= kebijakan.batas:
            self.terkunci = True
            self.tunggu_sampai = now + kebijakan.kunci
            return True
        if self.gagal > kebijakan.bebas:
            self.tunggu_sampai = now + kebijakan.jeda * 2 ** (self.gagal - kebijakan.bebas - 1)
        return False

    def catat_berhasil(self) -> None:
        self.gagal, self.terkunci, self.tunggu_sampai, self.gagal_terakhir = 0, False, None, None
