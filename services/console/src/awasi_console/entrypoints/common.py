"""Helpers the pages share: several services asked at once, each section's failure shown in
its own place instead of failing the page."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from awasi_console.api import ApiError


@dataclass
class Section:
    data: Any = None
    error: str | None = None


async def sections(**calls: Awaitable[Any]) -> dict[str, Section]:
    """Every call at once; a service's refusal or absence becomes that section's message (a
    sign-in that ended still ends the page)."""
    names = list(calls)
    results = await asyncio.gather(*calls.values(), return_exceptions=True)
    out: dict[str, Section] = {}
    for name, result in zip(names, results, strict=True):
        if isinstance(result, ApiError):
            out[name] = Section(error=result.detail)
        elif isinstance(result, BaseException):
            raise result
        else:
            out[name] = Section(data=result)
    return out


ROLE_LABEL = {
    "admin": "Admin",
    "operator": "Operator",
    "penanganan": "Penanganan",
    "pengawas": "Pengawas",
    "pimpinan": "Pimpinan",
    "viewer": "Pembaca",
    "agency": "Instansi",
}
