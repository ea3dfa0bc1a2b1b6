"""Who may call what on identity: every operation of its OpenAPI, probed with real tokens the
way tests/e2e/test_access_matrix.py probes the other services, against identity's table in
docs/access.md (a table of its own until that test names identity among its services)."""

from __future__ import annotations

import os
import re
from typing import Any

import httpx

from tests.e2e.test_access_matrix import DOCUMENT, classify, operations

_ROW = re.compile(r"^\| identity \| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \| (publik|staf|instansi|admin) \|")


def written() -> dict[tuple[str, str], str]:
    rows: dict[tuple[str, str], str] = {}
    for line in DOCUMENT.read_text().splitlines():
        match = _ROW.match(line)
        if match:
            method, path, access = match.groups()
            rows[(method, path)] = access
    return rows


async def test_every_identity_operation_has_a_written_decision_and_keeps_it(
    identity: httpx.AsyncClient, tokens: Any
) -> None:
    openapi = (await identity.get("/openapi.json")).json()
    found = {(method, path): await classify(identity, method, path, tokens) for method, path in operations(openapi)}
    if os.environ.get("AWASI_PRINT_ACCESS"):
        print("\n".join(f"| identity | `{m} {p}` | {a} |" for (m, p), a in sorted(found.items())))
    rows = written()
    assert not sorted(set(found) - set(rows)), f"routes without a decision: {sorted(set(found) - set(rows))}"
    assert not sorted(set(rows) - set(found)), f"rows for routes that no longer exist: {sorted(set(rows) - set(found))}"
    assert {key: (rows[key], found[key]) for key in found if rows[key] != found[key]} == {}
    # Signing in, activating and the issuer's documents need no token; managing accounts is the admins'.
    assert found[("POST", "/token")] == found[("GET", "/.well-known/jwks.json")] == "publik"
    assert found[("POST", "/akun")] == found[("POST", "/akun/{akun_id}/nonaktifkan")] == "admin"
