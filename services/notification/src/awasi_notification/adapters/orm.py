"""Notification's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

reminder = sa.Table(
    "reminder",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kegiatan_id", sa.String(36), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("judul", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.UniqueConstraint("kegiatan_id", "kind", name="uq_reminder_kegiatan_kind"),
)

receipt = sa.Table(
    "receipt",
    metadata,
    sa.Column("laporan_id", sa.String(36), primary_key=True),
    sa.Column("kode_pelacakan", sa.String(32), nullable=False, unique=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("kanal", sa.String(32), nullable=False),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
