"""Intake on the real broker and PostgreSQL: bad input gets a clear 4xx and writes nothing;
evidence is checked and stored encrypted; the public intake is rate limited per client and
keeps no IP address, neither in the tables nor in the traces."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from .conftest import PNG, UNIT, laporan_body, today


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing the
    rows (kegiatan_rm, partisipasi_rm, laporan) that tables() counts while a refused request
    must write nothing (a planning or participation module before this one failed it)."""
    return private_broker


def form_fields(**overrides: str) -> dict[str, str]:
    """The public web form's fields for a complete laporan."""
    body = laporan_body()
    fields = {
        "unit": UNIT,
        "pemilihan": "pemilu",
        "terlapor": body["terlapor"],
        "uraian": body["uraian"],
        "persetujuan": "ya",
        **{f"pelapor.{k}": v for k, v in body["pelapor"].items()},
        **{f"peristiwa.{k}": v for k, v in body["peristiwa"].items()},
        "saksi.0.nama": "Budi Saksi",
    }
    fields.update(overrides)
    return fields


async def test_bad_input_is_refused_clearly_and_writes_nothing(start_service, tokens, tables, monkeypatch) -> None:
    monkeypatch.setenv("AWASI_REPORTING_BUKTI_MAX_BYTES", "4096")
    monkeypatch.setenv("AWASI_REPORTING_BUKTI_TOTAL_MAX_BYTES", "8192")
    reporting = await start_service("reporting")
    before = await tables()
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()

    def without(path: str) -> dict[str, Any]:
        body = laporan_body()
        parent, _, name = path.rpartition(".")
        (body[parent] if parent else body).pop(name)
        return body

    def with_(path: str, value: Any) -> dict[str, Any]:
        body = laporan_body()
        parent, _, name = path.rpartition(".")
        (body[parent] if parent else body)[name] = value
        return body

    cases: list[tuple[dict[str, Any], dict[str, str], int, str]] = [
        (without("pelapor.nama"), {}, 422, "pelapor.nama"),
        (without("peristiwa"), {}, 422, "peristiwa"),
        (without("terlapor"), {}, 422, "terlapor"),
        (with_("uraian", "pendek"), {}, 422, "uraian"),
        (with_("unit", "99.99"), {}, 422, "unit"),
        (with_("peristiwa.waktu_diketahui", tomorrow), {}, 422, "peristiwa.waktu_diketahui"),
        (with_("pelapor.kewarganegaraan", "Malaysia"), {}, 422, "pelapor.kewarganegaraan"),
        (with_("pelapor.kategori", "pemantau_terakreditasi"), {}, 422, "pelapor.nomor_akreditasi"),
        (with_("kanal", "call_center"), {}, 403, ""),
        (with_("kanal", "call_center"), tokens(UNIT, "viewer"), 403, ""),
    ]
    for body, headers, code, where in cases:
        response = await reporting.post("/laporan", json=body, headers=headers)
        assert response.status_code == code, (where, response.text)
        answer = response.json()
        assert answer["detail"]  # a message a person can act on, in Indonesian
        if where and code == 422:
            places = {e["lokasi"] for e in answer.get("errors", [])} | {answer.get("field")}
            assert where in places, (where, answer)

    forms: list[tuple[dict[str, str], list[tuple[str, tuple[str, bytes, str]]], str]] = [
        (form_fields(), [("bukti", ("program.jpg", b"MZ\x90\x00" + b"\x00" * 100, "image/jpeg"))], "tidak diizinkan"),
        (form_fields(), [("bukti", ("foto.png", PNG + b"\x00" * 5000, "image/png"))], "melebihi batas"),
        (form_fields(**{"peristiwa.waktu_diketahui": tomorrow}), [], "Waktu diketahui tidak boleh setelah"),
        (form_fields(persetujuan=""), [], "Centang pernyataan"),
        (form_fields(**{"pelapor.nama": ""}), [], "wajib diisi"),
    ]
    for fields, files, words in forms:
        response = await reporting.post(
            "/publik/lapor", data=fields, files=files or {"bukti": ("", b"", "application/octet-stream")}
        )
        assert response.status_code == 422, response.text[:500]
        assert words in response.text and "Laporan belum dapat dikirim" in response.text
        assert 'value="Siti Rahasia"' in response.text or "pelapor.nama" in words or not fields["pelapor.nama"]
    huge = await reporting.post(
        "/publik/lapor", data=form_fields(), files=[("bukti", ("video.mp4", b"\x00" * 2_000_000, "video/mp4"))]
    )
    assert huge.status_code == 413 and "terlalu besar" in huge.text.lower()

    assert await tables() == before


async def test_web_form_with_evidence_gives_receipt_and_stores_evidence_encrypted(
    start_service, tokens, tables
) -> None:
    reporting = await start_service("reporting")
    response = await reporting.post(
        "/publik/lapor", data=form_fields(), files=[("bukti", ("foto bukti.png", PNG, "image/png"))]
    )
    assert response.status_code == 201, response.text[:2000]
    page = response.text
    assert "Laporan Anda telah diterima" in page and 'id="kode-rahasia"' in page
    kode = page.split('id="kode-pelacakan">')[1].split("<")[0]
    assert kode.startswith("LP-")
    counts = await tables()
    assert counts["laporan"] == 1 and counts["bukti"] == 1

    listed = await reporting.get("/laporan", params={"unit": UNIT}, headers=tokens(UNIT, "penanganan"))
    laporan_id = listed.json()[0]["id"]
    detail = await reporting.get(f"/laporan/{laporan_id}", headers=tokens(UNIT, "penanganan"))
    bukti = detail.json()["bukti"]
    assert [(b["nama_berkas"], b["jenis"], b["ukuran"]) for b in bukti] == [("foto bukti.png", "image/png", len(PNG))]
    download = await reporting.get(f"/laporan/{laporan_id}/bukti/{bukti[0]['id']}", headers=tokens(UNIT, "penanganan"))
    assert download.status_code == 200 and download.content == PNG
    # Evidence may show who reported: only the handling unit's authorised roles, every attempt audited.
    for role, unit in [("viewer", UNIT), ("pimpinan", "35")]:
        refused = await reporting.get(f"/laporan/{laporan_id}/bukti/{bukti[0]['id']}", headers=tokens(unit, role))
        assert refused.status_code == 403 and refused.content != PNG
    audit = await reporting.get(f"/laporan/{laporan_id}/audit", headers=tokens(UNIT, "pimpinan"))
    assert [(a["peran"], a["unit_akun"], a["diizinkan"], a["tujuan"]) for a in audit.json()] == [
        ("penanganan", UNIT, True, f"unduh bukti {bukti[0]['id']}"),
        ("viewer", UNIT, False, f"unduh bukti {bukti[0]['id']}"),
        ("pimpinan", "35", False, f"unduh bukti {bukti[0]['id']}"),
    ]

    from awasi_reporting.adapters.orm import bukti as bukti_table

    service = start_service.apps["reporting"].state.service
    async with service.sessions() as session:
        stored = await session.scalar(sa.select(bukti_table.c.isi_enc))
    assert PNG[:8] not in bytes(stored)


async def test_public_intake_is_rate_limited_per_client_and_stores_no_ip(
    start_service, tokens, platform_settings, monkeypatch
) -> None:
    monkeypatch.setenv("AWASI_REPORTING_INTAKE_RATE_LIMIT", "2/minute")
    reporting = await start_service("reporting")
    for _ in range(2):
        assert (await reporting.post("/laporan", json=laporan_body())).status_code == 201
    limited = await reporting.post("/laporan", json=laporan_body())
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "Coba lagi" in limited.json()["detail"]
    page = await reporting.post(
        "/publik/lapor", data=form_fields(), files={"bukti": ("", b"", "application/octet-stream")}
    )
    assert page.status_code == 429 and "Terlalu banyak" in page.text
    # Another client (another address) has its own allowance.
    app = start_service.apps["reporting"]
    transport = httpx.ASGITransport(app=app, client=("10.20.30.40", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as neighbour:
        assert (await neighbour.post("/laporan", json=laporan_body())).status_code == 201
    # Staff writing down a call are not the anonymous public.
    staff = await reporting.post("/laporan", json=laporan_body(kanal="call_center"), headers=tokens(UNIT, "operator"))
    assert staff.status_code == 201

    # The test client calls from 127.0.0.1: that address is nowhere in the database...
    from awasi_reporting.adapters import orm

    service = start_service.apps["reporting"].state.service
    dumped = []
    async with service.sessions() as session:
        for table in orm.metadata.tables.values():
            for row in (await session.execute(sa.select(table))).all():
                dumped.append(repr(tuple(row)))
    assert dumped and not [row for row in dumped if "127.0.0.1" in row or "10.20.30.40" in row]
    assert not [c for t in orm.metadata.tables.values() for c in t.columns if "ip" in c.name.split("_")]
    # ... nor in the traces of the requests.
    service.telemetry.tracer_provider.force_flush()
    traces = (platform_settings.data_dir / "traces" / "reporting.jsonl").read_text()
    server_spans = [line for line in traces.splitlines() if json.loads(line)["kind"] == "SERVER"]
    assert len(server_spans) >= 5
    assert not [span for span in server_spans if "127.0.0.1" in span or "10.20.30.40" in span]
