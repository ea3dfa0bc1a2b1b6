"""Participation's own tables."""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()

program = sa.Table(
    "program",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("program", sa.String(40), nullable=False, index=True),
    sa.Column("nama", sa.Text, nullable=False),
    sa.Column("dibentuk_pada", sa.Date, nullable=False),
    sa.Column("sasaran", sa.JSON, nullable=False),
    sa.Column("rincian", sa.JSON, nullable=True),
    sa.Column("melibatkan", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("keterangan", sa.Text),
    sa.Column("dibentuk_oleh", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

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
    # Which program record the kegiatan belongs to (see docs in service_layer/handlers.py).
    sa.Column("program_id", sa.String(36), nullable=True, index=True),
    sa.Column("tautan_manual", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("kapasitas", sa.Integer, nullable=True),
    sa.Column("lokasi", sa.Text, nullable=True),
)

peserta = sa.Table(
    "peserta",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kegiatan_id", sa.String(36), nullable=False, index=True),
    sa.Column("program_id", sa.String(36), nullable=True, index=True),
    sa.Column("program", sa.String(40), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("nama", sa.Text, nullable=False),
    sa.Column("sasaran", sa.String(60), nullable=False),
    sa.Column("kode_hadir", sa.String(16), nullable=False),
    sa.Column("instansi", sa.Text),
    sa.Column("jenis_kelamin", sa.String(16)),
    sa.Column("email", sa.String(320)),
    sa.Column("telepon", sa.String(40)),
    sa.Column("terdaftar_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("hadir_pada", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("kegiatan_id", "kode_hadir", name="uq_peserta_kode_hadir"),
)

umpan_balik = sa.Table(
    "umpan_balik",
    metadata,
    sa.Column("peserta_id", sa.String(36), primary_key=True),
    sa.Column("kegiatan_id", sa.String(36), nullable=False, index=True),
    sa.Column("pemahaman_meningkat", sa.Boolean, nullable=False),
    sa.Column("skor", sa.SmallInteger),
    sa.Column("komentar", sa.Text),
    sa.Column("diberikan_pada", sa.DateTime(timezone=True), nullable=False),
)

konsultasi = sa.Table(
    "pojok_konsultasi",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("program_id", sa.String(36), nullable=False, index=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("jenis", sa.String(40), nullable=False),
    sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
    sa.Column("topik", sa.Text, nullable=False),
    sa.Column("ringkasan", sa.Text),
    sa.Column("pengunjung", sa.Text),
    sa.Column("di_luar_jam_layanan", sa.Boolean, nullable=False),
)

pojok_laporan = sa.Table(
    "pojok_laporan",
    metadata,
    # Only that a report was made and handed over: the reporter's identity lives in reporting.
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("program_id", sa.String(36), nullable=False, index=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("peristiwa_apa", sa.Text, nullable=False),
)

komunikasi = sa.Table(
    "kampung_komunikasi",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("program_id", sa.String(36), nullable=False, index=True),
    sa.Column("unit", sa.String(32), nullable=False),
    sa.Column("jenis", sa.String(40), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False),
    sa.Column("pihak", sa.JSON, nullable=False),
    sa.Column("ringkasan", sa.Text, nullable=False),
)

pengembangan_kampung = sa.Table(
    "pengembangan_kampung",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("tanggal", sa.Date, nullable=False),
    sa.Column("kampung_dievaluasi", sa.JSON, nullable=False),
    sa.Column("hasil_evaluasi", sa.Text, nullable=False),
    sa.Column("pengembangan_inovasi", sa.Text, nullable=False),
    sa.Column("dicatat_oleh", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""Pasal 27 ayat (1): development and innovation after evaluating every Kampung Pengawasan."""

pemantauan = sa.Table(
    "pemantauan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("cakupan", sa.JSON, nullable=False),
    sa.Column("program", sa.JSON, nullable=False),
    sa.Column("ringkasan", sa.Text, nullable=False),
    sa.Column("temuan", sa.JSON, nullable=False),
    sa.Column("rekomendasi", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

indikator_set = sa.Table(
    "indikator_set",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("nama", sa.Text, nullable=False),
    sa.Column("nomor_keputusan", sa.Text, nullable=False),
    sa.Column("tahun", sa.Integer, nullable=True),
    sa.Column("indikator", sa.JSON, nullable=False),
    sa.Column("ambang_keberhasilan", sa.Float, nullable=False),
    sa.Column("batas_tindak_lanjut_hari", sa.Integer, nullable=False),
    sa.Column("ditetapkan_pada", sa.Date, nullable=False),
)

penilaian = sa.Table(
    "penilaian",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("unit_dinilai", sa.String(32), nullable=False, index=True),
    sa.Column("tahun", sa.Integer, nullable=False, index=True),
    sa.Column("indikator_set_id", sa.String(36), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False),
    sa.Column("hasil", sa.JSON, nullable=False),
    sa.Column("skor", sa.Float, nullable=False),
    sa.Column("memenuhi", sa.Boolean, nullable=False),
    sa.Column("pemantauan_ids", sa.JSON, nullable=False),
    sa.Column("catatan", sa.Text),
    sa.Column("batas_tindak_lanjut", sa.Date, nullable=True),
    sa.Column("unit_tindak_lanjut", sa.String(32), nullable=True, index=True),
    sa.Column("tindak_lanjut", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

unit_aktif = sa.Table(
    "unit_aktif",
    metadata,
    # Units that run participatory supervision on the platform (and the Bawaslu units above
    # them), since when: their pemantauan obligations are counted from that date.
    sa.Column("unit", sa.String(32), primary_key=True),
    sa.Column("sejak", sa.Date, nullable=False),
)

kewajiban_terlewat = sa.Table(
    "kewajiban_terlewat",
    metadata,
    # Obligations raised as overdue: the primary key makes raising idempotent.
    sa.Column("id", sa.String(120), primary_key=True),
    sa.Column("jenis", sa.String(20), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("periode", sa.String(40), nullable=False),
    sa.Column("batas_waktu", sa.Date, nullable=False),
    sa.Column("wajib", sa.Integer, nullable=False),
    sa.Column("terlaksana", sa.Integer, nullable=False),
    sa.Column("dinaikkan_pada", sa.DateTime(timezone=True), nullable=False),
)

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
