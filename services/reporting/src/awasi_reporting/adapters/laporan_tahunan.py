"""A division's annual report as CSV and as a PDF with charts (reportlab + matplotlib).

Both are built from ``domain.laporan_tahunan.LaporanTahunanData``: counts and kegiatan titles, never a
person's name. Rendering is CPU work; callers run it in a thread.

The PDF is the document a division head hands to the unit's chair: the unit's kop surat, a
number from the unit's register (``nomor_laporan_tahunan``), the date in the unit's own time
zone, figures written the Indonesian way (``1.234``, ``Rp35.000.000``), charts whose count
axes have whole-number ticks only, and a signature block. Its only font is DejaVu Sans, the
TrueType files matplotlib ships (``matplotlib/mpl-data/fonts/ttf``), embedded as subsets, so
the PDF looks the same on every reader and nothing outside the project's own packages is needed.
Until the report is issued (``POST /laporan-tahunan/terbit``) it is a draft: no number, and
"DRAF" across every page.

The CSV is for machines: one kind of value per column (``nilai`` is always a whole number,
its ``satuan`` says of what; a kegiatan's date and status have columns of their own).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from babel.numbers import format_currency, format_decimal

from awasi_common.tanggal import tanggal
from awasi_common.units import RI_CODE, Level, level_of, region_name
from awasi_common.vocabulary import PROGRAM_NAMA, Divisi, Program
from awasi_reporting.domain.laporan_tahunan import BULAN, DRAF, LaporanTahunanData, Pengesahan
from awasi_reporting.domain.vocabulary import PUTUSAN_LABEL, JenisPutusan, Kanal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATUS_KEGIATAN = {"scheduled": "Terjadwal", "completed": "Terlaksana", "cancelled": "Dibatalkan"}

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

PARTISIPASI_LABEL = {
    "ProgramFormed": "Program pengawasan partisipatif dibentuk",
    "PojokKonsultasiRecorded": "Konsultasi di Pojok Pengawasan",
    "KampungKomunikasiRecorded": "Komunikasi Kampung Pengawasan",
    "PesertaRegistered": "Peserta terdaftar",
    "PesertaAttended": "Kehadiran peserta",
    "UmpanBalikReceived": "Umpan balik peserta",
    "PemantauanRecorded": "Pemantauan pengawasan partisipatif",
    "PenilaianSet": "Penilaian program",
    "TindakLanjutRequired": "Tindak lanjut diperlukan",
    "TindakLanjutRecorded": "Tindak lanjut dicatat",
    "ForumWargaOverdue": "Kewajiban Forum Warga terlambat",
    "PemantauanOverdue": "Kewajiban pemantauan terlambat",
    "TindakLanjutOverdue": "Kewajiban tindak lanjut terlambat",
    "LaporanPojokDiterima": "Laporan melalui Pojok Pengawasan",
}

RUPIAH = "rupiah"


# --- numbers and words as an Indonesian document writes them -----------------------------------


def angka(value: int) -> str:
    """'1.234.567' (Babel, locale id)."""
    return format_decimal(value, locale="id")


def rupiah(value: int) -> str:
    """'Rp35.000.000' (Babel, locale id; whole rupiah, as budgets are written)."""
    return format_currency(value, "IDR", locale="id", format="¤#,##0", currency_digits=False)


def kop_surat(unit: str) -> tuple[str, str]:
    """The two lines of a unit's letterhead, e.g. ('BADAN PENGAWAS PEMILIHAN UMUM',
    'KABUPATEN PASER')."""
    level = level_of(unit)
    name = (region_name(unit) or unit).upper()
    if level is Level.RI:
        return "BADAN PENGAWAS PEMILIHAN UMUM", "REPUBLIK INDONESIA"
    if level is Level.PROVINSI:
        return "BADAN PENGAWAS PEMILIHAN UMUM", f"PROVINSI {name}"
    if level is Level.KABUPATEN_KOTA:
        return "BADAN PENGAWAS PEMILIHAN UMUM", name
    if level is Level.KECAMATAN:
        return "PANITIA PENGAWAS PEMILIHAN UMUM", f"KECAMATAN {name}"
    if level is Level.KELURAHAN_DESA:
        return "PANITIA PENGAWAS PEMILIHAN UMUM", f"KELURAHAN/DESA {name}"
    return "PENGAWAS TEMPAT PEMUNGUTAN SUARA", name


def tempat_surat(unit: str) -> str:
    """Where a letter of the unit is dated ('Paser' for Kabupaten Paser; 'Jakarta' for RI)."""
    if unit == RI_CODE:
        return "Jakarta"
    name = region_name(unit) or unit
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


# --- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baris:
    """One figure of the report: a whole number of ``satuan``."""

    bagian: str
    indikator: str
    nilai: int
    satuan: str

    @property
    def tertulis(self) -> str:
        """The value as the PDF writes it."""
        return rupiah(self.nilai) if self.satuan == RUPIAH else angka(self.nilai)


def _program_label(code: str) -> str:
    try:
        return PROGRAM_NAMA[Program(code)]
    except ValueError:
        return code


def _kanal_label(code: str) -> str:
    try:
        return Kanal(code).label
    except ValueError:
        return code


def rows(data: LaporanTahunanData) -> list[Baris]:
    """The report's figures: what the CSV holds and the PDF's table shows."""
    out: list[Baris] = []
    kegiatan = "Kegiatan (rencana dan realisasi)"
    total = sum(data.kegiatan_status.values())
    out.append(Baris(kegiatan, "Jumlah kegiatan direncanakan", total, "kegiatan"))
    for status, label in STATUS_KEGIATAN.items():
        out.append(Baris(kegiatan, f"Kegiatan {label.lower()}", data.kegiatan_status.get(status, 0), "kegiatan"))
    out.append(Baris(kegiatan, "Target peserta", data.target_peserta, "orang"))
    out.append(Baris(kegiatan, "Peserta hadir", data.peserta_hadir, "orang"))
    out.append(Baris(kegiatan, "Anggaran (Rp)", data.anggaran, RUPIAH))
    out.append(Baris(kegiatan, "Realisasi anggaran (Rp)", data.anggaran_realisasi, RUPIAH))
    s = data.statistik
    if data.divisi is Divisi.P2H:
        bagian = "Partisipasi masyarakat"
        out.append(Baris(bagian, "Jumlah catatan partisipasi", sum(data.partisipasi_per_jenis.values()), "catatan"))
        for jenis, n in sorted(data.partisipasi_per_jenis.items()):
            out.append(Baris(bagian, PARTISIPASI_LABEL.get(jenis, jenis), n, "catatan"))
        for program, n in sorted(data.partisipasi_per_program.items()):
            out.append(Baris(bagian, f"Program {_program_label(program)}", n, "catatan"))
        bagian = "Pencegahan dan pengawasan"
        out.append(Baris(bagian, "Pencegahan (Form F dan surat imbauan)", s["pencegahan"]["jumlah"], "dokumen"))
        out.append(Baris(bagian, "Surat imbauan", s["pencegahan"]["imbauan"], "dokumen"))
        out.append(Baris(bagian, "Form F", s["pencegahan"]["form_f"], "dokumen"))
        out.append(Baris(bagian, "Form A hasil pengawasan", s["form_a"]["jumlah"], "dokumen"))
        out.append(Baris(bagian, "APK ditertibkan", s["penertiban_apk"]["jumlah_apk"], "APK"))
    if data.divisi is Divisi.PP_DATIN:
        bagian = "Penanganan pelanggaran"
        out.append(Baris(bagian, "Temuan", s["temuan"]["jumlah"], "temuan"))
        out.append(Baris(bagian, "Laporan diterima", s["laporan"]["jumlah"], "laporan"))
        out.append(Baris(bagian, "Laporan diregistrasi", s["laporan"]["diregistrasi"], "laporan"))
        out.append(Baris(bagian, "Laporan tidak diregistrasi", s["laporan"]["tidak_diregistrasi"], "laporan"))
        for alasan, n in s["laporan"]["tidak_diregistrasi_alasan"].items():
            out.append(Baris(bagian, f"Tidak diregistrasi: {alasan}", n, "laporan"))
        for kanal, n in s["laporan"]["per_kanal"].items():
            out.append(Baris(bagian, f"Laporan melalui {_kanal_label(kanal)}", n, "laporan"))
        for kind in JenisPutusan:
            out.append(Baris(bagian, f"Putusan: {PUTUSAN_LABEL[kind]}", s["putusan"][kind.value], "perkara"))
    if data.divisi is Divisi.HPS:
        bagian = "Penyelesaian sengketa"
        out.append(Baris(bagian, "Sengketa antarpeserta (PSAP)", s["psap"]["jumlah"], "perkara"))
        out.append(Baris(bagian, "PSAP selesai", s["psap"]["selesai"], "perkara"))
    return out


CSV_COLUMNS = ["unit", "tahun", "divisi", "bagian", "indikator", "satuan", "nilai", "tanggal_mulai", "status"]
"""``nilai`` is always a whole number (rupiah, kegiatan, orang, …, as ``satuan`` says);
``tanggal_mulai`` an ISO date and ``status`` a kegiatan's status, for the list of kegiatan
only (a kegiatan is one ``kegiatan``)."""


def render_csv(data: LaporanTahunanData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows(data):
        writer.writerow(
            [data.unit, data.tahun, data.divisi.value, row.bagian, row.indikator, row.satuan, row.nilai, "", ""]
        )
    for item in data.kegiatan:
        writer.writerow(
            [
                data.unit,
                data.tahun,
                data.divisi.value,
                "Daftar kegiatan",
                item["judul"],
                "kegiatan",
                1,
                item["mulai"].isoformat(),
                STATUS_KEGIATAN.get(item["status"], item["status"]),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


# --- charts -------------------------------------------------------------------------------------


def _count_axis(axes: Axes, which: str, largest: int) -> None:
    """A count axis (``which`` is "x" or "y"): whole-number ticks only, written the Indonesian
    way, from 0 (without data matplotlib would span -0.05 to 0.05)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis = axes.xaxis if which == "x" else axes.yaxis
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(FuncFormatter(lambda value, _position: angka(round(value))))
    top = max(1, largest) * 1.15
    if which == "x":
        axes.set_xlim(0, top)
    else:
        axes.set_ylim(0, top)


KEGIATAN_COLORS = {"completed": "#2e7d32", "scheduled": "#1565c0", "cancelled": "#c62828"}


@dataclass(frozen=True)
class KegiatanChart:
    """Kegiatan per month by status, stacked: ``per_status`` pairs a status with its 12 counts."""

    per_status: tuple[tuple[str, tuple[int, ...]], ...]
    height: ClassVar[float] = 2.8

    def draw(self, axes: Axes) -> None:
        bottom = [0] * 12
        for status, values in self.per_status:
            axes.bar(BULAN, values, bottom=bottom, label=STATUS_KEGIATAN[status], color=KEGIATAN_COLORS[status])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        _count_axis(axes, "y", max(bottom))
        axes.set_title("Kegiatan per bulan (menurut tanggal mulai)")
        axes.set_ylabel("Jumlah kegiatan")
        axes.legend(fontsize=7)


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per label, each with its count written at its end."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]
    color: str = "#6a1b9a"

    @property
    def height(self) -> float:
        return max(1.6, 0.35 * len(self.labels) + 0.8)

    def draw(self, axes: Axes) -> None:
        positions = list(range(len(self.labels)))
        axes.barh(positions, self.values, color=self.color)
        axes.set_yticks(positions, labels=self.labels, fontsize=7)
        axes.invert_yaxis()
        axes.set_title(self.title)
        _count_axis(axes, "x", max(self.values, default=0))
        for position, value in zip(positions, self.values, strict=True):
            axes.text(value, position, f" {angka(value)}", va="center", fontsize=7)


Chart = KegiatanChart | BarChart
"""One chart of the report as the values it shows: equal values draw the same picture."""


def report_charts(data: LaporanTahunanData) -> list[Chart]:
    """The charts of a division's report, in order."""
    found: list[Chart] = [
        KegiatanChart(
            tuple((status, tuple(data.kegiatan_per_bulan.get(status, [0] * 12))) for status in STATUS_KEGIATAN)
        )
    ]
    s = data.statistik
    if data.divisi is Divisi.P2H:
        found.append(
            BarChart(
                "Pencegahan, pengawasan dan partisipasi",
                ("Pencegahan", "Form A", "APK ditertibkan", "Catatan partisipasi"),
                (
                    s["pencegahan"]["jumlah"],
                    s["form_a"]["jumlah"],
                    s["penertiban_apk"]["jumlah_apk"],
                    sum(data.partisipasi_per_jenis.values()),
                ),
            )
        )
    if data.divisi is Divisi.PP_DATIN:
        found.append(
            BarChart(
                "Hasil penanganan pelanggaran",
                tuple(PUTUSAN_LABEL[k].split(" (")[0] for k in JenisPutusan),
                tuple(s["putusan"][k.value] for k in JenisPutusan),
                color="#ef6c00",
            )
        )
    if data.divisi is Divisi.HPS:
        found.append(
            BarChart("Sengketa antarpeserta", ("Diterima", "Selesai"), (s["psap"]["jumlah"], s["psap"]["selesai"]))
        )
    return found


CHART_WIDTH = 7.0
"""Inches; the PDF scales each chart to its text width."""


def chart_figure(chart: Chart, width: float = CHART_WIDTH) -> Figure:
    """A chart as a matplotlib figure (drawn, not yet saved)."""
    from matplotlib.figure import Figure

    # A Figure of its own, without pyplot's global state: safe in the worker thread.
    figure = Figure(figsize=(width, chart.height), dpi=150)
    chart.draw(figure.subplots())
    figure.tight_layout()
    return figure


def chart_figures(data: LaporanTahunanData, width: float = CHART_WIDTH) -> list[Figure]:
    """The report's charts as matplotlib figures (drawn, not yet saved)."""
    return [chart_figure(chart, width) for chart in report_charts(data)]


@lru_cache(maxsize=128)
def chart_png(chart: Chart) -> bytes:
    """A chart as PNG, drawn once for the same values: drawing was ~80% of a report's rendering
    (py-spy), and a unit's draft is fetched again and again while its figures stay put; a small
    unit's charts are the same as many others'. 128 charts of ~20–40 KB at most."""
    buffer = io.BytesIO()
    chart_figure(chart).savefig(buffer, format="png")
    return buffer.getvalue()


def charts(data: LaporanTahunanData) -> list[bytes]:
    return [chart_png(chart) for chart in report_charts(data)]


# --- the PDF ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """DejaVu Sans from matplotlib's own files, registered once with reportlab (embedded as
    subsets when used)."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    directory = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(directory / f"{name}.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD_ITALIC)


def render_pdf(data: LaporanTahunanData, pengesahan: Pengesahan) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        CondPageBreak,
        HRFlowable,
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    judul = f"Laporan Tahunan {data.tahun} Divisi {data.divisi.nama} {data.unit_nama}"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.0 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.8 * cm,
        title=judul,
        author=data.unit_nama,
        subject=f"Nomor {pengesahan.nomor_tertulis}",
        creator="Awasi",
        lang="id-ID",
        initialFontName=FONT,
    )
    width = document.width - 12  # the frame's own padding, 6 pt each side
    normal = ParagraphStyle("normal", fontName=FONT, fontSize=10, leading=14)
    kecil = ParagraphStyle("kecil", parent=normal, fontSize=8.5, leading=11)
    sel = ParagraphStyle("sel", parent=normal, fontSize=8.5, leading=11)
    sel_angka = ParagraphStyle("sel_angka", parent=sel, alignment=TA_RIGHT)
    kepala_sel = ParagraphStyle("kepala_sel", parent=sel, fontName=FONT_BOLD, textColor=colors.white)
    kepala_angka = ParagraphStyle("kepala_angka", parent=kepala_sel, alignment=TA_RIGHT)
    tengah = ParagraphStyle("tengah", parent=normal, alignment=TA_CENTER)
    kop1 = ParagraphStyle("kop1", parent=tengah, fontName=FONT_BOLD, fontSize=13, leading=17)
    kop2 = ParagraphStyle("kop2", parent=tengah, fontName=FONT_BOLD, fontSize=15, leading=19)
    judul_style = ParagraphStyle("judul", parent=tengah, fontName=FONT_BOLD, fontSize=12, leading=16)
    bab = ParagraphStyle("bab", parent=normal, fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4)

    def text(value: str, style: ParagraphStyle) -> Paragraph:
        # Paragraph reads its text as markup: a title such as "Rapat <b>" is text, not a tag.
        return Paragraph(escape(value), style)

    baris1, baris2 = kop_surat(data.unit)
    story: list[Any] = [
        text(baris1, kop1),
        text(baris2, kop2),
        Spacer(1, 0.15 * cm),
        HRFlowable(width="100%", thickness=2.2, color=colors.black, spaceBefore=0, spaceAfter=1.2),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=0, spaceAfter=0.5 * cm),
        text("LAPORAN TAHUNAN", judul_style),
        text(f"DIVISI {data.divisi.nama.upper()}", judul_style),
        text(f"TAHUN {data.tahun}", judul_style),
        text(f"Nomor: {pengesahan.nomor_tertulis}", tengah),
        Spacer(1, 0.5 * cm),
        text(
            f"Laporan ini menyajikan pelaksanaan program Divisi {data.divisi.nama} {data.unit_nama} "
            f"(kode wilayah {data.unit}), termasuk unit di bawahnya, untuk periode 1 Januari sampai "
            f"dengan 31 Desember {data.tahun}: kegiatan yang direncanakan dan direalisasikan beserta "
            "anggarannya, serta capaian yang dicatat dalam Awasi.",
            normal,
        ),
        Spacer(1, 0.3 * cm),
        text("A. Ringkasan capaian", bab),
    ]
    table_rows: list[list[Any]] = [[text("No.", kepala_sel), text("Uraian", kepala_sel), text("Jumlah", kepala_angka)]]
    bagian_rows: list[int] = []
    bagian = None
    number = 0
    for row in rows(data):
        if row.bagian != bagian:
            bagian = row.bagian
            bagian_rows.append(len(table_rows))
            table_rows.append([Paragraph(f"<b>{escape(bagian)}</b>", sel), "", ""])
            number = 0
        number += 1
        table_rows.append([text(f"{number}.", sel), text(row.indikator, sel), text(row.tertulis, sel_angka)])
    style: list[Any] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#263238")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9e9e")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
    ]
    for index in bagian_rows:
        style += [
            ("SPAN", (0, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#eceff1")),
        ]
    table = Table(table_rows, colWidths=[1.1 * cm, width - 5.1 * cm, 4.0 * cm], repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)

    story += [CondPageBreak(6 * cm), text("B. Grafik", bab)]
    for png in charts(data):
        image = Image(io.BytesIO(png))
        ratio = image.imageHeight / image.imageWidth
        image.drawWidth = width
        image.drawHeight = width * ratio
        story += [KeepTogether([image]), Spacer(1, 0.3 * cm)]

    story += [CondPageBreak(4 * cm), text("C. Daftar kegiatan", bab)]
    if data.kegiatan:
        daftar: list[list[Any]] = [
            [
                text("No.", kepala_sel),
                text("Tanggal mulai", kepala_sel),
                text("Kegiatan", kepala_sel),
                text("Status", kepala_sel),
            ]
        ]
        for index, item in enumerate(data.kegiatan, start=1):
            daftar.append(
                [
                    text(f"{index}.", sel),
                    text(tanggal(item["mulai"]), sel),
                    text(item["judul"], sel),
                    text(STATUS_KEGIATAN.get(item["status"], item["status"]), sel),
                ]
            )
        kegiatan_table = Table(daftar, colWidths=[1.1 * cm, 3.7 * cm, width - 7.2 * cm, 2.4 * cm], repeatRows=1)
        kegiatan_table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#263238")),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9e9e")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                ]
            )
        )
        story.append(kegiatan_table)
    else:
        story.append(text("Tidak ada kegiatan divisi pada tahun ini.", normal))

    story.append(Spacer(1, 0.8 * cm))
    nama = (
        f"<b><u>{escape(pengesahan.nama)}</u></b>" if pengesahan.nama else "(.......................................)"
    )
    signatures = Table(
        [
            ["", text(f"{tempat_surat(data.unit)}, {tanggal(pengesahan.tanggal)}", normal)],
            [text("Mengetahui,", normal), ""],
            [text(f"Ketua {data.unit_nama},", normal), text(f"{pengesahan.jabatan},", normal)],
            ["", ""],
            [text("(.......................................)", normal), Paragraph(nama, normal)],
        ],
        colWidths=[width / 2, width / 2],
        rowHeights=[None, None, None, 2.2 * cm, None],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("VALIGN", (0, 2), (-1, 2), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
            ]
        )
    )
    story.append(KeepTogether([signatures]))
    story += [
        Spacer(1, 0.6 * cm),
        text(
            "Sumber: peristiwa perencanaan (Kegiatan*), partisipasi, dan penanganan pelanggaran yang dicatat "
            "dalam Awasi. Dokumen ini tidak memuat data pribadi pelapor.",
            kecil,
        ),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(doc.leftMargin, 1.0 * cm, f"Laporan Tahunan {data.tahun} · Nomor {pengesahan.nomor_tertulis}")
        canvas.drawRightString(A4[0] - doc.rightMargin, 1.0 * cm, f"Halaman {doc.page}")
        if pengesahan.nomor is None:  # a draft says so on every page, across the page
            canvas.setFont(FONT_BOLD, 96)
            canvas.setFillColor(colors.Color(0.8, 0.1, 0.1, alpha=0.12))
            canvas.translate(A4[0] / 2, A4[1] / 2)
            canvas.rotate(45)
            canvas.drawCentredString(0, -32, DRAF)
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
