"""The inbox as server-sent events (GET /kotak-masuk/aliran), served by uvicorn on a real port
(an ASGI transport buffers a stream), on the real broker and PostgreSQL: a new message arrives
within seconds, a reconnect with Last-Event-ID gets only what came after, another unit's token
is refused, the per-process limit answers 503 with Retry-After, and stopping ends open streams."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest

from awasi_common.events.planning import KegiatanCancelled
from tests.browser import served
from tests.sse import Events, opened

STREAM = "/kotak-masuk/aliran"


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the module's tests' own: on the shared one notification also reads the kegiatan
    other tests left on it, and their messages and reminders reach 35.05's inbox and stream,
    which these tests read whole."""
    return private_broker


def stream(
    client: httpx.AsyncClient, headers: dict[str, str], **extra: str
) -> contextlib.AbstractAsyncContextManager[Events]:
    return opened(client, STREAM, {**headers, "Accept": "text/event-stream", **extra})


async def test_new_inbox_messages_arrive_live_and_a_reconnect_resumes_after_the_last(
    notification_service, tokens, kegiatan_event
) -> None:
    n = await notification_service(INBOX_STREAM_POLL_SECONDS="0.2", INBOX_STREAM_HEARTBEAT_SECONDS="0.5")
    operator = tokens("35.05", "operator")
    subscribed = await n.client.post(
        "/langganan", json={"untuk": "unit", "jenis_event": ["awasi.KegiatanCancelled.v1"]}, headers=operator
    )
    assert subscribed.status_code == 201, subscribed.text

    async with served(n.app) as base, httpx.AsyncClient(base_url=base, timeout=20) as client:
        async with stream(client, operator) as live:
            loop = asyncio.get_running_loop()
            first = await n.publish(kegiatan_event(KegiatanCancelled, "35.05", alasan="Hujan deras", judul="Patroli"))
            sent_at = loop.time()
            got = await live.next(timeout=15)
            took = loop.time() - sent_at
            assert got["event"] == "pesan" and got["data"]["event_id"] == first.id
            assert got["id"] == got["data"]["id"] and got["data"]["pribadi"] is False
            assert "Hujan deras" in got["data"]["isi"] and got["data"]["unit"] == "35.05"
            listed = (await n.client.get("/kotak-masuk", headers=operator)).json()
            assert [m["id"] for m in listed] == [got["id"]]  # the same message the list shows
            await asyncio.sleep(1.2)
            assert "detak" in live.comments  # heartbeats while quiet
            assert live.events.empty()  # nothing twice
        print(f"inbox message on the stream {took:.2f} s after its event was published")

        # While nobody listens two more arrive; the reconnect names the last one it received.
        second = await n.publish(kegiatan_event(KegiatanCancelled, "35.05", alasan="Ditunda"))
        third = await n.publish(kegiatan_event(KegiatanCancelled, "35.05", alasan="Dibatalkan panitia"))

        async def both_stored() -> bool:
            return len((await n.client.get("/kotak-masuk", headers=operator)).json()) == 3

        from awasi_cli.testing import eventually

        await eventually(both_stored)
        async with stream(client, operator, **{"Last-Event-ID": got["id"]}) as resumed:
            again = [await resumed.next(), await resumed.next()]
            assert {e["data"]["event_id"] for e in again} == {second.id, third.id}
            await asyncio.sleep(1)
            assert resumed.events.empty()  # the first is not sent again
            assert again[-1]["id"] == max((e["data"]["dibuat_pada"], e["data"]["id"]) for e in again)[1]

        # Without Last-Event-ID a stream starts with what comes next, not the backlog.
        async with stream(client, operator) as fresh:
            await asyncio.sleep(1)
            assert fresh.events.empty()


async def test_the_stream_is_refused_without_a_token_to_another_unit_and_past_its_limit(
    notification_service, tokens
) -> None:
    n = await notification_service(INBOX_STREAM_MAX="2", INBOX_STREAM_POLL_SECONDS="0.2")
    operator = tokens("35.05", "operator")
    async with served(n.app) as base, httpx.AsyncClient(base_url=base, timeout=20) as client:
        assert (await client.get(STREAM)).status_code == 401
        whole = await client.get(STREAM, headers=operator)  # a client that would wait for the end
        assert whole.status_code == 406 and "text/event-stream" in whole.json()["detail"]
        operator = {**operator, "Accept": "text/event-stream"}
        token = operator["Authorization"].removeprefix("Bearer ")
        for query in (f"access_token={token}", f"token={token}"):  # never a token in the URL
            assert (await client.get(f"{STREAM}?{query}")).status_code == 401
        other = await client.get(f"{STREAM}?unit=35.05", headers=tokens("35.06", "operator"))
        assert other.status_code == 403 and "35.06" in other.json()["detail"]
        other = await client.get(
            STREAM + "?unit=35.05", headers={**tokens("35.06", "operator"), "Accept": "text/event-stream"}
        )
        assert other.status_code == 403 and "35.06" in other.json()["detail"]
        assert (await client.get(STREAM, headers=tokens("35.05", "agency"))).status_code == 403

        async with stream(client, operator), stream(client, tokens("35.05.01", "operator")):
            refused = await client.get(STREAM, headers=operator)
            assert refused.status_code == 503 and refused.headers["retry-after"] == "30"
            assert "aliran" in refused.json()["detail"]
        await asyncio.sleep(0.5)  # both places are free again once their clients left
        assert n.app.state.inbox_streams.open == 0
        async with stream(client, operator) as again:
            assert not again.ended.is_set()


@pytest.mark.parametrize("how", ["stop", "client", "age"])
async def test_open_streams_end_when_the_process_stops_the_client_leaves_or_they_are_old(
    notification_service, tokens, how: str
) -> None:
    n = await notification_service(INBOX_STREAM_POLL_SECONDS="0.2", INBOX_STREAM_MAX_SECONDS="2")
    hub = n.app.state.inbox_streams
    async with served(n.app) as base, httpx.AsyncClient(base_url=base, timeout=20) as client:
        if how == "age":  # the browser reconnects by itself, with a token that is still valid
            async with stream(client, tokens("35.05", "operator")) as live:
                await asyncio.wait_for(live.ended.wait(), 6)
            assert hub.open == 0
        elif how == "stop":
            async with stream(client, tokens("35.05", "operator")) as live:
                await asyncio.sleep(0.3)
                assert hub.open == 1
                hub.stop()
                await asyncio.wait_for(live.ended.wait(), 3)
            refused = await client.get(STREAM, headers={**tokens("35.05", "operator"), "Accept": "text/event-stream"})
            assert refused.status_code == 503  # a stopping process opens no new stream
        else:
            async with stream(client, tokens("35.05", "operator")):
                await asyncio.sleep(0.3)
                assert hub.open == 1
            for _ in range(50):
                if hub.open == 0:
                    break
                await asyncio.sleep(0.1)
            assert hub.open == 0
