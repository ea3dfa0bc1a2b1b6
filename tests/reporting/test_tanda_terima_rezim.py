"""The tanda terima says which regime the report falls under and its reporting deadline, with
the article (Pemilu: Pasal 454 ayat (6) UU 7/2017 in hari kerja; Pemilihan: Pasal 134 ayat (4)
UU 10/2016 in calendar days)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from .test_intake import form_fields


@pytest.mark.parametrize(
    ("pemilihan", "rezim", "pasal"),
    [
        ("pemilu", "Pemilu (UU 7/2017)", "Pasal 454 ayat (6) UU 7/2017"),
        ("pilkada", "Pemilihan (UU 10/2016)", "Pasal 134 ayat (4) UU 10/2016"),
    ],
)
async def test_the_tanda_terima_names_the_regime_and_its_deadline(
    start_service: Any, pemilihan: str, rezim: str, pasal: str
) -> None:
    reporting = await start_service("reporting")
    page = await reporting.post(
        "/publik/lapor",
        data={**form_fields(), "pemilihan": pemilihan},
        files={"bukti": ("", b"", "application/octet-stream")},
    )
    assert page.status_code == 201, page.text[:500]
    assert re.search(rf'id="rezim">{re.escape(rezim)}<', page.text)
    deadline = re.search(r'id="batas-lapor">([^<]+)<', page.text)
    assert deadline is not None and pasal in deadline.group(1)
    assert ("hari kerja" in deadline.group(1)) == (pemilihan == "pemilu")
    assert str(dt.date.today().year) in deadline.group(1)
