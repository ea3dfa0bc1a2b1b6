"""The public form (multipart, so the edge only counts its bytes) refuses a text field holding
NUL or a lone surrogate with a 422 naming the field; a NUL in ``terlapor`` used to reach
PostgreSQL and answer 500."""

from __future__ import annotations

from typing import Any

import pytest

from .test_intake import form_fields


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one reporting's consumers also handle
    the kegiatan, participation events and Pojok reports other tests left on it, writing rows
    tables() counts while a refused form must write nothing (their first test counts right after
    the service starts, when that backlog is being read)."""
    return private_broker


@pytest.mark.parametrize("field", ["terlapor", "uraian", "pelapor.nama", "peristiwa.tempat"])
async def test_nul_in_a_form_field_is_refused_naming_it(start_service: Any, tables: Any, field: str) -> None:
    reporting = await start_service("reporting")
    before = await tables()
    fields = {**form_fields(), field: "Ada\x00NUL"}
    response = await reporting.post(
        "/publik/lapor", data=fields, files={"bukti": ("", b"", "application/octet-stream")}
    )
    assert response.status_code == 422, response.text[:300]
    assert response.json()["field"] == field
    assert "NUL" in response.json()["detail"]
    assert await tables() == before


async def test_broken_utf8_in_a_form_field_never_breaks_the_intake(start_service: Any) -> None:
    """Starlette reads a multipart field that is not UTF-8 as Latin-1: valid (if garbled) text,
    which is stored and read back like any other."""
    reporting = await start_service("reporting")
    boundary = "batas"
    parts = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in [
            *((k, v.encode()) for k, v in form_fields().items() if k != "terlapor"),
            ("terlapor", b"X\xed\xa0\x80"),
        ]
    )
    body = parts + f"--{boundary}--\r\n".encode()
    response = await reporting.post(
        "/publik/lapor", content=body, headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 201, response.text[:300]
    listed = await reporting.get("/publik/statistik?unit=35.05")
    assert listed.status_code == 200
