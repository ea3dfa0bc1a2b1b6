"""Evidence files: which kinds are accepted and how large they may be. The kind is read from
the file's first bytes, not trusted from its name or the browser's declared type."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_reporting.domain.pelapor import BuktiInfo

ALLOWED = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
    "video/mp4": (".mp4", ".m4v", ".mov"),
    "audio/mp4": (".m4a",),
    "audio/mpeg": (".mp3",),
}
"""Evidence kinds accepted, with the file name endings each may carry."""

ALLOWED_LABEL = "JPG, PNG, WEBP, PDF, MP4/MOV, M4A, MP3"


@dataclass(frozen=True)
class BatasBukti:
    max_bytes: int
    max_files: int
    total_max_bytes: int


@dataclass(frozen=True)
class BerkasMasuk:
    """An uploaded file as it arrived."""

    nama_berkas: str
    isi: bytes


def sniff(content: bytes) -> str | None:
    """The media type the content really is, among the accepted ones."""
    head = content[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if content[4:8] == b"ftyp":
        brand = content[8:12]
        return "audio/mp4" if brand in (b"M4A ", b"M4B ") else "video/mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


def clean_name(name: str) -> str:
    """A file name safe to show and to send back in a header."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _UNSAFE.sub("_", base)[:200]
    return base or "berkas"


def inspect(
    files: Sequence[BerkasMasuk], limits: BatasBukti, *, existing: int = 0, now: dt.datetime, oleh: str
) -> list[tuple[BuktiInfo, bytes]]:
    """Check every file before anything is written; each problem names the file."""
    files = [f for f in files if f.isi or f.nama_berkas]
    if existing + len(files) > limits.max_files:
        raise DomainError(f"Paling banyak {limits.max_files} berkas bukti per laporan.", field="bukti")
    total = sum(len(f.isi) for f in files)
    if total > limits.total_max_bytes:
        raise DomainError(
            f"Ukuran seluruh berkas bukti {_mb(total)} melebihi batas {_mb(limits.total_max_bytes)}.",
            field="bukti",
        )
    accepted: list[tuple[BuktiInfo, bytes]] = []
    for upload in files:
        name = clean_name(upload.nama_berkas)
        if not upload.isi:
            raise DomainError(f"Berkas bukti '{name}' kosong.", field="bukti")
        if len(upload.isi) > limits.max_bytes:
            raise DomainError(
                f"Berkas bukti '{name}' berukuran {_mb(len(upload.isi))}, melebihi batas "
                f"{_mb(limits.max_bytes)} per berkas.",
                field="bukti",
            )
        kind = sniff(upload.isi)
        ending = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if kind is None or ending not in ALLOWED[kind]:
            raise DomainError(
                f"Jenis berkas bukti '{name}' tidak diizinkan. Jenis yang diterima: {ALLOWED_LABEL}.",
                field="bukti",
            )
        accepted.append(
            (
                BuktiInfo(
                    id=str(uuid.uuid4()),
                    nama_berkas=name,
                    jenis=kind,
                    ukuran=len(upload.isi),
                    sha256=hashlib.sha256(upload.isi).hexdigest(),
                    diunggah_pada=now,
                    oleh=oleh,
                ),
                upload.isi,
            )
        )
    return accepted


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
