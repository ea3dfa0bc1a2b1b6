"""A division's annual report as CSV and as a PDF with charts (reportlab + matplotlib).

Both are built from ``views.LaporanTahunanData``: counts and kegiatan titles, never a
person's name. Rendering is CPU work; callers run it in a thread.
"""

from __future__ import annotations

import csv
import io
from html import escape
from typing import Any

from awasi_common.vocabulary import PROGRAM_NAMA, Divisi, Program
from awasi_reporting.domain.model import PUTUSAN_LABEL, JenisPutusan, Kanal
from awasi_reporting.views import BULAN, LaporanTahunanData

STATUS_KEGIATAN = {"scheduled": "Terjadwal", "completed": "Terlaksana", "cancelled": "Dibatalkan"}


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


def rows(data: LaporanTahunanData) -> list[tuple[str, str, str]]:
    """The report as (bagian, indikator, nilai) rows: what the CSV holds and the PDF shows."""
    out: list[tuple[str, str, str]] = []
    kegiatan = "Kegiatan (rencana dan realisasi)"
    total = sum(data.kegiatan_status.values())
    out.append((kegiatan, "Jumlah kegiatan direncanakan", str(total)))
    for status, label in STATUS_KEGIATAN.items():
        out.append((kegiatan, f"Kegiatan {label.lower()}", str(data.kegiatan_status.get(status, 0))))
    out.append((kegiatan, "Target peserta", str(data.target_peserta)))
    out.append((kegiatan, "Peserta hadir", str(data.peserta_hadir)))
    out.append((kegiatan, "Anggaran (Rp)", str(data.anggaran)))
    out.append((kegiatan, "Realisasi anggaran (Rp)", str(data.anggaran_realisasi)))
    s = data.statistik
    if data.divisi is Divisi.P2H:
        bagian = "Partisipasi masyarakat"
        out.append((bagian, "Jumlah catatan partisipasi", str(sum(data.partisipasi_per_jenis.values()))))
        for jenis, n in sorted(data.partisipasi_per_jenis.items()):
            out.append((bagian, PARTISIPASI_LABEL.get(jenis, jenis), str(n)))
        for program, n in sorted(data.partisipasi_per_program.items()):
            out.append((bagian, f"Program {_program_label(program)}", str(n)))
        bagian = "Pencegahan dan pengawasan"
        out.append((bagian, "Pencegahan (Form F dan surat imbauan)", str(s["pencegahan"]["jumlah"])))
        out.append((bagian, "Surat imbauan", str(s["pencegahan"]["imbauan"])))
        out.append((bagian, "Form F", str(s["pencegahan"]["form_f"])))
        out.append((bagian, "Form A hasil pengawasan", str(s["form_a"]["jumlah"])))
        out.append((bagian, "APK ditertibkan", str(s["penertiban_apk"]["jumlah_apk"])))
    if data.divisi is Divisi.PP_DATIN:
        bagian = "Penanganan pelanggaran"
        out.append((bagian, "Temuan", str(s["temuan"]["jumlah"])))
        out.append((bagian, "Laporan diterima", str(s["laporan"]["jumlah"])))
        out.append((bagian, "Laporan diregistrasi", str(s["laporan"]["diregistrasi"])))
        out.append((bagian, "Laporan tidak diregistrasi", str(s["laporan"]["tidak_diregistrasi"])))
        for alasan, n in s["laporan"]["tidak_diregistrasi_alasan"].items():
            out.append((bagian, f"Tidak diregistrasi: {alasan}", str(n)))
        for kanal, n in s["laporan"]["per_kanal"].items():
            out.append((bagian, f"Laporan melalui {_kanal_label(kanal)}", str(n)))
        for kind in JenisPutusan:
            out.append((bagian, f"Putusan: {PUTUSAN_LABEL[kind]}", str(s["putusan"][kind.value])))
    if data.divisi is Divisi.HPS:
        bagian = "Penyelesaian sengketa"
        out.append((bagian, "Sengketa antarpeserta (PSAP)", str(s["psap"]["jumlah"])))
        out.append((bagian, "PSAP selesai", str(s["psap"]["selesai"])))
    for item in data.kegiatan:
        out.append(
            (
                "Daftar kegiatan",
                f"{item['mulai']:%d-%m-%Y} {item['judul']}",
                STATUS_KEGIATAN.get(item["status"], item["status"]),
            )
        )
    return out


def render_csv(data: LaporanTahunanData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit", "tahun", "divisi", "bagian", "indikator", "nilai"])
    for bagian, indikator, nilai in rows(data):
        writer.writerow([data.unit, data.tahun, data.divisi.value, bagian, indikator, nilai])
    return buffer.getvalue().encode("utf-8-sig")


def _chart_png(draw: Any, width: float = 7.0, height: float = 2.8) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(width, height), dpi=110)
    try:
        draw(axes)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _kegiatan_chart(data: LaporanTahunanData) -> bytes:
    def draw(axes: Any) -> None:
        bottom = [0] * 12
        colors = {"completed": "#2e7d32", "scheduled": "#1565c0", "cancelled": "#c62828"}
        for status, label in STATUS_KEGIATAN.items():
            values = data.kegiatan_per_bulan.get(status, [0] * 12)
            axes.bar(BULAN, values, bottom=bottom, label=label, color=colors[status])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        from matplotlib.ticker import MaxNLocator

        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_title("Kegiatan per bulan")
        axes.set_ylabel("Kegiatan")
        axes.legend(fontsize=7)

    return _chart_png(draw)


def _bar_chart(title: str, labels: list[str], values: list[int], color: str = "#6a1b9a") -> bytes:
    def draw(axes: Any) -> None:
        positions = list(range(len(labels)))
        axes.barh(positions, values, color=color)
        axes.set_yticks(positions, labels=labels, fontsize=7)
        axes.invert_yaxis()
        axes.set_title(title)
        for position, value in zip(positions, values, strict=True):
            axes.text(value, position, f" {value}", va="center", fontsize=7)

    return _chart_png(draw, height=max(1.6, 0.35 * len(labels) + 0.8))


def charts(data: LaporanTahunanData) -> list[bytes]:
    found = [_kegiatan_chart(data)]
    s = data.statistik
    if data.divisi is Divisi.P2H:
        found.append(
            _bar_chart(
                "Pencegahan, pengawasan dan partisipasi",
                ["Pencegahan", "Form A", "APK ditertibkan", "Catatan partisipasi"],
                [
                    s["pencegahan"]["jumlah"],
                    s["form_a"]["jumlah"],
                    s["penertiban_apk"]["jumlah_apk"],
                    sum(data.partisipasi_per_jenis.values()),
                ],
            )
        )
    if data.divisi is Divisi.PP_DATIN:
        found.append(
            _bar_chart(
                "Hasil penanganan pelanggaran",
                [PUTUSAN_LABEL[k].split(" (")[0] for k in JenisPutusan],
                [s["putusan"][k.value] for k in JenisPutusan],
                color="#ef6c00",
            )
        )
    if data.divisi is Divisi.HPS:
        found.append(
            _bar_chart("Sengketa antarpeserta", ["Diterima", "Selesai"], [s["psap"]["jumlah"], s["psap"]["selesai"]])
        )
    return found


def render_pdf(data: LaporanTahunanData) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=f"Laporan Tahunan {data.tahun} {data.divisi.value} {data.unit_nama}",
        author=data.unit_nama,
    )
    styles = getSampleStyleSheet()
    story: list[Any] = [
        Paragraph(f"Laporan Tahunan {data.tahun}", styles["Title"]),
        Paragraph(escape(f"Divisi {data.divisi.nama}"), styles["Heading2"]),
        Paragraph(escape(f"{data.unit_nama} (kode {data.unit}), termasuk unit di bawahnya"), styles["Normal"]),
        Spacer(1, 0.4 * cm),
    ]
    for png in charts(data):
        image = Image(io.BytesIO(png))
        ratio = image.imageHeight / image.imageWidth
        image.drawWidth = 17 * cm
        image.drawHeight = 17 * cm * ratio
        story += [image, Spacer(1, 0.3 * cm)]
    table_rows = [["Bagian", "Indikator", "Nilai"]]
    body = styles["BodyText"]
    body.fontSize = 8
    body.leading = 10
    for bagian, indikator, nilai in rows(data):
        # Paragraph reads its text as markup: a title such as "Rapat <b>" is text, not a tag.
        table_rows.append([Paragraph(escape(cell), body) for cell in (bagian, indikator, nilai)])
    table = Table(table_rows, colWidths=[4.2 * cm, 9.8 * cm, 3.4 * cm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#263238")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("FONTSIZE", (0, 0), (-1, 0), 9),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
            ]
        )
    )
    story.append(table)
    story.append(Spacer(1, 0.4 * cm))
    story.append(
        Paragraph(
            "Sumber: peristiwa perencanaan (Kegiatan*), partisipasi, dan penanganan pelanggaran Awasi. "
            "Dokumen ini tidak memuat data pribadi pelapor.",
            styles["Italic"],
        )
    )
    document.build(story)
    return buffer.getvalue()
