"""Plan documents as lines of text: plain text, Word (.docx) and PDF.

The format is recognised from the bytes (a PDF starts with ``%PDF``, a .docx is a ZIP holding
``word/document.xml``), not from the name. Each line keeps where a person finds it in the
original: 'baris 75' in a text file, 'paragraf 12' in a Word document (a table row counts as
one paragraph, its cells separated by tabs), 'halaman 2 baris 4' in a PDF.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_planning.domain.importer import Baris

Progress = Callable[[int, int], None]
"""Called with (done, total) as pages or paragraphs are read."""

MB = 1024 * 1024
MAX_BYTES = 20 * MB
"""The largest document by default (``AWASI_PLANNING_DOCUMENT_MAX_BYTES``)."""


class BerkasTidakTerbaca(DomainError):
    """The bytes are no text, .docx or PDF this reader can open."""


class BerkasTerlaluBesar(DomainError):
    status_code = 413


@dataclass(frozen=True)
class Dokumen:
    nama: str
    format: str
    """'teks', 'docx' or 'pdf'."""
    baris: list[Baris]


def detect_format(data: bytes) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise BerkasTidakTerbaca(
            "Berkas ZIP ini bukan dokumen Word (.docx); unggah teks, .docx atau PDF.", field="berkas"
        )
    return "teks"


def read_document(data: bytes, nama: str, progress: Progress | None = None, *, max_bytes: int = MAX_BYTES) -> Dokumen:
    """The document's lines. Raises :class:`BerkasTidakTerbaca` for what cannot be read."""
    if not data.strip():
        raise BerkasTidakTerbaca(f"Berkas '{nama}' kosong.", field="berkas")
    if len(data) > max_bytes:
        raise BerkasTerlaluBesar(
            f"Berkas '{nama}' terlalu besar ({len(data) // MB} MB; paling besar {max_bytes // MB} MB).", field="berkas"
        )
    kind = detect_format(data)
    if kind == "pdf":
        lines = _pdf(data, nama, progress)
    elif kind == "docx":
        lines = _docx(data, nama, progress)
    else:
        lines = _text(data, nama)
        if progress:
            progress(1, 1)
    return Dokumen(nama, kind, lines)


def _text(data: bytes, nama: str) -> list[Baris]:
    if b"\x00" in data[:4096]:
        raise BerkasTidakTerbaca(f"Berkas '{nama}' bukan teks, .docx atau PDF yang dapat dibaca.", field="berkas")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return [Baris(i, line, f"baris {i}") for i, line in enumerate(text.splitlines(), start=1)]


def _docx(data: bytes, nama: str, progress: Progress | None) -> list[Baris]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several kinds for a damaged package
        raise BerkasTidakTerbaca(f"Dokumen Word '{nama}' tidak dapat dibuka: {error}", field="berkas") from error
    blocks = list(document.iter_inner_content())
    lines: list[Baris] = []
    paragraph = 0
    for done, block in enumerate(blocks, start=1):
        if isinstance(block, Paragraph):
            paragraph += 1
            for text in block.text.split("\n"):
                lines.append(Baris(len(lines) + 1, text, f"paragraf {paragraph}"))
        elif isinstance(block, Table):
            for row in block.rows:
                paragraph += 1
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or value != cells[-1]:  # merged cells repeat their text
                        cells.append(value)
                lines.append(Baris(len(lines) + 1, "\t".join(cells), f"paragraf {paragraph} (baris tabel)"))
        if progress and (done % 50 == 0 or done == len(blocks)):
            progress(done, len(blocks))
    return lines


def _pdf(data: bytes, nama: str, progress: Progress | None) -> list[Baris]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise BerkasTidakTerbaca(f"PDF '{nama}' tidak dapat dibuka: {error}", field="berkas") from error
    lines: list[Baris] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as error:  # a damaged page should name the page, not fail with a 500
            raise BerkasTidakTerbaca(
                f"Halaman {number} PDF '{nama}' tidak dapat dibaca: {error}", field="berkas"
            ) from error
        for index, line in enumerate(text.splitlines(), start=1):
            lines.append(Baris(len(lines) + 1, line, f"halaman {number} baris {index}"))
        if progress:
            progress(number, len(pages))
    if not any(line.teks.strip() for line in lines):
        raise BerkasTidakTerbaca(
            f"PDF '{nama}' tidak memuat teks (hasil pindaian?); unggah versi teks atau Word.", field="berkas"
        )
    return lines
