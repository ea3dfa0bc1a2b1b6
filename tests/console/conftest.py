"""The console against the real stack, shared by a module's tests: identity on a real port as
the token issuer, the four services on real ports verifying its tokens (discovery and JWKS over
HTTP), the real broker and PostgreSQL, and the console on a real port that Debian's Chromium
(driven by Playwright) reaches. Accounts are made through identity's API and activated as a
person would; a TOTP code is computed as an authenticator app would."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp
import pytest
import uvicorn
from fastapi import FastAPI

from awasi_cli.testing import broker_process, free_port
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_common.tokens import DevelopmentIssuer
from awasi_console.api import KEEPALIVE_EXPIRY_SECONDS
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, start_uvicorn

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
UNIT = "35.05"
SANDI = "kuda merah melompati pagar bambu"
SERVICES = ("identity", "planning", "participation", "reporting", "notification")
POOL_SIZE = 5
"""PostgreSQL connections per service of a stack (20 in production): two processes run a stack
each (tests/conftest.py), beside the other processes' services, under max_connections 100."""
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "console"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@dataclass
class Akun:
    email: str
    id: str
    role: str
    unit: str
    totp: str | None = None

    def code(self) -> str:
        assert self.totp, f"{self.role} has no authenticator"
        return str(pyotp.TOTP(self.totp).now())


@dataclass
class Stack:
    traces: Path
    urls: dict[str, str]
    console: str
    apps: dict[str, FastAPI]
    console_app: FastAPI
    dev: DevelopmentIssuer
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    def headers(self, unit: str = UNIT, role: str = "admin", divisi: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.dev.issue(unit=unit, role=role, divisi=divisi)}"}

    async def akun(self, role: str, unit: str = UNIT, divisi: str | None = None) -> Akun:
        """An account made by the unit's admin and activated (password set) by its owner."""
        identity = self.clients["identity"]
        email = f"{role}.{uuid.uuid4().hex[:8]}@bawaslu.go.id"
        body: dict[str, Any] = {"nama": f"Staf {role.capitalize()}", "email": email, "unit": unit, "role": role}
        if divisi:
            body["divisi"] = divisi
        made = await identity.post("/akun", json=body, headers=self.headers(unit, "admin"))
        assert made.status_code == 201, made.text
        answer = made.json()
        activated = await identity.post(
            "/akun/aktivasi", json={"email": email, "kode": answer["kode_aktivasi"], "sandi": SANDI}
        )
        assert activated.status_code == 200, activated.text
        totp = (activated.json().get("totp") or {}).get("rahasia")
        return Akun(email, answer["akun"]["id"], role, unit, totp)


@pytest.fixture(scope="package")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The stack's broker, of its own: on the process's shared one its notification also read
    the backlog earlier modules left (their kegiatan reached the inbox the live stream shows,
    their account events the dead letters Operasi lists)."""
    with broker_process(tmp_path_factory.mktemp("console-broker")) as bootstrap:
        yield bootstrap


@pytest.fixture(scope="package")
async def stack(
    kafka_bootstrap: str, database_url: Any, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    import importlib

    from awasi_console.bootstrap import bootstrap as console_bootstrap
    from awasi_console.settings import ConsoleSettings

    ports = {name: free_port() for name in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {
        "AWASI_IDENTITY_ISSUER": urls["identity"],
        "AWASI_IDENTITY_PUBLIC_RATE_LIMIT": "10000/minute",
        "AWASI_IDENTITY_BACKOFF_SECONDS": "0",
        "AWASI_REPORTING_INTAKE_RATE_LIMIT": "1000/minute",
        "AWASI_REPORTING_ATTEMPT_RATE_LIMIT": "1000/minute",
    }
    platform = PlatformSettings(
        kafka_bootstrap=kafka_bootstrap,
        data_dir=tmp_path_factory.mktemp("console-data"),
        topic_partitions=3,
        kafka_session_timeout_ms=int(os.environ.get("AWASI_TEST_SESSION_TIMEOUT_MS", "2000")),
        token_issuer=urls["identity"],
        jwks_unknown_kid_seconds=0.5,
    )
    apps: dict[str, FastAPI] = {}
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    async with contextlib.AsyncExitStack() as exits:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in env.items():
                patch.setenv(key, value)
            for name in SERVICES:  # identity first: the others read its discovery document
                bootstrap = importlib.import_module(f"awasi_{name}.bootstrap").bootstrap
                settings = ServiceSettings(
                    name=name, port=ports[name], database_url=database_url(name), database_pool_size=POOL_SIZE
                )
                app: FastAPI = bootstrap(platform, settings)
                await exits.enter_async_context(app.router.lifespan_context(app))
                apps[name] = app
                servers.append((await start_uvicorn(app, ports[name]))[1:])
        console_port = free_port()
        console_app = console_bootstrap(
            ConsoleSettings(
                port=console_port, service_urls=dict(urls), poll_seconds=2, trace_dir=platform.data_dir / "traces"
            )
        )
        await exits.enter_async_context(console_app.router.lifespan_context(console_app))
        servers.append((await start_uvicorn(console_app, console_port))[1:])
        found = Stack(
            traces=platform.data_dir / "traces",
            urls=urls,
            console=f"http://127.0.0.1:{console_port}",
            apps=apps,
            console_app=console_app,
            dev=DevelopmentIssuer(platform.dev_token_key, audience=platform.token_audience),
        )
        for name, url in urls.items():
            client = httpx.AsyncClient(
                base_url=url, timeout=30, limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS)
            )
            found.clients[name] = await exits.enter_async_context(client)
        try:
            yield found
        finally:
            for server, _ in servers:
                server.should_exit = True
            await asyncio.gather(*(task for _, task in servers), return_exceptions=True)


@pytest.fixture(scope="package")
async def browser(stack: Stack) -> AsyncIterator[Any]:
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def sign_in(page: Any, stack: Stack, akun: Akun) -> None:
    """Through the console's sign-in form, with the authenticator step when the account has one."""
    await page.goto(stack.console + "/masuk")
    await page.fill("#f-email", akun.email)
    await page.fill("#f-password", SANDI)
    if akun.totp and await page.is_visible("#f-totp"):  # this browser signed in with a code before
        await page.fill("#f-totp", akun.code())
        await page.click("button:has-text('Masuk')")
    else:
        await page.click("button:has-text('Masuk')")
        if akun.totp:
            await page.wait_for_selector("form[action='/masuk/kode'] #f-totp")
            await page.fill("#f-totp", akun.code())
            await page.click("button:has-text('Masuk')")
    await page.wait_for_selector("h1:has-text('Beranda')")


async def axe_check(page: Any, name: str) -> list[dict[str, Any]]:
    """axe-core (vendored, pinned) in the page: the serious and critical violations."""
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern (a script tag would be refused by it, rightly); already there when the context
    # injects it into every page it loads (``with_axe``).
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = await page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    return [
        {
            "page": name,
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in bad
    ]


async def with_axe(context: Any) -> Any:
    """``context`` with axe-core in every page it loads, sent to the browser once: a test that
    checks many pages does not send its 550 kB through the driver for each of them."""
    await context.add_init_script(path=str(AXE))
    return context


async def screenshot(page: Any, name: str) -> None:
    """docs/console/<name>.png, when AWASI_CONSOLE_SCREENSHOTS=1 (docs/console.md shows them)."""
    if os.environ.get("AWASI_CONSOLE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
