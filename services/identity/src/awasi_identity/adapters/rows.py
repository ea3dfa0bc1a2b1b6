"""Rows to aggregates and back: one ``*_to_row`` / ``*_from_row`` pair per aggregate, the only
place that knows how a table's columns hold an aggregate's fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

from awasi_common.auth import Role
from awasi_common.vocabulary import Divisi
from awasi_identity.domain.akun import Akun, StatusAkun
from awasi_identity.domain.audit import CatatanAudit
from awasi_identity.domain.kunci import KunciPenandatangan
from awasi_identity.domain.percobaan import PercobaanMasuk
from awasi_identity.domain.token import TokenPenyegar

T = TypeVar("T")


def to_row(record: Any) -> dict[str, Any]:
    """Every field of a dataclass under its own name, choices as their text (recorded events aside)."""
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "events"}
    return {name: value.value if isinstance(value, Enum) else value for name, value in values.items()}


def _aware(value: Any) -> Any:
    """SQLite gives back its timestamps without their zone; they were written in UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def _from_row(cls: type[T], row: Mapping[Any, Any], **converted: Any) -> T:
    names = {f.name for f in dataclasses.fields(cls) if f.init and f.name != "events"}  # type: ignore[arg-type]
    return cls(**{name: _aware(row[name]) for name in names if name in row} | converted)


def akun_to_row(akun: Akun) -> dict[str, Any]:
    return to_row(akun)


def akun_from_row(row: Mapping[Any, Any]) -> Akun:
    return _from_row(
        Akun,
        row,
        role=Role(row["role"]),
        status=StatusAkun(row["status"]),
        divisi=Divisi(row["divisi"]) if row["divisi"] else None,
        totp_tersegel=bytes(row["totp_tersegel"]) if row["totp_tersegel"] is not None else None,
    )


def percobaan_to_row(percobaan: PercobaanMasuk) -> dict[str, Any]:
    return to_row(percobaan)


def percobaan_from_row(row: Mapping[Any, Any]) -> PercobaanMasuk:
    return _from_row(PercobaanMasuk, row)


def token_to_row(token: TokenPenyegar) -> dict[str, Any]:
    return to_row(token)


def token_from_row(row: Mapping[Any, Any]) -> TokenPenyegar:
    return _from_row(TokenPenyegar, row)


def kunci_to_row(kunci: KunciPenandatangan) -> dict[str, Any]:
    return to_row(kunci)


def kunci_from_row(row: Mapping[Any, Any]) -> KunciPenandatangan:
    return _from_row(KunciPenandatangan, row, privat_tersegel=bytes(row["privat_tersegel"]))


def audit_to_row(catatan: CatatanAudit) -> dict[str, Any]:
    return to_row(catatan)
