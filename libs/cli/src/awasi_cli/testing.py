"""Pytest fixtures for real parts (loaded with ``-p awasi_cli.testing``): the broker over TCP and PostgreSQL.

- Broker: with a Docker engine, Apache Kafka in a testcontainer; otherwise the embedded
  Tansu broker on a free port. The broker is always there: broker tests never skip.
- Database: PostgreSQL at 127.0.0.1:5432 (user postgres, trust auth) when it answers, a
  fresh database per service and test session; with a Docker engine and no local server, a
  PostgreSQL testcontainer; otherwise SQLite files.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from awasi_common.auth import Role
from awasi_common.db import drop_database
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_common.tokens import DevelopmentIssuer
from awasi_common.vocabulary import Divisi

LOCAL_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def _ephemeral_range() -> tuple[int, int]:
    """The ports the kernel hands to outgoing connections (Linux's default 32768–60999; the same
    assumed where /proc does not say, as on macOS, whose range 49152–65535 lies within it)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[:2]
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


PORT_SLICE = 1000
"""Ports each test process walks: a slice of its own outside the kernel's ephemeral range."""
_PORT_SLICES = 12
_HELD_CLAIMS = 200
"""Claims a process keeps: a port handed out 200 calls ago is bound by its server or given up."""
_next_ports: Iterator[int] | None = None
_claims: collections.deque[int] = collections.deque()


def _ports() -> Iterator[int]:
    """This process's slice, round and round: slice 0 for a lone process, 1 + N for xdist's gwN
    (beyond eleven workers slices are shared, which the claims below make safe). Below the
    ephemeral range, or above it when the range starts too low; the kernel's own pick when
    neither has room."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    index = (int(worker[2:]) + 1) % _PORT_SLICES if worker[2:].isdigit() else 0
    low, high = _ephemeral_range()
    span = _PORT_SLICES * PORT_SLICE
    if low - span >= 1024:
        base = low - span
    elif high + span <= 65535:
        base = high + 1
    else:
        while True:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                yield int(sock.getsockname()[1])
    first = base + index * PORT_SLICE
    while True:
        yield from range(first, first + PORT_SLICE)


def _claim(port: int) -> bool:
    """Whether this process may hand ``port`` out: a lock on a file of the port's own, held while
    the claim is, so that another test run on the machine (a clean clone beside a checkout, a bench
    beside a test), walking the same slice, passes it by."""
    directory = Path(tempfile.gettempdir()) / "awasi-ports"
    directory.mkdir(exist_ok=True)
    fd = os.open(directory / f"{port}.lock", os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    _claims.append(fd)
    while len(_claims) > _HELD_CLAIMS:
        os.close(_claims.popleft())  # closing the file releases its lock
    return True


def free_port() -> int:
    """A loopback port nothing listens on, for a server a test is about to start.

    Not the kernel's pick from an unbound socket: that comes from the ephemeral range, where every
    outgoing connection of the suite (to PostgreSQL, the brokers, the services) also takes its
    source port, and one did take a port between this answer and the server's bind (a console
    stack failed with "address already in use"). Outside that range only listening sockets live;
    each test process walks a slice of its own and claims each port it hands out (``_claim``), so
    two processes, of one run or of two, do not hand out the same port."""
    global _next_ports
    if _next_ports is None:
        _next_ports = _ports()
    for port in _next_ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # a server of this process, of the machine's, or a socket in TIME_WAIT
        if _claim(port):
            return port
    raise AssertionError("unreachable: the slice repeats")  # pragma: no cover


SUITE_SETTINGS = {"AWASI_IDENTITY_PASSWORD_PROFILE": "cheapest", "AWASI_KAFKA_FETCH_WAIT_MS": "500"}
"""What the suite sets for itself (tests/conftest.py) and every process it starts, unless already
set:

- password hashes with argon2's cheapest parameters. RFC 9106's (the default) cost ~0.3 s of CPU
  a hash or check here, and the suite signs in and activates accounts hundreds of times. A hash
  carries its parameters, so the code path is the same; tests/identity/test_password_hashes.py
  checks the default and that production refuses this one;
- consumers' fetches (and the disabled-accounts reader's) held 500 ms instead of 100 by the
  broker when they find nothing. The suite keeps both cores busy, and every idle consumer of
  every running service asks the embedded broker again after each wait. Four idle services took
  ~10% of a core in the broker at 200 ms (the reader at 100), ~5% at 500; a record reaches an
  idle consumer ~50 ms later on average (15 → 67 ms; docs/operations.md, the suite)."""


def process_env(*, suite: bool = True) -> dict[str, str]:
    """The environment of a process a test starts: this one's without its ``AWASI_`` settings
    (a developer's own must not reach a test), with the suite's own unless ``suite=False``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWASI_")}
    if suite:
        env.update({k: os.environ[k] for k in SUITE_SETTINGS if k in os.environ})
    return env


def docker_available() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def local_postgres_answers() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("AWASI_TEST_KAFKA_BOOTSTRAP"):
        yield os.environ["AWASI_TEST_KAFKA_BOOTSTRAP"]
        return
    if docker_available():
        with apache_kafka() as bootstrap:
            yield bootstrap
        return
    with broker_process(tmp_path_factory.mktemp("broker")) as bootstrap:
        yield bootstrap


@contextlib.contextmanager
def broker_process(log_dir: Path) -> Iterator[str]:
    """The embedded broker on a free port (its log in ``log_dir``), stopped on exit."""
    from awasi_cli.broker import start_broker, wait_for_port

    port = free_port()
    process = start_broker(port, log_dir / "broker.log")
    try:
        wait_for_port("127.0.0.1", port, 20, process)
        yield f"127.0.0.1:{port}"
    finally:
        process.kill()
        process.wait(10)


@contextlib.contextmanager
def apache_kafka(image: str = "apache/kafka:3.9.1") -> Iterator[str]:
    """Apache Kafka (the official image, KRaft, one node) in a testcontainer, configured as
    docker-compose.yml runs it but advertised on a host port of its own."""
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    port = free_port()
    container = (
        DockerContainer(image)
        .with_bind_ports(port, port)
        .with_env("KAFKA_NODE_ID", "1")
        .with_env("KAFKA_PROCESS_ROLES", "broker,controller")
        .with_env("KAFKA_LISTENERS", f"PLAINTEXT://:{port},CONTROLLER://:9093")
        .with_env("KAFKA_ADVERTISED_LISTENERS", f"PLAINTEXT://127.0.0.1:{port}")
        .with_env("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
        .with_env("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT")
        .with_env("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
        .with_env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .with_env("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
    )
    with container:
        wait_for_logs(container, "Kafka Server started", timeout=120)
        yield f"127.0.0.1:{port}"


@pytest.fixture
def private_broker(tmp_path: Path) -> Iterator[str]:
    """A broker of the test's own, for tests that read whole topics others also write to (a
    module's ``kafka_bootstrap`` fixture may return it to run its services on it)."""
    with broker_process(tmp_path) as bootstrap:
        yield bootstrap


class Databases:
    """``databases("planning")`` gives a fresh, empty database URL for that service; ``drop_soon``
    drops one in a background thread while the suite goes on. A dropped PostgreSQL database
    takes ~0.15 s, one after another inside PostgreSQL: left for the session's end, each test
    process's hundred of them kept it busy for half a minute after its last test."""

    def __init__(self, base: str | None, sqlite_dir: Path) -> None:
        self._base = base
        self._sqlite_dir = sqlite_dir
        self._left: set[str] = set()
        self._dropper = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="drop-database")

    def __call__(self, service: str) -> str:
        name = f"awasi_test_{service}_{uuid.uuid4().hex[:8]}"
        url = f"{self._base}/{name}" if self._base else f"sqlite+aiosqlite:///{self._sqlite_dir / name}.db"
        self._left.add(url)
        return url

    def drop_soon(self, url: str) -> None:
        """Drop ``url``'s database, no longer used, in the background."""
        if url in self._left:
            self._left.discard(url)
            self._dropper.submit(self._drop, url)

    def drop_all(self) -> None:
        for url in sorted(self._left):
            self._dropper.submit(self._drop, url)
        self._left.clear()
        self._dropper.shutdown(wait=True)

    @staticmethod
    def _drop(url: str) -> None:
        with contextlib.suppress(Exception):
            asyncio.run(drop_database(url))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """``database_url("planning")`` gives a fresh, empty database URL for that service."""
    container = None
    base: str | None = None
    if local_postgres_answers():
        base = "postgresql+asyncpg://postgres@127.0.0.1:5432"
    elif docker_available():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16-alpine", driver="asyncpg").start()
        url = container.get_connection_url()
        base = url.rsplit("/", 1)[0]
    databases = Databases(base, tmp_path_factory.mktemp("sqlite"))
    yield databases
    databases.drop_all()
    if container is not None:
        container.stop()


@pytest.fixture
def platform_settings(kafka_bootstrap: str, tmp_path: Path) -> PlatformSettings:
    return PlatformSettings(
        kafka_bootstrap=kafka_bootstrap,
        data_dir=tmp_path / "data",
        # The relay is woken by each commit that wrote the outbox; its timer (the default 0.5 s,
        # not 0.1: each round is a transaction) only finds what another process wrote.
        topic_partitions=3,
        # The embedded broker holds a group join for half the session timeout: every service a
        # test starts joins its groups, so a shorter one makes the suite faster (2 s: a module
        # of service starts ran in 24 s instead of 34 s at 6 s). AWASI_TEST_SESSION_TIMEOUT_MS
        # lengthens it on a slower machine.
        kafka_session_timeout_ms=int(os.environ.get("AWASI_TEST_SESSION_TIMEOUT_MS", "2000")),
        # Development tokens only (the tokens() fixture's): no issuer is fetched unless a test
        # runs the services against identity (tests/identity/test_services_verify.py).
        token_issuer="",
    )


@pytest.fixture
def tokens(platform_settings: PlatformSettings) -> Callable[..., dict[str, str]]:
    """``tokens("35.05", "operator")`` gives the Authorization header for that unit and role, a
    development token (EdDSA, the development key the services trust outside production).

    The person is a member of the unit's P2H divisi unless ``divisi=`` says otherwise
    (``divisi=None``: none): the participatory programs' writes need it (Pasal 4 Perbawaslu
    2/2023), and most tests act as that member. ``subject=`` names the person."""
    issuer = DevelopmentIssuer(platform_settings.dev_token_key, audience=platform_settings.token_audience)

    def headers(
        unit: str,
        role: Role | str = Role.OPERATOR,
        *,
        divisi: Divisi | str | None = Divisi.P2H,
        subject: str | None = None,
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {issuer.issue(unit=unit, role=role, divisi=divisi, subject=subject)}"}

    return headers


ServiceStarter = Callable[[str], Awaitable[httpx.AsyncClient]]


class MigratedCopies:
    """Fresh PostgreSQL databases already at a service's newest migration: its migrations run
    once per test process into a template database, and each service start copies that
    (``CREATE DATABASE … TEMPLATE``, ~40 ms) instead of running them all (0.3–0.6 s). It copies
    the files (``STRATEGY FILE_COPY``): PostgreSQL 15's default writes every page to the WAL
    instead, 53 ms of its CPU per copy and 35 ms per drop here against 33 and 9 (a suite makes
    ~290). The service's own start then finds the copy at the newest revision and leaves alembic
    alone (``awasi_common.migrations.upgrade``). Tests of the migrations themselves take an empty
    database from ``database_url``."""

    def __init__(self, database_url: Databases) -> None:
        self._database_url = database_url
        self._templates: dict[Path, str] = {}

    async def create(self, url: str, service: str, migrations_path: Path) -> None:
        from sqlalchemy import NullPool, text
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.ext.asyncio import create_async_engine

        from awasi_common import migrations
        from awasi_common.db import is_sqlite

        if is_sqlite(url):
            return
        template = self._templates.get(migrations_path)
        if template is None:
            template_url = self._database_url(f"{service}_template")
            await migrations.upgrade(migrations_path, template_url)
            template = self._templates[migrations_path] = str(make_url(template_url).database)
        admin = create_async_engine(
            make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        try:
            async with admin.connect() as connection:
                for attempt in range(50):
                    try:
                        await connection.execute(
                            text(f'CREATE DATABASE "{make_url(url).database}" TEMPLATE "{template}" STRATEGY FILE_COPY')
                        )
                        return
                    except DBAPIError as error:  # the migration's connection is still closing
                        if "being accessed by other users" not in str(error) or attempt == 49:
                            raise
                        await asyncio.sleep(0.05)
        finally:
            await admin.dispose()


@pytest.fixture(scope="session")
def migrated_copies(database_url: Databases) -> MigratedCopies:
    return MigratedCopies(database_url)


@pytest.fixture
async def start_service(
    platform_settings: PlatformSettings, database_url: Databases, migrated_copies: MigratedCopies
) -> AsyncIterator[ServiceStarter]:
    """``await start_service("planning")``: the service running in-process on the test broker
    and a fresh database at its newest migration (lifespan entered), with an HTTP client on its
    ASGI app."""
    stack = contextlib.AsyncExitStack()
    apps: dict[str, FastAPI] = {}
    urls: list[str] = []

    async def start(name: str) -> httpx.AsyncClient:
        import importlib

        bootstrap = importlib.import_module(f"awasi_{name}.bootstrap").bootstrap
        settings = ServiceSettings(name=name, port=free_port(), database_url=database_url(name))
        urls.append(settings.database_url)
        app: FastAPI = bootstrap(platform_settings, settings)
        await migrated_copies.create(settings.database_url, name, app.state.service.migrations_path)
        await stack.enter_async_context(app.router.lifespan_context(app))
        apps[name] = app
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
        await stack.enter_async_context(client)
        return client

    start.apps = apps  # type: ignore[attr-defined]
    async with stack:
        yield start
    for url in urls:
        database_url.drop_soon(url)


@contextlib.asynccontextmanager
async def schema_engine(url: str, metadata: Any) -> AsyncIterator[Any]:
    """An engine on ``url`` (the database created if missing) with ``metadata``'s tables made,
    for tests of one adapter without its service's migrations."""
    from awasi_common.db import create_engine, ensure_database

    await ensure_database(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield engine
    finally:
        await engine.dispose()


class BrokenHandler:
    """One of a running consumer's handlers made to fail (as a table not yet migrated would)
    until ``mended``: its events are dead-lettered meanwhile, and handled by the original
    handler once mended and replayed. ``restore()`` puts the original back."""

    def __init__(self, consumer: Any, event_type: type, error: str = "tabel token kalender belum dimigrasi") -> None:
        self.consumer, self.event_type, self.error = consumer, event_type, error
        self.original = consumer.handlers[event_type]
        self.mended = False
        consumer.handlers[event_type] = self._handle

    async def _handle(self, event: Any, envelope: Any, uow: Any) -> None:
        if not self.mended:
            raise ValueError(self.error)
        await self.original(event, envelope, uow)

    def restore(self) -> None:
        self.consumer.handlers[self.event_type] = self.original


async def eventually(check: Callable[[], Awaitable[Any]], *, timeout: float = 30, interval: float = 0.1) -> Any:
    """Poll ``check`` until it returns a truthy value; fail with its last result after ``timeout``."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Any = None
    while True:
        last = await check()
        if last:
            return last
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s; last result: {last!r}")
        await asyncio.sleep(interval)


class FakeUnitOfWork:
    """An in-memory unit of work for handler tests on fakes (no database, no broker): the events
    a handler publishes reach ``published`` only when it commits, as the outbox row would; leaving
    without a commit drops them. A service's fake adds its fake repositories and, where its rows
    must roll back too, copies them in ``_begin`` and keeps them in ``_keep``."""

    def __init__(self, published: list[Any] | None = None) -> None:
        self.published: list[Any] = published if published is not None else []
        self.commits = 0
        self._pending: list[Any] = []

    async def __aenter__(self) -> Any:
        self._pending = []
        self._begin()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._pending = []  # uncommitted work is rolled back

    def publish(self, *events: Any) -> None:
        self._pending.extend(events)

    async def commit(self) -> None:
        self._keep()
        self.published.extend(self._pending)
        self._pending = []
        self.commits += 1

    def _begin(self) -> None:
        """A transaction starts: a fake whose rows roll back takes its working copy here."""

    def _keep(self) -> None:
        """The transaction commits: a fake whose rows roll back keeps its working copy here."""
