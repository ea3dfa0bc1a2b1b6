"""Text no database stores and no UTF-8 answer carries (a lone surrogate, NUL) and odd URLs:
a 4xx naming the field, never a 500, nothing written. Once through the whole stack, once with
the shared edge check taken out, as if the text had got past it to notification's own code."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from awasi_common.edge import EdgeGuard
from awasi_common.errors import DomainError
from awasi_notification.adapters.orm import subscription, unit_contact
from awasi_notification.domain.subscriptions import check_event_types
from awasi_notification.domain.webhook_urls import parse_webhook_url

HOOK = {
    "lembaga": "KPU Kabupaten Blitar",
    "url": "https://kpu-blitar.example.go.id/awasi",
    "wilayah": "35.05",
    "jenis_event": ["awasi.KegiatanScheduled.v1"],
}
SUBSCRIPTION = {"untuk": "pribadi", "saluran": "email", "email": "a@kpu.go.id", "jenis_event": ["*"]}
ODD = ["\ud800x", "x\udfff", "a\x00b"]


def cases() -> list[tuple[str, str, dict[str, Any], str]]:
    found = []
    for odd in ODD:
        for field in ("lembaga", "url", "wilayah", "unit"):
            found.append(
                ("POST", "/webhook", {**HOOK, field: odd if field != "url" else f"https://k{odd}.go.id/"}, field)
            )
        found.append(("POST", "/webhook", {**HOOK, "jenis_event": [f"awasi.{odd}.v1"]}, "jenis_event"))
        for field in ("email", "wilayah", "unit"):
            found.append(("POST", "/langganan", {**SUBSCRIPTION, field: odd}, field))
        found.append(("POST", "/langganan", {**SUBSCRIPTION, "jenis_event": [odd]}, "jenis_event"))
        found.append(("PUT", "/kontak-unit/35.05", {"email": [f"a{odd}@kpu.go.id"]}, "email"))
    return found


async def refused_cleanly(n: Any, tokens: Any) -> None:
    agency, operator = tokens("35.05", "agency"), tokens("35.05", "operator")
    for method, path, body, field in cases():
        headers = {**(agency if path == "/webhook" else operator), "content-type": "application/json"}
        # ensure_ascii: the surrogate travels as the JSON escape \ud800, as a client would send it
        response = await n.client.request(method, path, content=json.dumps(body), headers=headers)
        assert response.status_code == 422, (path, body, response.text)
        assert field in response.text, (field, response.text)
    for path in ("/webhook/%00", "/langganan/%00/pengiriman", "/pengingat?kegiatan_id=%00", "/kotak-masuk?unit=%00"):
        response = await n.client.get(path, headers=operator)
        assert 400 <= response.status_code < 500, (path, response.text)
    assert (await n.client.post("/pengiriman/%00/kirim-ulang", headers=agency)).status_code == 422
    assert (await n.client.post("/kotak-masuk/%00/dibaca", headers=operator)).status_code == 422
    assert await n.count(subscription) == 0 and await n.count(unit_contact) == 0


async def test_unstorable_text_is_refused_through_the_whole_stack(notification_service, tokens) -> None:
    n = await notification_service()
    await refused_cleanly(n, tokens)


async def test_unstorable_text_is_refused_by_notification_itself_without_the_edge_check(
    notification_service, tokens
) -> None:
    n = await notification_service()
    n.app.user_middleware = [m for m in n.app.user_middleware if m.cls is not EdgeGuard]
    n.app.middleware_stack = n.app.build_middleware_stack()
    await refused_cleanly(n, tokens)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.builds(lambda host: f"https://{host}/hook", st.text()),
        st.builds(lambda rest: f"https://[{rest}", st.text(alphabet="0123456789abcdef:%.]/[")),
        st.builds(lambda port: f"https://kpu.go.id:{port}/", st.text()),
    )
)
def test_webhook_url_parsing_only_ever_accepts_or_refuses(url: str) -> None:
    for allow in (False, True):
        try:
            parsed = parse_webhook_url(url, allow_http_loopback=allow)
        except DomainError as error:
            assert error.field == "url"
            error.message.encode("utf-8")  # the answer that carries it can be written
        else:
            parsed.url.encode("ascii")  # stored and requested as plain ASCII
            assert parse_webhook_url(parsed.url, allow_http_loopback=allow) == parsed  # canonical: stable


def test_event_type_refusals_never_fail_on_what_they_quote() -> None:
    from awasi_common.events import CATALOG

    for odd in ("awasi.\ud800.v1", "\x00", "ǅ" * 200):
        try:
            check_event_types([odd], CATALOG)
        except DomainError as error:
            assert error.field == "jenis_event"
            error.message.encode("utf-8")
        else:
            raise AssertionError(f"{odd!r} accepted")
