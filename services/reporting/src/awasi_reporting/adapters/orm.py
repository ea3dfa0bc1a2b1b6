"""Reporting's own tables.

Nothing that identifies a reporter or a witness is stored in clear: ``pelapor_enc`` and
``saksi_enc`` hold AES-GCM ciphertext (see ``adapters/identity.py``), evidence files too.
No table has a column for a client's IP address.
"""

from __future__ import annotations

import sqlalchemy as sa

from awasi_common.inbox import inbox_table
from awasi_common.outbox import outbox_tables

metadata = sa.MetaData()


def _workflow_columns() -> list[sa.Column[object]]:
    """What laporan and temuan share: the handling workflow and its deadline."""
    return [
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("riwayat", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("nomor_register", sa.String(64), nullable=True),
        sa.Column("diregistrasi_pada", sa.DateTime(timezone=True), nullable=True),
        sa.Column("putusan", sa.String(32), nullable=True),
        sa.Column("diteruskan_ke", sa.String(300), nullable=True),
        sa.Column("pertimbangan", sa.Text, nullable=True),
        sa.Column("nomor_surat_penerusan", sa.String(100), nullable=True),
        sa.Column("diputus_pada", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tenggat", sa.Date, nullable=True),
        sa.Column("tahap_tenggat", sa.String(32), nullable=True),
        sa.Column("tenggat_diperpanjang", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("tenggat_dialertkan", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("versi", sa.Integer, nullable=False, server_default="0"),
        sa.Column("pemilihan", sa.String(16), nullable=False, server_default="pemilu"),
        sa.Column("tahapan", sa.String(48), nullable=True),
    ]


laporan = sa.Table(
    "laporan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("kode_pelacakan", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("kanal", sa.String(32), nullable=False),
    sa.Column("pelapor_enc", sa.LargeBinary, nullable=False),
    sa.Column("saksi_enc", sa.LargeBinary, nullable=False),
    sa.Column("jumlah_saksi", sa.Integer, nullable=False, server_default="0"),
    sa.Column("identitas_kurang", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("terlapor", sa.Text, nullable=False),
    sa.Column("peristiwa", sa.JSON, nullable=False),
    sa.Column("uraian", sa.Text, nullable=False),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("nomor_tanda_terima", sa.String(64), nullable=True),
    sa.Column("kekurangan", sa.JSON, nullable=False, server_default="[]"),
    sa.Column("batas_melengkapi", sa.Date, nullable=True),
    sa.Column("alasan_tidak_registrasi", sa.String(16), nullable=True),
    sa.Column("keterangan_tidak_registrasi", sa.Text, nullable=True),
    sa.Column("sumber_id", sa.String(64), nullable=True),
    *_workflow_columns(),
    sa.UniqueConstraint("nomor_register", name="uq_laporan_nomor_register"),
    sa.UniqueConstraint("nomor_tanda_terima", name="uq_laporan_nomor_tanda_terima"),
    sa.UniqueConstraint("sumber_id", name="uq_laporan_sumber_id"),
    sa.Index("ix_laporan_tenggat_open", "tenggat", "tenggat_dialertkan"),
)

bukti = sa.Table(
    "bukti",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("laporan_id", sa.String(36), sa.ForeignKey("laporan.id"), nullable=False, index=True),
    sa.Column("nama_berkas", sa.String(255), nullable=False),
    sa.Column("jenis", sa.String(100), nullable=False),
    sa.Column("ukuran", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("isi_enc", sa.LargeBinary, nullable=False),
    sa.Column("diunggah_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("oleh", sa.String(200), nullable=False),
)

temuan = sa.Table(
    "temuan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("peristiwa", sa.JSON, nullable=False),
    sa.Column("terlapor", sa.Text, nullable=False),
    sa.Column("uraian", sa.Text, nullable=False),
    sa.Column("dicatat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("form_a_id", sa.String(36), nullable=True),
    sa.Column("pengawas", sa.String(200), nullable=False),
    *_workflow_columns(),
    sa.UniqueConstraint("nomor_register", name="uq_temuan_nomor_register"),
    sa.Index("ix_temuan_tenggat_open", "tenggat", "tenggat_dialertkan"),
)

nomor_urut = sa.Table(
    "nomor_urut",
    metadata,
    sa.Column("unit", sa.String(32), primary_key=True),
    sa.Column("jenis", sa.String(8), primary_key=True),
    sa.Column("pemilihan", sa.String(8), primary_key=True, server_default="pemilu"),
    sa.Column("tahun", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("terakhir", sa.Integer, nullable=False),
)
"""The last sequence number per unit, kind (LP, TM, LHP, PSAP, TT), regime (pemilu or
pilkada: separate registers) and year."""

laporan_tahunan = sa.Table(
    "laporan_tahunan",
    metadata,
    sa.Column("unit", sa.String(32), primary_key=True),
    sa.Column("tahun", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("divisi", sa.String(16), primary_key=True),
    sa.Column("nomor", sa.String(64), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False),
    sa.Column("jabatan", sa.String(200), nullable=False),
    sa.Column("penandatangan", sa.String(200), nullable=True),
    sa.Column("diterbitkan_oleh", sa.String(200), nullable=False),
    sa.Column("diterbitkan_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("nomor", name="uq_laporan_tahunan_nomor"),
)
"""Each issued annual division report, once per unit, year and division: its number from the
register and the PDF exactly as issued (what the chair signed does not change with later figures)."""

form_a = sa.Table(
    "form_a",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("nomor", sa.String(64), nullable=False, unique=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("pemilihan", sa.String(16), nullable=False),
    sa.Column("tahapan", sa.String(48), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("bentuk", sa.JSON, nullable=False),
    sa.Column("data_pengawas", sa.JSON, nullable=False),
    sa.Column("kegiatan", sa.JSON, nullable=False),
    sa.Column("uraian_singkat", sa.Text, nullable=False),
    sa.Column("dugaan_pelanggaran", sa.JSON, nullable=False),
    sa.Column("dugaan_sengketa", sa.JSON, nullable=False),
    sa.Column("disampaikan_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("oleh", sa.String(200), nullable=False),
)

form_a_idempotensi = sa.Table(
    "form_a_idempotensi",
    metadata,
    sa.Column("subjek", sa.String(255), primary_key=True),
    sa.Column("rute", sa.String(32), primary_key=True),
    sa.Column("kunci", sa.String(128), primary_key=True),
    sa.Column("sidik", sa.String(64), nullable=False),
    sa.Column("form_a_ids", sa.JSON, nullable=False),
    sa.Column("penyampaian_id", sa.String(36), nullable=True),
    sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False, index=True),
)
"""The ``Idempotency-Key`` of each Form A submission, per signing person (``subjek``, the
token's subject) and route (``form-a``, ``form-a/kolektif``), written in the same transaction
as the form(s): the form ids it made, the collective submission's id, and ``sidik``, the
SHA-256 of the request's content. A second insert of one key hits the primary key (a
concurrent repeat rolls back and answers the first). Deleted after
``AWASI_REPORTING_IDEMPOTENCY_RETENTION_DAYS``."""

pencegahan = sa.Table(
    "pencegahan",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("bentuk", sa.String(16), nullable=False),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("tahapan", sa.String(48), nullable=True),
    sa.Column("perihal", sa.Text, nullable=False),
    sa.Column("ditujukan_kepada", sa.String(300), nullable=True),
    sa.Column("nomor", sa.String(100), nullable=True),
    sa.Column("uraian", sa.Text, nullable=True),
    sa.Column("dicatat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("oleh", sa.String(200), nullable=False),
)

penertiban_apk = sa.Table(
    "penertiban_apk",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("tanggal", sa.Date, nullable=False, index=True),
    sa.Column("tahapan", sa.String(48), nullable=True),
    sa.Column("lokasi", sa.Text, nullable=False),
    sa.Column("jumlah", sa.Integer, nullable=False),
    sa.Column("jenis_apk", sa.String(200), nullable=True),
    sa.Column("bersama", sa.String(300), nullable=True),
    sa.Column("keterangan", sa.Text, nullable=True),
    sa.Column("dicatat_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("oleh", sa.String(200), nullable=False),
)

psap = sa.Table(
    "psap",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("nomor", sa.String(64), nullable=False, unique=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("pemilihan", sa.String(16), nullable=False),
    sa.Column("tahapan", sa.String(48), nullable=True),
    sa.Column("tanggal_permohonan", sa.Date, nullable=False, index=True),
    sa.Column("pemohon", sa.String(300), nullable=False),
    sa.Column("termohon", sa.String(300), nullable=False),
    sa.Column("objek_sengketa", sa.Text, nullable=False),
    sa.Column("diterima_pada", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tenggat", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("hasil", sa.String(16), nullable=True),
    sa.Column("keterangan_hasil", sa.Text, nullable=True),
    sa.Column("selesai_pada", sa.DateTime(timezone=True), nullable=True),
    sa.Column("tenggat_dialertkan", sa.Boolean, nullable=False, server_default=sa.false()),
)

akses_identitas = sa.Table(
    "akses_identitas",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("laporan_id", sa.String(36), nullable=False, index=True),
    sa.Column("unit_perkara", sa.String(32), nullable=False),
    sa.Column("subjek", sa.String(200), nullable=False),
    sa.Column("peran", sa.String(32), nullable=False),
    sa.Column("unit_akun", sa.String(32), nullable=False),
    sa.Column("tujuan", sa.String(200), nullable=False),
    sa.Column("diizinkan", sa.Boolean, nullable=False),
    sa.Column("pada", sa.DateTime(timezone=True), nullable=False),
)
"""Every access to a reporter's identity, granted or refused (append only)."""

kegiatan_rm = sa.Table(
    "kegiatan_rm",
    metadata,
    sa.Column("kegiatan_id", sa.String(64), primary_key=True),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("divisi", sa.String(16), nullable=False),
    sa.Column("judul", sa.Text, nullable=False),
    sa.Column("jenis", sa.String(64), nullable=False),
    sa.Column("mulai", sa.Date, nullable=False),
    sa.Column("selesai", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("program", sa.String(64), nullable=True),
    sa.Column("tahapan", sa.String(200), nullable=True),  # as long as planning accepts (limits.Nama)
    sa.Column("target_peserta", sa.Integer, nullable=True),
    sa.Column("peserta_hadir", sa.Integer, nullable=True),
    sa.Column("anggaran", sa.BigInteger, nullable=True),
    sa.Column("anggaran_realisasi", sa.BigInteger, nullable=True),
    sa.Column("diperbarui_pada", sa.DateTime(timezone=True), nullable=False),
)
"""Planning's kegiatan as its events told them (read model for the annual report)."""

partisipasi_rm = sa.Table(
    "partisipasi_rm",
    metadata,
    sa.Column("event_id", sa.String(36), primary_key=True),
    sa.Column("event_type", sa.String(100), nullable=False),
    sa.Column("unit", sa.String(32), nullable=False, index=True),
    sa.Column("tanggal", sa.Date, nullable=False),
    sa.Column("program", sa.String(64), nullable=True),
)
"""Participation's events, counted (never their personal data)."""

angka_masuk = sa.Table(
    "angka_masuk",
    metadata,
    sa.Column("unit", sa.String(32), primary_key=True),
    sa.Column("tanggal", sa.Date, primary_key=True),
    sa.Column("jenis", sa.String(16), primary_key=True),
    sa.Column("jumlah", sa.Integer, nullable=False),
    sa.Column("dengan_dugaan", sa.Integer, nullable=False, server_default="0"),
)
"""The figures projection: Form A and laporan received per unit, local day and kind
(``form_a``, ``laporan``), kept by the group ``awasi.reporting.angka`` from reporting's own
events. ``dengan_dugaan``: Form A that found an alleged violation or dispute."""

outbox, outbox_lease = outbox_tables(metadata)
inbox = inbox_table(metadata)
