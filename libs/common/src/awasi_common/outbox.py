"""The transactional outbox and its relay.

A write stores its domain rows and one outbox row per event in the same transaction. The
relay publishes unpublished rows in insertion order and marks them only after the broker
acknowledged them, so a crash between the two publishes again (consumers are idempotent)
and never loses an event.

Several relays may run against one PostgreSQL database. Rows are spread over a fixed set of
shards by their key, and a relay works only on shards whose lease row it locked with
``FOR UPDATE SKIP LOCKED``: no row is published by two relays at once, and the events of one
aggregate keep their order. On SQLite there is one relay per database file.

Published rows are kept for a retention period, so after the loss of a broker that keeps
its log in memory, ``republish_since`` can put them on the wire again.

A row the broker refuses for good (too large, invalid) does not hold the outbox up: it is set
aside as failed, with its error (``failed_at``, counted in ``awasi status`` and the
``awasi.outbox.failed`` metric), and the rows after it flow on, except the later rows of the
same key, which wait behind it so that an aggregate's events keep their order (an operator
sends the failed rows again with ``retry_failed`` once the cause is mended). Such a row should
not exist: ``outbox_row`` refuses an event too large for the broker before it is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from opentelemetry import propagate
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncEngine

from awasi_common.db import is_sqlite
from awasi_common.errors import DomainError
from awasi_common.events.base import Event
from awasi_common.events.envelope import Envelope, encode
from awasi_common.telemetry import untraced

log = logging.getLogger(__name__)

SHARDS = 16
MAX_EVENT_BYTES = 900 * 1024
"""The largest record the outbox accepts: Kafka's default limit (1 MiB, the broker's
``message.max.bytes`` and the producer's ``max_request_size``) less room for the trace
headers the relay adds."""

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def outbox_tables(metadata: sa.MetaData) -> tuple[sa.Table, sa.Table]:
    """The outbox and its shard leases, declared in a service's own metadata."""
    outbox = sa.Table(
        "outbox",
        metadata,
        sa.Column("seq", _BigId, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("shard", sa.SmallInteger, nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("payload", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index(
            "ix_outbox_unpublished",
            "shard",
            "seq",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        ),
        sa.Index("ix_outbox_published_at", "published_at"),
        sa.Index(
            "ix_outbox_failed_key",
            "key",
            postgresql_where=sa.text("failed_at IS NOT NULL"),
            sqlite_where=sa.text("failed_at IS NOT NULL"),
        ),
    )
    leases = sa.Table(
        "outbox_lease",
        metadata,
        sa.Column("shard", sa.SmallInteger, primary_key=True, autoincrement=False),
    )
    return outbox, leases


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode()) % SHARDS


@dataclass(frozen=True)
class OutboxMessage:
    event_id: str
    topic: str
    key: str
    headers: dict[str, str]
    payload: bytes


class EventTooLarge(DomainError):
    """The event a request would publish does not fit in one Kafka record."""

    status_code = 413


def outbox_row(event: Event, *, now: dt.datetime | None = None) -> dict[str, object]:
    """The outbox row for an event, carrying the current trace context for the relay.

    An event larger than :data:`MAX_EVENT_BYTES` is refused here, in the transaction of the
    request that made it (nothing of it is written), instead of stopping at the broker."""
    envelope = Envelope.new(event, time=now)
    headers = envelope.headers()
    propagate.inject(headers)  # traceparent of the request that caused the event
    payload = encode(event)
    size = len(payload) + len(event.key) + sum(len(name) + len(value) for name, value in headers.items())
    if size > MAX_EVENT_BYTES:
        raise EventTooLarge(
            f"Data terlalu besar untuk diteruskan sebagai peristiwa {event.name} ({size // 1024} KB; paling "
            f"besar {MAX_EVENT_BYTES // 1024} KB). Perpendek uraian atau kurangi daftar isiannya."
        )
    return {
        "event_id": envelope.id,
        "shard": shard_of(event.key),
        "topic": event.topic,
        "key": event.key,
        "headers": headers,
        "payload": payload,
        "created_at": envelope.time,
    }


@dataclass
class PublishOutcome:
    """What became of a batch the broker was handed: every message not named here was
    acknowledged."""

    refused: dict[str, str] = field(default_factory=dict)
    """event id -> why the broker (or the client, before sending) refused it for good."""
    held: set[str] = field(default_factory=set)
    """Event ids not sent because an earlier message of their key was refused."""


Publisher = Callable[[Sequence[OutboxMessage]], Awaitable[PublishOutcome]]
"""Publishes a batch and returns once the broker acknowledged every message it did not
refuse; raises on a failure that may pass (the broker away), leaving the whole batch pending."""


class OutboxRelay:
    """Moves outbox rows to the broker; one loop per process, woken by writes or a timer."""

    def __init__(
        self,
        engine: AsyncEngine,
        outbox: sa.Table,
        leases: sa.Table,
        publish: Publisher,
        *,
        batch_size: int = 500,
        poll_seconds: float = 0.5,
        retention: dt.timedelta = dt.timedelta(days=7),
        gather_seconds: float = 0.02,
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._leases = leases
        self._publish = publish
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._gather_seconds = gather_seconds
        """After a wake-up, how long the relay lets more commits arrive before its round: one
        round then publishes what many requests wrote (one request's event per round cost
        five statements and a produce request each, at 100 Form A/s 0.63 rounds per request)."""
        self._wake = asyncio.Event()
        self._sqlite = is_sqlite(engine.url)
        self._last_purge = dt.datetime.min.replace(tzinfo=dt.UTC)
        self.before_publish: Callable[[bool], Awaitable[object]] | None = None
        """Called before each round of publishing (True after a failure): the service checks
        there that the broker kept its log, so retained rows go out before newer ones."""
        self._failed = False
        self._pending_query: sa.Select[Any] | None = None
        self._mark_published: sa.Update | None = None

    def wake(self) -> None:
        """Called after a commit that wrote outbox rows, so they leave without waiting."""
        self._wake.set()

    async def ensure_leases(self) -> None:
        """Seed the shard lease rows once; concurrent relays may both try."""
        async with self._engine.begin() as connection:
            existing = set((await connection.execute(sa.select(self._leases.c.shard))).scalars())
            missing = [{"shard": shard} for shard in range(SHARDS) if shard not in existing]
            if missing:
                with contextlib.suppress(sa.exc.IntegrityError):
                    await connection.execute(sa.insert(self._leases), missing)

    async def run(self) -> None:
        backoff = self._poll_seconds
        leased = False
        while True:
            # Cleared before the round, so a commit during it wakes the next round at once;
            # a round that left the outbox empty is not followed by another that finds nothing
            # (one wake-up used to cost a publishing round and an empty one).
            self._wake.clear()
            try:
                # Polling the outbox every half second is not worth a trace of its own; the
                # publish spans join the trace of the request that wrote each row.
                with untraced():
                    if not leased:
                        await self.ensure_leases()
                        leased = True
                    await self.publish_pending()
                    await self._purge_if_due()
                backoff = self._poll_seconds
            except asyncio.CancelledError:
                raise
            except Exception as error:  # broker or database away: wait and try again
                self._failed = True
                log.warning("outbox relay: %s; retrying in %.1fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
            # cancellation that arrives as the wake-up does, and the relay never stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._wake.wait()
                    if self._gather_seconds > 0:
                        await asyncio.sleep(self._gather_seconds)

    async def publish_pending(self) -> int:
        """Publish what is pending, batch after batch; return how many rows were published."""
        total = 0
        if self.before_publish is not None:
            await self.before_publish(self._failed)
        self._failed = False
        while True:
            count = await self._publish_batch()
            total += count
            if count < self._batch_size:
                return total

    def _pending_rows(self) -> sa.Select[Any]:
        """The next rows to publish, oldest first, of the shards this relay leases.

        On PostgreSQL one statement leases and reads: per shard whose lease row it can lock
        (``FOR UPDATE … SKIP LOCKED``), the shard's oldest pending rows through the partial index
        of unpublished rows. Its cost follows the pending rows, not the table: published rows
        are kept for the retention period and nothing may have vacuumed them (a query planned
        over the whole outbox read 14,000 rows per request after 36,000 events, issue 17).
        Behind a row set aside, the rest of its key waits (order per key)."""
        outbox = self._outbox
        failed = outbox.alias("failed")
        behind_failed = sa.exists().where(failed.c.failed_at.is_not(None), failed.c.key == outbox.c.key)
        in_line = (outbox.c.published_at.is_(None), outbox.c.failed_at.is_(None), ~behind_failed)
        if self._sqlite:  # one relay per database file: no leases
            return sa.select(outbox).where(*in_line).order_by(outbox.c.seq).limit(self._batch_size)
        leases = self._leases
        per_shard = (
            sa.select(outbox)
            .where(outbox.c.shard == leases.c.shard, *in_line)
            .order_by(outbox.c.seq)
            .limit(self._batch_size)
            .lateral("pending")
        )
        return (
            sa.select(per_shard)
            .select_from(leases)
            .join(per_shard, sa.true())
            .order_by(per_shard.c.seq)
            .limit(self._batch_size)
            .with_for_update(of=leases, skip_locked=True)
        )

    def _seqs(self, seqs: Sequence[int]) -> Any:
        """``seq`` among ``seqs``: one array parameter on PostgreSQL, so the statement is the
        same (and prepared once) whatever the batch's size."""
        if self._sqlite:
            return self._outbox.c.seq.in_(list(seqs))
        return self._outbox.c.seq == sa.any_(sa.bindparam("seqs", list(seqs), type_=ARRAY(sa.BigInteger)))

    async def _publish_batch(self) -> int:
        async with self._engine.begin() as connection:
            outbox = self._outbox
            if self._pending_query is None:
                # Built once: building it and its cache key cost ~0.6 ms, every round.
                self._pending_query = self._pending_rows()
            rows = (await connection.execute(self._pending_query)).all()
            if not rows:
                return 0
            messages = [
                OutboxMessage(row.event_id, row.topic, row.key, dict(row.headers), bytes(row.payload)) for row in rows
            ]
            try:
                outcome = await self._publish(messages)
            except Exception as error:
                await connection.execute(
                    sa.update(outbox)
                    .where(self._seqs([row.seq for row in rows]))
                    .values(attempts=outbox.c.attempts + 1, last_error=str(error)[:2000])
                )
                await connection.commit()
                raise
            now = dt.datetime.now(dt.UTC)
            sent = [row.seq for row in rows if row.event_id not in outcome.refused and row.event_id not in outcome.held]
            if sent:
                if self._mark_published is None:  # built once, as the query above
                    seqs = (
                        outbox.c.seq.in_(sa.bindparam("seqs", expanding=True))
                        if self._sqlite
                        else outbox.c.seq == sa.any_(sa.bindparam("seqs", type_=ARRAY(sa.BigInteger)))
                    )
                    self._mark_published = (
                        sa.update(outbox)
                        .where(seqs)
                        .values(published_at=sa.bindparam("now"), attempts=outbox.c.attempts + 1, last_error=None)
                    )
                await connection.execute(self._mark_published, {"seqs": sent, "now": now})
            for row in rows:
                refusal = outcome.refused.get(row.event_id)
                if refusal is not None:
                    log.error("outbox relay: %s set aside, refused for good: %s", row.event_id, refusal)
                    await connection.execute(
                        sa.update(outbox)
                        .where(outbox.c.seq == row.seq)
                        .values(failed_at=now, attempts=outbox.c.attempts + 1, last_error=refusal[:2000])
                    )
            return len(rows)

    async def _purge_if_due(self) -> None:
        now = dt.datetime.now(dt.UTC)
        if now - self._last_purge < dt.timedelta(hours=1):
            return
        self._last_purge = now
        async with self._engine.begin() as connection:
            await connection.execute(sa.delete(self._outbox).where(self._outbox.c.published_at < now - self._retention))

    async def republish_since(self, since: dt.datetime) -> int:
        """Mark rows published since ``since`` as pending again (after a broker lost its log)."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                sa.update(self._outbox).where(self._outbox.c.published_at >= since).values(published_at=None)
            )
        self.wake()
        return int(result.rowcount or 0)

    async def retry_failed(self) -> int:
        """Put the rows set aside back in line (after the cause was mended): they and the rows
        of their keys waiting behind them go out in order."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                sa.update(self._outbox).where(self._outbox.c.failed_at.is_not(None)).values(failed_at=None)
            )
        self.wake()
        return int(result.rowcount or 0)

    async def backlog(self) -> Backlog:
        """Unpublished rows, the age of the oldest, and those set aside or waiting behind them."""
        outbox = self._outbox
        async with self._engine.connect() as connection:
            in_line = outbox.c.failed_at.is_(None)
            count, oldest, failed = (
                await connection.execute(
                    sa.select(
                        sa.func.coalesce(sa.func.sum(sa.case((in_line, 1), else_=0)), 0),
                        sa.func.min(sa.case((in_line, outbox.c.created_at))),
                        sa.func.count(outbox.c.failed_at),
                    ).where(outbox.c.published_at.is_(None))
                )
            ).one()
            held = 0
            if failed:
                held = int(
                    await connection.scalar(
                        sa.select(sa.func.count()).where(
                            outbox.c.published_at.is_(None),
                            outbox.c.failed_at.is_(None),
                            outbox.c.key.in_(sa.select(outbox.c.key).where(outbox.c.failed_at.is_not(None))),
                        )
                    )
                    or 0
                )
        age = None
        if oldest is not None:
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=dt.UTC)
            age = (dt.datetime.now(dt.UTC) - oldest).total_seconds()
        return Backlog(pending=int(count), oldest_age_seconds=age, failed=int(failed), held=held)


@dataclass(frozen=True)
class Backlog:
    pending: int
    """Rows waiting to be published (held ones included, failed ones not)."""
    oldest_age_seconds: float | None
    """Age of the oldest of them."""
    failed: int
    """Rows the broker refused for good, set aside."""
    held: int
    """Rows waiting behind a failed row of their key."""


def create_messaging_tables(op: Any) -> None:
    """The first migration of every service: its inbox, outbox and the relay's shard leases,
    as they were first shipped (revision 0001 of each service; later revisions change them
    through the functions below). Frozen: a change to these tables is a new step, never an
    edit here, or a database created after it would differ from one upgraded to it."""
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=100), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=200), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("shard", sa.SmallInteger(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_published_at", ["published_at"], unique=False)
        batch_op.create_index(
            "ix_outbox_unpublished",
            ["shard", "seq"],
            unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )
    op.create_table(
        "outbox_lease",
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("shard"),
    )


def drop_messaging_tables(op: Any) -> None:
    op.drop_table("outbox_lease")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_unpublished",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )
        batch_op.drop_index("ix_outbox_published_at")
    op.drop_table("outbox")
    op.drop_table("inbox")


def add_failed_state(op: Any) -> None:
    """The migration step each service takes to gain ``failed_at`` (rows set aside), from its
    own migration, so the outbox's shape is written once, here."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(
            "ix_outbox_failed_key",
            ["key"],
            postgresql_where=sa.text("failed_at IS NOT NULL"),
            sqlite_where=sa.text("failed_at IS NOT NULL"),
        )


def drop_failed_state(op: Any) -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index(
            "ix_outbox_failed_key",
            postgresql_where=sa.text("failed_at IS NOT NULL"),
            sqlite_where=sa.text("failed_at IS NOT NULL"),
        )
        batch.drop_column("failed_at")
