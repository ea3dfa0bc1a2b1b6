"""The two legal regimes (Pemilu, UU 7/2017; Pemilihan, UU 10/2016) and every handling
deadline they set. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from awasi_common import calendar

PASAL_DALUWARSA = "Pasal 454 ayat (6) UU 7/2017"
PASAL_KAJIAN_AWAL = "Perbawaslu 7/2022 tentang Penanganan Temuan dan Laporan Pelanggaran Pemilu"


class Pemilihan(StrEnum):
    PEMILU = "pemilu"
    PILKADA = "pilkada"

    @property
    def register_code(self) -> str:
        return "PL" if self is Pemilihan.PEMILU else "PB"

    @property
    def rezim(self) -> Rezim:
        """The deadlines of this election's legal regime."""
        return REZIM[self]


class JenisHari(StrEnum):
    KERJA = "kerja"
    KALENDER = "kalender"


@dataclass(frozen=True)
class Rezim:
    """One legal regime's handling deadlines: the kind of day, the counts and the articles.
    Every deadline of a laporan or temuan (report deadline/daluwarsa, kajian awal,
    kelengkapan, tindak lanjut and its extension, temuan) is taken from here."""

    pemilihan: Pemilihan
    nama: str
    hari: JenisHari
    lapor: int
    """A laporan within this many days of the violation becoming known."""
    kajian_awal: int
    kelengkapan: int
    tindak_lanjut: int
    tindak_lanjut_diperpanjang: int
    """The whole follow-up period when more information is needed (not the extra days)."""
    temuan: int
    pasal_lapor: str
    pasal_kajian_awal: str
    pasal_tindak_lanjut: str
    pasal_tindak_lanjut_diperpanjang: str
    pasal_temuan: str
    tindak_lanjut_sejak_diterima: bool = False
    """The follow-up of a laporan counts from its receipt (Pemilihan: "setelah laporan
    diterima"), not from its registration (Pemilu: "diterima dan diregistrasi")."""

    @property
    def satuan(self) -> str:
        """'hari kerja' or 'hari' (calendar days), as the law writes the count."""
        return "hari kerja" if self.hari is JenisHari.KERJA else "hari kalender"

    def tambah(self, start: dt.date, days: int) -> dt.date:
        """``days`` of this regime's kind after ``start`` (``start`` itself not counted)."""
        if self.hari is JenisHari.KERJA:
            return calendar.add_working_days(start, days)
        return calendar.add_days(start, days)

    def batas_lapor(self, diketahui: dt.date) -> dt.date:
        return self.tambah(diketahui, self.lapor)

    def daluwarsa(self, diketahui: dt.date, disampaikan: dt.date) -> bool:
        """The one lateness rule: the filing date (in the unit's zone) after the deadline,
        whatever kind of day it is filed on (a Saturday after a Friday deadline is late)."""
        return disampaikan > self.batas_lapor(diketahui)

    def batas_kajian_awal(self, diterima: dt.date) -> dt.date:
        return self.tambah(diterima, self.kajian_awal)

    def batas_kelengkapan(self, diminta: dt.date) -> dt.date:
        return self.tambah(diminta, self.kelengkapan)

    def batas_tindak_lanjut(self, diterima: dt.date, *, diperpanjang: bool = False) -> dt.date:
        return self.tambah(diterima, self.tindak_lanjut_diperpanjang if diperpanjang else self.tindak_lanjut)

    def batas_temuan(self, diketahui: dt.date) -> dt.date:
        return self.tambah(diketahui, self.temuan)

    def dasar(self) -> list[str]:
        """The articles applied, each once, in the order of the handling."""
        seen: list[str] = []
        for pasal in (
            self.pasal_lapor,
            self.pasal_kajian_awal,
            self.pasal_tindak_lanjut,
            self.pasal_tindak_lanjut_diperpanjang,
            self.pasal_temuan,
        ):
            if pasal not in seen:
                seen.append(pasal)
        return seen


REZIM: dict[Pemilihan, Rezim] = {
    # UU 7/2017 Pasal 454: ayat (6) laporan "paling lama 7 (tujuh) hari kerja sejak diketahui";
    # ayat (7) follow-up "paling lama 7 (tujuh) hari setelah ... diterima dan diregistrasi";
    # ayat (8) with more information "paling lama 14 (empat belas) hari kerja"; ayat (5) temuan
    # "paling lama 7 (tujuh) hari sejak ditemukannya". The platform reads every Pemilu count in
    # working days (as it always has); kajian awal and kelengkapan 2 working days (Perbawaslu
    # 7/2022).
    Pemilihan.PEMILU: Rezim(
        pemilihan=Pemilihan.PEMILU,
        nama="Pemilu (UU 7/2017)",
        hari=JenisHari.KERJA,
        lapor=7,
        kajian_awal=2,
        kelengkapan=2,
        tindak_lanjut=7,
        tindak_lanjut_diperpanjang=14,
        temuan=7,
        pasal_lapor=PASAL_DALUWARSA,
        pasal_kajian_awal=PASAL_KAJIAN_AWAL,
        pasal_tindak_lanjut="Pasal 454 ayat (7) UU 7/2017",
        pasal_tindak_lanjut_diperpanjang="Pasal 454 ayat (8) UU 7/2017",
        pasal_temuan="Pasal 454 ayat (5) UU 7/2017",
    ),
    # UU 10/2016 Pasal 134: ayat (4) laporan "paling lama 7 (tujuh) hari sejak diketahui dan/atau
    # ditemukannya"; ayat (5) follow-up "paling lama 3 (tiga) hari setelah laporan diterima";
    # ayat (6) more information "paling lama 2 (dua) hari" more (3 + 2 = 5). "Hari" is a calendar
    # day (Perbawaslu 8/2020 as amended by Perbawaslu 9/2024; Bawaslu RI: "hari kalender,
    # sebagaimana diatur UU 10/2016"). Kajian awal and kelengkapan: the platform's reading is
    # the Pemilu count (2) in the regime's calendar days. A temuan: ayat (4) "ditemukannya", 7.
    Pemilihan.PILKADA: Rezim(
        pemilihan=Pemilihan.PILKADA,
        nama="Pemilihan (UU 10/2016)",
        hari=JenisHari.KALENDER,
        lapor=7,
        kajian_awal=2,
        kelengkapan=2,
        tindak_lanjut=3,
        tindak_lanjut_diperpanjang=5,
        temuan=7,
        pasal_lapor="Pasal 134 ayat (4) UU 10/2016",
        pasal_kajian_awal="Perbawaslu 8/2020 sebagaimana diubah dengan Perbawaslu 9/2024",
        pasal_tindak_lanjut="Pasal 134 ayat (5) UU 10/2016",
        pasal_tindak_lanjut_diperpanjang="Pasal 134 ayat (6) UU 10/2016",
        pasal_temuan="Pasal 134 ayat (4) UU 10/2016",
        tindak_lanjut_sejak_diterima=True,
    ),
}


def is_daluwarsa(diketahui: dt.date, reported_on: dt.date, pemilihan: Pemilihan = Pemilihan.PEMILU) -> bool:
    """Reported after the regime's deadline (Pasal 454 ayat (6) UU 7/2017; Pasal 134 ayat (4)
    UU 10/2016): :meth:`Rezim.daluwarsa`."""
    return pemilihan.rezim.daluwarsa(diketahui, reported_on)


def batas_lapor(diketahui: dt.date, pemilihan: Pemilihan = Pemilihan.PEMILU) -> dt.date:
    """The last day a violation known on ``diketahui`` may be reported."""
    return pemilihan.rezim.batas_lapor(diketahui)
