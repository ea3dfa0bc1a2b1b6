"""The in-process rate limiter (awasi_common.ratelimit without Redis), on a clock the test moves:
moving windows per client, Retry-After, keying by a hash of the address, bounded memory."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from awasi_common.ratelimit import CLIENT_SCOPE_KEY, ClientRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client(address: str) -> dict[str, Any]:
    return {"type": "http", "client": (address, 50000)}


def limiter(notation: str, clock: Clock, **options: Any) -> ClientRateLimiter:
    return ClientRateLimiter({"publik": notation}, clock=clock, **options)


async def test_a_moving_window_refuses_past_the_limit_and_says_how_long_to_wait() -> None:
    clock = Clock()
    limits = limiter("3/minute", clock)
    ani = client("198.51.100.7")
    for _ in range(3):  # at 0, 5 and 10 s
        assert await limits.hit_scope("publik", ani) is None
        clock.now += 5
    clock.now += 5
    assert await limits.hit_scope("publik", ani) == 41  # at 20 s: the first hit leaves the window at 60 s
    clock.now += 39.5
    assert await limits.hit_scope("publik", ani) == 1
    clock.now += 0.5
    assert await limits.hit_scope("publik", ani) is None  # at 60 s the first left: one more
    assert await limits.hit_scope("publik", ani) == 6  # the one at 5 s leaves at 65 s
    clock.now += 5
    assert await limits.hit_scope("publik", ani) is None


async def test_every_limit_of_a_scope_holds_and_a_refused_hit_is_not_counted() -> None:
    clock = Clock()
    limits = limiter("2/minute;3/hour", clock)
    budi = client("198.51.100.8")
    assert [await limits.hit_scope("publik", budi) for _ in range(3)] == [None, None, 61]
    clock.now += 60
    assert await limits.hit_scope("publik", budi) is None  # the third of the hour
    clock.now += 60
    # The minute allows it, the hour does not: wait for the hour's first hit to leave it.
    assert await limits.hit_scope("publik", budi) == 3600 - 120 + 1
    for _ in range(20):
        await limits.hit_scope("publik", budi)
    clock.now = 1000.0 + 3600
    assert await limits.hit_scope("publik", budi) is None  # refused knocks did not fill the hour


async def test_check_answers_without_counting() -> None:
    clock = Clock()
    limits = limiter("2/minute", clock)
    scope = client("198.51.100.9")
    request = Request(scope)
    for _ in range(5):
        assert await limits.check("publik", request) is None
    await limits.hit_scope("publik", scope)
    await limits.hit_scope("publik", scope)
    assert await limits.check("publik", request) == 61
    assert await limits.hit_scope("publik", scope) == 61


async def test_each_client_has_its_own_count_known_only_by_a_hash() -> None:
    clock = Clock()
    limits = limiter("1/minute", clock)
    assert await limits.hit_scope("publik", client("203.0.113.1")) is None
    assert await limits.hit_scope("publik", client("203.0.113.2")) is None
    assert await limits.hit_scope("publik", client("203.0.113.1")) == 61
    # The address reporting moved out of sight of tracing is the one counted.
    hidden = {"type": "http", "client": None, CLIENT_SCOPE_KEY: ("203.0.113.2", 1)}
    assert await limits.hit_scope("publik", hidden) == 61
    keys = list(limits._windows["publik"]._clients)
    assert len(keys) == 2 and all(len(key) == 32 and "203.0.113" not in key for key in keys)
    # Another process (no shared secret) hashes the same address to another key.
    assert ClientRateLimiter({"publik": "1/minute"}).client_key(client("203.0.113.1")) not in keys


async def test_clients_whose_windows_passed_are_forgotten() -> None:
    clock = Clock()
    limits = limiter("1/minute;5/hour", clock)
    windows = limits._windows["publik"]
    for n in range(50):
        await limits.hit_scope("publik", client(f"10.0.0.{n}"))
    clock.now += 61
    for n in range(10):
        await limits.hit_scope("publik", client(f"10.0.1.{n}"))
    assert len(windows) == 60  # within the hour every client is still remembered
    clock.now += 3600
    for n in range(30):
        await limits.hit_scope("publik", client(f"10.0.2.{n}"))
    assert len(windows) == 30  # each hit forgets up to two whose longest window has passed


async def test_memory_is_bounded_and_a_client_that_keeps_knocking_is_not_forgotten() -> None:
    clock = Clock()
    limits = limiter("2/hour", clock, max_clients=100)
    windows = limits._windows["publik"]
    knocker = client("192.0.2.1")
    await limits.hit_scope("publik", knocker)
    await limits.hit_scope("publik", knocker)
    for n in range(1000):
        clock.now += 0.01
        assert await limits.hit_scope("publik", client(f"10.1.{n // 256}.{n % 256}")) is None
        assert await limits.hit_scope("publik", knocker) is not None
        assert len(windows) <= 100
    assert len(windows) == 100
    # The quiet clients were forgotten first: the earliest starts afresh, the knocker does not.
    assert await limits.hit_scope("publik", client("10.1.0.0")) is None
    assert await limits.hit_scope("publik", client("10.1.0.0")) is None
    assert await limits.hit_scope("publik", knocker) is not None


async def test_a_zero_limit_refuses_everything() -> None:
    limits = limiter("0/minute", Clock())
    assert await limits.hit_scope("publik", client("198.51.100.10")) == 61
