"""Issue 13, item 7, on the domain alone (no I/O): a partial first year pro-rated and explained,
the IKP of a Kampung Pengawasan current (Pasal 25 huruf a), and the Kampung's continuing
communication and coordination (Pasal 25 huruf c, d) and the development and innovation after
evaluating all of them (Pasal 27 ayat (1)) tracked as obligations. Each case is derived by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Program
from awasi_participation.domain.kampung import PengembanganKampung
from awasi_participation.domain.obligations import (
    JenisKewajiban,
    StatusKewajiban,
    add_months,
    kewajiban_forum_warga,
    kewajiban_kampung,
    kewajiban_pemantauan,
    kewajiban_pengembangan,
    prorata,
)
from awasi_participation.domain.program import ProgramPartisipatif
from awasi_participation.domain.rincian import dari_bagian
from awasi_participation.domain.rules import ikp_teraktual

# --- a partial first year (the platform's rule: ceil(n x remaining months / 12), at least 1) ----


def test_forum_warga_formed_on_10_december_owes_one_that_year() -> None:
    # Pasal 17 ayat (1): 3 a year; formed 10 Dec 2025, December is 1 month of 12: ceil(3 x 1 / 12) = 1.
    first, second = kewajiban_forum_warga("35.05", sejak=dt.date(2025, 12, 10), sampai=dt.date(2026, 1, 5), sesi=[])
    assert (first.periode, first.wajib, first.mulai, first.batas_waktu) == (
        "2025",
        1,
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
    )
    assert first.status(dt.date(2026, 1, 5)) == StatusKewajiban.TERLEWAT and first.kurang == 1
    assert "⌈3 × 1 / 12⌉ = 1" in first.keterangan and "10-12-2025" in first.keterangan
    assert "ketentuan platform" in first.keterangan and first.keterangan in first.pesan()
    assert "0 dari 1 kali" in first.pesan()
    assert second.wajib == 3 and "Pasal 17 ayat (1)" in second.keterangan  # the next year is whole
    held = kewajiban_forum_warga(
        "35.05", sejak=dt.date(2025, 12, 10), sampai=dt.date(2026, 1, 5), sesi=[dt.date(2025, 12, 20)]
    )
    assert held[0].status(dt.date(2026, 1, 5)) == StatusKewajiban.TERPENUHI  # 1 of 1, not "1 of 3"


def test_province_from_november_owes_one_pemantauan_that_year() -> None:
    # Pasal 30 ayat (3) huruf b: 4 a year; November and December are 2 of 12: ceil(4 x 2 / 12) = 1.
    first, second = kewajiban_pemantauan("35", sejak=dt.date(2025, 11, 3), sampai=dt.date(2026, 2, 1), tanggal=[])
    assert (first.wajib, first.mulai) == (1, dt.date(2025, 11, 1)) and second.wajib == 4
    assert "⌈4 × 2 / 12⌉ = 1" in first.keterangan and "November 2025 s.d. Desember 2025" in first.keterangan
    # Bawaslu RI from July: 2 x 6 / 12 = 1; a province from April: ceil(4 x 9 / 12) = 3.
    assert kewajiban_pemantauan("00", sejak=dt.date(2025, 7, 1), sampai=dt.date(2025, 12, 31), tanggal=[])[0].wajib == 1
    assert kewajiban_pemantauan("35", sejak=dt.date(2025, 4, 9), sampai=dt.date(2025, 12, 31), tanggal=[])[0].wajib == 3
    # A monthly obligation (Kab/Kota) is one per month, whatever day the unit started.
    assert (
        kewajiban_pemantauan("35.05", sejak=dt.date(2025, 11, 28), sampai=dt.date(2025, 11, 30), tanggal=[])[0].wajib
        == 1
    )


def test_prorata_is_whole_from_january() -> None:
    assert prorata(3, dt.date(2025, 1, 31), 2025) == (3, None)
    assert prorata(3, dt.date(2024, 6, 1), 2025) == (3, None)
    assert prorata(3, dt.date(2025, 2, 1), 2025)[0] == 3  # ceil(3 x 11 / 12) = ceil(2.75)
    assert prorata(3, dt.date(2025, 9, 1), 2025)[0] == 1  # ceil(3 x 4 / 12) = 1
    assert prorata(3, dt.date(2025, 8, 1), 2025)[0] == 2  # ceil(3 x 5 / 12) = ceil(1.25)


# --- IKP teraktual (Pasal 25 huruf a) ----------------------------------------------------------


def kampung(dibentuk: dt.date, peta: dict[str, Any]) -> ProgramPartisipatif:
    return ProgramPartisipatif.bentuk(
        unit="35.05",
        program=Program.KAMPUNG_PENGAWASAN,
        nama="Kampung Pengawasan Jaten",
        dibentuk_pada=dibentuk,
        sasaran=(),
        rincian=dari_bagian(
            Program.KAMPUNG_PENGAWASAN,
            {
                "kampung": {
                    "desa": "35.05.01.2001",
                    "kelompok_masyarakat": ["Karang Taruna Jaten"],
                    "pemetaan_kerawanan": {
                        "kategori": "tinggi",
                        "tanggal": (dibentuk - dt.timedelta(days=20)).isoformat(),
                        **peta,
                    },
                    "analisis_kesiapan": {
                        "tanggal": (dibentuk - dt.timedelta(days=5)).isoformat(),
                        "kesiapan_pelaksanaan": "Relawan siap",
                        "kesiapan_perangkat_desa": "Kepala desa mendukung",
                        "siap": True,
                    },
                }
            },
        ),
        today=dibentuk,
    )


def test_an_ikp_of_2019_is_refused_in_2024() -> None:
    # 2024 - 4 = 2020: IKP Pemilu 2019 belongs to the previous five-year cycle.
    with pytest.raises(DomainError) as refused:
        kampung(dt.date(2024, 3, 1), {"sumber_ikp": "IKP Pemilu 2019"})
    assert refused.value.pasal == "Pasal 25 huruf a Perbawaslu Nomor 2 Tahun 2023"
    assert refused.value.field == "kampung.pemetaan_kerawanan.tahun_ikp" and "2019" in str(refused.value)
    with pytest.raises(DomainError):  # the edition given explicitly wins over the text
        kampung(dt.date(2024, 3, 1), {"sumber_ikp": "IKP Bawaslu", "tahun_ikp": 2019})
    record = kampung(dt.date(2024, 3, 1), {"sumber_ikp": "IKP Pemilu 2024 (rilis 16 Desember 2022)"})
    assert record.rincian.pemetaan_kerawanan.tahun_ikp == 2024  # type: ignore[union-attr]
    assert (
        kampung(dt.date(2026, 5, 1), {"sumber_ikp": "IKP Pemilihan 2024"}).rincian.pemetaan_kerawanan.tahun_ikp == 2024
    )  # type: ignore[union-attr]


def test_an_ikp_without_an_edition_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        kampung(dt.date(2024, 3, 1), {"sumber_ikp": "Indeks Kerawanan Pemilu Bawaslu"})
    assert refused.value.pasal == "Pasal 25 huruf a Perbawaslu Nomor 2 Tahun 2023"


def test_ikp_teraktual_rule() -> None:
    assert not ikp_teraktual(2019, 2024) and ikp_teraktual(2020, 2024) and ikp_teraktual(2024, 2024)
    assert ikp_teraktual(2024, 2028) and not ikp_teraktual(2024, 2029) and ikp_teraktual(2029, 2027)


# --- Pasal 25 huruf c, d: every 3 months from the formation ------------------------------------


def test_kampung_owes_communication_and_coordination_every_three_months() -> None:
    found = kewajiban_kampung(
        "k1",
        "35.05",
        dibentuk_pada=dt.date(2026, 1, 10),
        sampai=dt.date(2026, 7, 15),
        komunikasi=[("komunikasi_berkala", dt.date(2026, 2, 1)), ("sosialisasi", dt.date(2026, 5, 2))],
    )
    by_id = {k.id: k for k in found}
    # Windows: 10 Jan – 9 Apr, 10 Apr – 9 Jul, 10 Jul – 9 Oct (the third has begun by 15 Jul).
    assert sorted(by_id) == sorted(
        f"{j}:k1:{d}"
        for j in ("komunikasi_kampung", "koordinasi_kampung")
        for d in ("2026-01-10", "2026-04-10", "2026-07-10")
    )
    today = dt.date(2026, 7, 15)
    first_c, first_d = by_id["komunikasi_kampung:k1:2026-01-10"], by_id["koordinasi_kampung:k1:2026-01-10"]
    assert first_c.batas_waktu == dt.date(2026, 4, 9) and first_c.status(today) == StatusKewajiban.TERPENUHI
    assert first_d.status(today) == StatusKewajiban.TERLEWAT and first_d.pasal.startswith("Pasal 25 huruf d")
    assert by_id["komunikasi_kampung:k1:2026-04-10"].status(today) == StatusKewajiban.TERLEWAT
    assert by_id["koordinasi_kampung:k1:2026-04-10"].status(today) == StatusKewajiban.TERPENUHI
    assert by_id["komunikasi_kampung:k1:2026-07-10"].status(today) == StatusKewajiban.BERJALAN
    assert first_c.periode_label == "10-01-2026 s.d. 09-04-2026" and "setiap 3 bulan" in first_c.keterangan
    assert first_c.pasal.startswith("Pasal 25 huruf c") and first_d.jenis == JenisKewajiban.KOORDINASI_KAMPUNG
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)


# --- Pasal 27 ayat (1): yearly, from the year after the first Kampung ---------------------------


def test_pengembangan_is_owed_yearly_from_the_year_after_the_first_kampung() -> None:
    found = kewajiban_pengembangan(
        "35.05", pertama=dt.date(2024, 5, 1), sampai=dt.date(2026, 3, 1), tanggal=[dt.date(2025, 6, 1)]
    )
    assert [(k.periode, k.terlaksana, k.batas_waktu) for k in found] == [
        ("2025", 1, dt.date(2025, 12, 31)),
        ("2026", 0, dt.date(2026, 12, 31)),
    ]
    assert (
        found[0].pasal == "Pasal 27 ayat (1) Perbawaslu Nomor 2 Tahun 2023" and "seluruh Kampung" in found[0].keterangan
    )


def test_pengembangan_needs_the_evaluation_of_every_kampung() -> None:
    formed = {"k1": dt.date(2025, 2, 1), "k2": dt.date(2025, 8, 1), "k3": dt.date(2026, 9, 1)}
    args: dict[str, Any] = {
        "unit": "35.05",
        "tanggal": dt.date(2026, 3, 1),
        "kampung_unit": formed,
        "hasil_evaluasi": "Partisipasi warga meningkat di Jaten, rendah di Sumberjo",
        "pengembangan_inovasi": "Pelaporan daring lewat WhatsApp desa",
        "today": dt.date(2026, 3, 2),
    }
    with pytest.raises(DomainError) as missing:
        PengembanganKampung.catat(dievaluasi=["k1"], **args)
    assert missing.value.pasal == "Pasal 27 ayat (1) Perbawaslu Nomor 2 Tahun 2023" and "k2" in str(missing.value)
    with pytest.raises(DomainError):
        PengembanganKampung.catat(dievaluasi=["k1", "k2", "lain"], **args)
    with pytest.raises(DomainError):
        PengembanganKampung.catat(dievaluasi=["k1", "k2"], **{**args, "kampung_unit": {}})
    done = PengembanganKampung.catat(dievaluasi=["k1", "k2"], **args)  # k3 was formed later
    assert done.kampung_dievaluasi == ("k1", "k2")
