"""``awasi import PATH``: a plan document (plain text, .docx or PDF) into the planning service.

How it works:

- The document is read and understood here first, with the planning service's own parser
  (``awasi_planning.service_layer.importing.plan_import``, the same pure functions its upload
  endpoint runs). So ``--dry-run`` needs no running service: it prints what an import would
  create — as a table, or with ``--format json`` as the JSON the endpoint answers (same fields,
  same ids; ``baru`` is null because only the service knows what it already holds).
- The import itself uploads the original file to the planning service's upload endpoint
  (``POST /kegiatan/impor`` at ``AWASI_PLANNING_URL``, default http://127.0.0.1:8101) with a
  token for the document's unit: ``AWASI_TOKEN`` when set, otherwise an operator token minted
  with the development key (``AWASI_DEV_TOKEN_KEY``), like ``awasi token``. The service reads
  the document again and writes everything in one transaction; its progress streams back
  into the progress bar. Importing the same document twice creates nothing new.

Exit codes: 0 done, 1 the document or the service refused (the message says why; nothing was
written), 2 a wrong option.
"""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:  # the command imports what it needs when it runs: `awasi --help` stays quick
    import httpx

    from awasi_common.vocabulary import Divisi

DEFAULT_URL = "http://127.0.0.1:8101"
"""The planning service's default address (``SERVICE_PORTS['planning']``)."""


class Format(StrEnum):
    TEKS = "teks"
    JSON = "json"


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _fail(console: Console, message: str, code: int = 1) -> typer.Exit:
    console.print(f"[red]{message}[/]")
    return typer.Exit(code)


def import_command(
    path: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Dokumen rencana: .txt, .docx atau .pdf"),
    ],
    unit: Annotated[
        str | None, typer.Option(help="Kode unit pemilik rencana, misalnya 35.05; bawaan: dari judul dokumen")
    ] = None,
    divisi: Annotated[
        str | None,
        typer.Option(help="Divisi bagi kegiatan yang divisinya tidak disebut dokumen: SDMO, HPS, PP-Datin, P2H"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Tampilkan apa yang akan dibuat, tanpa menyimpan apa pun")
    ] = False,
    output: Annotated[Format, typer.Option("--format", help="Bentuk keluaran: teks atau json")] = Format.TEKS,
    draft: Annotated[bool, typer.Option("--draft", help="Simpan semua sebagai draft, tanpa menjadwalkan")] = False,
    url: Annotated[str | None, typer.Option(help="Alamat layanan perencanaan", envvar="AWASI_PLANNING_URL")] = None,
) -> None:
    """Impor dokumen rencana kegiatan (teks, .docx, PDF) ke layanan perencanaan."""
    from awasi_common.errors import DomainError
    from awasi_common.units import InvalidUnitCode, validate_unit_code
    from awasi_common.vocabulary import Divisi

    err = Console(stderr=True)
    out = Console(soft_wrap=True)
    try:
        unit = validate_unit_code(unit) if unit else None
    except InvalidUnitCode as error:
        raise _fail(err, f"Kode unit tidak sah: {error}", 2) from error
    try:
        chosen = Divisi(divisi) if divisi else None
    except ValueError as error:
        names = ", ".join(d.value for d in Divisi)
        raise _fail(err, f"Divisi '{divisi}' tidak dikenal; pilih salah satu: {names}.", 2) from error
    try:
        from awasi_planning.entrypoints.schemas import ImporOut
        from awasi_planning.service_layer.importing import plan_import
    except ImportError as error:  # pragma: no cover - the workspace always installs it
        raise _fail(err, "Paket awasi-planning tidak terpasang; jalankan `make setup`.") from error

    data = path.read_bytes()
    with _progress(err) as bar:
        reading = bar.add_task("Membaca dokumen", total=None)

        def read(done: int, total: int) -> None:
            bar.update(reading, completed=done, total=total)

        try:
            plan = plan_import(data, path.name, unit=unit, divisi=chosen, draft=draft, progress=read)
        except DomainError as error:
            raise _fail(err, f"Dokumen tidak dapat diimpor: {error.message}") from error

    if dry_run:
        preview = ImporOut.of(plan, dry_run=True).model_dump(mode="json")
        if output == Format.JSON:
            typer.echo(json.dumps(preview, ensure_ascii=False, indent=2))
        else:
            _render(out, preview)
            out.print("[yellow]Uji coba: tidak ada yang disimpan.[/]")
        return

    result = _upload(err, path, data, plan.unit, chosen, draft, url or DEFAULT_URL)
    if output == Format.JSON:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _render(out, result)


def _token(unit: str) -> str:
    from awasi_common.auth import Role
    from awasi_common.tokens import development_issuer

    if os.environ.get("AWASI_TOKEN"):
        return os.environ["AWASI_TOKEN"]
    return development_issuer().issue(unit=unit, role=Role.OPERATOR)


def _upload(
    err: Console, path: Path, data: bytes, unit: str, divisi: Divisi | None, draft: bool, url: str
) -> dict[str, Any]:
    import httpx

    form = {"unit": unit, "draft": str(draft).lower()}
    if divisi:
        form["divisi"] = divisi.value
    headers = {"Authorization": f"Bearer {_token(unit)}", "Accept": "application/x-ndjson"}
    endpoint = f"{url.rstrip('/')}/kegiatan/impor"
    result: dict[str, Any] | None = None
    try:
        with (
            httpx.Client(timeout=httpx.Timeout(30, read=300)) as client,
            client.stream(
                "POST", endpoint, files={"berkas": (path.name, data)}, data=form, headers=headers
            ) as response,
        ):
            if response.status_code >= 400:
                response.read()
                raise _fail(err, f"Layanan perencanaan menolak impor ({response.status_code}): {_detail(response)}")
            with _progress(err) as bar:
                saving = bar.add_task("Menyimpan kegiatan", total=None)
                for line in response.iter_lines():
                    if not line.strip():
                        continue
                    message = json.loads(line)
                    if "tahap" in message:
                        bar.update(saving, completed=message["selesai"], total=message["total"] or 1)
                    elif "galat" in message:
                        galat = message["galat"]
                        raise _fail(err, f"Impor gagal ({galat['status']}): {galat['detail']}")
                    elif "hasil" in message:
                        result = message["hasil"]
    except httpx.TransportError as error:
        raise _fail(
            err, f"Layanan perencanaan tidak menjawab di {url} ({error}). Jalankan `awasi up` terlebih dahulu."
        ) from error
    if result is None:
        raise _fail(err, "Layanan perencanaan berhenti menjawab sebelum impor selesai; periksa lognya.")
    return result


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    return str(body.get("detail", body))


def _render(out: Console, result: dict[str, Any]) -> None:
    doc = result["dokumen"]
    out.print(
        f"[bold]{doc['nama']}[/] ({doc['format']}, {doc['jumlah_baris']} baris): {doc['judul'] or '(tanpa judul)'}"
    )
    out.print(f"Unit {doc['unit']} {doc['unit_nama'] or ''}; tahun {doc['tahun'] or '-'}")
    table = Table(show_lines=False, expand=True)
    table.add_column("baris", justify="right", no_wrap=True)
    table.add_column("no", justify="right", no_wrap=True)
    table.add_column("divisi", no_wrap=True)
    table.add_column("kegiatan", ratio=1, min_width=20)
    table.add_column("jadwal", no_wrap=True)
    table.add_column("peserta", justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for k in result["kegiatan"]:
        jadwal = k["jadwal"]
        window = jadwal["mulai"] if jadwal["mulai"] == jadwal["selesai"] else f"{jadwal['mulai']}–{jadwal['selesai']}"
        peserta = k["target_peserta"]["jumlah"]
        status = k["status"] + ("" if k["baru"] is None else (" (baru)" if k["baru"] else " (sudah ada)"))
        table.add_row(
            str(k["baris"]),
            str(k["nomor"]),
            k["divisi"],
            k["judul"],
            f"{window}\n{jadwal['presisi']}",
            "-" if peserta is None else str(peserta),
            status,
        )
    out.print(table)
    if result["catatan"]:
        out.print("[bold]Catatan — teks yang tidak masuk ke bidang mana pun:[/]")
        for note in result["catatan"]:
            where = f" [kegiatan {note['divisi']} {note['kegiatan_nomor']}]" if note["kegiatan_nomor"] else ""
            text = f": {note['teks']}" if note["teks"] else ""
            out.print(f"  {note['lokasi']}{where} — {note['alasan']}{text}", markup=False, highlight=False)
    s = result["ringkasan"]
    counts = f"{s['kegiatan']} kegiatan"
    if s["baru"] is not None:
        counts += f": {s['baru']} baru, {s['sudah_ada']} sudah ada"
    out.print(f"{counts}; {s['terjadwal']} terjadwal, {s['draft']} draft; {s['catatan']} catatan.")
