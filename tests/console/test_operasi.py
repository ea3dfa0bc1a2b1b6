"""Operasi's dead letters and Langganan's agency webhooks, without a browser: a console session
(cookie, CSRF) over real HTTP against the real stack (identity, the four services, the real
broker and PostgreSQL).

- A poison event dead-lettered by planning's consumer is listed on Operasi for Bawaslu RI's
  admin (with the trace of the request that caused it) and, once its cause is mended, sent again
  with its "Kirim ulang" button and handled once; a unit's admin sees the service's refusal
  instead; a form without its CSRF token is refused.
- A unit's operator registers an agency's webhook on its behalf (errors beside their fields, what
  was typed kept), sees its secret once, its delivery log with a failed delivery and sends it
  again; deletes it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import sqlalchemy as sa

from awasi_cli.testing import BrokenHandler, eventually
from awasi_common.events.identity import AKUN_TOPIC, AccountDisabled
from awasi_common.outbox import outbox_row

from .conftest import SANDI, UNIT, Akun, Stack


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


@contextlib.asynccontextmanager
async def console(stack: Stack, akun: Akun) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding a console session, signed in through the form (with the code at once)."""
    async with httpx.AsyncClient(base_url=stack.console, timeout=60) as client:
        form = {"email": akun.email, "password": SANDI, "csrf": csrf_of((await client.get("/masuk")).text)}
        if akun.totp:
            form["totp"] = akun.code()
        answer = await client.post("/masuk", data=form)
        assert answer.status_code == 303, (answer.status_code, answer.text[:800])
        yield client


async def post_form(client: httpx.AsyncClient, page: str, action: str, **fields: Any) -> httpx.Response:
    """The form posted as the browser would: the CSRF token of the page it was on."""
    return await client.post(action, data={"csrf": csrf_of((await client.get(page)).text), **fields})


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def _true(value: bool) -> bool:
    return value


async def test_operasi_lists_a_dead_letter_and_sends_it_again_once(stack: Stack) -> None:
    service = stack.apps["planning"].state.service
    consumer = next(c for c in service.consumers if c.group == "awasi.planning")
    broken = BrokenHandler(consumer, AccountDisabled)
    try:
        event = AccountDisabled(
            unit=UNIT, akun_id=f"akun-{uuid.uuid4().hex[:8]}", dinonaktifkan_pada=dt.datetime.now(dt.UTC)
        )
        dead_before = consumer.dead_lettered
        with service.telemetry.tracer.start_as_current_span("permintaan uji") as span:  # the causing request
            row = outbox_row(event)
            await service.broker.publish(row["payload"], AKUN_TOPIC, key=event.key.encode(), headers=row["headers"])
        trace_id = format(span.get_span_context().trace_id, "032x")
        event_id = str(row["event_id"])
        await eventually(lambda: _true(consumer.dead_lettered > dead_before), timeout=60)

        async def handled() -> int:
            async with service.engine.connect() as connection:
                count = await connection.scalar(
                    sa.select(sa.func.count())
                    .select_from(service.inbox)
                    .where(service.inbox.c.consumer == consumer.group, service.inbox.c.event_id == event_id)
                )
            return int(count or 0)

        # A unit's admin reaches the page but not the dead letters: the service says why.
        async with console(stack, await stack.akun("admin", UNIT)) as unit_admin:
            page = await unit_admin.get("/operasi")
            assert page.status_code == 200
            assert "admin Bawaslu RI" in text_of(page.text) and event_id not in page.text

        ri = await stack.akun("admin", "00")
        async with console(stack, ri) as client:
            stack.console_app.state.settings.trace_url = "http://jaeger.test:16686/trace/{id}"
            page = await client.get("/operasi")
            stack.console_app.state.settings.trace_url = None
            assert page.status_code == 200, page.text[:800]
            shown = text_of(page.text)
            assert "Surat mati awasi.planning" in shown
            assert event_id in shown and "tabel token kalender belum dimigrasi" in shown
            assert f"awasi trace {trace_id}" in shown  # the trace of the request that caused it
            assert f'href="http://jaeger.test:16686/trace/{trace_id}"' in page.text  # AWASI_CONSOLE_TRACE_URL
            button = f'<input type="hidden" name="id" value="{event_id}">'
            assert button in page.text and 'action="/operasi/planning/surat-mati-ulang"' in page.text

            # Without the form's CSRF token: refused, nothing sent.
            refused = await client.post(
                "/operasi/planning/surat-mati-ulang", data={"grup": "awasi.planning", "id": event_id}
            )
            assert refused.status_code == 403
            assert await handled() == 0

            broken.mended = True
            sent = await post_form(
                client, "/operasi", "/operasi/planning/surat-mati-ulang", grup="awasi.planning", id=event_id
            )
            assert sent.status_code == 303 and sent.headers["location"] == "/operasi"
            after = await client.get("/operasi")
            assert "planning: 1 surat mati dikirim ulang ke topik asalnya." in text_of(after.text)
            await eventually(lambda: _async_eq(handled, 1), timeout=30)

            # Sent again: the consumer's inbox skips what it handled.
            await post_form(
                client, "/operasi", "/operasi/planning/surat-mati-ulang", grup="awasi.planning", id=event_id
            )
            await asyncio.sleep(3)
            assert await handled() == 1

            # A service the console does not know: refused, not called.
            unknown = await post_form(client, "/operasi", "/operasi/kas/surat-mati-ulang", grup="x")
            assert unknown.status_code == 403
    finally:
        broken.restore()
        stack.console_app.state.settings.trace_url = None


async def webhooks(stack: Stack) -> list[dict[str, Any]]:
    answer = await stack.clients["notification"].get("/webhook", headers=stack.headers(role="operator"))
    assert answer.status_code == 200, answer.text
    return list(answer.json())


async def _async_eq(check: Any, expected: int) -> bool:
    return bool(await check() == expected)


async def test_langganan_webhook_registered_for_an_agency_retried_and_deleted(stack: Stack) -> None:
    settings = stack.apps["notification"].state.notification_settings
    attempts = settings.webhook_max_attempts
    settings.webhook_max_attempts = 1  # the first failed attempt fails for good: a retry to offer
    operator = await stack.akun("operator")
    try:
        async with console(stack, operator) as client:
            page = await client.get("/langganan")
            assert 'href="/langganan/webhook"' in page.text
            page = await client.get("/langganan/webhook")
            assert page.status_code == 200 and "Webhook terdaftar" in text_of(page.text)

            # Refusals beside their fields, everything typed kept.
            url = f"https://kpu-{uuid.uuid4().hex[:6]}.example.go.id/awasi"
            nameless = await post_form(
                client,
                "/langganan/webhook",
                "/langganan/webhook",
                url=url,
                wilayah=UNIT,
                jenis_event="awasi.KegiatanScheduled.v1",
            )
            assert nameless.status_code == 422, nameless.text[:800]
            assert re.search(r'id="f-lembaga-galat">[^<]*lembaga wajib diisi', nameless.text, re.I), nameless.text
            assert f'value="{url}"' in nameless.text
            assert 'value="awasi.KegiatanScheduled.v1" checked' in nameless.text
            plain = await post_form(
                client,
                "/langganan/webhook",
                "/langganan/webhook",
                lembaga="KPU Kabupaten Blitar",
                url="http://kpu-blitar.example.go.id/awasi",
                jenis_event="awasi.KegiatanScheduled.v1",
            )
            assert plain.status_code == 422 and 'id="f-url-galat"' in plain.text
            assert 'value="KPU Kabupaten Blitar"' in plain.text

            made = await post_form(
                client,
                "/langganan/webhook",
                "/langganan/webhook",
                lembaga="KPU Kabupaten Blitar",
                url=url,
                wilayah=UNIT,
                jenis_event="awasi.KegiatanScheduled.v1",
            )
            assert made.status_code == 200, re.findall(r"(?:salah-pesan|pesan galat)[^>]*>([^<]*)", made.text)
            secret = re.search(r"(whsec_[A-Za-z0-9+/]+=*)", made.text)  # standard base64, as issued
            assert secret, "the signing secret is shown once"
            listed = (
                await stack.clients["notification"].get("/webhook", headers=stack.headers(role="operator"))
            ).json()
            [webhook] = [w for w in listed if w["url"] == url]
            assert webhook["lembaga"] == "KPU Kabupaten Blitar" and webhook["unit_pemilik"] == UNIT
            again = await client.get("/langganan/webhook")
            assert secret.group(1) not in again.text  # only once
            assert f"/langganan/webhook/{webhook['id']}/pengiriman" in again.text

            # An event for it: the agency's address does not resolve, the one attempt fails.
            day = (dt.date.today() + dt.timedelta(days=5)).isoformat()
            planned = await stack.clients["planning"].post(
                "/kegiatan",
                json={
                    "unit": UNIT,
                    "divisi": "P2H",
                    "judul": "Rapat koordinasi",
                    "jadwal": {"mulai": day, "selesai": day},
                },
                headers=stack.headers(role="operator"),
            )
            assert planned.status_code == 201, planned.text
            log_path = f"/langganan/webhook/{webhook['id']}/pengiriman"

            async def failed() -> dict[str, Any] | None:
                rows = (
                    await stack.clients["notification"].get(
                        f"/webhook/{webhook['id']}/pengiriman", headers=stack.headers(role="operator")
                    )
                ).json()
                return next((r for r in rows if r["status"] == "failed"), None)

            delivery = await eventually(failed, timeout=60, interval=0.5)
            log = await client.get(log_path)
            assert log.status_code == 200 and "failed" in log.text
            action = f"{log_path}/{delivery['id']}/kirim-ulang"
            assert f'action="{action}"' in log.text

            settings.webhook_max_attempts = attempts
            retried = await post_form(client, log_path, action)
            assert retried.status_code == 303 and retried.headers["location"] == log_path
            assert "Pengiriman dijadwalkan ulang." in text_of((await client.get(log_path)).text)

            # Another unit's webhook log is not found for this operator.
            other = await client.get(f"/langganan/webhook/{uuid.uuid4()}/pengiriman")
            assert other.status_code == 404

            gone = await post_form(client, "/langganan/webhook", f"/langganan/webhook/{webhook['id']}/hapus")
            assert gone.status_code == 303
            listed = (
                await stack.clients["notification"].get("/webhook", headers=stack.headers(role="operator"))
            ).json()
            assert all(w["id"] != webhook["id"] for w in listed)

        # Staff who do not manage agencies' webhooks are told so.
        async with console(stack, await stack.akun("pengawas")) as pengawas:
            assert (await pengawas.get("/langganan/webhook")).status_code == 403
    finally:
        settings.webhook_max_attempts = attempts
