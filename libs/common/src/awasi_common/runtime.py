"""What every service process is made of, assembled in one place.

A service's composition root (its ``bootstrap.py``) calls :func:`build_service` with its
tables and migrations, adds its consumers and routers, and gets a FastAPI app whose
lifespan migrates the database, creates topics, starts the broker and the outbox relay,
and stops them in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import importlib
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar, overload

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Query
from fastapi import Path as PathParameter
from faststream.kafka import KafkaBroker
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.metrics import CallbackOptions, NoOpMeterProvider, Observation
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from awasi_common import calendar, catalog, deadletters, migrations
from awasi_common.auth import CurrentPrincipal, Principal, Role, TokenVerifier
from awasi_common.db import create_engine, is_sqlite, session_factory
from awasi_common.disabled import DisabledSubjects
from awasi_common.edge import EdgeGuard
from awasi_common.epoch import LogGuard
from awasi_common.errors import Forbidden, NotFound
from awasi_common.events.base import CATALOG, dead_letter_topic, topics
from awasi_common.http import HealthzFirst, install_error_handlers, install_health, wrap_stack
from awasi_common.messaging import (
    Consumer,
    create_broker,
    ensure_topics,
    leave_groups,
    relay_publisher,
    start_together,
)
from awasi_common.monitor import Monitor
from awasi_common.outbox import OutboxRelay
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_common.telemetry import HttpTracing, Telemetry, sql_spans_wanted, trace_ratio
from awasi_common.tokens import Verifier
from awasi_common.units import RI_CODE
from awasi_common.uow import UnitOfWork

log = logging.getLogger(__name__)

SHUTDOWN_SECONDS = 15.0


@dataclass
class Service:
    """The parts of one running service, shared by its entry points."""

    name: str
    platform: PlatformSettings
    settings: ServiceSettings
    telemetry: Telemetry
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: KafkaBroker
    relay: OutboxRelay
    tokens: TokenVerifier
    """The bearer tokens' verifier (awasi_common.tokens); its ``run``, if any, starts with the service."""
    outbox: sa.Table
    inbox: sa.Table
    migrations_path: Path
    guard: LogGuard = field(init=False)
    consumers: list[Consumer] = field(default_factory=list)
    background: list[Callable[[], Any]] = field(default_factory=list)
    """Extra long-running coroutines (schedulers) started with the service."""

    def __post_init__(self) -> None:
        self.guard = LogGuard(self.platform.kafka_bootstrap, self._recover_new_log)
        self.relay.before_publish = self.guard.check

    async def _recover_new_log(self) -> None:
        """The broker's log started over: topics back, retained outbox out again (before
        anything newer), consumer groups rejoined from the new log's beginning."""
        await self.ensure_topics()
        retention = dt.timedelta(days=self.platform.outbox_retention_days)
        await self.relay.republish_since(dt.datetime.now(dt.UTC) - retention)
        for consumer in self.consumers:
            await consumer.restart()

    async def ensure_topics(self) -> None:
        await ensure_topics(
            self.platform.kafka_bootstrap,
            [*topics(), *(dead_letter_topic(c.group) for c in self.consumers)],
            partitions=self.platform.topic_partitions,
            replication=self.platform.topic_replication,
        )

    def add_consumer(self, consumer: Consumer) -> None:
        consumer.fetch_wait_ms = self.platform.kafka_fetch_wait_ms
        consumer.subscribe(self.broker, self.telemetry, session_timeout_ms=self.platform.kafka_session_timeout_ms)
        self.consumers.append(consumer)

    async def check_database(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))

    async def check_broker(self) -> None:
        if not await self.broker.ping(timeout=2.0):
            raise ConnectionError(f"broker {self.platform.kafka_bootstrap} tidak menjawab")


class MessagingTables(Protocol):
    """A service's outbox, its shard leases and its inbox: its ``adapters.orm`` module."""

    outbox: sa.Table
    outbox_lease: sa.Table
    inbox: sa.Table


def build_service(
    name: str,
    tables: MessagingTables,
    *,
    migrations_path: Path,
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
) -> Service:
    platform = platform or PlatformSettings()
    settings = settings or ServiceSettings.load(name, platform)
    calendar.configure(cuti_bersama_libur=platform.cuti_bersama_libur)
    trace_file = platform.data_dir / "traces" / f"{name}.jsonl" if platform.trace_file else None
    telemetry = Telemetry(name, trace_file=trace_file)
    engine = create_engine(settings.database_url, settings.database_pool_size)
    _trace_sql(engine, telemetry)
    broker = create_broker(platform, name, telemetry)
    relay = OutboxRelay(
        engine,
        tables.outbox,
        tables.outbox_lease,
        relay_publisher(broker, telemetry.tracer),
        batch_size=platform.relay_batch_size,
        poll_seconds=platform.relay_poll_seconds,
        retention=dt.timedelta(days=platform.outbox_retention_days),
    )
    return Service(
        name=name,
        platform=platform,
        settings=settings,
        telemetry=telemetry,
        engine=engine,
        sessions=session_factory(engine),
        broker=broker,
        relay=relay,
        tokens=verifier(platform),
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations_path=migrations_path,
    )


def verifier(platform: PlatformSettings) -> Verifier:
    """The issuer's keys, the development key outside production, and disabled accounts read
    from identity's topic by this process."""
    disabled = DisabledSubjects(platform.kafka_bootstrap, fetch_wait_ms=platform.kafka_fetch_wait_ms)
    tokens = Verifier.from_settings(platform, disabled=disabled)
    tokens.background.append(disabled.run)
    return tokens


def _trace_sql(engine: AsyncEngine, telemetry: Telemetry) -> None:
    """Spans for this engine's statements when ``AWASI_TRACE_SQL`` asks for them, with this
    service's providers (the instrumentor's ``instrument()`` is process-wide and runs once; tests
    run several services per process); the pool's connections by state as a metric always."""
    if sql_spans_wanted():
        from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

        # The instrumentor counts connections by state with four counter updates on every pool
        # checkout and checkin (4% of reporting's CPU in the bench's profile). The pool is read
        # when metrics are collected instead, and those listeners are removed.
        tracer = EngineTracer(telemetry.tracer, engine.sync_engine, _NoCounter())
        for identifier, listener in (
            ("connect", tracer._pool_connect),
            ("close", tracer._pool_close),
            ("checkin", tracer._pool_checkin),
            ("checkout", tracer._pool_checkout),
        ):
            sa.event.remove(engine.sync_engine, identifier, listener)

    def connections(_options: CallbackOptions) -> Iterator[Observation]:
        pool = engine.sync_engine.pool
        if isinstance(pool, sa.pool.QueuePool):
            yield Observation(pool.checkedout(), {"state": "used"})
            yield Observation(pool.checkedin(), {"state": "idle"})

    telemetry.meter.create_observable_up_down_counter(
        "db.client.connections.usage", [connections], unit="connections", description="Connections by state"
    )


class _NoCounter:
    def add(self, amount: int, attributes: object = None) -> None:
        return None


U = TypeVar("U", bound=UnitOfWork)


@overload
def uow_factory(service: Service) -> Callable[[], UnitOfWork]: ...
@overload
def uow_factory(service: Service, cls: type[U], **collaborators: Any) -> Callable[[], U]: ...
def uow_factory(service: Service, cls: type[UnitOfWork] = UnitOfWork, **collaborators: Any) -> Callable[[], UnitOfWork]:
    """Units of work on the service's database and outbox; ``collaborators`` (keys, clocks…)
    are handed to each one as keyword arguments."""

    def make() -> UnitOfWork:
        return cls(service.sessions, service.outbox, service.inbox, on_commit=service.relay.wake, **collaborators)

    return make


def create_app(
    service: Service,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    migrate: bool | None = None,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """The service's app. ``body_limits`` names the larger bodies some routes take (uploads,
    declared with ``openapi_extra=at_edge(body=...)``); every other body is capped at
    :data:`awasi_common.edge.STANDARD_BODY_BYTES`."""
    monitor = Monitor(service)
    if migrate is None:
        migrate = service.platform.migrate_on_start

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await migrations.upgrade(service.migrations_path, service.settings.database_url)
        await service.ensure_topics()
        await start_together(service.broker)
        await service.guard.check(force=True)  # remembers the epoch this process starts with
        if service.platform.republish_on_start:
            since = dt.datetime.now(dt.UTC) - dt.timedelta(days=service.platform.outbox_retention_days)
            count = await service.relay.republish_since(since)
            log.info("%s: %d retained outbox rows queued again for the new broker", service.name, count)
        tasks = [
            asyncio.create_task(service.relay.run(), name=f"{service.name}-relay"),
            asyncio.create_task(monitor.run(), name=f"{service.name}-monitor"),
        ]
        tasks += [asyncio.create_task(job(), name=f"{service.name}-job") for job in service.background]
        if callable(getattr(service.tokens, "run", None)):
            tasks.append(asyncio.create_task(service.tokens.run(), name=f"{service.name}-tokens"))  # type: ignore[attr-defined]
        log.info("%s ready on %s:%s", service.name, service.settings.host, service.settings.port)
        if getattr(app.state, "own_process", False):
            # What start-up built (modules, schemas, mappers) lives as long as the process: out
            # of the collector's sight, a full collection no longer walks it, mid-request.
            gc.freeze()
        try:
            yield
        finally:
            await stop_tasks(tasks, service.name)
            await service.guard.close()
            try:
                # A consumer caught in a rebalance can take long to stop; the process must not.
                async with asyncio.timeout(SHUTDOWN_SECONDS):
                    await leave_groups(service.broker, service.platform.kafka_bootstrap)
            except TimeoutError:
                log.warning("%s: the broker's clients did not stop within %ss", service.name, SHUTDOWN_SECONDS)
            await service.engine.dispose()
            service.telemetry.tracer_provider.force_flush()

    # FastAPI's own telemetry off: OpenTelemetry's FastAPI instrumentation below makes the one
    # SERVER span and the HTTP metrics of a request. FastAPI steps aside only when it finds that
    # middleware in the built stack, and a wrapper around the stack (reporting's, which forgets
    # the client's address) hid it: every request got two SERVER spans, operation spans and
    # metrics twice (issue 17).
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.service = service
    app.state.tokens = service.tokens
    install_error_handlers(app)
    install_health(app, {"database": service.check_database, "broker": service.check_broker})
    for router in routers:
        app.include_router(router)

    source = f"/awasi/{service.name}"

    @app.get("/events/asyncapi.json", tags=["katalog peristiwa"], summary="AsyncAPI peristiwa layanan ini")
    async def events_asyncapi() -> dict[str, Any]:
        return catalog.asyncapi(source=source)

    @app.get("/events/schemas/{ce_type}.json", tags=["katalog peristiwa"], summary="JSON Schema satu peristiwa")
    async def event_schema(ce_type: Annotated[str, PathParameter(max_length=200)]) -> dict[str, Any]:
        event = CATALOG.get(ce_type)
        if event is None or not event.public or event.source != source:
            raise NotFound(f"Peristiwa {ce_type} tidak diterbitkan layanan {service.name}.")
        return catalog.schema_for(event)

    @app.get("/ops/status", tags=["operasional"], summary="Antrean outbox, lag konsumen, surat mati")
    async def ops_status(principal: CurrentPrincipal) -> dict[str, Any]:
        if principal.role != Role.ADMIN:
            raise Forbidden("Status operasional hanya untuk peran admin.")
        return (await monitor.sample()).as_dict(service)

    @app.post("/ops/outbox/ulang", tags=["operasional"], summary="Kirim ulang baris outbox yang ditolak broker")
    async def retry_failed_outbox(principal: CurrentPrincipal) -> dict[str, int]:
        """After the cause was mended (a broker's size limit raised, a topic created): the rows
        set aside go out again, in order with the rows of their keys that waited behind them."""
        if principal.role != Role.ADMIN:
            raise Forbidden("Mengirim ulang outbox hanya untuk peran admin.")
        return {"dikirim_ulang": await service.relay.retry_failed()}

    def _platform_admin(principal: Principal, what: str) -> None:
        if principal.role != Role.ADMIN or principal.unit != RI_CODE:
            raise Forbidden(f"{what} hanya untuk peran admin Bawaslu RI (unit {RI_CODE}).")

    def _group(grup: str | None) -> list[str]:
        groups = [consumer.group for consumer in service.consumers]
        if grup is None:
            return groups
        if grup not in groups:
            known = ", ".join(groups) or "tidak ada"
            raise NotFound(f"Grup konsumen {grup} bukan milik layanan {service.name} (grupnya: {known}).")
        return [grup]

    @app.get("/ops/surat-mati", tags=["operasional"], summary="Surat mati (dead letter) grup konsumen layanan ini")
    async def dead_letters(
        principal: CurrentPrincipal,
        batas: Annotated[int, Query(ge=1, le=deadletters.MAX_LISTED, description="Paling banyak per grup")] = 100,
    ) -> dict[str, Any]:
        """Per consumer group of this service: how many dead letters its topic holds, how many a
        replay has not re-driven yet, and the newest ``batas`` of them (id, type, error, time, trace)."""
        _platform_admin(principal, "Melihat surat mati")
        bootstrap = service.platform.kafka_bootstrap
        found = await asyncio.gather(*(deadletters.list_dead_letters(bootstrap, g) for g in _group(None)))
        return {
            "layanan": service.name,
            "grup": {
                group: {
                    "jumlah": len(letters),
                    "belum_dikirim_ulang": sum(1 for letter in letters if not letter.replayed),
                    "surat": [letter.as_dict() for letter in reversed(letters[-batas:])],
                }
                for group, letters in zip(_group(None), found, strict=True)
            },
        }

    @app.post("/ops/surat-mati/ulang", tags=["operasional"], summary="Kirim ulang surat mati ke topik asalnya")
    async def replay_dead_letters(
        principal: CurrentPrincipal, body: deadletters.ReplayRequest | None = None
    ) -> dict[str, Any]:
        """After the cause was mended: the named events (``id``) or every dead letter not yet
        re-driven goes back to its original topic, where the consumer handles it once (its inbox
        skips one handled in the meantime)."""
        _platform_admin(principal, "Mengirim ulang surat mati")
        body = body or deadletters.ReplayRequest()
        chosen = set(body.id) if body.id else None
        replayed: dict[str, list[str]] = {}
        for group in _group(body.grup):
            replayed[group] = await deadletters.replay_dead_letters(
                service.platform.kafka_bootstrap, group, event_ids=chosen
            )
        return {"dikirim_ulang": replayed, "jumlah": sum(len(ids) for ids in replayed.values())}

    # The routers' own routes: the app holds included routers as wrappers that match lazily.
    service_routes = [route for router in routers for route in router.routes]
    app.add_middleware(EdgeGuard, routes=service_routes, body_limits=dict(body_limits or {}))
    untraced_stack = app.build_middleware_stack
    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=service.telemetry.tracer_provider,
        # HTTP metrics are HttpTracing's, for every request (this middleware sees traced ones only).
        meter_provider=NoOpMeterProvider(),
        excluded_urls="healthz,readyz,metrics",
        # One SERVER span per request; the internal spans per ASGI message (receive, each
        # chunk sent) tripled the spans of a request and said nothing the SERVER span does not.
        exclude_spans=["receive", "send"],
    )
    # Outside it: GET /healthz answered first; then whether the request is traced, before the
    # instrumented stack or the same stack without the instrumentation.
    wrap_stack(
        app,
        HealthzFirst,
        lambda traced: HttpTracing(traced, untraced_stack(), service.telemetry, trace_ratio()),
    )
    return app


async def stop_tasks(tasks: Sequence[asyncio.Task[Any]], owner: str, within: float = SHUTDOWN_SECONDS) -> None:
    """Cancel the background tasks and wait until they ended, cancelling again while they run.

    One cancellation is not always enough on Python 3.11: ``asyncio.wait_for`` (in our code once,
    in libraries still) swallows a cancellation that arrives as its inner call completes, and a
    loop that swallowed it runs on; a shutdown that waited for it hung for good."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    pending = {task for task in tasks if not task.done()}
    while pending and loop.time() < deadline:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.5)
    if pending:
        log.warning("%s: %s did not stop within %ss", owner, sorted(t.get_name() for t in pending), within)
    for task in tasks:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.warning("%s: %s ended with %r", owner, task.get_name(), task.exception())


_FACTORY_ENV = "AWASI_SERVE_FACTORY"


def serve(factory: Callable[[], FastAPI]) -> None:
    """Run one service: ``python -m awasi_<service>`` serves it with
    ``AWASI_<SERVICE>_WORKERS`` processes on its port (one by default);
    ``python -m awasi_<service> migrate`` only brings its database to the newest revision
    (a deployment's migration job, when AWASI_MIGRATE_ON_START is off)."""
    import sys

    import uvicorn
    from pydantic import ValidationError

    from awasi_common.settings import DevelopmentDefaultRefused

    try:
        app = factory()
    except ValidationError as error:  # a setting refused: say which and why, without a traceback
        sys.exit("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors()))
    except DevelopmentDefaultRefused as error:
        sys.exit(str(error))
    service: Service = app.state.service
    if sys.argv[1:] == ["migrate"]:
        asyncio.run(migrations.upgrade(service.migrations_path, service.settings.database_url))
        return
    options: dict[str, Any] = {
        "host": service.settings.host,
        "port": service.settings.port,
        "log_level": "warning",
        "access_log": False,
        "timeout_graceful_shutdown": 10,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a client behind
        # loopback (any local proxy, or the machine itself) could name a new address on every
        # request and start every rate limit afresh.
        "proxy_headers": bool(service.platform.trusted_proxies.strip()),
        "forwarded_allow_ips": service.platform.trusted_proxies.strip() or "",
    }
    workers = service.settings.workers
    if workers == 1:
        _own_process(app)
        uvicorn.run(app, **options)
        return
    if is_sqlite(service.settings.database_url):
        raise SystemExit(
            f"AWASI_{service.name.upper()}_WORKERS={workers} memerlukan PostgreSQL: "
            "pada SQLite hanya satu proses yang meneruskan outbox satu berkas basis data."
        )
    # uvicorn starts the workers and hands each the listening socket; each builds its own app.
    os.environ[_FACTORY_ENV] = f"{factory.__module__}:{factory.__qualname__}"
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, **options)


def worker_app() -> FastAPI:
    """The app of one worker process when a service runs several (uvicorn calls this)."""
    module, _, name = os.environ[_FACTORY_ENV].partition(":")
    app: FastAPI = getattr(importlib.import_module(module), name)()
    _own_process(app)
    return app


def _own_process(app: FastAPI) -> None:
    from awasi_common.telemetry import redact_logs, use_as_global

    service: Service = app.state.service
    use_as_global(service.telemetry)
    redact_logs()
    app.state.own_process = True
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s {service.name} %(levelname)s %(message)s")
