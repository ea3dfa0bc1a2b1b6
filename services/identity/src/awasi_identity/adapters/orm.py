"""Identity's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.limits import EMAIL, ID, KODE_UNIT, NAMA
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

SIDIK = 64
"""A SHA-256 in hex."""

akun = sa.Table(
    "akun",
    metadata,
    sa.Column("id", sa.String(ID), primary_key=True),
    sa.Column("nama", sa.Text, nullable=False),
    sa.Column("email", sa.String(EMAIL), nullable=False, unique=True),
    # Sealed (adapters/pribadi.py): ciphertext, longer than the numbers.
    sa.Column("telepon", sa.Text),
    sa.Column("nik", sa.Text),
    sa.Column("nip", sa.Text),
    sa.Column("unit", sa.String(KODE_UNIT), nullable=False, index=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("divisi", sa.String(20)),
    sa.Column("jabatan", sa.Text),
    sa.Column("berlaku_mulai", sa.Date, nullable=False),
    sa.Column("berlaku_sampai", sa.Date),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("sandi_hash", sa.Text),
    sa.Column("kode_aktivasi_hash", sa.String(SIDIK), unique=True),
    sa.Column("kode_aktivasi_sampai", sa.DateTime(timezone=True)),
    sa.Column("totp_tersegel", sa.LargeBinary),
    sa.Column("totp_langkah_terakhir", sa.BigInteger),
    sa.Column("dibuat_oleh", sa.String(NAMA), nullable=False),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dinonaktifkan_pada", sa.DateTime(timezone=True)),
)

percobaan_masuk = sa.Table(
    "percobaan_masuk",
    metadata,
    sa.Column("email_sidik", sa.String(SIDIK), primary_key=True),
    sa.Column("gagal", sa.Integer, nullable=False),
    sa.Column("tunggu_sampai", sa.DateTime(timezone=True)),
    sa.Column("terkunci", sa.Boolean, nullable=False),
    sa.Column("gagal_terakhir", sa.DateTime(timezone=True)),
)

token_penyegar = sa.Table(
    "token_penyegar",
    metadata,
    sa.Column("id", sa.String(ID), primary_key=True),
    sa.Column("akun_id", sa.String(ID), nullable=False, index=True),
    sa.Column("keluarga", sa.String(ID), nullable=False, index=True),
    sa.Column("sidik", sa.String(SIDIK), nullable=False, unique=True),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kedaluwarsa", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dipakai_pada", sa.DateTime(timezone=True)),
    sa.Column("dicabut_pada", sa.DateTime(timezone=True)),
)

kunci_penandatangan = sa.Table(
    "kunci_penandatangan",
    metadata,
    sa.Column("kid", sa.String(SIDIK), primary_key=True),
    sa.Column("generasi", sa.Integer, nullable=False, unique=True),
    sa.Column("jwk_publik", sa.JSON, nullable=False),
    sa.Column("privat_tersegel", sa.LargeBinary, nullable=False),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("aktif_sejak", sa.DateTime(timezone=True), nullable=False),
)

reset_sandi = sa.Table(
    "reset_sandi",
    metadata,
    sa.Column("id", sa.String(ID), primary_key=True),
    sa.Column("akun_id", sa.String(ID), nullable=False, index=True),
    sa.Column("sidik", sa.String(SIDIK), nullable=False, unique=True),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("kedaluwarsa", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dipakai_pada", sa.DateTime(timezone=True)),
)
"""Password reset links (their SHA-256 only)."""

klien_instansi = sa.Table(
    "klien_instansi",
    metadata,
    sa.Column("id", sa.String(ID), primary_key=True),
    sa.Column("nama", sa.String(NAMA), nullable=False),
    sa.Column("unit", sa.String(KODE_UNIT), nullable=False),
    sa.Column("cakupan", sa.JSON, nullable=False),
    sa.Column("rahasia_sidik", sa.String(SIDIK), nullable=False),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("dibuat_oleh", sa.String(NAMA), nullable=False),
    sa.Column("dinonaktifkan_pada", sa.DateTime(timezone=True)),
)
"""Agencies' OAuth2 clients (client credentials); the secret as its SHA-256 only."""

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("waktu", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("tindakan", sa.String(40), nullable=False),
    sa.Column("pelaku", sa.String(NAMA)),
    sa.Column("pelaku_unit", sa.String(KODE_UNIT)),
    sa.Column("akun_id", sa.String(ID), index=True),
    sa.Column("unit", sa.String(KODE_UNIT), index=True),
    sa.Column("alamat", sa.String(64)),
    sa.Column("rincian", sa.JSON, nullable=False),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
