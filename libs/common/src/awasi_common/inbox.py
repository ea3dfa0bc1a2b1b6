"""The idempotent-consumer inbox: which events a consumer has already handled.

The inbox row is written in the same transaction as the handler's effect, so an event
redelivered after a crash finds its row and is skipped; an event whose effect was rolled
back finds none and is handled again.
"""

from __future__ import annotations

import sqlalchemy as sa


def inbox_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "inbox",
        metadata,
        sa.Column("consumer", sa.String(100), primary_key=True),
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
    )
