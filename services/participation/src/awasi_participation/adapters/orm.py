"""Participation's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

program_kegiatan = sa.Table(
    "program_kegiatan",
    metadata,
    sa.Column("kegiatan_id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("program", sa.String(40), nullable=False, index=True),
    sa.Column("judul", sa.Text, nullable=False),
    sa.Column("mulai", sa.Date, nullable=False),
    sa.Column("selesai", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("target_peserta", sa.Integer),
    sa.Column("peserta_hadir", sa.Integer),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
