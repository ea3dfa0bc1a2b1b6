"""Planning's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

kegiatan = sa.Table(
    "kegiatan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("divisi", sa.String(16), nullable=False),
    sa.Column("judul", sa.Text, nullable=False),
    sa.Column("jenis", sa.String(40), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("mulai", sa.Date, nullable=False),
    sa.Column("selesai", sa.Date, nullable=False),
    sa.Column("presisi", sa.String(20), nullable=False),
    sa.Column("jadwal_keterangan", sa.Text),
    sa.Column("pengulangan", sa.String(100)),
    sa.Column("metode", sa.String(10)),
    sa.Column("lokasi", sa.Text),
    sa.Column("tahapan", sa.Text),
    sa.Column("program", sa.String(40)),
    sa.Column("program_id", sa.String(36)),
    sa.Column("anggaran", sa.BigInteger),
    sa.Column("latar_belakang", sa.Text),
    sa.Column("tujuan", sa.JSON, nullable=False),
    sa.Column("output", sa.JSON, nullable=False),
    sa.Column("sasaran", sa.JSON, nullable=False),
    sa.Column("indikator_input", sa.JSON, nullable=False),
    sa.Column("pelaksanaan", sa.JSON, nullable=False, server_default=sa.text("'[]'")),
    sa.Column("target_peserta", sa.JSON, nullable=False),
    sa.Column("realisasi", sa.JSON),
    sa.Column("alasan_batal", sa.Text),
    sa.Column("catatan_impor", sa.JSON, nullable=False),
    sa.Column("sumber", sa.String(200), unique=True),
    sa.Column("asal", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Index("ix_kegiatan_unit_mulai", "unit", "mulai"),
    sa.Index("ix_kegiatan_unit_divisi", "unit", "divisi"),
)

token_kalender = sa.Table(
    "token_kalender",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("sidik", sa.String(64), nullable=False, unique=True),
    sa.Column("subjek", sa.String(200), nullable=False, index=True),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("divisi", sa.String(16)),
    sa.Column("label", sa.String(100), nullable=False),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dicabut_pada", sa.DateTime(timezone=True)),
)
"""Calendar feed tokens (their SHA-256 only), per person; revoked ones stay, marked."""

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
