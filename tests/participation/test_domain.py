"""The regulation's rules on the domain alone (no I/O): each broken rule names its article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awasi_common.errors import Conflict, DomainError, Forbidden
from awasi_common.events.participation import (
    PesertaAttended,
    ProgramFormed,
    TindakLanjutRecorded,
    TindakLanjutRequired,
)
from awasi_common.units import WIB
from awasi_common.vocabulary import Program
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, StatusKegiatan
from awasi_participation.domain.obligations import (
    JenisKewajiban,
    StatusKewajiban,
    kewajiban_forum_warga,
    kewajiban_pemantauan,
    kewajiban_tindak_lanjut,
)
from awasi_participation.domain.pemantauan import Pemantauan, PemantauanRef
from awasi_participation.domain.penilaian import (
    Indikator,
    IndikatorSet,
    Metrik,
    Penilaian,
    penanggung_jawab_tindak_lanjut,
)
from awasi_participation.domain.program import ProgramPartisipatif, check_sasaran
from awasi_participation.domain.rincian import PojokRincian, dari_bagian
from awasi_participation.domain.rules import RULES, Sasaran

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 3, 0, tzinfo=dt.UTC)  # 10:00 WIB, a Monday


def form(unit: str, program: Program, **kwargs: Any) -> ProgramPartisipatif:
    args: dict[str, Any] = {
        "unit": unit,
        "program": program,
        "nama": "Program uji",
        "dibentuk_pada": TODAY,
        "sasaran": (),
        "rincian": {},
        "today": TODAY,
    }
    args.update(kwargs)
    # The details arrive as a request's sections: typed at the edge, then formed by the domain.
    args["rincian"] = dari_bagian(program, args["rincian"])
    return ProgramPartisipatif.bentuk(**args)


def broken(call: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


FORUM = {"forum_warga": {"metode": "partisipatoris", "pertemuan": ["tatap_muka", "daring"]}}
POJOK = {
    "pojok_pengawasan": {
        "tempat": "kantor",
        "alamat": "Jl. Contoh 1, Blitar",
        "jam_buka": [{"hari": "senin", "buka": "08:00", "tutup": "16:00"}],
    }
}
KAMPUNG = {
    "kampung": {
        "desa": "35.05.01.2001",
        "kelompok_masyarakat": ["Karang Taruna Jaten"],
        "pemetaan_kerawanan": {"kategori": "tinggi", "sumber_ikp": "IKP Pemilu 2024", "tanggal": "2026-05-01"},
        "analisis_kesiapan": {
            "tanggal": "2026-05-20",
            "kesiapan_pelaksanaan": "Relawan siap",
            "kesiapan_perangkat_desa": "Kepala desa mendukung",
            "siap": True,
        },
    }
}


def kerja_sama(**pt: Any) -> dict[str, Any]:
    return {
        "kerja_sama": {"bentuk": ["kkn_tematik", "magang"], "perguruan_tinggi": {"nama": "Universitas Contoh", **pt}}
    }


# --- who forms which program ------------------------------------------------------------------


def test_komunitas_digital_is_formed_by_bawaslu_ri_only() -> None:
    error = broken(lambda: form("35.05", Program.KOMUNITAS_DIGITAL))
    assert error.pasal == "Pasal 28 ayat (1) Perbawaslu Nomor 2 Tahun 2023"
    record = form("00", Program.KOMUNITAS_DIGITAL, rincian={"komunitas_digital": {"melibatkan": ["35", "35.05"]}})
    assert record.melibatkan == ("35", "35.05") and record.serves("35.05") and not record.serves("36")


def test_komunitas_digital_involves_only_provinsi_and_kab_kota() -> None:
    error = broken(
        lambda: form("00", Program.KOMUNITAS_DIGITAL, rincian={"komunitas_digital": {"melibatkan": ["35.05.01"]}})
    )
    assert error.pasal and error.pasal.startswith("Pasal 28 ayat (2)")


@pytest.mark.parametrize(
    ("program", "unit", "pasal"),
    [
        (Program.KERJA_SAMA_PERGURUAN_TINGGI, "35.05.01", "Pasal 22 ayat (1)"),
        (Program.KAMPUNG_PENGAWASAN, "35.05.01", "Pasal 24 ayat (1)"),
        (Program.FORUM_WARGA, "35.05.01.2001", "Pasal 15 ayat (1)"),
        (Program.POJOK_PENGAWASAN, "35.05.01.2001", "Pasal 19 ayat (1)"),
    ],
)
def test_forming_level_is_checked_first(program: Program, unit: str, pasal: str) -> None:
    assert broken(lambda: form(unit, program)).pasal == f"{pasal} Perbawaslu Nomor 2 Tahun 2023"


def test_forum_warga_and_pojok_may_be_formed_by_panwaslu_kecamatan() -> None:
    assert form("35.05.01", Program.FORUM_WARGA, rincian=FORUM).unit == "35.05.01"
    assert form("35.05.01", Program.POJOK_PENGAWASAN, rincian=POJOK).sasaran[0].value == "masyarakat_umum"


# --- sasaran --------------------------------------------------------------------------------------


def test_sasaran_must_be_one_the_article_lists() -> None:
    error = broken(lambda: form("35.05", Program.FORUM_WARGA, rincian=FORUM, sasaran=["konten_kreator"]))
    assert error.pasal == "Pasal 16 Perbawaslu Nomor 2 Tahun 2023" and error.field == "sasaran"
    # the same sasaran is allowed for Komunitas Digital (Pasal 29)
    assert form("00", Program.KOMUNITAS_DIGITAL, sasaran=["konten_kreator"]).sasaran[0].value == "konten_kreator"
    assert broken(lambda: form("35.05", Program.POJOK_PENGAWASAN, rincian=POJOK, sasaran=["jurnalis"])).pasal == (
        "Pasal 20 Perbawaslu Nomor 2 Tahun 2023"
    )
    assert broken(
        lambda: form(
            "35.05", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=kerja_sama(terdaftar=True), sasaran=["pemilih_pemula"]
        )
    ).pasal.startswith("Pasal 23 ayat (2)")  # type: ignore[union-attr]


# The sasaran each article lists, written out from the regulation (documents/004): a change to
# the rules' data that is not a change of the regulation fails here.
ARTICLE_SASARAN = {
    Program.PENDIDIKAN_PENGAWAS_PARTISIPATIF: (
        "Pasal 6 ayat (1)",
        {
            "pemilih_pemula",
            "pemilih_penyandang_disabilitas",
            "pemilih_perempuan",
            "organisasi_kemasyarakatan",
            "tokoh_agama",
            "pengajar_pelajar_mahasiswa",
            "masyarakat_hukum_adat",
        },
    ),
    Program.FORUM_WARGA: (
        "Pasal 16",
        {
            "pemilih_pemula",
            "pemilih_penyandang_disabilitas",
            "pemilih_lanjut_usia",
            "pemilih_perempuan",
            "organisasi_kemasyarakatan",
            "tokoh_agama",
            "lembaga_pendidikan_formal",
            "kelompok_adat",
            "komunitas_hobi",
        },
    ),
    Program.POJOK_PENGAWASAN: ("Pasal 20", {"masyarakat_umum"}),
    Program.KERJA_SAMA_PERGURUAN_TINGGI: (
        "Pasal 23 ayat (2)",
        {"pimpinan_perguruan_tinggi", "dosen_aktif", "mahasiswa_aktif"},
    ),
    Program.KAMPUNG_PENGAWASAN: ("Pasal 26", {"masyarakat_hukum_adat", "masyarakat_umum"}),
    Program.KOMUNITAS_DIGITAL: (
        "Pasal 29",
        {
            "pemilih_pemula",
            "konten_kreator",
            "pemantau_pemilu",
            "jurnalis",
            "budayawan",
            "akademisi",
            "pengawas_partisipatif",
            "komunitas_hobi",
            "kelompok_masyarakat_peduli_pemilu",
        },
    ),
}


@pytest.mark.parametrize("program", list(ARTICLE_SASARAN))
def test_each_program_allows_exactly_the_sasaran_of_its_article(program: Program) -> None:
    article, allowed = ARTICLE_SASARAN[program]
    rule = RULES[program]
    assert {s.value for s in rule.sasaran} == allowed
    assert rule.pasal_sasaran == f"{article} Perbawaslu Nomor 2 Tahun 2023"
    assert {s.value for s in check_sasaran(program, sorted(allowed))} == allowed
    for other in sorted({s.value for s in Sasaran} - allowed):
        error = broken(lambda other=other: check_sasaran(program, [other]))
        assert error.pasal == rule.pasal_sasaran and error.field == "sasaran"


def test_program_formed_event_carries_the_details() -> None:
    record = form("35.05", Program.FORUM_WARGA, rincian=FORUM, sasaran=["pemilih_pemula", "tokoh_agama"])
    (event,) = record.pull_events()
    assert isinstance(event, ProgramFormed)
    assert event.metode == "partisipatoris" and event.pertemuan == ["tatap_muka", "daring"]
    assert event.sasaran == ["pemilih_pemula", "tokoh_agama"] and event.key == record.id


# --- each program's own rules ------------------------------------------------------------------------


def test_forum_warga_needs_its_method_and_meeting_form() -> None:
    assert broken(lambda: form("35.05", Program.FORUM_WARGA)).pasal.startswith("Pasal 18 ayat (1)")  # type: ignore[union-attr]
    wrong = {"forum_warga": {"metode": "ceramah", "pertemuan": ["tatap_muka"]}}
    assert broken(lambda: form("35.05", Program.FORUM_WARGA, rincian=wrong)).pasal.startswith("Pasal 18 ayat (1)")  # type: ignore[union-attr]
    no_meeting = {"forum_warga": {"metode": "dialogis", "pertemuan": []}}
    assert broken(lambda: form("35.05", Program.FORUM_WARGA, rincian=no_meeting)).pasal.startswith("Pasal 17 ayat (2)")  # type: ignore[union-attr]


def test_details_of_another_program_are_refused() -> None:
    assert broken(lambda: form("35.05", Program.FORUM_WARGA, rincian={**FORUM, **POJOK})).field == "pojok_pengawasan"


def test_kerja_sama_needs_a_registered_or_accredited_university() -> None:
    error = broken(lambda: form("35.05", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=kerja_sama()))
    assert error.pasal == "Pasal 22 ayat (2) Perbawaslu Nomor 2 Tahun 2023"
    expired = kerja_sama(akreditasi="B", akreditasi_berlaku_sampai="2025-12-31")
    assert broken(lambda: form("35.05", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=expired)).pasal.startswith(
        "Pasal 22 ayat (2)"
    )
    assert form("35.05", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=kerja_sama(akreditasi="unggul")).rincian
    assert form("35.05", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=kerja_sama(terdaftar=True)).rincian


def test_kerja_sama_forms_are_the_articles() -> None:
    bad = {"kerja_sama": {"bentuk": ["studi_banding"], "perguruan_tinggi": {"nama": "U", "terdaftar": True}}}
    assert broken(lambda: form("35", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=bad)).pasal.startswith(
        "Pasal 23 ayat (1)"
    )
    other = {"kerja_sama": {"bentuk": ["lainnya"], "perguruan_tinggi": {"nama": "U", "terdaftar": True}}}
    assert broken(lambda: form("35", Program.KERJA_SAMA_PERGURUAN_TINGGI, rincian=other)).pasal.startswith(
        "Pasal 23 ayat (1) huruf f"
    )


def test_kampung_pengawasan_needs_mapping_and_readiness_first() -> None:
    record = form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=KAMPUNG)
    assert record.pull_events()[0].kategori_kerawanan == "tinggi"  # type: ignore[attr-defined]

    def without(key: str, **change: Any) -> dict[str, Any]:
        section = {**KAMPUNG["kampung"]}
        if change:
            section[key] = {**section[key], **change}
        else:
            section.pop(key)
        return {"kampung": section}

    assert broken(lambda: form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=without("pemetaan_kerawanan"))).pasal == (
        "Pasal 25 huruf a Perbawaslu Nomor 2 Tahun 2023"
    )
    assert broken(lambda: form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=without("analisis_kesiapan"))).pasal == (
        "Pasal 25 huruf b Perbawaslu Nomor 2 Tahun 2023"
    )
    late = without("analisis_kesiapan", tanggal="2026-06-20")
    assert broken(lambda: form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=late)).pasal.startswith("Pasal 25 huruf b")  # type: ignore[union-attr]
    not_ready = without("analisis_kesiapan", siap=False)
    assert broken(lambda: form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=not_ready)).pasal.startswith(
        "Pasal 25 huruf b"
    )
    elsewhere = {"kampung": {**KAMPUNG["kampung"], "desa": "35.06.01.2001"}}
    assert broken(lambda: form("35.05", Program.KAMPUNG_PENGAWASAN, rincian=elsewhere)).pasal.startswith(
        "Pasal 24 ayat (3)"
    )


def test_pojok_place_hours_and_consultations() -> None:
    assert broken(lambda: form("35.05", Program.POJOK_PENGAWASAN)).pasal.startswith("Pasal 19 ayat (1)")  # type: ignore[union-attr]
    record = form("35.05", Program.POJOK_PENGAWASAN, rincian=POJOK)
    record.pull_events()
    assert isinstance(record.rincian, PojokRincian)
    assert record.rincian.buka_pada(NOW, "35.05")  # Monday 10:00 WIB
    assert not record.rincian.buka_pada(dt.datetime(2026, 6, 16, 3, 0, tzinfo=dt.UTC), "35.05")  # Tuesday
    konsultasi = record.catat_konsultasi(
        jenis="konsultasi", waktu=NOW, topik="Cara melapor", ringkasan=None, pengunjung=None, now=NOW
    )
    assert not konsultasi.di_luar_jam_layanan and record.pull_events()
    forum = form("35.05", Program.FORUM_WARGA, rincian=FORUM)
    assert broken(forum.terima_laporan).pasal.startswith("Pasal 19 ayat (2)")  # type: ignore[union-attr]


# --- peserta ---------------------------------------------------------------------------------------------


def kegiatan(**kwargs: Any) -> KegiatanProgram:
    base: dict[str, Any] = {
        "kegiatan_id": "k1",
        "unit": "35.05",
        "program": Program.FORUM_WARGA,
        "judul": "Forum Warga",
        "mulai": TODAY,
        "selesai": TODAY,
        "status": StatusKegiatan.SCHEDULED,
        "target_peserta": 2,
    }
    base.update(kwargs)
    return KegiatanProgram(**base)


def register(k: KegiatanProgram, terdaftar: int = 0, sasaran: str = "pemilih_pemula", chosen: Any = None) -> Peserta:
    return Peserta.daftar(k, terdaftar=terdaftar, nama="Ani", sasaran=sasaran, program_sasaran=chosen, now=NOW)


def test_registration_checks_sasaran_and_capacity() -> None:
    k = kegiatan()
    assert broken(lambda: register(k, sasaran="jurnalis")).pasal == "Pasal 16 Perbawaslu Nomor 2 Tahun 2023"
    assert register(k, sasaran="tokoh_agama", chosen=[]).sasaran.value == "tokoh_agama"
    with pytest.raises(DomainError):
        register(k, sasaran="tokoh_agama", chosen=["pemilih_pemula"])
    register(k, terdaftar=1)
    with pytest.raises(Conflict):
        register(k, terdaftar=2)
    k.atur_kapasitas(5, terdaftar=2)
    register(k, terdaftar=2)
    with pytest.raises(Conflict):
        kegiatan(status=StatusKegiatan.CANCELLED).terima_pendaftaran(0)


def test_attendance_once_and_only_on_the_day() -> None:
    k = kegiatan()
    peserta = register(k)
    peserta.pull_events()
    assert peserta.hadir(k, NOW) is True
    assert isinstance(peserta.pull_events()[0], PesertaAttended)
    assert peserta.hadir(k, NOW) is False and not peserta.pull_events()
    other = register(k)
    with pytest.raises(DomainError):
        other.hadir(k, NOW - dt.timedelta(days=3))
    late_evening = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time(20, 0), tzinfo=WIB)
    assert other.hadir(k, late_evening)  # recorded the day after is still accepted
    with pytest.raises(DomainError):
        register(k).beri_umpan_balik(pemahaman_meningkat=True, skor=5, komentar=None, now=NOW)


# --- pemantauan, penilaian, tindak lanjut -------------------------------------------------------------------


def test_pemantauan_by_bawaslu_levels_within_their_area() -> None:
    assert (
        broken(
            lambda: Pemantauan.catat(
                unit="35.05.01",
                tanggal=TODAY,
                cakupan=[],
                program=[],
                ringkasan="x",
                temuan=[],
                rekomendasi=[],
                today=TODAY,
            )
        ).pasal
        == "Pasal 30 ayat (3) Perbawaslu Nomor 2 Tahun 2023"
    )
    assert broken(
        lambda: Pemantauan.catat(
            unit="35",
            tanggal=TODAY,
            cakupan=["36.01"],
            program=[],
            ringkasan="x",
            temuan=[],
            rekomendasi=[],
            today=TODAY,
        )
    ).pasal.startswith("Pasal 30 ayat (1)")  # type: ignore[union-attr]


def indikator_set(**kwargs: Any) -> IndikatorSet:
    args: dict[str, Any] = {
        "unit": "00",
        "nama": "Indikator 2026",
        "nomor_keputusan": "123/HK.01/K1/06/2026",
        "indikator": [
            Indikator("FW", "Forum Warga terlaksana", 3, metrik=Metrik.JUMLAH_FORUM_WARGA),
            Indikator("PHM", "Peserta yang pemahamannya meningkat (%)", 70),
        ],
        "tahun": 2026,
        "ambang_keberhasilan": 100.0,
        "batas_tindak_lanjut_hari": 14,
        "today": TODAY,
    }
    args.update(kwargs)
    return IndikatorSet.tetapkan(**args)


def test_only_bawaslu_sets_the_indicators() -> None:
    with pytest.raises(Forbidden) as caught:
        indikator_set(unit="35")
    assert caught.value.pasal == "Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023"


def test_penilaian_needs_pemantauan_and_unmet_requires_tindak_lanjut() -> None:
    s = indikator_set()
    ref = PemantauanRef("p1", "35.05", TODAY)

    def assess(**kwargs: Any) -> Penilaian:
        args: dict[str, Any] = {
            "unit": "35.05",
            "unit_dinilai": "35.05.01",
            "tahun": 2026,
            "indikator_set": s,
            "nilai": {"PHM": 80},
            "metrik": {Metrik.JUMLAH_FORUM_WARGA: 2},
            "pemantauan": [ref],
            "tanggal": TODAY,
            "today": TODAY,
        }
        args.update(kwargs)
        return Penilaian.tetapkan(**args)

    assert broken(lambda: assess(pemantauan=[])).pasal == "Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023"
    assert broken(lambda: assess(unit="35.05.01")).pasal.startswith("Pasal 30 ayat (1)")  # type: ignore[union-attr]
    assert broken(lambda: assess(nilai={})).field == "nilai"
    assert broken(lambda: assess(nilai={"PHM": 80, "FW": 3})).field == "nilai.FW"

    met = assess(metrik={Metrik.JUMLAH_FORUM_WARGA: 3})
    assert met.memenuhi and met.skor == 100 and len(met.pull_events()) == 1

    unmet = assess()
    assert not unmet.memenuhi and unmet.skor == 50
    required = unmet.pull_events()[1]
    assert isinstance(required, TindakLanjutRequired)
    assert required.unit == "35.05"  # the Kab/Kota owes it for its kecamatan (Pasal 31 ayat (1))
    assert required.batas_waktu == TODAY + dt.timedelta(days=14) and required.indikator_tidak_terpenuhi == ["FW"]

    record = lambda **kw: unmet.catat_tindak_lanjut(  # noqa: E731
        **{
            "evaluasi": "Metode ceramah kurang",
            "strategi_baru": "Diskusi kelompok",
            "media": ["tatap_muka"],
            "tanggal": TODAY,
            "today": TODAY,
            "oleh": "35.05",
            **kw,
        }
    )
    assert broken(lambda: record(strategi_baru=" ")).pasal == "Pasal 31 ayat (1) huruf b Perbawaslu Nomor 2 Tahun 2023"
    assert broken(lambda: record(evaluasi="")).pasal.startswith("Pasal 31 ayat (1) huruf a")  # type: ignore[union-attr]
    assert broken(lambda: record(media=["surat"])).pasal.startswith("Pasal 31 ayat (2)")  # type: ignore[union-attr]
    record()
    assert isinstance(unmet.pull_events()[0], TindakLanjutRecorded) and unmet.status_tindak_lanjut == "dicatat"
    with pytest.raises(Conflict):
        record()
    with pytest.raises(Conflict):
        met.catat_tindak_lanjut(evaluasi="a", strategi_baru="b", media=["daring"], tanggal=TODAY, today=TODAY, oleh="x")


def test_tindak_lanjut_is_owed_by_a_bawaslu_unit() -> None:
    assert penanggung_jawab_tindak_lanjut("00") == "00"
    assert penanggung_jawab_tindak_lanjut("35") == "35"
    assert penanggung_jawab_tindak_lanjut("35.05.01.2001") == "35.05"


# --- obligations ---------------------------------------------------------------------------------------------


def test_pemantauan_frequency_per_level() -> None:
    kab = kewajiban_pemantauan("35.05", sejak=dt.date(2026, 3, 10), sampai=TODAY, tanggal=[dt.date(2026, 4, 2)])
    assert [k.periode for k in kab] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert [k.status(TODAY) for k in kab] == [
        StatusKewajiban.TERLEWAT,
        StatusKewajiban.TERPENUHI,
        StatusKewajiban.TERLEWAT,
        StatusKewajiban.BERJALAN,
    ]
    assert kab[0].id == "pemantauan:35.05:2026-03" and kab[0].batas_waktu == dt.date(2026, 3, 31)
    assert kab[0].pasal.startswith("Pasal 30 ayat (3) huruf c")
    assert "Maret 2026" in kab[0].pesan()

    (prov,) = kewajiban_pemantauan("35", sejak=dt.date(2026, 1, 1), sampai=TODAY, tanggal=[TODAY] * 3)
    assert (prov.wajib, prov.terlaksana, prov.status(TODAY)) == (4, 3, StatusKewajiban.BERJALAN)
    assert prov.status(dt.date(2027, 1, 1)) == StatusKewajiban.TERLEWAT
    (ri,) = kewajiban_pemantauan("00", sejak=dt.date(2026, 1, 1), sampai=TODAY, tanggal=[TODAY] * 2)
    assert ri.wajib == 2 and ri.status(TODAY) == StatusKewajiban.TERPENUHI
    assert kewajiban_pemantauan("35.05.01", sejak=TODAY, sampai=TODAY, tanggal=[]) == []


def test_forum_warga_three_times_a_year() -> None:
    found = kewajiban_forum_warga(
        "35.05.01", sejak=dt.date(2025, 8, 1), sampai=TODAY, sesi=[dt.date(2025, 9, 1)] * 3 + [dt.date(2026, 2, 1)]
    )
    assert [(k.periode, k.terlaksana, k.status(TODAY)) for k in found] == [
        ("2025", 3, StatusKewajiban.TERPENUHI),
        ("2026", 1, StatusKewajiban.BERJALAN),
    ]
    assert found[1].jenis == JenisKewajiban.FORUM_WARGA and found[1].pasal.startswith("Pasal 17 ayat (1)")


def test_tindak_lanjut_obligation() -> None:
    k = kewajiban_tindak_lanjut(
        penilaian_id="p9",
        unit="35.05",
        tanggal_penilaian=TODAY,
        batas_waktu=TODAY + dt.timedelta(days=7),
        dicatat=False,
    )
    assert k.id == "tindak_lanjut:p9" and k.status(TODAY) == StatusKewajiban.BERJALAN
    assert k.status(TODAY + dt.timedelta(days=8)) == StatusKewajiban.TERLEWAT
