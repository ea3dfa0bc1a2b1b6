"""Obligations the regulation puts on units, computed from what happened. No I/O here.

- Forum Warga at least 3 times a calendar year, per unit that formed one (Pasal 17 ayat (1)).
- Pemantauan of participatory supervision at least 2 times a year by Bawaslu RI, 4 times a
  year by a Bawaslu Provinsi, once a month by a Bawaslu Kabupaten/Kota (Pasal 30 ayat (3)).
- The tindak lanjut of a penilaian that did not meet its indicators, by the deadline of the
  indicator set (Pasal 31).

An obligation is *berjalan* while its period runs and it is not met, *terpenuhi* once met,
and *terlewat* when its deadline passed unmet; only then is it raised as an alert, once.
Periods and deadlines are counted in WIB dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.tanggal import bulan
from awasi_common.units import Level, level_of, unit_name
from awasi_participation.domain.rules import FORUM_WARGA_PER_TAHUN, pasal


class JenisKewajiban(StrEnum):
    FORUM_WARGA = "forum_warga"
    PEMANTAUAN = "pemantauan"
    TINDAK_LANJUT = "tindak_lanjut"


class StatusKewajiban(StrEnum):
    TERPENUHI = "terpenuhi"
    BERJALAN = "berjalan"
    TERLEWAT = "terlewat"


@dataclass(frozen=True)
class Kewajiban:
    jenis: JenisKewajiban
    unit: str
    periode: str
    mulai: dt.date
    batas_waktu: dt.date
    wajib: int
    terlaksana: int
    pasal: str
    penilaian_id: str | None = None

    @property
    def id(self) -> str:
        if self.jenis == JenisKewajiban.TINDAK_LANJUT:
            return f"{self.jenis.value}:{self.penilaian_id}"
        return f"{self.jenis.value}:{self.unit}:{self.periode}"

    @property
    def kurang(self) -> int:
        return max(0, self.wajib - self.terlaksana)

    def status(self, today: dt.date) -> StatusKewajiban:
        if self.terlaksana >= self.wajib:
            return StatusKewajiban.TERPENUHI
        if today > self.batas_waktu:
            return StatusKewajiban.TERLEWAT
        return StatusKewajiban.BERJALAN

    @property
    def periode_label(self) -> str:
        if len(self.periode) == 7:  # YYYY-MM
            return bulan(int(self.periode[:4]), int(self.periode[5:]))
        return f"tahun {self.periode}" if self.periode.isdigit() else self.periode

    def pesan(self) -> str:
        name = unit_name(self.unit) or self.unit
        batas = self.batas_waktu.isoformat()
        if self.jenis == JenisKewajiban.FORUM_WARGA:
            return (
                f"{name} baru melaksanakan Forum Warga {self.terlaksana} kali pada {self.periode_label}; "
                f"wajib paling sedikit {self.wajib} kali dalam setahun (batas {batas}, {self.pasal})."
            )
        if self.jenis == JenisKewajiban.PEMANTAUAN:
            return (
                f"{name} baru melakukan {self.terlaksana} dari {self.wajib} pemantauan penyelenggaraan Pengawasan "
                f"Partisipatif yang wajib untuk {self.periode_label} (batas {batas}, {self.pasal})."
            )
        return (
            f"Tindak lanjut (evaluasi metode dan proses serta strategi baru) atas penilaian {self.penilaian_id} "
            f"belum dicatat oleh {name} sampai batas {batas} ({self.pasal})."
        )


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


PEMANTAUAN_RULE: dict[Level, tuple[str, int, str]] = {
    Level.RI: ("tahun", 2, pasal("Pasal 30 ayat (3) huruf a")),
    Level.PROVINSI: ("tahun", 4, pasal("Pasal 30 ayat (3) huruf b")),
    Level.KABUPATEN_KOTA: ("bulan", 1, pasal("Pasal 30 ayat (3) huruf c")),
}


def kewajiban_pemantauan(unit: str, *, sejak: dt.date, sampai: dt.date, tanggal: Iterable[dt.date]) -> list[Kewajiban]:
    """The pemantauan obligations of ``unit`` for every period from the one holding ``sejak``
    to the one holding ``sampai``; ``tanggal`` are the dates of its recorded pemantauan."""
    rule = PEMANTAUAN_RULE.get(level_of(unit))
    if rule is None or sejak > sampai:
        return []
    kind, wajib, ref = rule
    dates = list(tanggal)
    found: list[Kewajiban] = []
    if kind == "tahun":
        per_year = Counter(d.year for d in dates)
        for year in range(sejak.year, sampai.year + 1):
            start, end = _year(year)
            found.append(Kewajiban(JenisKewajiban.PEMANTAUAN, unit, str(year), start, end, wajib, per_year[year], ref))
    else:
        per_month = Counter((d.year, d.month) for d in dates)
        year, month = sejak.year, sejak.month
        while (year, month) <= (sampai.year, sampai.month):
            start, end = _month(year, month)
            found.append(
                Kewajiban(
                    JenisKewajiban.PEMANTAUAN,
                    unit,
                    f"{year:04d}-{month:02d}",
                    start,
                    end,
                    wajib,
                    per_month[(year, month)],
                    ref,
                )
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def kewajiban_forum_warga(unit: str, *, sejak: dt.date, sampai: dt.date, sesi: Iterable[dt.date]) -> list[Kewajiban]:
    """A unit that formed a Forum Warga (first on ``sejak``) holds it at least 3 times in
    every calendar year; ``sesi`` are the dates Forum Warga kegiatan were held."""
    if sejak > sampai:
        return []
    per_year = Counter(d.year for d in sesi)
    ref = pasal("Pasal 17 ayat (1)")
    found = []
    for year in range(sejak.year, sampai.year + 1):
        start, end = _year(year)
        found.append(
            Kewajiban(
                JenisKewajiban.FORUM_WARGA, unit, str(year), start, end, FORUM_WARGA_PER_TAHUN, per_year[year], ref
            )
        )
    return found


def kewajiban_tindak_lanjut(
    *, penilaian_id: str, unit: str, tanggal_penilaian: dt.date, batas_waktu: dt.date, dicatat: bool
) -> Kewajiban:
    return Kewajiban(
        JenisKewajiban.TINDAK_LANJUT,
        unit,
        penilaian_id,
        tanggal_penilaian,
        batas_waktu,
        1,
        1 if dicatat else 0,
        pasal("Pasal 31 ayat (1)"),
        penilaian_id=penilaian_id,
    )
