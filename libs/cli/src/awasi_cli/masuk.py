"""``awasi masuk``: sign in at identity and print the access token, for curl and scripts."""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import os
import struct
import sys
import time
from typing import Annotated

import httpx
import typer

from awasi_cli.demo import saved_accounts
from awasi_common.settings import PlatformSettings, ServiceSettings


def totp_now(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def masuk(
    email: Annotated[str | None, typer.Argument(help="Email akun")] = None,
    demo: Annotated[
        str | None, typer.Option(help="Peran akun contoh `awasi up` (pengembangan): kata sandi dan TOTP-nya dipakai")
    ] = None,
    totp: Annotated[str | None, typer.Option(help="Kode aplikasi autentikator (admin, pimpinan, penanganan)")] = None,
) -> None:
    """Masuk ke layanan identitas dan cetak token akses (5 menit). Kata sandi diminta di terminal
    (atau AWASI_PASSWORD)."""
    platform = PlatformSettings()
    identity = ServiceSettings.load("identity", platform)
    url = os.environ.get("AWASI_IDENTITY_URL", f"http://{identity.host}:{identity.port}")
    if demo:
        if platform.production:
            typer.echo("Akun contoh hanya untuk pengembangan.", err=True)
            raise typer.Exit(2)
        found = {a["role"]: a for a in saved_accounts(platform.data_dir)}.get(demo)
        if found is None:
            typer.echo(f"Tidak ada akun contoh peran {demo} di {platform.data_dir}.", err=True)
            raise typer.Exit(2)
        email, password = found["email"], found["sandi"]
        totp = totp or (totp_now(found["totp"]) if found.get("totp") else None)
    elif email:
        password = os.environ.get("AWASI_PASSWORD") or getpass.getpass("Kata sandi: ", stream=sys.stderr)
    else:
        typer.echo("Sebutkan email akun, atau --demo PERAN.", err=True)
        raise typer.Exit(2)
    form = {"grant_type": "password", "username": email, "password": password}
    if totp:
        form["totp"] = totp
    try:
        answer = httpx.post(f"{url}/token", data=form, timeout=30)
    except httpx.HTTPError as error:
        typer.echo(f"Layanan identitas di {url} tidak dapat dihubungi: {error}", err=True)
        raise typer.Exit(1) from error
    if answer.status_code != 200:
        typer.echo(f"Gagal masuk ({answer.status_code}): {answer.json().get('detail', answer.text)}", err=True)
        raise typer.Exit(1)
    typer.echo(answer.json()["access_token"])
