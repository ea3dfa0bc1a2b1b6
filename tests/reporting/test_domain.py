"""Reporting's rules without I/O: register numbers, working-day deadlines with Indonesian
holidays, who may report, the workflow's allowed moves, evidence checks, encryption of
identities, and that public events carry no personal data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from awasi_common.errors import Conflict, DomainError
from awasi_common.events import reporting as ev
from awasi_common.units import WIB
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.domain import bukti
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.nomor import nomor_register
from awasi_reporting.domain.pelapor import (
    BuktiInfo,
    Pelapor,
    Peristiwa,
    PerubahanPelapor,
    Saksi,
    normalise_tracking_code,
    secret_matches,
)
from awasi_reporting.domain.rezim import Pemilihan, is_daluwarsa
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import (
    AlasanTidakRegistrasi,
    JenisKelamin,
    JenisPutusan,
    Kanal,
    KategoriPelapor,
    Status,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def at(day: str, hour: int = 10) -> dt.datetime:
    """A moment in Western Indonesia."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=WIB)


def pelapor(**overrides: object) -> Pelapor:
    fields: dict[str, object] = dict(
        nama="Siti Rahasia",
        email="siti.rahasia@example.org",
        telepon="081234567890",
        alamat="Jl. Mawar 1, Blitar",
        tempat_lahir="Blitar",
        tanggal_lahir=dt.date(1990, 5, 17),
        jenis_kelamin="perempuan",
        pekerjaan="Guru",
        kewarganegaraan="Indonesia",
    )
    fields.update(overrides)
    from awasi_reporting.domain.vocabulary import JenisKelamin

    if isinstance(fields.get("jenis_kelamin"), str):
        fields["jenis_kelamin"] = JenisKelamin(fields["jenis_kelamin"])
    return Pelapor(**fields)  # type: ignore[arg-type]


def received(day: str = "2024-03-04", *, known: str | None = None, **kwargs: object) -> Laporan:
    laporan, _ = Laporan.receive(
        unit="35.05",
        kanal=Kanal.WEB,
        pelapor=kwargs.pop("pelapor", pelapor()),  # type: ignore[arg-type]
        terlapor="Tim kampanye calon fiktif",
        peristiwa=Peristiwa(
            apa="Pembagian uang",
            tempat="Pasar Wlingi",
            waktu_kejadian=dt.date.fromisoformat(known or day),
            waktu_diketahui=dt.date.fromisoformat(known or day),
        ),
        uraian="Pembagian uang disertai ajakan memilih.",
        now=at(day),
        saksi=[Saksi(nama="Budi Saksi")],
    )
    laporan.pull_events()
    return laporan


# --- Register numbers ------------------------------------------------------------------------


def test_register_number_has_the_documented_form() -> None:
    assert nomor_register(2, "LP", Pemilihan.PEMILU, "35.05", dt.date(2024, 3, 5)) == "002/LP/PL/Kab/35.05/III/2024"
    assert nomor_register(3, "LP", Pemilihan.PEMILU, "35.72", dt.date(2024, 3, 5)) == "003/LP/PL/Kota/35.72/III/2024"
    assert nomor_register(16, "TM", Pemilihan.PILKADA, "35", dt.date(2024, 11, 1)) == "016/TM/PB/Prov/35/XI/2024"
    assert nomor_register(1, "LP", Pemilihan.PEMILU, "00", dt.date(2024, 12, 31)) == "001/LP/PL/RI/00.00/XII/2024"
    assert nomor_register(7, "TM", Pemilihan.PEMILU, "35.05.01", dt.date(2024, 1, 2)) == "007/TM/PL/Kec/35.05.01/I/2024"


# --- Deadlines in working days ------------------------------------------------------------------


def test_kajian_awal_due_in_two_working_days_skipping_nyepi() -> None:
    # Friday 8 March 2024; Monday 11 March is Nyepi and Tuesday 12 March its cuti bersama
    # (SKB 3 Menteri 2024, a day off by default since issue 13): due Thursday 14 March
    # (2 hari kerja, Perbawaslu 7/2022).
    laporan = received("2024-03-08")
    assert laporan.tenggat == dt.date(2024, 3, 14)
    assert laporan.tahap_tenggat == "kajian_awal"


def test_daluwarsa_counts_working_days_around_idul_fitri_pasal_454_ayat_6() -> None:
    # Pasal 454 ayat (6) UU 7/2017: 7 hari kerja. Known Friday 5 April 2024; 10 and 11 April are
    # Idul Fitri and 8, 9, 12 and 15 April its cuti bersama (SKB 3 Menteri 2024, days off by
    # default since issue 13): the 7th working day is Wednesday 24 April (it was 18 April when
    # cuti bersama counted as working days).
    known = dt.date(2024, 4, 5)
    assert not is_daluwarsa(known, dt.date(2024, 4, 24))
    assert is_daluwarsa(known, dt.date(2024, 4, 25))
    assert not received("2024-04-24", known="2024-04-05").daluwarsa
    assert received("2024-04-25", known="2024-04-05").daluwarsa


def test_known_date_after_report_is_refused() -> None:
    with pytest.raises(DomainError) as refused:
        Laporan.receive(
            unit="35.05",
            kanal=Kanal.WEB,
            pelapor=pelapor(),
            terlapor="X",
            peristiwa=Peristiwa(
                apa="a", tempat="b", waktu_kejadian=dt.date(2024, 3, 1), waktu_diketahui=dt.date(2024, 3, 6)
            ),
            uraian="uraian cukup panjang",
            now=at("2024-03-05"),
        )
    assert refused.value.field == "peristiwa.waktu_diketahui"


# --- Who may report -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kewarganegaraan": "Malaysia"}, "pelapor.kewarganegaraan"),
        ({"tanggal_lahir": dt.date(2010, 1, 1)}, "pelapor.tanggal_lahir"),
        ({"kategori": KategoriPelapor.PEMANTAU}, "pelapor.nomor_akreditasi"),
        ({"kategori": KategoriPelapor.PESERTA_PEMILU}, "pelapor.peserta"),
    ],
)
def test_only_voters_participants_and_accredited_monitors_may_report(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as refused:
        received(pelapor=pelapor(**overrides))
    assert refused.value.field == field
    assert refused.value.pasal == "Pasal 454 ayat (2) UU 7/2017" or field == "pelapor.tanggal_lahir"


def test_married_under_seventeen_and_accredited_monitor_may_report() -> None:
    received(pelapor=pelapor(tanggal_lahir=dt.date(2008, 1, 1), pernah_kawin=True))
    received(pelapor=pelapor(kategori=KategoriPelapor.PEMANTAU, nomor_akreditasi="012/PM/2023"))


# --- The workflow ---------------------------------------------------------------------------------


def test_full_handling_path_records_each_step_and_tells_the_reporter() -> None:
    laporan = received("2024-03-04")
    laporan.mulai_kajian_awal(now=at("2024-03-05"), oleh="petugas")
    laporan.registrasi(nomor="001/LP/PL/Kab/35.05/III/2024", now=at("2024-03-05", 14), oleh="petugas")
    # Pasal 454 ayat (7) UU 7/2017, 7 working days: 11 March is Nyepi and 12 March its cuti
    # bersama (SKB 3 Menteri 2024, a day off since issue 13; it was 15 March before).
    assert laporan.tenggat == dt.date(2024, 3, 18)
    laporan.perpanjang(alasan="Keterangan saksi tambahan", now=at("2024-03-06"), oleh="petugas")
    assert laporan.tenggat == dt.date(2024, 3, 27)  # 14 working days, Pasal 454 ayat (8); was 26 March
    laporan.mulai_klarifikasi(now=at("2024-03-07"), oleh="petugas")
    laporan.putuskan(putusan=JenisPutusan.PIDANA, now=at("2024-03-12"), oleh="pimpinan", pertimbangan="Memenuhi unsur")
    assert laporan.diteruskan_ke == "Sentra Gakkumdu"
    laporan.teruskan(now=at("2024-03-13"), oleh="petugas", nomor_surat="001/PP.01/K.JI-05/III/2024")
    laporan.selesaikan(now=at("2024-03-20"), oleh="petugas")
    events = laporan.pull_events()
    steps = [type(e).__name__ for e in events if not isinstance(e, ev.PelaporNoticeRequested)]
    assert steps == [
        "LaporanKajianAwalDimulai",
        "LaporanDiregistrasi",
        "LaporanTenggatDiperpanjang",
        "LaporanKlarifikasiDimulai",
        "LaporanDiputus",
        "LaporanDiteruskan",
        "LaporanSelesai",
    ]
    notices = [e for e in events if isinstance(e, ev.PelaporNoticeRequested)]
    assert len(notices) == 7 and all(n.email == "siti.rahasia@example.org" for n in notices)
    assert [r.status for r in laporan.riwayat][-1] is Status.SELESAI


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], lambda lp: lp.putuskan(putusan=JenisPutusan.PIDANA, now=at("2024-03-05"), oleh="x", pertimbangan="p")),
        ([], lambda lp: lp.mulai_klarifikasi(now=at("2024-03-05"), oleh="x")),
        (["kajian"], lambda lp: lp.selesaikan(now=at("2024-03-05"), oleh="x")),
        (["kajian", "tolak"], lambda lp: lp.mulai_klarifikasi(now=at("2024-03-05"), oleh="x")),
    ],
)
def test_status_jumps_the_workflow_does_not_allow_are_conflicts(setup: list[str], move: object) -> None:
    laporan = received("2024-03-04")
    if "kajian" in setup:
        laporan.mulai_kajian_awal(now=at("2024-03-04", 11), oleh="x")
    if "tolak" in setup:
        laporan.tolak_registrasi(
            alasan=AlasanTidakRegistrasi.FORMIL, keterangan="Identitas palsu", now=at("2024-03-04", 12), oleh="x"
        )
    before = (laporan.status, len(laporan.riwayat))
    with pytest.raises(Conflict) as refused:
        move(laporan)  # type: ignore[operator]
    assert "Langkah yang sah berikutnya" in refused.value.message
    assert (laporan.status, len(laporan.riwayat)) == before
    assert not [e for e in laporan.pull_events() if not isinstance(e, ev.PelaporNoticeRequested)][len(setup) :]


def test_late_report_cannot_be_registered_but_can_be_refused_as_daluwarsa() -> None:
    # Pasal 454 ayat (6) UU 7/2017; the deadline of a report known 5 April 2024 is 24 April
    # (cuti bersama of Idul Fitri are days off, SKB 3 Menteri 2024).
    late = received("2024-04-25", known="2024-04-05")
    late.mulai_kajian_awal(now=at("2024-04-25", 11), oleh="x")
    with pytest.raises(DomainError) as refused:
        late.registrasi(nomor="-", now=at("2024-04-25", 12), oleh="x")
    assert refused.value.pasal == "Pasal 454 ayat (6) UU 7/2017"
    late.tolak_registrasi(
        alasan=AlasanTidakRegistrasi.DALUWARSA, keterangan="Lewat 7 hari kerja", now=at("2024-04-25", 13), oleh="x"
    )
    assert late.status is Status.TIDAK_DIREGISTRASI
    timely = received("2024-04-24", known="2024-04-05")
    timely.mulai_kajian_awal(now=at("2024-04-24", 11), oleh="x")
    with pytest.raises(DomainError):
        timely.tolak_registrasi(
            alasan=AlasanTidakRegistrasi.DALUWARSA, keterangan="?", now=at("2024-04-24", 12), oleh="x"
        )


def test_incomplete_report_is_asked_for_what_is_missing_then_resumes() -> None:
    laporan = received(pelapor=Pelapor(nama="Anonim Sebagian", email="a@example.org"))
    assert "tempat lahir pelapor" in laporan.kekurangan_syarat()
    laporan.mulai_kajian_awal(now=at("2024-03-04", 11), oleh="x")
    with pytest.raises(DomainError):
        laporan.registrasi(nomor="-", now=at("2024-03-04", 12), oleh="x")
    laporan.minta_kelengkapan(kekurangan=[], now=at("2024-03-04", 12), oleh="x")
    assert laporan.status is Status.PERLU_DILENGKAPI and laporan.batas_melengkapi == dt.date(2024, 3, 6)
    laporan.lengkapi(
        now=at("2024-03-05"),
        oleh="pelapor",
        pelapor=PerubahanPelapor(
            tempat_lahir="Blitar",
            tanggal_lahir=dt.date(1990, 1, 1),
            jenis_kelamin=JenisKelamin.LAKI_LAKI,
            pekerjaan="Petani",
            kewarganegaraan="Indonesia",
            alamat="Desa Contoh",
        ),
    )
    assert laporan.status is Status.KAJIAN_AWAL and laporan.kekurangan_syarat() == []
    laporan.registrasi(nomor="001/LP/PL/Kab/35.05/III/2024", now=at("2024-03-05", 12), oleh="x")


def test_cases_move_down_and_up_the_hierarchy_only() -> None:
    laporan = received()
    assert (
        laporan.limpahkan(ke_unit="35.05.01", now=at("2024-03-04", 11), oleh="x", alasan="Locus di kecamatan")
        == "pelimpahan"
    )
    assert laporan.unit == "35.05.01" and laporan.status is Status.DILIMPAHKAN
    laporan.mulai_kajian_awal(now=at("2024-03-04", 12), oleh="x")
    assert (
        laporan.limpahkan(ke_unit="35", now=at("2024-03-04", 13), oleh="x", alasan="Diambil alih") == "pengambilalihan"
    )
    with pytest.raises(DomainError):
        laporan.limpahkan(ke_unit="36.01", now=at("2024-03-04", 14), oleh="x", alasan="Bukan hierarkinya")
    events = [e for e in laporan.pull_events() if isinstance(e, ev.LaporanDilimpahkan)]
    assert [(e.dari_unit, e.ke_unit, e.arah) for e in events] == [
        ("35.05", "35.05.01", "pelimpahan"),
        ("35.05.01", "35", "pengambilalihan"),
    ]


def test_deadline_passed_raises_one_alert_with_a_message() -> None:
    laporan = received("2024-03-04")
    assert laporan.deadline_passed(dt.date(2024, 3, 6)) is None  # due that day
    alert = laporan.deadline_passed(dt.date(2024, 3, 7))
    assert isinstance(alert, ev.TenggatPenangananTerlewati) and type(alert).alert is True
    assert "kajian awal" in alert.pesan and alert.tenggat == dt.date(2024, 3, 6)
    assert laporan.deadline_passed(dt.date(2024, 3, 8)) is None  # once per deadline


def test_temuan_is_set_within_seven_working_days_of_discovery() -> None:
    kwargs = dict(
        unit="35.05",
        nomor="001/TM/PL/Kab/35.05/IV/2024",
        terlapor="Kepala desa",
        uraian="Kepala desa berkampanye",
        oleh="pengawas",
    )
    Temuan.catat(
        peristiwa=Peristiwa("a", "b", dt.date(2024, 4, 5), dt.date(2024, 4, 5)), now=at("2024-04-24"), **kwargs
    )  # type: ignore[arg-type]
    # Pasal 454 ayat (5) UU 7/2017, read in working days: the cuti bersama of Idul Fitri 2024
    # (SKB 3 Menteri) are days off, so the 7th working day after 5 April is 24 April.
    with pytest.raises(DomainError) as refused:
        Temuan.catat(
            peristiwa=Peristiwa("a", "b", dt.date(2024, 4, 5), dt.date(2024, 4, 5)), now=at("2024-04-25"), **kwargs
        )  # type: ignore[arg-type]
    assert refused.value.pasal == "Pasal 454 ayat (5) UU 7/2017"


# --- Tracking code, secret, evidence, encryption ---------------------------------------------------


def test_tracking_code_tolerates_how_people_type_it_and_secret_is_hashed() -> None:
    laporan, secret = Laporan.receive(
        unit="35.05",
        kanal=Kanal.WEB,
        pelapor=pelapor(),
        terlapor="X",
        peristiwa=Peristiwa("a", "b", dt.date(2024, 3, 4), dt.date(2024, 3, 4)),
        uraian="uraian",
        now=at("2024-03-04"),
    )
    assert (
        normalise_tracking_code(" " + laporan.kode_pelacakan.lower().replace("-", "") + " ") == laporan.kode_pelacakan
    )
    assert secret not in laporan.secret_hash and secret_matches(secret, laporan.secret_hash)
    assert not secret_matches(secret + "x", laporan.secret_hash)


def test_evidence_kind_is_read_from_content_and_sizes_are_limited() -> None:
    limits = bukti.BatasBukti(max_bytes=1000, max_files=2, total_max_bytes=1500)
    now = at("2024-03-04")
    accepted = bukti.inspect([bukti.BerkasMasuk("foto.png", PNG)], limits, now=now, oleh="p")
    assert accepted[0][0].jenis == "image/png"
    for files, words in [
        ([bukti.BerkasMasuk("virus.jpg", b"MZ\x90\x00" + b"\x00" * 50)], "tidak diizinkan"),
        ([bukti.BerkasMasuk("foto.pdf", PNG)], "tidak diizinkan"),
        ([bukti.BerkasMasuk("besar.png", PNG + b"\x00" * 1000)], "melebihi batas"),
        ([bukti.BerkasMasuk("a.png", PNG)] * 3, "Paling banyak 2"),
    ]:
        with pytest.raises(DomainError) as refused:
            bukti.inspect(files, limits, now=now, oleh="p")
        assert words in refused.value.message


def test_identity_cipher_binds_to_row_and_rotates_keys() -> None:
    old = IdentityCipher(["kunci-lama"])
    blob = old.encrypt_json({"nama": "Siti Rahasia"}, "laporan:1:pelapor")
    assert b"Siti" not in blob
    rotated = IdentityCipher(["kunci-baru", "kunci-lama"])
    assert rotated.decrypt_json(blob, "laporan:1:pelapor") == {"nama": "Siti Rahasia"}
    with pytest.raises(ValueError):
        rotated.decrypt_json(blob, "laporan:2:pelapor")
    with pytest.raises(ValueError):
        IdentityCipher(["kunci-lain"]).decrypt_json(blob, "laporan:1:pelapor")


def test_public_events_of_a_whole_case_carry_no_personal_data() -> None:
    laporan = received("2024-03-04")
    laporan.bukti = [BuktiInfo("b", "foto.png", "image/png", 10, "0" * 64, at("2024-03-04"), "pelapor")]
    events = list(
        Laporan.receive(
            unit="35.05",
            kanal=Kanal.WEB,
            pelapor=pelapor(),
            terlapor="Tim kampanye calon fiktif",
            peristiwa=Peristiwa("Pembagian uang", "Pasar", dt.date(2024, 3, 4), dt.date(2024, 3, 4)),
            uraian="uraian",
            now=at("2024-03-04"),
            saksi=[Saksi(nama="Budi Saksi")],
        )[0].pull_events()
    )
    laporan.mulai_kajian_awal(now=at("2024-03-05"), oleh="x")
    laporan.registrasi(nomor="001/LP/PL/Kab/35.05/III/2024", now=at("2024-03-05"), oleh="x")
    laporan.mulai_klarifikasi(now=at("2024-03-06"), oleh="x")
    laporan.putuskan(putusan=JenisPutusan.KODE_ETIK, now=at("2024-03-07"), oleh="x", pertimbangan="p")
    laporan.limpahkan(ke_unit="35", now=at("2024-03-07"), oleh="x", alasan="Diambil alih provinsi")
    laporan.teruskan(now=at("2024-03-08"), oleh="x", nomor_surat=None)
    laporan.deadline_passed(dt.date(2030, 1, 1))
    events += laporan.pull_events()
    public = [e for e in events if type(e).public]
    assert {type(e) for e in events} - {type(e) for e in public} == {ev.PelaporNoticeRequested}
    text = json.dumps([e.model_dump(mode="json") for e in public])
    for secret in ("Siti Rahasia", "siti.rahasia@example.org", "081234567890", "Mawar", "Budi Saksi", "Tim kampanye"):
        assert secret not in text
