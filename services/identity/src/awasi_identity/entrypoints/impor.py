"""A CSV of accounts (ad hoc staff: PKD, pengawas TPS) read into commands, every row checked
with the same schema as ``POST /akun``; one wrong row refuses the whole file, naming the row,
the column and the reason."""

from __future__ import annotations

import csv
import io

from pydantic import ValidationError

from awasi_common.errors import DomainError
from awasi_common.http import explain
from awasi_identity.commands import BuatAkun
from awasi_identity.entrypoints.schemas import AkunIn

BARIS_MAKS = 10_000
"""Rows in one file: the TPS of the largest kabupaten, with room."""
BERKAS_MAKS_BYTE = 4 * 1024 * 1024
KESALAHAN_DITAMPILKAN = 20
KOLOM = tuple(AkunIn.model_fields)


class BerkasDitolak(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(f"Berkas ditolak; tidak ada akun yang dibuat. {message}", field="berkas")


def baca_csv(data: bytes, alamat: str | None) -> list[BuatAkun]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BerkasDitolak(
            f"Berkas bukan teks UTF-8 (bita ke-{error.start + 1}); simpan sebagai CSV UTF-8."
        ) from error
    if "\x00" in text:
        raise BerkasDitolak("Berkas memuat karakter NUL; simpan sebagai CSV UTF-8.")
    lines = text.splitlines()
    if not lines:
        raise BerkasDitolak("Berkas kosong.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in KOLOM]
    missing = [name for name in ("nama", "email", "unit", "role") if name not in header]
    if unknown or missing:
        told = [f"kolom tidak dikenal: {', '.join(unknown)}"] if unknown else []
        told += [f"kolom wajib tidak ada: {', '.join(missing)}"] if missing else []
        raise BerkasDitolak(f"Baris 1 (judul kolom): {'; '.join(told)}. Kolom yang dikenal: {', '.join(KOLOM)}.")
    reader.fieldnames = header
    commands: list[BuatAkun] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > BARIS_MAKS:
            raise BerkasDitolak(f"Berkas memuat lebih dari {BARIS_MAKS} baris akun; bagi menjadi beberapa berkas.")
        if None in row:
            errors.append(f"Baris {number}: lebih banyak isian daripada kolom judul")
            continue
        values = {name: value.strip() for name, value in row.items() if value is not None and value.strip()}
        try:
            body = AkunIn.model_validate(values)
        except ValidationError as error:
            for problem in error.errors():
                said = explain(dict(problem))
                errors.append(f"Baris {number}, kolom {said['lokasi'] or '-'}: {said['pesan']}")
            continue
        if body.email in seen:
            errors.append(f"Baris {number}, kolom email: sama dengan baris {seen[body.email]}")
            continue
        seen[body.email] = number
        commands.append(body.to_command(alamat))
    if errors:
        shown = "; ".join(errors[:KESALAHAN_DITAMPILKAN])
        more = (
            f" (dan {len(errors) - KESALAHAN_DITAMPILKAN} kesalahan lain)"
            if len(errors) > KESALAHAN_DITAMPILKAN
            else ""
        )
        raise BerkasDitolak(f"{shown}{more}.")
    if not commands:
        raise BerkasDitolak("Berkas tidak memuat satu baris akun pun.")
    return commands
