"""The edge every request meets (awasi_common.edge): body size, encoding, attempts, writers.

First on a small app whose routes record whether they ran (so "refused before it was read"
is seen, not assumed), then on the real services (planning, participation, notification,
reporting) against the broker and PostgreSQL."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI, File, Request, UploadFile
from pydantic import BaseModel

from awasi_common.auth import Role, TokenIssuer
from awasi_common.edge import STANDARD_BODY_BYTES, EdgeGuard, at_edge
from awasi_common.http import install_error_handlers
from awasi_common.ratelimit import ClientRateLimiter

SECRET = "edge-test-secret-of-thirty-two-bytes!"


class Body(BaseModel):
    judul: str
    tujuan: list[str] = []


def small_app(calls: list[str]) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.tokens = TokenIssuer(SECRET)
    app.state.rate_limiter = ClientRateLimiter({"percobaan": "3/minute"})

    @app.post("/isi")
    async def isi(body: Body) -> dict[str, Any]:
        calls.append("isi")
        return {"judul": body.judul}

    @app.get("/cari")
    async def cari(q: str = "") -> dict[str, str]:
        calls.append("cari")
        return {"q": q}

    @app.post("/unggah", openapi_extra=at_edge(body="unggah", writers=True))
    async def unggah(berkas: UploadFile = File()) -> dict[str, int]:
        calls.append("unggah")
        return {"bita": len(await berkas.read())}

    @app.post("/publik", openapi_extra=at_edge(attempts="percobaan"))
    async def publik(request: Request, body: Body) -> dict[str, str]:
        calls.append("publik")
        return {"ok": "ya"}

    app.add_middleware(EdgeGuard, routes=app.routes, body_limits={"unggah": 64 * 1024})
    return app


@pytest.fixture
def calls() -> list[str]:
    return []


@pytest.fixture
async def client(calls: list[str]) -> Any:
    app = small_app(calls)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://edge") as http:
        yield http


def bearer(role: Role, unit: str = "35.05") -> dict[str, str]:
    return {"Authorization": f"Bearer {TokenIssuer(SECRET).issue(unit=unit, role=role)}"}


async def test_a_body_past_the_limit_is_refused_before_the_route_reads_it(client: Any, calls: list[str]) -> None:
    big = b'{"judul": "' + b"x" * STANDARD_BODY_BYTES + b'"}'
    response = await client.post("/isi", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "terlalu besar" in response.json()["detail"]
    assert calls == []


async def test_a_body_without_length_is_cut_off_at_the_limit(client: Any, calls: list[str]) -> None:
    async def chunks() -> Any:
        yield b'{"judul": "'
        for _ in range(40):
            yield b"x" * 32 * 1024
        yield b'"}'

    response = await client.post("/isi", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert calls == []


async def test_a_body_within_the_limit_reaches_the_route(client: Any, calls: list[str]) -> None:
    response = await client.post("/isi", json={"judul": "Rapat koordinasi ✓ — 😀"})
    assert response.status_code == 200, response.text
    assert response.json() == {"judul": "Rapat koordinasi ✓ — 😀"}
    assert calls == ["isi"]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b'{"judul": "\\ud800x"}', "judul"),
        (b'{"judul": "a", "tujuan": ["ok", "\\udfffb"]}', "tujuan.1"),
        (b'{"judul": "a\\u0000b"}', "judul"),
        (b'{"judul": "a", "\\ud800": "b"}', "\\ud800"),
    ],
)
async def test_invalid_unicode_and_nul_in_json_are_refused_naming_the_field(
    client: Any, calls: list[str], raw: bytes, where: str
) -> None:
    response = await client.post("/isi", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["lokasi"] == where
    assert "NUL" in error["pesan"] or "Unicode" in error["pesan"]
    assert calls == []


async def test_a_surrogate_pair_is_valid_text(client: Any, calls: list[str]) -> None:
    response = await client.post(
        "/isi", content=b'{"judul": "\\ud83d\\ude00"}', headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["judul"] == "😀"


async def test_utf16_json_is_refused(client: Any, calls: list[str]) -> None:
    response = await client.post(
        "/isi", content='{"judul": "a"}'.encode("utf-16"), headers={"content-type": "application/json"}
    )
    assert response.status_code == 415
    assert "UTF-8" in response.json()["detail"]
    assert calls == []


@pytest.mark.parametrize("query", ["q=a%00b", "q=%ED%A0%80", "q=%FF"])
async def test_nul_and_broken_utf8_in_the_query_are_refused(client: Any, calls: list[str], query: str) -> None:
    response = await client.get(f"/cari?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["lokasi"] == "query.q"
    assert calls == []


async def test_nul_in_the_path_is_refused(client: Any, calls: list[str]) -> None:
    response = await client.get("/cari%00")
    assert response.status_code == 422
    assert calls == []


async def test_an_upload_needs_a_writer_token_before_it_is_read(client: Any, calls: list[str]) -> None:
    files = {"berkas": ("a.txt", b"x" * 1000, "text/plain")}
    assert (await client.post("/unggah", files=files)).status_code == 401
    assert (await client.post("/unggah", files=files, headers=bearer(Role.VIEWER))).status_code == 403
    assert (await client.post("/unggah", files=files, headers=bearer(Role.AGENCY))).status_code == 403
    assert calls == []
    ok = await client.post("/unggah", files=files, headers=bearer(Role.OPERATOR))
    assert ok.status_code == 200, ok.text
    assert ok.json() == {"bita": 1000}
    big = {"berkas": ("a.txt", b"x" * 70 * 1024, "text/plain")}
    assert (await client.post("/unggah", files=big, headers=bearer(Role.OPERATOR))).status_code == 413
    assert calls == ["unggah"]


async def test_every_attempt_counts_valid_or_not(client: Any, calls: list[str]) -> None:
    assert (
        await client.post("/publik", content=b"{bukan json", headers={"content-type": "application/json"})
    ).status_code == 422
    assert (await client.post("/publik", json={"tidak": "lengkap"})).status_code == 422
    assert (await client.post("/publik", json={"judul": "a"})).status_code == 200
    refused = await client.post("/publik", json={"judul": "a"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert calls == ["publik"]


async def test_a_browser_gets_a_page_not_json(client: Any) -> None:
    big = b"x" * (STANDARD_BODY_BYTES + 1)
    response = await client.post(
        "/isi", content=big, headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "Permintaan ditolak" in response.text


# --- the real services -----------------------------------------------------------------------


async def test_every_service_refuses_oversized_and_invalid_text(start_service: Any, tokens: Any) -> None:
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "planning": ("post", "/kegiatan", tokens("35.05", "operator")),
        "participation": ("post", "/program", tokens("35.05", "operator")),
        "notification": ("post", "/langganan", tokens("35.05", "operator")),
        "reporting": ("post", "/laporan", {}),
    }
    for name, (method, path, headers) in requests.items():
        client = await start_service(name)
        big = await client.request(
            method,
            path,
            content=b'{"x": "' + b"a" * (2 * STANDARD_BODY_BYTES) + b'"}',
            headers={**headers, "content-type": "application/json"},
        )
        assert big.status_code == 413, (name, big.status_code, big.text[:200])
        lone = await client.request(
            method,
            path,
            content=b'{"unit": "35.05", "nama": "\\ud800x"}',
            headers={**headers, "content-type": "application/json"},
        )
        assert lone.status_code == 422, (name, lone.text)
        assert lone.json()["errors"][0]["lokasi"] == "nama", (name, lone.text)


async def test_a_lone_surrogate_in_a_kegiatan_is_refused_and_the_list_still_reads(
    start_service: Any, tokens: Any
) -> None:
    client = await start_service("planning")
    headers = tokens("35.05", "operator")
    body = {
        "unit": "35.05",
        "divisi": "P2H",
        "jenis": "sosialisasi",
        "judul": "Sosialisasi",
        "tujuan": ["\ud800x"],
        "jadwal": {"presisi": "tanggal", "mulai": "2026-12-20"},
    }
    import json

    raw = json.dumps(body).encode()  # ensure_ascii keeps the surrogate as \ud800
    response = await client.post("/kegiatan", content=raw, headers={**headers, "content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["lokasi"] == "tujuan.0"
    for unit in ("35.05", "35", "00"):
        listed = await client.get(f"/kegiatan?unit={unit}", headers=tokens(unit, "viewer"))
        assert listed.status_code == 200, listed.text


async def test_the_import_checks_the_token_before_reading_the_document(start_service: Any, tokens: Any) -> None:
    client = await start_service("planning")
    files = {"berkas": ("rencana.txt", b"x" * (1024 * 1024), "text/plain")}
    assert (await client.post("/kegiatan/impor", files=files)).status_code == 401
    viewer = await client.post("/kegiatan/impor", files=files, headers=tokens("35.05", "viewer"))
    assert viewer.status_code == 403
    too_big = {"berkas": ("rencana.txt", b"x" * (21 * 1024 * 1024), "text/plain")}
    refused = await client.post("/kegiatan/impor", files=too_big, headers=tokens("35.05", "operator"))
    assert refused.status_code == 413
