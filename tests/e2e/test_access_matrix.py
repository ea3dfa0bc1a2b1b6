"""Who may call what: every operation of every service's OpenAPI, probed with real tokens
against the running services and compared with the matrix written down in docs/access.md.

An operation is
- ``publik``   — answers without a token;
- ``staf``     — Bawaslu's staff of any role (an agency's token is refused with 403);
- ``instansi`` — staff, or an agency for its own subscriptions, webhooks and deliveries;
- ``admin``    — the platform's administrators only.

Within ``staf`` each route also checks the unit (a unit reads its own and those below, acts on
its own) and, for writes, the role; those rules have tests of their own.

A new route fails this test until it is decided on and written down. To print the matrix as
the services answer now: ``AWASI_PRINT_ACCESS=1 .venv/bin/pytest tests/e2e/test_access_matrix.py -s``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from awasi_common.auth import AGENCY_REFUSED

SERVICES = ("planning", "participation", "reporting", "notification", "identity")
DOCUMENT = Path(__file__).parents[2] / "docs" / "access.md"
METHODS = ("get", "post", "put", "patch", "delete")
_ROW = re.compile(r"^\| (\w+) \| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (publik|staf|instansi|admin) \|")
Key = tuple[str, str, str]


def operations(openapi: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for path, item in sorted(openapi.get("paths", {}).items()):
        for method in METHODS:
            if method in item:
                yield method.upper(), path


def concrete(path: str) -> str:
    """The path with each parameter filled: the gate answers before a value is looked up."""
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


async def classify(
    client: httpx.AsyncClient, method: str, path: str, headers: Callable[[str, str], dict[str, str]]
) -> str:
    url = concrete(path)
    anonymous = await client.request(method, url)
    if anonymous.status_code != 401:
        return "publik"
    operator = await client.request(method, url, headers=headers("00", "operator"))
    if operator.status_code == 403 and "admin" in operator.json().get("detail", ""):
        return "admin"
    agency = await client.request(method, url, headers=headers("00", "agency"))
    if agency.status_code == 403 and agency.json().get("detail") == AGENCY_REFUSED:
        return "staf"
    return "instansi"


def documented() -> dict[Key, str]:
    rows: dict[Key, str] = {}
    for line in DOCUMENT.read_text().splitlines():
        match = _ROW.match(line)
        if match:
            service, method, path, access = match.groups()
            rows[(service, method, path)] = access
    return rows


def table(rows: dict[Key, str]) -> str:
    lines = ["| layanan | metode | alamat | akses |", "|---|---|---|---|"]
    lines += [f"| {s} | {m} | `{p}` | {access} |" for (s, m, p), access in sorted(rows.items())]
    return "\n".join(lines)


async def test_every_operation_has_a_written_decision_and_keeps_it(start_service: Any, tokens: Any) -> None:
    found: dict[Key, str] = {}
    for name in SERVICES:
        client = await start_service(name)
        openapi = (await client.get("/openapi.json")).json()
        for method, path in operations(openapi):
            found[(name, method, path)] = await classify(client, method, path, tokens)
    if os.environ.get("AWASI_PRINT_ACCESS"):
        print(table(found))
    written = documented()
    undecided = sorted(set(found) - set(written))
    gone = sorted(set(written) - set(found))
    assert not undecided, f"routes without a decision in {DOCUMENT.name}: {undecided}"
    assert not gone, f"{DOCUMENT.name} lists routes that no longer exist: {gone}"
    differ = {key: (written[key], found[key]) for key in found if written[key] != found[key]}
    assert not differ, f"written → answered: {differ}"
    # What the issue found open: agencies read no case file, no Form A, no unit's figures.
    for key in [("reporting", "GET", "/laporan/{laporan_id}"), ("reporting", "GET", "/form-a")]:
        assert found[key] == "staf", key
    # Signing in and the issuer's documents need no token; managing accounts is the admins'.
    assert found[("identity", "POST", "/token")] == found[("identity", "GET", "/.well-known/jwks.json")] == "publik"
    assert found[("identity", "POST", "/akun")] == found[("identity", "POST", "/akun/{akun_id}/nonaktifkan")] == "admin"
    # Dead letters are listed and re-driven by the platform's admins only (Bawaslu RI's, unit 00).
    for name in SERVICES:
        dead_letters = {found[(name, "GET", "/ops/surat-mati")], found[(name, "POST", "/ops/surat-mati/ulang")]}
        assert dead_letters == {"admin"}, name
    # A calendar feed token is made and revoked by staff for themselves, never by an agency.
    assert found[("planning", "POST", "/kegiatan/kalender/token")] == "staf"
    # Correcting a kegiatan is staff's, like its other writes (the unit's writers: tests/planning/test_ubah.py).
    assert found[("planning", "PATCH", "/kegiatan/{kegiatan_id}")] == found[("planning", "POST", "/kegiatan")] == "staf"
