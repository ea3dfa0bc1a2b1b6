"""Each case's legal regime (issue 13): Pemilu (UU 7/2017 Pasal 454, hari kerja) and Pemilihan
(UU 10/2016 Pasal 134, hari kalender) deadlines, the one lateness rule, the unit's own time zone,
one numbering for every document kind, separate registers per regime, and the public deadline
calculator ``GET /publik/tenggat``. Every expected date is derived by hand from the article named
in the test and the 2024 calendar (SKB 3 Menteri on national holidays and cuti bersama)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awasi_common.errors import DomainError
from awasi_common.units import WIB
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.nomor import nomor_dokumen, nomor_register
from awasi_reporting.domain.pelapor import Pelapor, Peristiwa, Saksi
from awasi_reporting.domain.pengawasan import nomor_dokumen as nomor_dokumen_pengawasan
from awasi_reporting.domain.rezim import REZIM, JenisHari, Pemilihan
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import AlasanTidakRegistrasi, JenisKelamin, Kanal, local_date

from .conftest import UNIT, laporan_body

WIT_UNIT = "91.71"  # Bawaslu Kota Jayapura (Papua: WIT)


def at(day: str, hour: int = 10, minute: int = 0, tz: dt.tzinfo = WIB) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=tz)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def receive(
    filed: dt.datetime, known: str, pemilihan: Pemilihan = Pemilihan.PEMILU, unit: str = UNIT
) -> tuple[Laporan, str]:
    laporan, _ = Laporan.receive(
        unit=unit,
        kanal=Kanal.CALL_CENTER,
        pelapor=Pelapor(
            nama="Siti Rahasia",
            email="siti.rahasia@example.org",
            telepon="081234567890",
            alamat="Jl. Mawar 1",
            tempat_lahir="Blitar",
            tanggal_lahir=dt.date(1990, 5, 17),
            pekerjaan="Guru",
            jenis_kelamin=JenisKelamin.PEREMPUAN,
        ),
        terlapor="Tim kampanye calon fiktif",
        peristiwa=Peristiwa(apa="Pembagian uang", tempat="Pasar", waktu_kejadian=d(known), waktu_diketahui=d(known)),
        uraian="Pembagian uang disertai ajakan memilih.",
        now=filed,
        saksi=[Saksi(nama="Budi Saksi")],
        pemilihan=pemilihan,
    )
    notice = next(e for e in laporan.pull_events() if type(e).__name__ == "PelaporNoticeRequested")
    return laporan, notice.pesan  # type: ignore[attr-defined]


# --- The regime table ------------------------------------------------------------------------------


def test_the_regime_table_holds_each_law_day_kind_counts_and_articles() -> None:
    pemilu, pilkada = REZIM[Pemilihan.PEMILU], REZIM[Pemilihan.PILKADA]
    assert (pemilu.hari, pemilu.lapor, pemilu.tindak_lanjut, pemilu.tindak_lanjut_diperpanjang) == (
        JenisHari.KERJA,
        7,
        7,
        14,
    )
    assert (pilkada.hari, pilkada.lapor, pilkada.tindak_lanjut, pilkada.tindak_lanjut_diperpanjang) == (
        JenisHari.KALENDER,
        7,
        3,
        5,
    )
    assert pilkada.pasal_lapor == "Pasal 134 ayat (4) UU 10/2016"
    assert pemilu.pasal_lapor == "Pasal 454 ayat (6) UU 7/2017"


# --- Pemilihan (pilkada): calendar days, UU 10/2016 Pasal 134 -------------------------------------------


def test_pilkada_laporan_known_13_feb_2024_is_due_20_feb_in_calendar_days_pasal_134_ayat_4() -> None:
    # Pasal 134 ayat (4) UU 10/2016: 7 hari (kalender) sejak diketahui. Tue 13 Feb + 7 = Tue 20 Feb,
    # though 14 Feb (election day) is a holiday: calendar days do not skip it.
    rezim = Pemilihan.PILKADA.rezim
    assert rezim.batas_lapor(d("2024-02-13")) == d("2024-02-20")
    on_time, _ = receive(at("2024-02-20", 16), "2024-02-13", Pemilihan.PILKADA)
    assert not on_time.daluwarsa and on_time.batas_lapor == d("2024-02-20")
    late, warning = receive(at("2024-02-21", 9), "2024-02-13", Pemilihan.PILKADA)
    assert late.daluwarsa
    assert "7 hari kalender" in warning and "Pasal 134 ayat (4) UU 10/2016" in warning
    late.mulai_kajian_awal(now=at("2024-02-21", 10), oleh="x")
    with pytest.raises(DomainError) as refused:
        late.registrasi(nomor="-", now=at("2024-02-21", 11), oleh="x")
    assert refused.value.pasal == "Pasal 134 ayat (4) UU 10/2016"
    assert "batasnya 20-02-2024" in refused.value.message
    # The same dates under Pemilu (hari kerja): still on time on 21 February.
    assert not receive(at("2024-02-21", 9), "2024-02-13")[0].daluwarsa


def test_pilkada_follow_up_is_3_days_and_3_plus_2_with_more_information_pasal_134_ayat_5_6() -> None:
    # Kajian awal: the platform's reading, 2 days as under Pemilu but calendar days: Fri 16 Feb
    # 2024 -> Sun 18 Feb.
    laporan, _ = receive(at("2024-02-16", 9), "2024-02-15", Pemilihan.PILKADA)
    assert laporan.tenggat == d("2024-02-18")
    laporan.mulai_kajian_awal(now=at("2024-02-16", 10), oleh="x")
    laporan.registrasi(nomor="001/LP/PB/Kab/35.05/II/2024", now=at("2024-02-16", 11), oleh="x")
    # Pasal 134 ayat (5): 3 hari: Fri 16 Feb -> Mon 19 Feb (Saturday and Sunday count).
    assert (laporan.tahap_tenggat, laporan.tenggat) == ("tindak_lanjut", d("2024-02-19"))
    # Pasal 134 ayat (6): at most 2 more: 3 + 2 = 5 -> Wed 21 Feb.
    laporan.perpanjang(alasan="Keterangan saksi tambahan", now=at("2024-02-17"), oleh="x")
    assert laporan.tenggat == d("2024-02-21")
    # The same registration under Pemilu: 7 hari kerja (Pasal 454 ayat (7) UU 7/2017) -> 27 Feb.
    pemilu, _ = receive(at("2024-02-16", 9), "2024-02-15")
    pemilu.mulai_kajian_awal(now=at("2024-02-16", 10), oleh="x")
    pemilu.registrasi(nomor="001/LP/PL/Kab/35.05/II/2024", now=at("2024-02-16", 11), oleh="x")
    assert pemilu.tenggat == d("2024-02-27")


def test_pilkada_follow_up_counts_from_receipt_not_registration_pasal_134_ayat_5() -> None:
    # "paling lama 3 (tiga) hari setelah laporan diterima": received Fri 16 Feb, registered
    # Sun 18 Feb -> still due Mon 19 Feb. Under Pemilu ("diterima dan diregistrasi", Pasal 454
    # ayat (7) UU 7/2017) the count starts at registration.
    laporan, _ = receive(at("2024-02-16", 9), "2024-02-15", Pemilihan.PILKADA)
    laporan.mulai_kajian_awal(now=at("2024-02-17", 10), oleh="x")
    laporan.registrasi(nomor="001/LP/PB/Kab/35.05/II/2024", now=at("2024-02-18", 11), oleh="x")
    assert (laporan.tahap_tenggat, laporan.tenggat) == ("tindak_lanjut", d("2024-02-19"))
    laporan.perpanjang(alasan="Keterangan saksi tambahan", now=at("2024-02-18", 12), oleh="x")
    assert laporan.tenggat == d("2024-02-21")  # ayat (6): 3 + 2 from receipt


def test_pilkada_deadline_alert_names_its_article_and_calendar_days_pasal_134_ayat_5() -> None:
    laporan, _ = receive(at("2024-02-16", 9), "2024-02-15", Pemilihan.PILKADA)
    laporan.mulai_kajian_awal(now=at("2024-02-16", 10), oleh="x")
    laporan.registrasi(nomor="001/LP/PB/Kab/35.05/II/2024", now=at("2024-02-16", 11), oleh="x")
    assert laporan.deadline_passed(d("2024-02-19")) is None  # due Mon 19 Feb (3 hari kalender)
    alert = laporan.deadline_passed(d("2024-02-20"))
    assert alert is not None and alert.tenggat == d("2024-02-19")
    assert "Pasal 134 ayat (5) UU 10/2016" in alert.pesan and "hari kalender" in alert.pesan


def test_pilkada_temuan_is_set_within_7_calendar_days_pasal_134_ayat_4() -> None:
    kwargs: dict[str, Any] = dict(
        unit=UNIT,
        nomor="001/TM/PB/Kab/35.05/II/2024",
        terlapor="Kepala desa",
        uraian="Kepala desa berkampanye",
        oleh="pengawas",
        pemilihan=Pemilihan.PILKADA,
    )
    peristiwa = Peristiwa("a", "b", d("2024-02-13"), d("2024-02-13"))
    temuan = Temuan.catat(peristiwa=peristiwa, now=at("2024-02-20"), **kwargs)
    assert temuan.tenggat == d("2024-02-23")  # 3 calendar days from 20 Feb (Pasal 134 ayat (5))
    with pytest.raises(DomainError) as refused:
        Temuan.catat(peristiwa=peristiwa, now=at("2024-02-21"), **kwargs)
    assert refused.value.pasal == "Pasal 134 ayat (4) UU 10/2016" and "7 hari kalender" in refused.value.message


# --- Pemilu: working days, UU 7/2017 Pasal 454 ------------------------------------------------------


def test_pemilu_known_5_apr_2024_is_due_24_apr_cuti_bersama_off_pasal_454_ayat_6_skb_2024() -> None:
    # Pasal 454 ayat (6) UU 7/2017, 7 hari kerja; SKB 3 Menteri 2024: 8, 9, 12 and 15 April are
    # cuti bersama of Idul Fitri (10-11 April): 16, 17, 18, 19, 22, 23, 24 April.
    assert Pemilihan.PEMILU.rezim.batas_lapor(d("2024-04-05")) == d("2024-04-24")


def test_pemilu_filed_on_saturday_after_a_friday_deadline_is_late_pasal_454_ayat_6() -> None:
    # Known Tue 13 Feb 2024; 14 Feb is election day (a holiday): 15, 16, 19, 20, 21, 22, 23 Feb.
    # Filed Sat 24 Feb: after the deadline, though no working day has passed since it.
    laporan, warning = receive(at("2024-02-24", 10), "2024-02-13")
    assert laporan.batas_lapor == d("2024-02-23") and laporan.daluwarsa
    assert "batasnya 23-02-2024" in warning and "Pasal 454 ayat (6) UU 7/2017" in warning
    laporan.mulai_kajian_awal(now=at("2024-02-26", 9), oleh="x")
    with pytest.raises(DomainError) as refused:
        laporan.registrasi(nomor="-", now=at("2024-02-26", 10), oleh="x")
    assert refused.value.pasal == "Pasal 454 ayat (6) UU 7/2017"
    assert "disampaikan 24-02-2024" in refused.value.message and "batasnya 23-02-2024" in refused.value.message
    # Refused as daluwarsa: accepted, never "tidak daluwarsa".
    laporan.tolak_registrasi(
        alasan=AlasanTidakRegistrasi.DALUWARSA, keterangan="Lewat batas", now=at("2024-02-26", 11), oleh="x"
    )
    on_time, _ = receive(at("2024-02-23", 16), "2024-02-13")
    on_time.mulai_kajian_awal(now=at("2024-02-26", 9), oleh="x")
    with pytest.raises(DomainError) as wrong:
        on_time.tolak_registrasi(
            alasan=AlasanTidakRegistrasi.DALUWARSA, keterangan="?", now=at("2024-02-26", 10), oleh="x"
        )
    assert "tidak daluwarsa: disampaikan 23-02-2024, batasnya 23-02-2024" in wrong.value.message
    assert wrong.value.pasal == "Pasal 454 ayat (6) UU 7/2017"


# --- The unit's own time zone -------------------------------------------------------------------------


def test_a_report_at_00_30_wit_on_21_feb_is_dated_21_feb_in_a_wit_unit() -> None:
    moment = dt.datetime(2024, 2, 20, 15, 30, tzinfo=dt.UTC)  # 00.30 WIT on 21 Feb, 22.30 WIB on 20 Feb
    assert local_date(moment, WIT_UNIT) == d("2024-02-21")
    assert local_date(moment, UNIT) == d("2024-02-20")
    laporan, notice = receive(moment, "2024-02-21", unit=WIT_UNIT)
    assert laporan.tanggal_lapor == d("2024-02-21")
    assert "21-02-2024 00:30 WIT" in notice
    # Its kajian awal counts from 21 Feb: Wed 21 -> Fri 23 Feb (2 hari kerja).
    assert laporan.tenggat == d("2024-02-23")
    # The register month is the unit's: 00.30 WIT on 1 March is March in Jayapura.
    first_of_march = dt.datetime(2024, 2, 29, 15, 30, tzinfo=dt.UTC)
    assert local_date(first_of_march, WIT_UNIT).month == 3 and local_date(first_of_march, UNIT).month == 2


# --- One numbering for every document kind ----------------------------------------------------------

LEVELS = [
    ("00", "RI", "00.00"),
    ("35", "Prov", "35"),
    ("35.05", "Kab", "35.05"),  # Kabupaten Blitar
    ("35.72", "Kota", "35.72"),  # Kota Blitar
    ("35.05.01", "Kec", "35.05.01"),  # a kecamatan in a kabupaten
    ("35.72.01", "Kec", "35.72.01"),  # a kecamatan in a kota: its own level, never Kota
    ("35.05.01.2001", "Kel", "35.05.01.2001"),
    ("35.72.01.1001", "Kel", "35.72.01.1001"),
    ("35.05.01.2001.001", "TPS", "35.05.01.2001.001"),
    ("35.72.01.1001.001", "TPS", "35.72.01.1001.001"),
]
KINDS = ["LP", "TM", "TT", "LHP", "PSAP"]


@pytest.mark.parametrize("kode", KINDS)
@pytest.mark.parametrize(("unit", "label", "region"), LEVELS)
def test_every_document_kind_is_numbered_with_the_level_of_the_unit_itself(
    unit: str, label: str, region: str, kode: str
) -> None:
    on = dt.date(2024, 3, 5)
    expected = f"004/{kode}/PB/{label}/{region}/III/2024"
    assert nomor_dokumen(4, kode, Pemilihan.PILKADA, unit, on) == expected
    # Register numbers (model) and Form A / PSAP / tanda terima numbers (pengawasan) are one function.
    assert nomor_register(4, kode, Pemilihan.PILKADA, unit, on) == expected
    assert nomor_dokumen_pengawasan(4, kode, Pemilihan.PILKADA, unit, on) == expected


# --- Through the service: registers per regime, lateness, the calculator -------------------------------


async def test_pemilu_and_pilkada_registers_have_separate_sequences_per_unit_and_year(start_service, tokens) -> None:
    reporting = await start_service("reporting")
    auth = tokens(UNIT, "penanganan")
    numbers: dict[str, list[str]] = {}
    receipts: dict[str, list[str]] = {}
    for pemilihan in ("pemilu", "pilkada", "pilkada", "pemilu"):
        submitted = await reporting.post("/laporan", json=laporan_body(pemilihan=pemilihan))
        assert submitted.status_code == 201, submitted.text
        receipts.setdefault(pemilihan, []).append(submitted.json()["tanda_terima"]["nomor"])
        laporan_id = submitted.json()["laporan_id"]
        await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=auth)
        registered = await reporting.post(f"/laporan/{laporan_id}/registrasi", json={}, headers=auth)
        assert registered.status_code == 200, registered.text
        numbers.setdefault(pemilihan, []).append(registered.json()["nomor_register"])
    assert [n.split("/")[:3] for n in numbers["pemilu"]] == [["001", "LP", "PL"], ["002", "LP", "PL"]]
    assert [n.split("/")[:3] for n in numbers["pilkada"]] == [["001", "LP", "PB"], ["002", "LP", "PB"]]
    assert [n.split("/")[:3] for n in receipts["pilkada"]] == [["001", "TT", "PB"], ["002", "TT", "PB"]]
    temuan = await reporting.post(
        "/temuan",
        json={
            "unit": UNIT,
            "pemilihan": "pilkada",
            "terlapor": "Kepala desa",
            "uraian": "Kepala desa berkampanye untuk calon bupati.",
            "peristiwa": laporan_body()["peristiwa"],
        },
        headers=tokens(UNIT, "pengawas"),
    )
    assert temuan.status_code == 201, temuan.text  # TM has its own sequence, per regime too
    assert temuan.json()["nomor_register"].startswith("001/TM/PB/Kab/35.05/")


async def test_late_filing_is_flagged_at_intake_refused_at_registration_and_shown_on_the_status_page(
    start_service, tokens
) -> None:
    # Pasal 454 ayat (6) UU 7/2017: known Tue 13 Feb 2024, due Fri 23 Feb; written down by an
    # operator as received Sat 24 Feb.
    reporting = await start_service("reporting")
    body = laporan_body(kanal="call_center", diterima_pada="2024-02-24T10:00:00+07:00")
    body["peristiwa"] |= {"waktu_kejadian": "2024-02-13", "waktu_diketahui": "2024-02-13"}
    submitted = await reporting.post("/laporan", json=body, headers=tokens(UNIT, "operator"))
    assert submitted.status_code == 201, submitted.text
    tanda = submitted.json()["tanda_terima"]
    assert (tanda["daluwarsa"], tanda["batas_lapor"], tanda["hari"], tanda["pemilihan"]) == (
        True,
        "2024-02-23",
        "kerja",
        "pemilu",
    )
    assert "Pasal 454 ayat (6) UU 7/2017" in tanda["ketentuan_tenggat"]
    laporan_id = submitted.json()["laporan_id"]
    auth = tokens(UNIT, "penanganan")
    await reporting.post(f"/laporan/{laporan_id}/kajian-awal", json={}, headers=auth)
    refused = await reporting.post(f"/laporan/{laporan_id}/registrasi", json={}, headers=auth)
    assert refused.status_code == 422 and refused.json()["pasal"] == "Pasal 454 ayat (6) UU 7/2017"
    assert "disampaikan 24-02-2024" in refused.json()["detail"] and "batasnya 23-02-2024" in refused.json()["detail"]
    declined = await reporting.post(
        f"/laporan/{laporan_id}/tidak-diregistrasi",
        json={"alasan": "daluwarsa", "keterangan": "Disampaikan setelah batas waktu"},
        headers=auth,
    )
    assert declined.status_code == 200, declined.text
    status = await reporting.post(
        "/laporan/status",
        json={"kode_pelacakan": submitted.json()["kode_pelacakan"], "kode_rahasia": submitted.json()["kode_rahasia"]},
    )
    assert status.status_code == 200, status.text
    assert (status.json()["daluwarsa"], status.json()["batas_lapor"]) == (True, "2024-02-23")


async def test_public_deadline_calculator_answers_as_the_platform_rules(start_service) -> None:
    reporting = await start_service("reporting")
    # Pemilu, Pasal 454 UU 7/2017 in hari kerja: known Tue 13 Feb 2024 -> 23 Feb; received Fri
    # 16 Feb: kajian awal 2 hari kerja -> Tue 20 Feb; tindak lanjut 7 -> Tue 27 Feb; 14 -> Thu 7 Mar.
    pemilu = await reporting.get(
        "/publik/tenggat",
        params={
            "pemilihan": "pemilu",
            "unit": UNIT,
            "diketahui": "2024-02-13",
            "disampaikan": "2024-02-24",
            "diterima": "2024-02-16",
        },
    )
    assert pemilu.status_code == 200, pemilu.text
    got = pemilu.json()
    assert {k: got[k] for k in ("batas_lapor", "daluwarsa", "kajian_awal", "tindak_lanjut")} == {
        "batas_lapor": "2024-02-23",
        "daluwarsa": True,
        "kajian_awal": "2024-02-20",
        "tindak_lanjut": "2024-02-27",
    }
    assert (got["tindak_lanjut_diperpanjang"], got["hari"]) == ("2024-03-07", "kerja")
    assert "Pasal 454 ayat (6) UU 7/2017" in got["dasar"] and "Pasal 454 ayat (8) UU 7/2017" in got["dasar"]
    # Pemilihan, Pasal 134 UU 10/2016 in calendar days: 13 Feb -> 20 Feb; received 13 Feb:
    # kajian awal 15 Feb, tindak lanjut 3 -> 16 Feb, 3 + 2 -> 18 Feb.
    pilkada = await reporting.get(
        "/publik/tenggat",
        params={"pemilihan": "pilkada", "unit": WIT_UNIT, "diketahui": "2024-02-13", "diterima": "2024-02-13"},
    )
    assert pilkada.status_code == 200, pilkada.text
    got = pilkada.json()
    assert (got["batas_lapor"], got["daluwarsa"], got["kajian_awal"]) == ("2024-02-20", None, "2024-02-15")
    assert (got["tindak_lanjut"], got["tindak_lanjut_diperpanjang"], got["hari"]) == (
        "2024-02-16",
        "2024-02-18",
        "kalender",
    )
    assert got["dasar"][0] == "Pasal 134 ayat (4) UU 10/2016" and got["zona"] == "WIT"
    only_known = await reporting.get(
        "/publik/tenggat", params={"pemilihan": "pilkada", "unit": UNIT, "diketahui": "2024-02-13"}
    )
    assert only_known.status_code == 200
    assert [only_known.json()[k] for k in ("daluwarsa", "kajian_awal", "tindak_lanjut")] == [None, None, None]


WRONG_PARAMETERS = [
    ({"pemilihan": "pemilu", "unit": UNIT, "diketahui": "2024-02-30"}, "diketahui"),
    ({"pemilihan": "pemilu", "unit": UNIT, "diketahui": "13-02-2024"}, "diketahui"),
    ({"pemilihan": "pemilu", "unit": UNIT, "diketahui": "2024-02-13", "disampaikan": "kemarin"}, "disampaikan"),
    ({"pemilihan": "pemilu", "unit": UNIT, "diketahui": "2024-02-13", "diterima": "2024-13-01"}, "diterima"),
    ({"pemilihan": "pemilu", "unit": "99.99", "diketahui": "2024-02-13"}, "unit"),
    ({"pemilihan": "pemilu", "unit": "35.05.x", "diketahui": "2024-02-13"}, "unit"),
    ({"pemilihan": "dprd", "unit": UNIT, "diketahui": "2024-02-13"}, "pemilihan"),
    ({"pemilihan": "pemilu", "unit": UNIT, "diketahui": "2024-02-13", "disampaikan": "2024-02-12"}, "disampaikan"),
    ({"pemilihan": "pemilu", "unit": UNIT}, "diketahui"),
]
"""A request to the calculator and the parameter its refusal must name."""


async def test_public_deadline_calculator_says_which_parameter_is_wrong(start_service) -> None:
    reporting = await start_service("reporting")  # one service for every case: it only reads
    for params, which in WRONG_PARAMETERS:
        answer = await reporting.get("/publik/tenggat", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert which in answer.text, (params, answer.text)


async def test_lapor_form_ships_its_own_deadline_script_and_works_without_it(start_service) -> None:
    reporting = await start_service("reporting")
    page = await reporting.get("/publik/lapor")
    assert page.status_code == 200
    assert '<script src="/publik/tenggat.js"' in page.text and 'id="batas-lapor"' in page.text
    assert "7 hari kerja" in page.text and "7 hari kalender" in page.text  # the rule in words, without JS
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="http' not in page.text  # shipped with the project, no CDN
    script = await reporting.get("/publik/tenggat.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "/publik/tenggat?" in script.text


async def test_lapor_form_shows_batas_waktu_melapor_from_the_date_entered_in_chromium(start_service) -> None:
    # expect(...) polls from Playwright's side: the page's CSP (script-src 'self') refuses the
    # string evaluation wait_for_function uses.
    from playwright.async_api import async_playwright, expect

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, start_uvicorn

    from .test_browser import PHONE

    require_chromium()
    await start_service("reporting")
    base, server, task = await start_uvicorn(start_service.apps["reporting"])
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                page = await (await browser.new_context(viewport=PHONE, is_mobile=True, locale="id-ID")).new_page()
                await page.goto(base + "/publik/lapor")
                await page.select_option("#f-unit", UNIT)
                await page.fill("#f-peristiwa-waktu_diketahui", "2024-02-13")
                # Pemilu (the form's default): Pasal 454 ayat (6) UU 7/2017, 7 hari kerja -> Fri 23 Feb.
                await expect(page.locator("#batas-lapor")).to_contain_text("23 Februari 2024")
                text = await page.text_content("#batas-lapor")
                assert text and "Jumat, 23 Februari 2024 (7 hari kerja" in text and "Pasal 454 ayat (6)" in text
                assert "sudah lewat" in text  # today is long after 2024
                # Pemilihan: Pasal 134 ayat (4) UU 10/2016, 7 hari kalender -> Tue 20 Feb.
                await page.check("input[name='pemilihan'][value=pilkada]")
                await expect(page.locator("#batas-lapor")).to_contain_text("20 Februari 2024")
                text = await page.text_content("#batas-lapor")
                assert text and "Selasa, 20 Februari 2024 (7 hari kalender" in text and "Pasal 134 ayat (4)" in text
            finally:
                await browser.close()
    finally:
        server.should_exit = True
        await task
