"""Hypothesis on planning's import endpoint, live on the real broker and PostgreSQL: random bytes,
random text, plan-shaped text in several encodings, real plans cut and scribbled on, and damaged
Word and PDF files. Each upload is answered 200/201 with what was imported, or 4xx with an
explanation in Indonesian and nothing written; never 5xx. An import writes exactly the kegiatan
it reports as new (and at most one event each), nothing more."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import docx
import requests
from hypothesis import example, given
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .api import QUIET_RANDOM
from .conftest import Live, StartLive
from .harness import untranslated
from .strategies import KABUPATEN_PLAN, any_text, mutated_plan, plan_lines
from .test_parsers import one_kegiatan, seeded

UNIT = "35.05"


def word_file(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph("".join(c for c in line if c.isprintable()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_file(lines: list[str]) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for index, line in enumerate(lines[:60]):
        page.drawString(40, 800 - 12 * index, line.encode("latin-1", "replace").decode("latin-1"))
    page.save()
    return out.getvalue()


@st.composite
def damaged(draw: st.DrawFn, whole: st.SearchStrategy[bytes]) -> bytes:
    """A file with some of its bytes overwritten, or cut short."""
    data = bytearray(draw(whole))
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    return bytes(data)


def uploads() -> st.SearchStrategy[bytes]:
    text = st.one_of(plan_lines(), mutated_plan())
    return st.one_of(
        st.binary(max_size=3000),
        any_text().map(str.encode),
        plan_lines().flatmap(
            lambda lines: st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]).map(
                lambda encoding: "\n".join(lines).encode(encoding, "replace")
            )
        ),
        mutated_plan().map(lambda lines: "\n".join(lines).encode()),
        damaged(text.map(word_file)),
        damaged(text.map(pdf_file)),
        text.map(word_file),
    )


HUGE_BUDGET = "\n".join(one_kegiatan("Dilaksanakan 3 Maret 2023.", "Anggaran Rp 999.999.999.999.999.999.999")).encode()
JUTA_WITH_COMMAS = "\n".join(one_kegiatan("Dilaksanakan 4 Maret 2023, anggaran Rp 1,000,000 juta.")).encode()
MANY_PEOPLE = "\n".join(one_kegiatan("Dilaksanakan 5 Maret 2023.", "Peserta 9.999.999.999 orang")).encode()


def fuzz_import(live: Live, auth: dict[str, str]) -> list[int]:
    session = requests.Session()
    statuses: list[int] = []

    @seeded(90)
    @given(
        data=uploads(),
        name=st.sampled_from(
            ["rencana.txt", "rencana.docx", "rencana.pdf", "", "../../etc/passwd", "r\u00e9ncana.txt"]
        ),
        unit=st.sampled_from([None, UNIT, "35.06", "99", "bukan-unit"]),
        divisi=st.sampled_from([None, "HPS", "P2H", "KEUANGAN"]),
        dry_run=st.booleans(),
    )
    @example(data=HUGE_BUDGET, name="rencana.txt", unit=None, divisi=None, dry_run=False)
    @example(data=JUTA_WITH_COMMAS, name="rencana.txt", unit=None, divisi=None, dry_run=False)
    @example(data=MANY_PEOPLE, name="rencana.txt", unit=None, divisi=None, dry_run=False)
    @example(data=KABUPATEN_PLAN.read_bytes(), name="rencana.txt", unit=UNIT, divisi=None, dry_run=False)
    def upload(data: bytes, name: str, unit: str | None, divisi: str | None, dry_run: bool) -> None:
        before = live.run(live.counts())
        form = {key: value for key, value in {"unit": unit, "divisi": divisi}.items() if value is not None}
        form["dry_run"] = "true" if dry_run else "false"
        response = session.post(
            f"{live.base_url}/kegiatan/impor",
            files={"berkas": (name, data, "application/octet-stream")},
            data=form,
            headers=auth,
            timeout=60,
        )
        after = live.run(live.counts())
        statuses.append(response.status_code)
        assert response.status_code < 500, response.text[:500]
        body = response.json()
        if response.status_code >= 400:
            assert isinstance(body.get("detail"), str) and not untranslated(body["detail"]), body
            assert after == before, f"a refused import wrote: {before} -> {after}"
            return
        assert response.status_code in (200, 201), response.text[:500]
        new = body["ringkasan"]["baru"]
        written = after["kegiatan"] - before["kegiatan"]
        assert written == (0 if dry_run else new), (written, body["ringkasan"])
        assert 0 <= after["outbox"] - before["outbox"] <= written
        json.dumps(body)

    upload()
    return statuses


@QUIET_RANDOM  # the service beside the draws takes trace ids from `random` (OpenTelemetry's id generator)
async def test_import_endpoint_answers_any_upload(live_service: StartLive, tokens: Any) -> None:
    live = await live_service("planning")
    statuses = await asyncio.to_thread(fuzz_import, live, tokens(UNIT))
    # Both sides were exercised: documents imported and uploads refused.
    assert any(code in (200, 201) for code in statuses) and any(400 <= code < 500 for code in statuses), statuses
