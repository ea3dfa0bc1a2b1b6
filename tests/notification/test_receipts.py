"""A laporan's receipt is kept once: a second LaporanSubmitted for the same laporan (another
event id: a re-publication after a broker loss, a producer retried) is a no-op, not a failure
that sends it and everything queued behind it through retries to the dead-letter topic."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from awasi_cli.testing import eventually
from awasi_common.events.reporting import LaporanSubmitted
from awasi_notification.adapters.orm import receipt


@pytest.fixture
def kafka_bootstrap(private_broker: str) -> str:
    """A broker of the test's own: on the shared one notification also reads what other tests left
    on the topics it consumes, among them a record that is not JSON on the laporan topic (the
    consumer's poison test, tests/common/test_consumer.py), which it dead-letters."""
    return private_broker


async def test_the_same_laporan_submitted_twice_keeps_one_receipt_and_flows_on(notification_service) -> None:
    n = await notification_service()
    laporan_id, code = str(uuid.uuid4()), f"LP-{uuid.uuid4().hex[:8].upper()}"
    first = LaporanSubmitted(
        unit="35.05", laporan_id=laporan_id, kode_pelacakan=code, kanal="web", diterima_pada=dt.datetime.now(dt.UTC)
    )
    again = first.model_copy()
    after = LaporanSubmitted(
        unit="35.05",
        laporan_id=str(uuid.uuid4()),
        kode_pelacakan=f"LP-{uuid.uuid4().hex[:8].upper()}",
        kanal="web",
        diterima_pada=dt.datetime.now(dt.UTC),
    )
    envelopes = [await n.publish(event) for event in (first, again, after)]
    assert len({e.id for e in envelopes}) == 3  # three deliveries, two of one laporan

    async def both_kept() -> bool:
        rows = await n.rows(sa.select(receipt.c.laporan_id, receipt.c.event_id))
        return {r.laporan_id for r in rows} >= {laporan_id, after.laporan_id}

    await eventually(both_kept, timeout=30)
    rows = await n.rows(sa.select(receipt.c.event_id).where(receipt.c.laporan_id == laporan_id))
    assert [r.event_id for r in rows] == [envelopes[0].id]  # the first one stands
    consumer = n.app.state.service.consumers[0]
    assert consumer.dead_lettered == 0
