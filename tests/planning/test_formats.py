"""The same plans read from Word and PDF: files generated here from the shared documents' text
(python-docx writes .docx; reportlab writes a PDF whose long lines wrap, as real PDFs do)."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from awasi_planning.adapters.documents import BerkasTidakTerbaca, read_document
from awasi_planning.domain.importer import Baris, KegiatanTerbaca, parse_plan

DOCUMENTS = Path(__file__).resolve().parents[2].parent / "shared" / "documents"
PROVINCE_TABLE = DOCUMENTS / "000_a9af13b0eaf7620d.txt"
KABUPATEN_PLAN = DOCUMENTS / "001_ca2d3250fc9f7651.part1.txt"


def docx_of_plan(text: str) -> bytes:
    """One paragraph per line of the text."""
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_of_table(text: str) -> bytes:
    """The title as paragraphs and the tab-separated rows as a real Word table."""
    document = docx.Document()
    rows: list[list[str]] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
        elif rows and line.strip():
            rows[-1][-1] += "\n" + line
        elif not rows:
            document.add_paragraph(line)
    table = document.add_table(rows=0, cols=max(len(r) for r in rows))
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=False):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_of(text: str, width: int = 95) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    y = 800
    for line in text.splitlines():
        for part in textwrap.wrap(line, width) or [""]:
            if y < 40:
                page.showPage()
                y = 800
            page.drawString(40, y, part)
            y -= 12
    page.save()
    return out.getvalue()


def essentials(k: KegiatanTerbaca) -> tuple[object, ...]:
    return (
        k.divisi,
        k.nomor,
        k.judul,
        k.jenis,
        k.jadwal,
        k.target_peserta,
        k.tujuan,
        k.output,
        k.sasaran,
        k.indikator_input,
        k.lokasi,
    )


@pytest.fixture(scope="module")
def from_text() -> list[KegiatanTerbaca]:
    text = KABUPATEN_PLAN.read_text(encoding="utf-8")
    return parse_plan([Baris(i, t) for i, t in enumerate(text.splitlines(), start=1)]).kegiatan


def test_word_document_reads_like_the_text(from_text: list[KegiatanTerbaca]) -> None:
    document = read_document(docx_of_plan(KABUPATEN_PLAN.read_text(encoding="utf-8")), "rencana.docx")
    assert document.format == "docx"
    plan = parse_plan(document.baris)
    assert [essentials(k) for k in plan.kegiatan] == [essentials(k) for k in from_text]
    assert plan.kegiatan[0].baris.tempat == "paragraf 30"


def test_pdf_reads_like_the_text_despite_wrapped_lines(from_text: list[KegiatanTerbaca]) -> None:
    document = read_document(pdf_of(KABUPATEN_PLAN.read_text(encoding="utf-8")), "rencana.pdf")
    assert document.format == "pdf"
    plan = parse_plan(document.baris)
    assert plan.unit_nama == "Kabupaten Blitar" and plan.tahun == 2023
    assert [essentials(k) for k in plan.kegiatan] == [essentials(k) for k in from_text]
    # Where to find things is said in pages and lines.
    assert plan.kegiatan[0].baris.tempat == "halaman 1 baris 19"
    hps6 = plan.kegiatan[17]
    assert hps6.judul == "Bimbingan Teknis tentang Penyelesaian Sengketa Antar Peserta (PSAP)"
    assert hps6.target_peserta.jumlah == 88
    assert hps6.baris.tempat.startswith("halaman ")


def test_word_table_of_the_province() -> None:
    document = read_document(docx_of_table(PROVINCE_TABLE.read_text(encoding="utf-8")), "pencegahan.docx")
    plan = parse_plan(document.baris)
    assert plan.unit_nama == "Provinsi Banten"
    assert [(k.nomor, k.jadwal.mulai.isoformat() if k.jadwal else None) for k in plan.kegiatan] == [
        (1, "2022-05-17"),
        (2, "2022-06-01"),
        (3, "2022-05-24"),
        (4, "2022-08-09"),
        (5, "2022-08-15"),
        (6, "2022-08-23"),
    ]
    assert plan.kegiatan[3].latar_belakang is not None
    assert plan.kegiatan[3].latar_belakang.endswith("pengawasan partisipatif di tingkatan perempuan.")
    assert plan.kegiatan[0].baris.tempat == "paragraf 7 (baris tabel)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04not really a zip", "bukan dokumen Word"),
        (b"%PDF-1.4\n%broken", "PDF"),
        (b"\x00\x01\x02binary", "bukan teks"),
        (b"  \n\t", "kosong"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(BerkasTidakTerbaca) as error:
        read_document(data, "berkas")
    assert message in error.value.message


async def test_pdf_upload_imports_the_plan(start_service, tokens, upload, table_counts) -> None:
    planning = await start_service("planning")
    pdf = pdf_of(KABUPATEN_PLAN.read_text(encoding="utf-8"))
    response = await planning.post(
        "/kegiatan/impor", files=upload(KABUPATEN_PLAN, pdf, "rencana-blitar.pdf"), headers=tokens("35.05")
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["dokumen"]["format"] == "pdf" and result["ringkasan"]["baru"] == 24
    assert result["kegiatan"][0]["asal"] == "rencana-blitar.pdf, halaman 1 baris 19"
    assert await table_counts() == (24, 24)
    # The text version of the same document is the same plan: nothing new.
    again = await planning.post("/kegiatan/impor", files=upload(KABUPATEN_PLAN), headers=tokens("35.05"))
    assert again.status_code == 200 and again.json()["ringkasan"]["sudah_ada"] == 24
