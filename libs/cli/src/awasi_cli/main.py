"""The ``awasi`` command."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from awasi_cli import importer, ops_commands
from awasi_common.auth import Role, TokenIssuer
from awasi_common.settings import EMBEDDED_BROKER_PORT, PlatformSettings
from awasi_common.units import InvalidUnitCode, validate_unit_code

app = typer.Typer(help="Awasi: platform pengawasan pemilu Bawaslu.", no_args_is_help=True)
console = Console()


def _platform() -> tuple[PlatformSettings, bool, int]:
    """Settings, whether to start the embedded broker, and its port."""
    embedded = "AWASI_KAFKA_BOOTSTRAP" not in os.environ
    port = int(os.environ.get("AWASI_BROKER_PORT", EMBEDDED_BROKER_PORT))
    platform = PlatformSettings()
    if embedded:
        platform.kafka_bootstrap = f"127.0.0.1:{port}"
    return platform, embedded, port


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Muat data contoh pada jalan pertama")] = True,
) -> None:
    """Jalankan broker dan keempat layanan di mesin ini; Ctrl-C menghentikan semuanya."""
    from awasi_cli import demo as demo_data
    from awasi_cli.stack import AlreadyRunning, Stack

    platform, embedded, port = _platform()
    stack = Stack(platform, embedded_broker=embedded, broker_port=port)
    try:
        stack.start(log=console.print)
    except AlreadyRunning as error:
        console.print(f"[yellow]{error}[/]")
        raise typer.Exit(1) from error
    except (RuntimeError, TimeoutError, OSError) as error:
        stack.stop()
        console.print(f"[red]Gagal menjalankan Awasi: {error}[/]")
        raise typer.Exit(1) from error
    except KeyboardInterrupt as interrupt:  # Ctrl-C while starting: the children run in sessions of their own
        console.print("\nMenghentikan Awasi…")
        stack.stop()
        raise typer.Exit(130) from interrupt
    try:
        marker = platform.data_dir / "demo-loaded"
        if demo and not marker.exists():
            created = demo_data.load(stack.urls(), TokenIssuer(platform.jwt_secret, platform.jwt_issuer))
            marker.write_text("ok")
            console.print(
                f"• data contoh dimuat: {created['program']} program, {created['kegiatan']} kegiatan, "
                f"{created['laporan']} laporan"
            )
        _print_urls(stack, platform)
        dead = stack.watch()
        console.print(f"[red]Layanan {dead} berhenti; menghentikan semuanya. Lihat {platform.data_dir}/logs.[/]")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        console.print("\nMenghentikan Awasi…")
    finally:
        stack.stop()


def _print_urls(stack: object, platform: PlatformSettings) -> None:
    from awasi_cli.stack import Stack

    assert isinstance(stack, Stack)
    table = Table(title="Awasi berjalan")
    table.add_column("layanan")
    table.add_column("alamat")
    table.add_column("dokumentasi API")
    for name, url in stack.urls().items():
        table.add_row(name, url, f"{url}/docs")
    console.print(table)
    console.print(f"Broker Kafka: {platform.kafka_bootstrap}   Data: {platform.data_dir.resolve()}")
    console.print("Token pengembangan: awasi token --unit 35.05 --role operator   (Ctrl-C untuk berhenti)")


@app.command()
def token(
    unit: Annotated[str, typer.Option(help="Kode unit, misalnya 35.05")],
    role: Annotated[Role, typer.Option(help="Peran")] = Role.OPERATOR,
    subject: Annotated[str | None, typer.Option(help="Nama pengguna")] = None,
    hours: Annotated[int, typer.Option(help="Masa berlaku (jam)")] = 12,
) -> None:
    """Cetak token pengembangan (JWT) untuk sebuah unit dan peran."""
    import datetime as dt

    try:
        unit = validate_unit_code(unit)
    except InvalidUnitCode as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    platform = PlatformSettings()
    issuer = TokenIssuer(platform.jwt_secret, platform.jwt_issuer)
    print(issuer.issue(unit=unit, role=role, subject=subject, ttl=dt.timedelta(hours=hours)))


ops_commands.register(app)
app.command("import")(importer.import_command)

if __name__ == "__main__":
    app()
