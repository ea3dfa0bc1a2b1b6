"""Beranda's live inbox without a browser: the console relays notification's inbox stream
(server-sent events) for a cookie session, over real HTTP against the real stack (identity,
planning and notification on real ports, the real broker and PostgreSQL). A kegiatan planned
reaches the open stream; opening it is not use of the session; the stream ends with the session
and frees notification's place when the client leaves; no session, no stream."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.sse import Events, opened

from .conftest import DESKTOP, SANDI, UNIT, Stack, sign_in

ALIRAN = "/beranda/aliran"


@contextlib.asynccontextmanager
async def signed_in_client(stack: Stack, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding a console session cookie, signed in through the console's form."""
    async with httpx.AsyncClient(base_url=stack.console, timeout=30) as client:
        page = await client.get("/masuk")
        match = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert match, page.text[:500]
        form = {"email": email, "password": SANDI, "csrf": match.group(1), "lanjut": "/"}
        answer = await client.post("/masuk", data=form)
        assert answer.status_code == 303 and answer.headers["location"] == "/", (answer.status_code, answer.text[:500])
        yield client


def stream(client: httpx.AsyncClient, **headers: str) -> contextlib.AbstractAsyncContextManager[Events]:
    return opened(client, ALIRAN, headers)


async def open_streams(stack: Stack) -> int:
    return int(stack.apps["notification"].state.inbox_streams.open)


async def test_a_planned_kegiatan_reaches_beranda_live_through_the_console(stack: Stack) -> None:
    operator = await stack.akun("operator")
    subscribed = await stack.clients["notification"].post(
        "/langganan",
        json={"untuk": "unit", "jenis_event": ["awasi.KegiatanScheduled.v1"]},
        headers=stack.headers(role="operator"),
    )
    assert subscribed.status_code == 201, subscribed.text
    sessions = stack.console_app.state.sessions
    before = await open_streams(stack)
    async with signed_in_client(stack, operator.email) as client:
        cookie = client.cookies["awasi_sesi"]
        session = sessions.get(cookie, touch=False)
        assert session is not None
        session.last_seen -= 100  # as if the person had last clicked 100 s ago
        seen = session.last_seen

        async with stream(client) as live:
            assert await open_streams(stack) == before + 1
            judul = f"Patroli pengawasan kampanye {dt.datetime.now():%H%M%S%f}"
            day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
            made = await stack.clients["planning"].post(
                "/kegiatan",
                json={"unit": UNIT, "divisi": "P2H", "judul": judul, "jadwal": {"mulai": day, "selesai": day}},
                headers=stack.headers(role="operator"),
            )
            assert made.status_code == 201, made.text
            loop = asyncio.get_running_loop()
            started = loop.time()
            got = await asyncio.wait_for(live.events.get(), 30)
            print(f"kegiatan planned → on Beranda's stream in {loop.time() - started:.2f} s")
            assert got["event"] == "pesan" and got["id"] == got["data"]["id"]
            assert judul in got["data"]["subjek"] + got["data"]["isi"] and got["data"]["unit"] == UNIT
            # The fragment the page then asks for lists it (the poll marker: not use either).
            fragment = await client.get("/kotak-masuk", headers={"HX-Request": "true", "HX-Trigger": "kotak"})
            assert judul in fragment.text
            assert sessions.get(cookie, touch=False).last_seen == seen  # streaming is not use

        # A reconnect names the last event it had: nothing is sent twice.
        async with stream(client, **{"Last-Event-ID": got["id"]}) as resumed:
            await asyncio.sleep(2)
            assert resumed.events.empty()

            # The session ends (idle, signed out): the stream ends with it within seconds.
            sessions.drop(session)
            await asyncio.wait_for(resumed.ended.wait(), 10)
        assert (await client.get(ALIRAN)).status_code == 401

    for _ in range(50):  # notification's place is freed once the console let go
        if await open_streams(stack) == before:
            break
        await asyncio.sleep(0.1)
    assert await open_streams(stack) == before


async def test_no_session_no_stream_and_a_leaving_browser_closes_it_upstream(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.console, timeout=10) as anonymous:
        refused = await anonymous.get(ALIRAN)
        assert refused.status_code == 401 and "Sesi berakhir" in refused.text
        forged = await anonymous.get(ALIRAN, cookies={"awasi_sesi": "x" * 40})
        assert forged.status_code == 401

    operator = await stack.akun("operator")
    before = await open_streams(stack)
    async with signed_in_client(stack, operator.email) as client:
        async with stream(client):
            await asyncio.sleep(0.5)
            assert await open_streams(stack) == before + 1
        for _ in range(100):  # the browser left: the console's relay and notification's stream end
            if await open_streams(stack) == before:
                break
            await asyncio.sleep(0.1)
        assert await open_streams(stack) == before


async def test_in_chromium_the_inbox_follows_the_stream_instead_of_polling(stack: Stack, browser: Any) -> None:
    """The page opens the stream and asks for the inbox fragment once per arrival, not every
    poll_seconds (2 s in this stack): the polling is only the fallback."""
    operator = await stack.akun("operator")
    subscribed = await stack.clients["notification"].post(
        "/langganan",
        json={"untuk": "unit", "jenis_event": ["awasi.KegiatanScheduled.v1"]},
        headers=stack.headers(role="operator"),
    )
    assert subscribed.status_code == 201, subscribed.text
    context = await browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = await context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.removeprefix(stack.console)))
    await sign_in(page, stack, operator)
    await page.wait_for_selector("#kotak[data-aliran-terbuka]")
    await asyncio.sleep(5)  # more than two poll periods: nothing polled meanwhile
    assert "/kotak-masuk" not in asked and ALIRAN in asked, asked
    judul = f"Rapat koordinasi langsung {dt.datetime.now():%H%M%S%f}"
    day = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    made = await stack.clients["planning"].post(
        "/kegiatan",
        json={"unit": UNIT, "divisi": "P2H", "judul": judul, "jadwal": {"mulai": day, "selesai": day}},
        headers=stack.headers(role="operator"),
    )
    assert made.status_code == 201, made.text
    await page.wait_for_selector(f"#kotak :text('{judul}')", timeout=30_000)
    assert asked.count("/kotak-masuk") == 1, asked
    await context.close()
