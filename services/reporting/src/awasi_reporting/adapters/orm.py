"""Reporting's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

laporan = sa.Table(
    "laporan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kode_pelacakan", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("kanal", sa.String(32), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("pelapor", sa.JSON, nullable=False),
    sa.Column("terlapor", sa.Text, nullable=False),
    sa.Column("peristiwa", sa.JSON, nullable=False),
    sa.Column("uraian", sa.Text, nullable=False),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
