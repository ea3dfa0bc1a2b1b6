"""The ``awasi`` command."""

from __future__ import annotations

import contextlib
import os
import signal
from typing import TYPE_CHECKING, Annotated

import httpx
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from awasi_cli import akun, importer, masuk, ops_commands
from awasi_common.settings import EMBEDDED_BROKER_PORT, PlatformSettings
from awasi_common.vocabulary import Divisi, Role

if TYPE_CHECKING:
    from awasi_common.tokens import DevelopmentIssuer

# What a command needs beyond its arguments is imported inside it: `awasi akun`, `awasi status`
# and `--help` started in 1.2 s of imports (FastAPI, the Kafka client, SQLAlchemy, region data)
# that only `awasi up` and a few commands use.

app = typer.Typer(help="Awasi: platform pengawasan pemilu Bawaslu.", no_args_is_help=True)
console = Console()


def _settings() -> PlatformSettings:
    """The platform's settings; one that is refused ends the command with why (never its value)."""
    try:
        return PlatformSettings()
    except ValidationError as error:
        for problem in error.errors():
            console.print(f"[red]{str(problem['msg']).removeprefix('Value error, ')}[/]")
        raise typer.Exit(2) from None


def _platform() -> tuple[PlatformSettings, bool, int]:
    """Settings, whether to start the embedded broker, and its port."""
    embedded = "AWASI_KAFKA_BOOTSTRAP" not in os.environ
    port = int(os.environ.get("AWASI_BROKER_PORT", EMBEDDED_BROKER_PORT))
    platform = _settings()
    if embedded:
        platform.kafka_bootstrap = f"127.0.0.1:{port}"
    return platform, embedded, port


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Muat data contoh pada jalan pertama")] = True,
) -> None:
    """Jalankan broker dan keempat layanan di mesin ini; Ctrl-C (atau SIGTERM, SIGHUP) menghentikan semuanya."""
    from awasi_cli import demo as demo_data
    from awasi_cli.stack import AlreadyRunning, Stack, StopRequested

    platform, embedded, port = _platform()
    if not platform.production:
        _say(
            "[yellow]Mode pengembangan (AWASI_ENV=development): kunci dan rahasia pengembangan diizinkan, "
            "`awasi token` menerbitkan token; jangan dipakai untuk data sungguhan.[/]"
        )
    stack = Stack(platform, embedded_broker=embedded, broker_port=port)
    stack.stop_on_signals()
    started = False
    try:
        try:
            stack.start(log=_say)
        except AlreadyRunning as error:
            _say(f"[yellow]{error}[/]")
            raise typer.Exit(1) from error
        except (RuntimeError, TimeoutError, OSError) as error:
            stack.stop()
            _say(f"[red]Gagal menjalankan Awasi: {error}[/]")
            raise typer.Exit(1) from error
        started = True
        marker = platform.data_dir / "demo-loaded"
        if demo and not marker.exists():
            created = demo_data.load(stack.urls(), _development_tokens(platform))
            marker.write_text("ok")
            _say(
                f"• data contoh dimuat: {created['program']} program, {created['kegiatan']} kegiatan, "
                f"{created['laporan']} laporan"
            )
            if not platform.production:
                try:
                    demo_data.load_accounts(stack.urls(), _development_tokens(platform), platform.data_dir)
                except httpx.HTTPError as error:
                    _say(f"[yellow]Akun contoh tidak dapat dibuat: {error}[/]")
        accounts = demo_data.saved_accounts(platform.data_dir) if not platform.production else []
        _print_urls(stack, platform, accounts)
        dead = stack.watch()
        _say(f"[red]Layanan {dead} berhenti; menghentikan semuanya. Lihat {platform.data_dir}/logs.[/]")
        raise typer.Exit(1)
    except KeyboardInterrupt as interrupt:  # Ctrl-C, SIGTERM or SIGHUP
        _say("\nMenghentikan Awasi…")
        if not started:  # stopped while starting: the exit status a signal's death would give
            signum = interrupt.signum if isinstance(interrupt, StopRequested) else signal.SIGINT
            raise typer.Exit(128 + signum) from interrupt
    finally:
        stack.stop()


def _say(text: str) -> None:
    """Print, unless the terminal is gone (SIGHUP): stopping goes on all the same."""
    with contextlib.suppress(OSError):
        console.print(text)


def _print_urls(stack: object, platform: PlatformSettings, accounts: list[dict[str, str]]) -> None:
    from awasi_cli.stack import Stack

    assert isinstance(stack, Stack)
    table = Table(title="Awasi berjalan")
    table.add_column("layanan")
    table.add_column("alamat")
    table.add_column("dokumentasi API")
    for name, url in stack.urls().items():
        table.add_row(name, url, f"{url}/docs")
    with contextlib.suppress(OSError):
        console.print(table)
    _say(f"Broker Kafka: {platform.kafka_bootstrap}   Data: {platform.data_dir.resolve()}")
    _print_accounts(accounts)
    identity = stack.urls()["identity"]
    if accounts:
        _say(f"Masuk: awasi masuk --demo operator (atau POST {identity}/token, grant_type=password)")
    _say("Token pengembangan: awasi token --unit 35.05 --role operator --divisi P2H   (Ctrl-C untuk berhenti)")


def _print_accounts(accounts: list[dict[str, str]]) -> None:
    """The demo accounts (development only): sign in at identity's POST /token or the console."""
    if not accounts:
        return
    table = Table(title="Akun contoh (hanya pengembangan) — unit 35.05")
    for column in ("peran", "email", "kata sandi", "rahasia TOTP"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account["role"], account["email"], account["sandi"], account.get("totp", "-"))
    with contextlib.suppress(OSError):
        console.print(table)


@app.command()
def token(
    unit: Annotated[str, typer.Option(help="Kode unit, misalnya 35.05")],
    role: Annotated[Role, typer.Option(help="Peran")] = Role.OPERATOR,
    subject: Annotated[str | None, typer.Option(help="Nama pengguna")] = None,
    hours: Annotated[int, typer.Option(help="Masa berlaku (jam)")] = 12,
    divisi: Annotated[Divisi | None, typer.Option(help="Divisi (SDMO, HPS, PP-Datin, P2H)")] = None,
) -> None:
    """Cetak token pengembangan (JWT EdDSA, kunci pengembangan) untuk sebuah unit dan peran."""
    import datetime as dt

    from awasi_common.units import InvalidUnitCode, validate_unit_code

    try:
        unit = validate_unit_code(unit)
    except InvalidUnitCode as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    platform = _settings()
    if platform.production:
        console.print("[red]`awasi token` hanya untuk pengembangan: AWASI_ENV=production menolaknya.[/]")
        raise typer.Exit(2)
    issuer = _development_tokens(platform)
    print(issuer.issue(unit=unit, role=role, subject=subject, ttl=dt.timedelta(hours=hours), divisi=divisi))


def _development_tokens(platform: PlatformSettings) -> DevelopmentIssuer:
    from awasi_common.tokens import DevelopmentIssuer

    return DevelopmentIssuer(platform.dev_token_key, audience=platform.token_audience)


ops_commands.register(app)
app.command("masuk")(masuk.masuk)
app.add_typer(akun.app, name="akun")
app.command("import")(importer.import_command)

if __name__ == "__main__":
    app()
