"""``awasi akun``: a unit's admin manages accounts from the command line, through identity's API
(the same rules as the API: an admin manages its unit and those below).

The admin's token: ``AWASI_TOKEN`` (``AWASI_TOKEN=$(awasi masuk admin@…)``); in development on
one machine, a development token of Bawaslu RI's admin when none is given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_common.vocabulary import Divisi, Role

app = typer.Typer(help="Kelola akun staf (admin unit): buat, nonaktifkan, atur ulang, impor CSV.", no_args_is_help=True)
console = Console()


def _identity() -> tuple[str, dict[str, str]]:
    platform = PlatformSettings()
    settings = ServiceSettings.load("identity", platform)
    url = os.environ.get("AWASI_IDENTITY_URL", f"http://{settings.host}:{settings.port}")
    token = os.environ.get("AWASI_TOKEN")
    if not token:
        if platform.production:
            console.print("[red]Sertakan token admin di AWASI_TOKEN (AWASI_TOKEN=$(awasi masuk EMAIL)).[/]")
            raise typer.Exit(2)
        from awasi_common.tokens import development_issuer

        token = development_issuer(platform).issue(unit="00", role=Role.ADMIN, subject="awasi-akun")
    return url, {"Authorization": f"Bearer {token}"}


def _call(method: str, path: str, **kwargs: Any) -> Any:
    url, headers = _identity()
    try:
        answer = httpx.request(method, f"{url}{path}", headers=headers, timeout=60, **kwargs)
    except httpx.HTTPError as error:
        console.print(f"[red]Layanan identitas di {url} tidak dapat dihubungi: {error}[/]")
        raise typer.Exit(1) from error
    if answer.status_code >= 400:
        try:
            detail = answer.json().get("detail", answer.text)
        except ValueError:
            detail = answer.text
        console.print(f"[red]Ditolak ({answer.status_code}): {detail}[/]")
        raise typer.Exit(1)
    return answer.json()


def _codes(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Kode aktivasi (sekali tampil: serahkan kepada pemilik akun)")
    for column in ("akun", "email", "unit", "kode aktivasi"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["akun_id"], row["email"], row["unit"], row["kode_aktivasi"])
    console.print(table)


@app.command("buat")
def buat(
    nama: Annotated[str, typer.Option(help="Nama lengkap")],
    email: Annotated[str, typer.Option(help="Email (nama masuk)")],
    unit: Annotated[str, typer.Option(help="Kode unit, misalnya 35.05")],
    role: Annotated[Role, typer.Option(help="Peran")],
    divisi: Annotated[Divisi | None, typer.Option(help="Divisi")] = None,
    jabatan: Annotated[str | None, typer.Option(help="Jabatan (blok tanda tangan)")] = None,
    telepon: Annotated[str | None, typer.Option(help="Telepon")] = None,
    berlaku_sampai: Annotated[str | None, typer.Option(help="Akhir masa tugas (YYYY-MM-DD), staf ad hoc")] = None,
) -> None:
    """Buat akun; cetak kode aktivasinya."""
    body: dict[str, Any] = {"nama": nama, "email": email, "unit": unit, "role": role.value}
    optional = {"divisi": divisi.value if divisi else None, "jabatan": jabatan, "telepon": telepon}
    body |= {k: v for k, v in (optional | {"berlaku_sampai": berlaku_sampai}).items() if v}
    made = _call("POST", "/akun", json=body)
    _codes([{"akun_id": made["akun"]["id"], "email": made["akun"]["email"], "unit": made["akun"]["unit"], **made}])


@app.command("impor")
def impor(berkas: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV akun")]) -> None:
    """Buat banyak akun dari CSV (semua baris atau tidak sama sekali); cetak kode aktivasinya."""
    with berkas.open("rb") as handle:
        made = _call("POST", "/akun/impor", files={"berkas": (berkas.name, handle, "text/csv")})
    _codes(made)


@app.command("nonaktifkan")
def nonaktifkan(akun_id: Annotated[str, typer.Argument(help="Id akun")]) -> None:
    """Nonaktifkan akun untuk selamanya; tokennya ditolak semua layanan dalam hitungan detik."""
    akun = _call("POST", f"/akun/{akun_id}/nonaktifkan")
    console.print(f"Akun {akun['email']} ({akun['unit']}) dinonaktifkan.")


@app.command("reset")
def reset(akun_id: Annotated[str, typer.Argument(help="Id akun")]) -> None:
    """Kode aktivasi baru: kata sandi lama dan sesi masuknya berhenti berlaku."""
    made = _call("POST", f"/akun/{akun_id}/kode-aktivasi")
    _codes([{"akun_id": made["akun"]["id"], "email": made["akun"]["email"], "unit": made["akun"]["unit"], **made}])


@app.command("daftar")
def daftar(unit: Annotated[str, typer.Option(help="Kode unit")]) -> None:
    """Akun unit itu dan unit di bawahnya."""
    rows = _call("GET", "/akun", params={"unit": unit, "limit": 200})
    table = Table(title=f"Akun unit {unit}")
    for column in ("id", "nama", "email", "unit", "peran", "divisi", "status"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"], row["nama"], row["email"], row["unit"], row["role"], row["divisi"] or "-", row["status"]
        )
    console.print(table)
