"""The console's parts without a browser or a service: how a service's refusal becomes messages
beside fields, sessions' lifetimes, the steps offered from each state of a case, days left in
each regime, where a sign-in may lead next."""

from __future__ import annotations

import datetime as dt
import time

import httpx

from awasi_console import langkah
from awasi_console.api import error_of
from awasi_console.entrypoints.masuk import _next
from awasi_console.formatting import days_left, rupiah, sisa
from awasi_console.sessions import SessionStore, claims_of
from awasi_console.web import Problems


def test_a_validation_refusal_becomes_a_message_beside_each_field() -> None:
    body = {
        "detail": "Permintaan tidak valid — jadwal: tanggal selesai tidak boleh sebelum tanggal mulai",
        "errors": [
            {"lokasi": "jadwal", "pesan": "tanggal selesai tidak boleh sebelum tanggal mulai", "jenis": "value_error"},
            {"lokasi": "anggaran", "pesan": "harus berupa bilangan bulat", "jenis": "int_parsing"},
        ],
    }
    error = error_of("planning", httpx.Response(422, json=body))
    assert error.status == 422 and error.fields["anggaran"] == "harus berupa bilangan bulat"
    problems = Problems.of(error)
    assert problems.at("jadwal") == "tanggal selesai tidak boleh sebelum tanggal mulai"
    assert problems.at("judul") is None


def test_a_rule_of_the_regulation_keeps_its_article_and_field() -> None:
    body = {"detail": "Sasaran tidak diatur.", "pasal": "Pasal 16 Perbawaslu Nomor 2 Tahun 2023", "field": "sasaran"}
    error = error_of("participation", httpx.Response(422, json=body))
    assert error.pasal == "Pasal 16 Perbawaslu Nomor 2 Tahun 2023" and error.fields == {
        "sasaran": "Sasaran tidak diatur."
    }


def test_a_service_failing_says_so_in_indonesian() -> None:
    error = error_of("reporting", httpx.Response(502, text="<html>Bad gateway</html>"))
    assert error.status == 502 and "reporting" in error.detail and "coba lagi" in error.detail


def test_sessions_end_when_idle_or_too_old_and_a_sign_in_gets_a_new_id() -> None:
    store = SessionStore(idle_seconds=60, max_seconds=3600, capacity=3)
    session = store.new()
    assert store.get(session.id) is session
    session.last_seen = time.time() - 61
    assert store.get(session.id) is None
    old = store.new()
    renewed = store.renew(old)
    assert store.get(old.id) is None and store.get(renewed.id) is renewed and renewed.csrf != old.csrf
    first = store.new()
    for _ in range(3):
        store.new()
    assert store.get(first.id) is None  # the least recently used went first
    assert store.get("x" * 500) is None


def test_csrf_tokens_compare_exactly() -> None:
    session = SessionStore(idle_seconds=60, max_seconds=60, capacity=5).new()
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok(session.csrf[:-1] + "x") and not session.csrf_ok("") and not session.csrf_ok(None)


def test_claims_are_read_from_the_token_identity_just_gave() -> None:
    token = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhYmMiLCJyb2xlIjoicGVuZ2F3YXMiLCJ1bml0IjoiMzUuMDUifQ.sig"
    assert claims_of(token) == {"sub": "abc", "role": "pengawas", "unit": "35.05"}
    assert claims_of("not a token") == {}


def _case(status: str, *targets: str, extended: bool = False) -> dict[str, object]:
    return {"status": status, "langkah_berikutnya": list(targets), "tenggat_diperpanjang": extended}


def test_only_the_steps_the_law_allows_from_each_state() -> None:
    def keys(case: dict[str, object], jenis: str = "laporan") -> list[str]:
        return [step.kunci for step in langkah.allowed(case, jenis)]

    assert keys(_case("diterima", "kajian_awal", "dilimpahkan")) == ["kajian-awal", "pelimpahan", "pengambilalihan"]
    assert keys(_case("perlu_dilengkapi", "kajian_awal", "tidak_diregistrasi")) == ["dilengkapi", "tidak-diregistrasi"]
    assert keys(_case("klarifikasi", "putusan", "dilimpahkan")) == [
        "putusan",
        "pelimpahan",
        "pengambilalihan",
        "perpanjangan",
    ]
    assert "perpanjangan" not in keys(_case("klarifikasi", "putusan", extended=True))
    assert keys(_case("selesai")) == []
    # A temuan has no registration steps of a laporan.
    assert keys(_case("diterima", "kajian_awal"), "temuan") == []


def test_each_step_names_its_article_in_the_cases_regime() -> None:
    registrasi = langkah.BY_KEY["registrasi"]
    assert registrasi.pasal("pemilu") == "Pasal 454 ayat (7) UU 7/2017"
    assert registrasi.pasal("pilkada") == "Pasal 134 ayat (5) UU 10/2016"


def test_days_left_count_working_days_for_pemilu_and_calendar_days_for_pemilihan() -> None:
    today = dt.date.today()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    monday = saturday + dt.timedelta(days=2)
    # From the machine's today (the unit's zone may be a day ahead; both regimes read the same day).
    kerja = days_left(monday, "kerja", "35.05")
    kalender = days_left(monday, "kalender", "35.05")
    assert kerja is not None and kalender is not None and kerja < kalender
    assert sisa(None, "kerja", "35.05") == "tanpa tenggat"
    assert sisa(today - dt.timedelta(days=30), "kalender", "35.05").startswith("lewat")
    assert rupiah(2500000) == "Rp2.500.000"


def test_after_sign_in_only_a_path_of_the_console() -> None:
    assert _next("/perencanaan?bulan=2026-12") == "/perencanaan?bulan=2026-12"
    for elsewhere in ("https://evil.example", "//evil.example", "/\\evil.example", None, ""):
        assert _next(elsewhere) == "/"


def test_the_inbox_polling_does_not_keep_an_idle_session_alive() -> None:
    store = SessionStore(idle_seconds=60, max_seconds=3600, capacity=5)
    session = store.new()
    session.last_seen = time.time() - 50
    assert store.get(session.id, touch=False) is session
    session_seen = session.last_seen
    assert time.time() - session_seen >= 50  # still counting towards idle
    session.last_seen = time.time() - 61
    assert store.get(session.id, touch=False) is None
