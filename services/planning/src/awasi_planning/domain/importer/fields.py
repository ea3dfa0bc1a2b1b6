"""One kegiatan's fields, read from the lines of its sections or the cells of its table row:
tujuan, output and sasaran, input indicators, participants, method, place, budget, jenis,
program and tahapan."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from awasi_common.vocabulary import Program
from awasi_planning.domain import peserta as peserta_reader
from awasi_planning.domain.importer.divisions import divisi_from_text
from awasi_planning.domain.importer.draft import Draft
from awasi_planning.domain.importer.lines import Baris, clean
from awasi_planning.domain.importer.results import Catatan, KegiatanTerbaca
from awasi_planning.domain.importer.schedule import Period, jadwal_of
from awasi_planning.domain.importer.sections import Section
from awasi_planning.domain.importer.tables import UNKNOWN_COLUMN
from awasi_planning.domain.model import MAX_RUPIAH, IndikatorInput, Jenis, Metode, TargetPeserta

T = TypeVar("T")

_JENIS: list[tuple[re.Pattern[str], Jenis]] = [
    (
        re.compile(r"penyusunan\s+laporan|laporan\s+(?:tahunan|akhir|kinerja)|evaluasi\s+dan\s+pelaporan"),
        Jenis.PENYUSUNAN_LAPORAN,
    ),
    (re.compile(r"rapat\s+koordinasi|\brakor\b|\brapat\b"), Jenis.RAPAT_KOORDINASI),
    (re.compile(r"bimbingan\s+teknis|\bbimtek\b|\bpelatihan\b|\bdiklat\b|\bpembinaan\b"), Jenis.BIMBINGAN_TEKNIS),
    (re.compile(r"sosialisasi|penyuluhan|\bedukasi\b|sekolah\s+kader|pendidikan\s+pengawas"), Jenis.SOSIALISASI),
    (re.compile(r"supervisi|monitoring|\bmonev\b"), Jenis.SUPERVISI_MONITORING),
    (re.compile(r"patroli"), Jenis.PATROLI_PENGAWASAN),
    (re.compile(r"kunjungan"), Jenis.KUNJUNGAN_KELEMBAGAAN),
    (re.compile(r"kerja\s*sama|perjanjian|\bmou\b|nota\s+kesepahaman|\bpks\b"), Jenis.KERJA_SAMA),
    (re.compile(r"layanan\s+informasi|\bppid\b|informasi\s+publik"), Jenis.LAYANAN_INFORMASI),
    (re.compile(r"^penyusunan\b"), Jenis.LAINNYA),
    (re.compile(r"\bpengawasan\b(?!\s+(?:pemilu\s+)?partisipatif)"), Jenis.PENGAWASAN_TAHAPAN),
]
_PROGRAM: list[tuple[re.Pattern[str], Program]] = [
    (
        re.compile(r"pendidikan\s+pengawas(?:an)?\s+partisipatif|\bp2p\b|sekolah\s+kader"),
        Program.PENDIDIKAN_PENGAWAS_PARTISIPATIF,
    ),
    (re.compile(r"forum\s+warga"), Program.FORUM_WARGA),
    (re.compile(r"pojok\s+pengawasan"), Program.POJOK_PENGAWASAN),
    (re.compile(r"perguruan\s+tinggi|\bkampus\b|\bkspt\b"), Program.KERJA_SAMA_PERGURUAN_TINGGI),
    (re.compile(r"(?:kampung|desa)\s+pengawasan"), Program.KAMPUNG_PENGAWASAN),
    (re.compile(r"komunitas\s+digital"), Program.KOMUNITAS_DIGITAL),
]
_TAHAPAN: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bdct\b|\bdcs\b|pencalonan|daftar\s+calon"), "Pencalonan anggota DPR, DPD dan DPRD"),
    (re.compile(r"\bkpps\b|\bppk\b|\bpps\b"), "Pembentukan badan ad hoc penyelenggara pemilu"),
    (re.compile(r"logistik"), "Pengadaan dan pendistribusian logistik"),
    (re.compile(r"pungut\s+hitung|pemungutan|penghitungan|rekapitulasi\s+suara"), "Pemungutan dan penghitungan suara"),
    (re.compile(r"kampanye"), "Kampanye"),
    (re.compile(r"daftar\s+pemilih|\bdpt\b|pemutakhiran|coklit"), "Pemutakhiran data dan penyusunan daftar pemilih"),
    (re.compile(r"partai\s+politik|verifikasi\s+partai"), "Pendaftaran dan verifikasi partai politik peserta pemilu"),
]
_METODE_WORDS = {
    Metode.HYBRID: re.compile(r"\b(?:hybrid|hibrid|hibrida|bauran)\b", re.IGNORECASE),
    Metode.DARING: re.compile(r"\b(?:daring|online|zoom|virtual|webinar)\b", re.IGNORECASE),
    Metode.LURING: re.compile(r"\b(?:luring|offline|tatap\s+muka)\b", re.IGNORECASE),
}
_LOKASI = re.compile(
    r"\b(?:bertempat|berlokasi|lokasi(?:\s+kegiatan)?\s*:|tempat(?:\s+kegiatan|\s+pelaksanaan)?\s*:)\s*(?:di\s+)?"
    r"(?P<l>[^.;(\n]{3,200})",
    re.IGNORECASE,
)
_LOKASI_END = re.compile(r"\s+(?:pada|mulai|tanggal|dengan|selama)\b")
_RUPIAH = re.compile(
    r"\brp\.?\s*(?P<n>\d{1,3}(?:[.,]\d{3})+|\d+)(?:,-|,00\b|[.,](?P<desimal>\d{1,2})(?!\d))?"
    r"(?:\s*(?P<juta>juta|miliar))?",
    re.IGNORECASE,
)
_METHOD_PHRASE = re.compile(r"dengan\s+metode\s+(?P<m>[\w ]{3,40})", re.IGNORECASE)
_PESERTA = re.compile(r"peserta", re.IGNORECASE)

_OS_LABEL = re.compile(
    r"^(?P<label>out\s?put|ouput|ouptut|outptut|otput|keluaran|luaran|sasaran|target)"
    r"(?:\s+(?:kegiatan|yang\s+diharapkan))?\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_SWITCH_SASARAN = re.compile(
    r"(?:^|(?<=[.;]\s))sasaran[^.:]{0,60}?(?:meliputi|adalah|antara\s+lain|yaitu|sebagai\s+berikut)?\s*:\s*$",
    re.IGNORECASE,
)

_INPUT_CLASS = [
    ("anggaran", re.compile(r"\b(?:anggaran|biaya|dana|pendanaan|rp)\b", re.IGNORECASE)),
    (
        "sarana_prasarana",
        re.compile(
            r"\b(?:sarana|prasarana|ruang|ruangan|peralatan|perlengkapan|fasilitas|materi|komputer|perangkat|"
            r"seragam|alat|teknologi|tempat)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "sdm",
        re.compile(
            r"\b(?:sumber\s+daya\s+manusia|sdm|peserta|anggota|personel|personil|staf|tim|aparatur|narasumber|"
            r"orang|pegawai)\b",
            re.IGNORECASE,
        ),
    ),
]
_OTHER_INPUT = "lainnya"
_INPUT_NAMES = {
    "sumber daya manusia": "sdm",
    "sdm": "sdm",
    "sarana dan prasarana": "sarana_prasarana",
    "sarana prasarana": "sarana_prasarana",
    "sarana": "sarana_prasarana",
    "anggaran": "anggaran",
    "biaya": "anggaran",
    "dana": "anggaran",
}
_MAX_INPUT_NAME_WORDS = 5
_LABEL = re.compile(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<rest>.*)$")
_MAX_LATAR, _MAX_SHORT_FIELD = 20000, 500
"""Characters kept of a background text and of a place."""


def interpret(d: Draft, year: int | None, period: Period | None) -> KegiatanTerbaca:
    """The fields of one kegiatan; a schedule that leaves the year out takes ``year``, a recurring
    one spans ``period``."""
    notes = [Catatan.on(b, "teks sebelum bagian I, tidak diimpor ke bidang mana pun") for b in d.before_sections]
    for header, body in d.unknown:
        notes.append(Catatan(header.nomor, header.tempat, header.teks.strip(), "bagian tidak dikenal"))
        notes.extend(Catatan.on(b, "isi bagian tidak dikenal") for b in body)

    latar = [b.teks.strip() for b in d.lines(Section.LATAR)]
    if d.columns.get("latar"):
        latar.append(d.columns["latar"])
    tujuan = _texts(d.lines(Section.TUJUAN))
    output, sasaran = _output_sasaran(d.lines(Section.OUTPUT_SASARAN))
    indikator = _indikator(d.lines(Section.INDIKATOR))
    pelaksanaan = _texts(d.lines(Section.PELAKSANAAN))

    # Columns of a table that have no field of their own are kept as notes.
    for key, value in d.columns.items():
        if key.startswith(UNKNOWN_COLUMN):
            notes.append(Catatan(d.baris.nomor, d.baris.tempat, f"{key[1:]}: {value}", "kolom tidak dikenal"))

    inputs = indikator.sdm + indikator.sarana_prasarana + indikator.anggaran + indikator.lainnya
    jadwal, unread = jadwal_of(
        d,
        [" ¶ ".join(pelaksanaan), d.judul, " ¶ ".join(tujuan), " ¶ ".join(output + sasaran), " ¶ ".join(inputs)],
        year,
        period,
    )
    notes += unread

    column = d.columns.get("peserta", "")
    body_lines = (
        ([column if _PESERTA.search(column) else f"peserta {column}"] if column else [])
        + [b.teks for b in d.lines(Section.INDIKATOR, Section.PELAKSANAAN, Section.OUTPUT_SASARAN)]
        + ([d.columns["latar"]] if d.columns.get("latar") else [])
    )
    read = peserta_reader.read_participants(clean(t) for t in body_lines)

    title_low = d.judul.lower()
    jenis = _first(_JENIS, title_low)
    if jenis is None:
        phrase = _METHOD_PHRASE.search(" ".join(pelaksanaan))
        jenis = _first(_JENIS, phrase.group("m")) if phrase else None
    return KegiatanTerbaca(
        nomor=d.nomor,
        baris=d.baris,
        divisi=divisi_from_text(d.columns["divisi"]) if d.columns.get("divisi") else d.divisi,
        judul=d.judul,
        jenis=jenis or Jenis.LAINNYA,
        jadwal=jadwal,
        latar_belakang="\n\n".join(latar)[:_MAX_LATAR] or None,
        tujuan=tujuan,
        output=output,
        sasaran=sasaran,
        indikator_input=indikator,
        pelaksanaan=pelaksanaan,
        metode=_metode(d, body_lines) or (read.metode if read else None),
        target_peserta=read.target if read else TargetPeserta(),
        lokasi=_lokasi(d, d.lines(Section.PELAKSANAAN)),
        tahapan=_first(_TAHAPAN, title_low),
        program=_first(_PROGRAM, f"{title_low} {d.columns.get('program', '')}"),
        anggaran=_anggaran(d, [b.teks for b in d.lines(Section.INDIKATOR, Section.PELAKSANAAN)]),
        catatan=notes,
    )


def _first(patterns: Sequence[tuple[re.Pattern[str], T]], text: str) -> T | None:
    low = text.lower()
    return next((value for pattern, value in patterns if pattern.search(low)), None)


def _texts(lines: Sequence[Baris]) -> list[str]:
    return [t for t in (clean(b.teks) for b in lines) if t]


def _output_sasaran(lines: Sequence[Baris]) -> tuple[list[str], list[str]]:
    output: list[str] = []
    sasaran: list[str] = []
    target = output
    for text in _texts(lines):
        label = _OS_LABEL.match(text)
        if label:
            target = sasaran if label.group("label").lower() in {"sasaran", "target"} else output
            if label.group("rest").strip():
                target.append(label.group("rest").strip())
            continue
        switch = _SWITCH_SASARAN.search(text)
        if switch:
            before = text[: switch.start()].strip()
            if before:
                target.append(before)
            target = sasaran
            continue
        target.append(text)
    return output, sasaran


def _input_class(text: str) -> str:
    return next((name for name, pattern in _INPUT_CLASS if pattern.search(text)), _OTHER_INPUT)


def _indikator(lines: Sequence[Baris]) -> IndikatorInput:
    found: dict[str, list[str]] = {"sdm": [], "sarana_prasarana": [], "anggaran": [], _OTHER_INPUT: []}
    context: str | None = None
    prefix = ""
    for text in _texts(lines):
        name = text.lower().rstrip(" :.")
        if name in _INPUT_NAMES and len(name.split()) <= _MAX_INPUT_NAME_WORDS:
            context, prefix = _INPUT_NAMES[name], ""
            continue
        label = _LABEL.match(text)
        if label:
            label_text = label.group("label").strip()
            rest = label.group("rest").strip()
            exact = _INPUT_NAMES.get(label_text.lower())
            cls = exact or _input_class(label_text)
            if not rest:
                context = cls
                prefix = "" if exact or cls != _OTHER_INPUT else f"{label_text}: "
                continue
            found[cls if cls != _OTHER_INPUT else _input_class(rest)].append(rest if exact else text)
            continue
        cls = context or _input_class(text)
        found[cls].append(f"{prefix}{text}" if cls == _OTHER_INPUT and prefix else text)
    return IndikatorInput(**found)


def _metode(d: Draft, lines: Sequence[str]) -> Metode | None:
    text = " ".join([d.columns.get("metode", ""), d.judul, *lines])
    online = bool(_METODE_WORDS[Metode.DARING].search(text))
    offline = bool(_METODE_WORDS[Metode.LURING].search(text))
    if _METODE_WORDS[Metode.HYBRID].search(text) or (online and offline):
        return Metode.HYBRID
    if online:
        return Metode.DARING
    if offline:
        return Metode.LURING
    return None


def _lokasi(d: Draft, lines: Sequence[Baris]) -> str | None:
    if d.columns.get("lokasi"):
        return d.columns["lokasi"].strip()[:_MAX_SHORT_FIELD]
    for b in lines:
        m = _LOKASI.search(clean(b.teks))
        if m:
            place = _LOKASI_END.split(m.group("l"))[0]
            return place.strip(" ,")[:_MAX_SHORT_FIELD] or None
    return None


def _anggaran(d: Draft, lines: Sequence[str]) -> int | None:
    """The first amount in rupiah that can be a budget: 'Rp 15.000.000', 'Rp 150.000.000,-',
    'Rp 5,5 juta', 'Rp 2 miliar'. An amount past :data:`MAX_RUPIAH` is no budget (a typo or a
    number that is not one) and the next one is taken."""
    for text in [d.columns.get("anggaran", ""), *lines]:
        for m in _RUPIAH.finditer(text):
            whole = int(re.sub(r"[.,]", "", m.group("n")))
            value = whole
            if m.group("juta"):
                fraction = Decimal(f"0.{m.group('desimal') or 0}")
                scale = 1_000_000 if m.group("juta").lower() == "juta" else 1_000_000_000
                value = int((whole + fraction) * scale)
            if value <= MAX_RUPIAH:
                return value
    return None
