"""The public intake's limits where they are attacked: reporting served by uvicorn (as
``python -m awasi_reporting`` runs it) on the real broker and PostgreSQL.

- A new ``X-Forwarded-For`` on each request used to start every limit afresh: uvicorn trusted
  forwarding headers from 127.0.0.1 by default. Now only configured proxies may name a client.
- Invalid bodies count: every attempt on a public form is counted before its body is read.
- With Redis, the limit holds across worker processes (two workers here, one counter)."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from awasi_cli.probe import answers
from awasi_cli.testing import broker_process, free_port, local_postgres_answers, process_env

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def serve_reporting(tmp_path: Path, kafka_bootstrap: str, database: str, **env: str) -> Iterator[str]:
    port = free_port()
    environment = process_env()
    environment.update(
        {
            "AWASI_DATA_DIR": str(tmp_path / "data"),
            "AWASI_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "AWASI_KAFKA_SESSION_TIMEOUT_MS": "6000",
            "AWASI_REPORTING_PORT": str(port),
            "AWASI_REPORTING_DATABASE_URL": database,
            "AWASI_REPORTING_ATTEMPT_RATE_LIMIT": "6/minute",
            # A secret of this run's own keys its clients' counters in Redis apart from any other's.
            "AWASI_RATE_LIMIT_KEY": secrets.token_hex(32),
            **env,
        }
    )
    log = (tmp_path / "reporting.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "awasi_reporting"], env=environment, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "reporting.log").read_text()
            if answers(f"{url}/healthz", timeout=1):
                break
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(30)
        log.close()


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A broker of these tests' own: the served processes join reporting's consumer groups,
    and members killed with their process must not leave the suite's shared groups
    rebalancing for the in-process services of later tests."""
    with broker_process(tmp_path_factory.mktemp("own-broker")) as bootstrap:
        yield bootstrap


@pytest.fixture
def reporting_url(
    tmp_path: Path, own_broker: str, database_url: object, request: pytest.FixtureRequest
) -> Iterator[str]:
    env: dict[str, str] = getattr(request, "param", {})
    yield from serve_reporting(tmp_path, own_broker, database_url("reporting"), **env)  # type: ignore[operator]


def attempts(url: str, count: int, *, forwarded: bool) -> list[int]:
    """Invalid laporan, each claiming a new client address when ``forwarded``."""
    codes = []
    with httpx.Client(base_url=url, timeout=10) as client:
        for n in range(count):
            headers = {"X-Forwarded-For": f"203.0.113.{n + 1}"} if forwarded else {}
            codes.append(client.post("/laporan", json={"unit": "35.05"}, headers=headers).status_code)
    return codes


def test_forwarded_for_from_loopback_does_not_reset_the_limit(reporting_url: str) -> None:
    codes = attempts(reporting_url, 9, forwarded=True)
    assert codes[:6] == [422] * 6, codes  # invalid bodies are answered, and counted
    assert codes[6:] == [429] * 3, codes


@pytest.mark.parametrize("reporting_url", [{"AWASI_TRUSTED_PROXIES": "127.0.0.1"}], indirect=True)
def test_a_configured_proxy_names_the_client(reporting_url: str) -> None:
    codes = attempts(reporting_url, 9, forwarded=True)
    assert codes == [422] * 9, codes  # nine clients behind the proxy, one attempt each


@pytest.mark.skipif(not (redis_answers() and local_postgres_answers()), reason="needs Redis and PostgreSQL")
@pytest.mark.parametrize(
    "reporting_url", [{"AWASI_REDIS_URL": REDIS_URL, "AWASI_REPORTING_WORKERS": "2"}], indirect=True
)
def test_the_limit_holds_across_worker_processes_with_redis(reporting_url: str) -> None:
    # Each request on a new connection: the kernel spreads them over both workers' accept().
    codes = []
    with httpx.Client(timeout=10, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        for _ in range(12):
            codes.append(client.post(f"{reporting_url}/laporan", json={"unit": "35.05"}).status_code)
    assert codes.count(422) == 6, codes
    assert codes.count(429) == 6, codes
