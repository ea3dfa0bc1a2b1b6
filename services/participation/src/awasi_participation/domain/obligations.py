"""Obligations the regulation puts on units, computed from what happened. No I/O here.

- Forum Warga at least 3 times a calendar year, per unit that formed one (Pasal 17 ayat (1)).
- Pemantauan of participatory supervision at least 2 times a year by Bawaslu RI, 4 times a
  year by a Bawaslu Provinsi, once a month by a Bawaslu Kabupaten/Kota (Pasal 30 ayat (3)).
- The tindak lanjut of a penilaian that did not meet its indicators, by the deadline of the
  indicator set (Pasal 31).
- Every Kampung Pengawasan keeps up its communication with the village (Pasal 25 huruf c) and
  its coordination and sosialisasi (huruf d): the articles say "secara berkala" without a
  period; the platform takes at least once in every 3 months from the Kampung's formation, each.
- A unit that formed Kampung Pengawasan develops and innovates participatory supervision from
  the evaluation of all of them (Pasal 27 ayat (1)): the platform takes once a calendar year,
  from the year after the first Kampung was formed (a Kampung must have run before it can be
  evaluated), due on 31 December.

A partial first year is pro-rated (the regulation is silent on it; this is the platform's
choice): a yearly obligation of n, for a unit that started (formed the program, became active)
in month m, is ceil(n x (13 - m) / 12) for that first year, at least 1; a unit that started in
January owes the full n. Forum Warga formed on 10 December owes 1 of 3 that year; a province
active from November owes ceil(4 x 2 / 12) = 1 pemantauan that year. Each obligation carries
its explanation (``keterangan``, Indonesian), saying how its number was reached.

An obligation is *berjalan* while its period runs and it is not met, *terpenuhi* once met,
and *terlewat* when its deadline passed unmet; only then is it raised as an alert, once.
Periods and deadlines are counted in dates of the unit's own time zone (WIB, WITA or WIT): an
obligation of a Papua unit falls due at midnight WIT, two hours before one in Java.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.calendar import local_date
from awasi_common.tanggal import bulan
from awasi_common.units import Level, level_of, unit_name
from awasi_participation.domain.rules import (
    FORUM_WARGA_PER_TAHUN,
    KAMPUNG_KOMUNIKASI_BULAN,
    JenisKomunikasi,
    pasal,
)


class JenisKewajiban(StrEnum):
    FORUM_WARGA = "forum_warga"
    PEMANTAUAN = "pemantauan"
    TINDAK_LANJUT = "tindak_lanjut"
    KOMUNIKASI_KAMPUNG = "komunikasi_kampung"
    """Pasal 25 huruf c: periodic communication with the village and its community groups."""
    KOORDINASI_KAMPUNG = "koordinasi_kampung"
    """Pasal 25 huruf d: coordination and sosialisasi with the village apparatus."""
    PENGEMBANGAN_KAMPUNG = "pengembangan_kampung"
    """Pasal 27 ayat (1): development and innovation from the evaluation of every Kampung."""


PER_KAMPUNG = frozenset({JenisKewajiban.KOMUNIKASI_KAMPUNG, JenisKewajiban.KOORDINASI_KAMPUNG})


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
    keterangan: str = ""
    """How the obligation and its number follow from the article (Indonesian)."""
    program_id: str | None = None
    """The Kampung Pengawasan an obligation of Pasal 25 huruf c or d belongs to."""

    @property
    def id(self) -> str:
        if self.jenis == JenisKewajiban.TINDAK_LANJUT:
            return f"{self.jenis.value}:{self.penilaian_id}"
        if self.jenis in PER_KAMPUNG:
            return f"{self.jenis.value}:{self.program_id}:{self.periode}"
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

    def status_at(self, now: dt.datetime) -> StatusKewajiban:
        """The status at ``now``, on the date of the obligation's own unit."""
        return self.status(local_date(now, self.unit))

    @property
    def periode_label(self) -> str:
        if len(self.periode) == 7:  # YYYY-MM
            return bulan(int(self.periode[:4]), int(self.periode[5:]))
        if self.jenis in PER_KAMPUNG:  # a window that starts on the date it is named by
            return f"{self.mulai:%d-%m-%Y} s.d. {self.batas_waktu:%d-%m-%Y}"
        return f"tahun {self.periode}" if self.periode.isdigit() else self.periode

    def pesan(self) -> str:
        name = unit_name(self.unit) or self.unit
        batas = self.batas_waktu.isoformat()
        if self.jenis == JenisKewajiban.FORUM_WARGA:
            return (
                f"{name} baru melaksanakan Forum Warga {self.terlaksana} dari {self.wajib} kali yang wajib pada "
                f"{self.periode_label} (batas {batas}, {self.pasal}). {self.keterangan}"
            ).strip()
        if self.jenis == JenisKewajiban.PEMANTAUAN:
            return (
                f"{name} baru melakukan {self.terlaksana} dari {self.wajib} pemantauan penyelenggaraan Pengawasan "
                f"Partisipatif yang wajib untuk {self.periode_label} (batas {batas}, {self.pasal}). {self.keterangan}"
            ).strip()
        if self.jenis == JenisKewajiban.KOMUNIKASI_KAMPUNG:
            return (
                f"{name} belum mencatat komunikasi berkala dengan perangkat desa/kelurahan dan kelompok masyarakat "
                f"untuk Kampung Pengawasan {self.program_id} pada {self.periode_label} ({self.pasal}). "
                f"{self.keterangan}"
            ).strip()
        if self.jenis == JenisKewajiban.KOORDINASI_KAMPUNG:
            return (
                f"{name} belum mencatat koordinasi atau sosialisasi kepada perangkat desa/kelurahan untuk Kampung "
                f"Pengawasan {self.program_id} pada {self.periode_label} ({self.pasal}). {self.keterangan}"
            ).strip()
        if self.jenis == JenisKewajiban.PENGEMBANGAN_KAMPUNG:
            return (
                f"{name} belum mencatat pengembangan dan inovasi Pengawasan Partisipatif berdasarkan hasil evaluasi "
                f"seluruh Kampung Pengawasan Partisipatif untuk {self.periode_label} (batas {batas}, {self.pasal}). "
                f"{self.keterangan}"
            ).strip()
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


def prorata(wajib: int, sejak: dt.date, year: int) -> tuple[int, str | None]:
    """A yearly obligation of ``wajib`` for ``year``, when the unit started on ``sejak``: the full
    number from a start in January or an earlier year, else ceil(wajib x remaining months / 12),
    at least 1, counting the start month. Returns the number and, when pro-rated, why."""
    if sejak.year != year or sejak.month == 1:
        return wajib, None
    months = 13 - sejak.month
    owed = max(1, math.ceil(wajib * months / 12))
    span = bulan(year, 12) if months == 1 else f"{bulan(year, sejak.month)} s.d. {bulan(year, 12)}"
    return owed, (
        f"Tahun pertama tidak penuh: dimulai {sejak:%d-%m-%Y}, tersisa {months} dari 12 bulan ({span}), "
        f"sehingga kewajiban {wajib} kali setahun dihitung proporsional: ⌈{wajib} × {months} / 12⌉ = "
        f"{owed} kali (paling sedikit 1). Peraturan tidak mengatur tahun pertama yang tidak penuh; perhitungan "
        "proporsional ini ketentuan platform Awasi."
    )


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
            owed, why = prorata(wajib, sejak, year)
            if why:
                start = dt.date(year, sejak.month, 1)
            explained = why or f"Paling sedikit {wajib} kali dalam 1 tahun ({ref})."
            found.append(
                Kewajiban(
                    JenisKewajiban.PEMANTAUAN,
                    unit,
                    str(year),
                    start,
                    end,
                    owed,
                    per_year[year],
                    ref,
                    keterangan=explained,
                )
            )
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
                    keterangan=f"Paling sedikit {wajib} kali dalam 1 bulan ({ref}).",
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
        owed, why = prorata(FORUM_WARGA_PER_TAHUN, sejak, year)
        if why:
            start = dt.date(year, sejak.month, 1)
        explained = why or f"Paling sedikit {FORUM_WARGA_PER_TAHUN} kali dalam 1 tahun ({ref})."
        found.append(
            Kewajiban(
                JenisKewajiban.FORUM_WARGA, unit, str(year), start, end, owed, per_year[year], ref, keterangan=explained
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


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, kept within the target month (31 Jan + 1 → 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    start, end = _month(year, month0 + 1)
    return min(start + dt.timedelta(days=day.day - 1), end)


KAMPUNG_JENIS: dict[JenisKewajiban, tuple[frozenset[JenisKomunikasi], str, str]] = {
    JenisKewajiban.KOMUNIKASI_KAMPUNG: (
        frozenset({JenisKomunikasi.KOMUNIKASI_BERKALA}),
        pasal("Pasal 25 huruf c"),
        "komunikasi berkala (jenis komunikasi_berkala)",
    ),
    JenisKewajiban.KOORDINASI_KAMPUNG: (
        frozenset({JenisKomunikasi.KOORDINASI, JenisKomunikasi.SOSIALISASI}),
        pasal("Pasal 25 huruf d"),
        "koordinasi atau sosialisasi (jenis koordinasi atau sosialisasi)",
    ),
}


def kewajiban_kampung(
    program_id: str,
    unit: str,
    *,
    dibentuk_pada: dt.date,
    sampai: dt.date,
    komunikasi: Iterable[tuple[str, dt.date]],
    dari: dt.date | None = None,
) -> list[Kewajiban]:
    """The communication (Pasal 25 huruf c) and coordination (huruf d) a Kampung Pengawasan owes:
    at least one of each in every window of 3 months from its formation, for the windows that
    begin by ``sampai`` (and, with ``dari``, end on or after it); ``komunikasi`` are the
    (jenis, tanggal) of what was recorded for it."""
    records = [(JenisKomunikasi(j), d) for j, d in komunikasi]
    n = KAMPUNG_KOMUNIKASI_BULAN
    found: list[Kewajiban] = []
    k = 0
    while True:
        start = add_months(dibentuk_pada, n * k)
        if start > sampai:
            break
        end = add_months(dibentuk_pada, n * (k + 1)) - dt.timedelta(days=1)
        k += 1
        if dari is not None and end < dari:
            continue
        for jenis, (kinds, ref, what) in KAMPUNG_JENIS.items():
            held = sum(1 for kind, day in records if kind in kinds and start <= day <= end)
            found.append(
                Kewajiban(
                    jenis,
                    unit,
                    start.isoformat(),
                    start,
                    end,
                    1,
                    held,
                    ref,
                    keterangan=(
                        f"Pasal ini mewajibkan {what} secara berkala tanpa menyebut jangka waktunya; platform Awasi "
                        f"menetapkan paling sedikit 1 kali dalam setiap {n} bulan sejak Kampung Pengawasan dibentuk "
                        f"({dibentuk_pada:%d-%m-%Y}); periode ke-{k}: {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}."
                    ),
                    program_id=program_id,
                )
            )
    return found


def kewajiban_pengembangan(
    unit: str, *, pertama: dt.date, sampai: dt.date, tanggal: Iterable[dt.date], dari: dt.date | None = None
) -> list[Kewajiban]:
    """Pasal 27 ayat (1): a unit whose first Kampung Pengawasan was formed on ``pertama`` records
    development and innovation from the evaluation of all its Kampung once a calendar year, from
    the year after; ``tanggal`` are the dates it was recorded."""
    per_year = Counter(d.year for d in tanggal)
    ref = pasal("Pasal 27 ayat (1)")
    found = []
    first = max(pertama.year + 1, dari.year if dari else 0)
    for year in range(first, sampai.year + 1):
        start, end = _year(year)
        found.append(
            Kewajiban(
                JenisKewajiban.PENGEMBANGAN_KAMPUNG,
                unit,
                str(year),
                start,
                end,
                1,
                per_year[year],
                ref,
                keterangan=(
                    "Pengembangan dan inovasi berdasarkan hasil evaluasi pelaksanaan seluruh Kampung Pengawasan "
                    "Partisipatif; pasal ini tidak menyebut jangka waktunya, platform Awasi menetapkan paling sedikit "
                    "1 kali dalam 1 tahun kalender, mulai tahun sesudah Kampung Pengawasan pertama dibentuk "
                    f"({pertama:%d-%m-%Y}), sebab Kampung harus sudah berjalan sebelum dapat dievaluasi."
                ),
            )
        )
    return found
