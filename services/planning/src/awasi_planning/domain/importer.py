"""Plan documents read into kegiatan. No I/O: the document's lines in, kegiatan out.

Two shapes of plan are understood, as the divisions write them:

- a year plan (Rencana Kegiatan): division headings ("DIVISI HUKUM DAN PENYELESAIAN
  SENGKETA …"), under each numbered kegiatan (numbering restarts per division), each in five
  sections — I Latar Belakang, II Tujuan, III Output dan Sasaran, IV Indikator Komponen Input,
  V Pelaksanaan — whatever their spelling ("Ouptut", "Input'"), bullets (-, ✓, a./b., a)) and
  wrapped lines;
- a table of kegiatan (No, Kegiatan, Tanggal, Rincian …), tab- or pipe-separated.

The schedule is read from Indonesian prose (:mod:`.tanggal`), participant counts from the
lines that give them (:mod:`.peserta`), a missing year from the document's title. Whatever
cannot be placed in a field is kept as a :class:`Catatan` with its line — on the kegiatan it
belongs to, or on the document — and never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from awasi_common.errors import DomainError
from awasi_common.vocabulary import Divisi, Program
from awasi_planning.domain import peserta as peserta_reader
from awasi_planning.domain import tanggal
from awasi_planning.domain.model import (
    MAX_RUPIAH,
    TAHUN_AKHIR,
    TAHUN_AWAL,
    IndikatorInput,
    Jadwal,
    Jenis,
    Kegiatan,
    Metode,
    Presisi,
    TargetPeserta,
)


class BukanRencana(DomainError):
    """The document holds no kegiatan this importer can find."""


@dataclass(frozen=True)
class Baris:
    """One line of a document's text."""

    nomor: int
    """1-based position in the document's text."""
    teks: str
    lokasi: str = ""
    """How a person finds the line: 'baris 75', 'paragraf 12', 'halaman 2 baris 4'."""

    @property
    def tempat(self) -> str:
        return self.lokasi or f"baris {self.nomor}"


@dataclass(frozen=True)
class Catatan:
    """Text the importer could not place in a field, and why."""

    nomor: int
    lokasi: str
    teks: str
    alasan: str

    def render(self) -> str:
        return f"{self.lokasi} — {self.alasan}: {self.teks}" if self.teks else f"{self.lokasi} — {self.alasan}"


@dataclass
class KegiatanTerbaca:
    """What a document says about one kegiatan."""

    nomor: int
    baris: Baris
    divisi: Divisi | None
    judul: str
    jenis: Jenis
    jadwal: Jadwal | None
    latar_belakang: str | None = None
    tujuan: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)
    sasaran: list[str] = field(default_factory=list)
    indikator_input: IndikatorInput = field(default_factory=IndikatorInput)
    pelaksanaan: list[str] = field(default_factory=list)
    metode: Metode | None = None
    target_peserta: TargetPeserta = field(default_factory=TargetPeserta)
    lokasi: str | None = None
    tahapan: str | None = None
    program: Program | None = None
    anggaran: int | None = None
    catatan: list[Catatan] = field(default_factory=list)

    @property
    def terjadwal(self) -> bool:
        """Whether the document gave a schedule (otherwise the kegiatan stays a draft)."""
        return self.jadwal is not None and self.jadwal.keterangan != JADWAL_TIDAK_DISEBUT


@dataclass
class RencanaTerbaca:
    judul: str | None
    unit_nama: str | None
    """The unit as the document names it, e.g. 'Kabupaten Blitar' or 'Provinsi Banten'."""
    tahun: int | None
    kegiatan: list[KegiatanTerbaca]
    catatan: list[Catatan]
    jumlah_baris: int


JADWAL_TIDAK_DISEBUT = "jadwal tidak disebutkan dalam dokumen"

# --- lines ------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-–•✓✔√·▪►➢]\s*|\*\s+)")
_ENUM = re.compile(r"^\s*(?:[a-zA-Z]|\d{1,2})[.)]\s+")
_MARKDOWN = re.compile(r"\*{1,2}([^*]+?)\*{1,2}")
_ENDS_SENTENCE = re.compile(r"[.!?:;]\s*$")
_TOP_NUMBER = re.compile(r"^\s*(?P<n>\d{1,3})\s*[.)]\s*(?P<rest>\S.*)$")


def clean(text: str) -> str:
    """A line without its bullets, enumerators and markdown emphasis."""
    text = _MARKDOWN.sub(r"\1", text).replace("**", "")
    for _ in range(3):
        stripped = _ENUM.sub("", _BULLET.sub("", text), count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split()).strip()


def _bulleted(text: str) -> bool:
    return bool(_BULLET.match(text) or _ENUM.match(text) or _TOP_NUMBER.match(text))


def _uppercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def _is_table_line(text: str) -> bool:
    return text.count("\t") >= 1 or text.strip().startswith("|")


def join_lines(lines: Sequence[Baris]) -> list[Baris]:
    """Logical lines: blank lines dropped, a line broken mid-sentence joined to its start.

    Documents break sentences across lines (PDF wrapping, and plain text saved from them:
    "… Badan Ad Hoc Bawaslu Kabupaten" / "Blitar dalam rangka …"). A line continues the one
    before when that one does not end a sentence and is no heading, and this one starts with
    no bullet, number or section name.
    """
    out: list[Baris] = []
    for line in lines:
        text = line.teks.replace("\u00a0", " ").rstrip()
        if not text.strip():
            continue
        if out and _continues(out[-1].teks, text):
            previous = out[-1]
            before = previous.teks.rstrip()
            # "prinsip-" / "prinsip" was one word broken at its hyphen.
            glue = "" if re.search(r"[^\W\d_]-$", before) and text.strip()[:1].islower() else " "
            out[-1] = Baris(previous.nomor, f"{before}{glue}{text.strip()}", previous.lokasi)
            continue
        out.append(Baris(line.nomor, text, line.lokasi))
    return out


def _continues(previous: str, text: str) -> bool:
    before = clean(previous)
    if not before or _ENDS_SENTENCE.search(before) or _uppercase(previous) or section_of(previous):
        return False
    if _is_table_line(previous) or _is_table_line(text):
        return False
    if _bulleted(text) or section_of(text) or _uppercase(text) or _division_heading(text):
        return False
    first = text.strip()[0]
    return first.islower() or len(before) >= 60


# --- sections ---------------------------------------------------------------------------

LATAR, TUJUAN, OUTPUT_SASARAN, INDIKATOR, PELAKSANAAN = 1, 2, 3, 4, 5
_SECTION = re.compile(
    r"^\s*(?:\*\*)?\s*(?:(?:(?P<rom>VIII|VII|VI|IV|IX|V|I{1,3}|X)|(?P<abc>[A-E]))\s*[.)]\s*)?"
    r"(?P<name>[^\W\d_][^:]*?)[\s:'’`\"*.]*$"
)
_OUTPUT_WORD = re.compile(r"^(?:out\s?put|ouput|ouptut|outptut|otput|outpt|keluaran|luaran)$")


def _similar(word: str, target: str, cutoff: float = 0.8) -> bool:
    return difflib.SequenceMatcher(None, word, target).ratio() >= cutoff


def _section_kind(words: list[str]) -> int | None:
    first = words[0]
    if first == "latar" or _similar(" ".join(words[:2]), "latar belakang") or first == "pendahuluan":
        return LATAR
    if first in {"tujuan", "maksud"} or _similar(first, "tujuan", 0.85):
        return TUJUAN
    if "sasaran" in words or _OUTPUT_WORD.match(first) or _similar(first, "output", 0.8):
        return OUTPUT_SASARAN
    if _similar(first, "indikator") or "input" in words:
        return INDIKATOR
    if _similar(first, "pelaksanaan", 0.85) or first in {"jadwal", "waktu"}:
        return PELAKSANAAN
    return None


_SUB_LABEL = re.compile(r"^\s*(?:[a-z]|\d{1,2})\s*[.)]\s+")


_SECTION_NAMES = (
    "latar belakang",
    "pendahuluan",
    "tujuan",
    "tujuan kegiatan",
    "maksud dan tujuan",
    "output dan sasaran",
    "output dan sasaran kegiatan",
    "sasaran dan output",
    "indikator komponen input",
    "indikator input",
    "pelaksanaan",
    "pelaksanaan kegiatan",
    "jadwal pelaksanaan",
    "waktu pelaksanaan",
    "waktu dan tempat pelaksanaan",
)


def _near_section_name(name: str) -> bool:
    return any(_similar(name, known, 0.8) for known in _SECTION_NAMES)


def section_of(text: str) -> int | None:
    """The section a heading line opens (1–5), 0 for a numbered section of unknown name, else None.

    Sections are numbered I–V (or A–E) or stand alone by name; a bulleted line or one numbered
    a./b./1. is a label inside a section, not a section."""
    if _BULLET.match(text) or _SUB_LABEL.match(text):
        return None
    m = _SECTION.match(text)
    if not m:
        return None
    numbered = m.group("rom") or m.group("abc")
    name = " ".join(re.sub(r"[^a-z ]", " ", m.group("name").lower()).split())
    words = name.split()
    if not words or len(words) > (8 if numbered else 4):
        return None
    if not numbered:
        # Standing alone, a heading is capitalised, ends without a full stop and is close to
        # a section's usual name (a wrapped "sasaran pelayanan." is no heading).
        raw = m.group("name").strip()
        if not raw[0].isupper() or text.rstrip().endswith(".") or not _near_section_name(name):
            return None
    kind = _section_kind(words)
    if kind is not None:
        return kind
    return 0 if m.group("rom") and len(words) <= 6 else None


# --- divisions, title, unit -------------------------------------------------------------

_DIVISION_WORDS: dict[Divisi, tuple[str, ...]] = {
    Divisi.SDMO: (r"\bsdm\b", r"sumber daya manusia", r"\borganisasi\b", r"\bdiklat\b", r"\bsdmo\b"),
    Divisi.HPS: (r"\bhukum\b", r"\bsengketa\b", r"\bhps\b"),
    Divisi.PP_DATIN: (r"penanganan pelanggaran", r"data dan informasi", r"data informasi", r"\bdatin\b"),
    Divisi.P2H: (
        r"\bpencegahan\b",
        r"\bpartisipasi\b",
        r"hubungan masyarakat",
        r"\bhumas\b",
        r"\bparmas\b",
        r"\bp2h\b",
    ),
}
_DIVISION_HEADING = re.compile(r"^\s*(?:\*\*)?\s*(?:koordinator\s+)?(?:divisi|bidang)\b", re.IGNORECASE)


def divisi_from_text(text: str) -> Divisi | None:
    """The division a heading or title names, by its words; None when it names none."""
    low = text.lower()
    scores = {d: sum(bool(re.search(w, low)) for w in words) for d, words in _DIVISION_WORDS.items()}
    best = max(scores.values())
    if best == 0:
        return None
    winners = [d for d, score in scores.items() if score == best]
    return winners[0] if len(winners) == 1 else None


def _division_heading(text: str) -> bool:
    return bool(_DIVISION_HEADING.match(text)) and len(text.split()) <= 20


_UNIT = re.compile(
    r"\b(?:bawaslu|panwaslu|panwas)\s+(?P<kind>provinsi|prov\.?|kabupaten|kab\.?|kota|kecamatan|kec\.?)\s+"
    r"(?P<name>[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_][^\W\d_'-]*){0,3})",
    re.IGNORECASE,
)
_UNIT_STOP = {"tahun", "divisi", "bidang", "sampai", "periode", "untuk", "dan", "dalam", "tentang", "di"}
_KIND = {"prov": "Provinsi", "kab": "Kabupaten", "kec": "Kecamatan"}
_RI = re.compile(r"\bbawaslu\s+(?:ri|republik\s+indonesia)\b", re.IGNORECASE)


def unit_name_in(text: str) -> str | None:
    """'Kabupaten Blitar' from '… BAWASLU KABUPATEN BLITAR', 'Republik Indonesia' for Bawaslu RI."""
    m = _UNIT.search(text)
    if not m:
        return "Republik Indonesia" if _RI.search(text) else None
    kind = m.group("kind").lower().rstrip(".")
    kind = _KIND.get(kind, kind.capitalize())
    words: list[str] = []
    for word in re.split(r"\s+", m.group("name").strip()):
        if word.lower() in _UNIT_STOP:
            break
        words.append(word)
    if not words:
        return None
    return f"{kind} {' '.join(w.capitalize() for w in words)}"


_KOP = re.compile(
    r"^(?:jl\b\.?|jalan\b|telp|telepon|tlp|fax|faks|surel|e-?mail|laman|website|situs|kode\s+pos)|@|https?://|www\.",
    re.IGNORECASE,
)
_TOC = re.compile(r"^\s*(?:\*\*)?daftar\s+(?:rencana\s+)?kegiatan\b[^.]*$", re.IGNORECASE)
_YEAR_IN_TITLE = re.compile(r"\b(?:tahun|ta\.?|t\.a\.?)\s*((?:19|20)\d\d)\b", re.IGNORECASE)

# --- tables -----------------------------------------------------------------------------

_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("no", re.compile(r"^(?:no\.?|nomor|#)$")),
    ("judul", re.compile(r"^(?:nama\s+|uraian\s+|judul\s+)?kegiatan$|^judul$|^nama$")),
    ("jadwal", re.compile(r"^(?:tanggal|waktu|jadwal|tgl\.?)(?:\s+\w+)?$|^(?:waktu\s+)?pelaksanaan$")),
    ("latar", re.compile(r"^(?:rincian|keterangan|deskripsi|uraian|penjelasan)(?:\s+kegiatan)?$")),
    ("lokasi", re.compile(r"^(?:tempat|lokasi)(?:\s+\w+)?$")),
    ("peserta", re.compile(r"^(?:jumlah\s+)?(?:peserta|sasaran|target)(?:\s+\w+)?$")),
    ("metode", re.compile(r"^metode$")),
    ("anggaran", re.compile(r"^(?:anggaran|biaya|pagu)(?:\s+\w+)?$")),
    ("divisi", re.compile(r"^(?:divisi|bidang)$")),
]


def _cells(text: str) -> list[str]:
    if text.strip().startswith("|"):
        return [c.strip() for c in text.strip().strip("|").split("|")]
    return [c.strip() for c in text.split("\t")]


def _table_header(text: str) -> list[str] | None:
    if not _is_table_line(text):
        return None
    names: list[str] = []
    for cell in _cells(text):
        low = " ".join(clean(cell).lower().split())
        names.append(next((key for key, pattern in _COLUMNS if pattern.match(low)), f"?{cell}"))
    if "judul" in names and ("jadwal" in names or "no" in names):
        return names
    return None


_ROW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.?\s*$")

# --- the parse --------------------------------------------------------------------------


@dataclass
class _Draft:
    nomor: int
    baris: Baris
    judul: str
    divisi: Divisi | None
    sections: dict[int, list[Baris]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    before_sections: list[Baris] = field(default_factory=list)
    unknown: list[tuple[Baris, list[Baris]]] = field(default_factory=list)
    current: int | None = None


_RENCANA_PREFIX = re.compile(r"^rencana\s+kegiatan\s+(?=\S+\s+\S+)", re.IGNORECASE)


def _heading(text: str) -> tuple[int | None, str]:
    m = _TOP_NUMBER.match(text)
    number, title = (int(m.group("n")), m.group("rest")) if m else (None, text)
    title = _RENCANA_PREFIX.sub("", clean(title)).strip(" :")
    return number, title[:500]


def _next_section(logical: Sequence[Baris], index: int) -> int | None:
    """The section whose heading follows line ``index``, at once or after at most two plain
    lines (a note between a kegiatan's heading and its first section)."""
    for ahead in range(index + 1, min(index + 4, len(logical))):
        text = logical[ahead].teks
        kind = section_of(text)
        if kind:
            return kind
        if kind == 0 or _bulleted(text) or _division_heading(text) or _uppercase(text) or _is_table_line(text):
            return None
    return None


def parse_plan(lines: Sequence[Baris], *, divisi: Divisi | None = None, tahun: int | None = None) -> RencanaTerbaca:
    """Read a plan document's lines. ``divisi`` is used where the document names none; ``tahun``
    where neither a line nor the title gives the year. Raises :class:`BukanRencana` when the
    document holds no kegiatan."""
    logical = join_lines(lines)
    notes: list[Catatan] = []
    drafts: list[_Draft] = []
    title_parts: list[Baris] = []
    preamble_done = False
    division: Divisi | None = None
    division_named = False
    doc_division: Divisi | None = None
    numbers: dict[Divisi | None, int] = {}
    table: list[str] | None = None
    toc: tuple[Baris, list[Baris]] | None = None
    draft: _Draft | None = None

    def note(b: Baris, alasan: str, teks: str | None = None) -> Catatan:
        return Catatan(b.nomor, b.tempat, (b.teks.strip() if teks is None else teks)[:1000], alasan)

    def start(b: Baris, number: int | None, title: str) -> _Draft:
        nonlocal toc
        key = division if division_named else doc_division or divisi
        expected = numbers.get(key, 0) + 1
        if number is not None and number != expected:
            notes.append(note(b, f"nomor kegiatan {number} tidak berurutan (seharusnya {expected})"))
        numbers[key] = number or expected
        toc = None
        chosen = (division if division_named else doc_division) or divisi
        d = _Draft(number or expected, b, title, chosen)
        drafts.append(d)
        return d

    for index, b in enumerate(logical):
        text = b.teks
        following = logical[index + 1].teks if index + 1 < len(logical) else ""
        kind = section_of(text)

        if _division_heading(text):
            preamble_done = True
            division_named = True
            division = divisi_from_text(text)
            if division is None:
                notes.append(note(b, "judul divisi tidak dikenali; kegiatan di bawahnya memakai divisi bawaan"))
            draft, table, toc = None, None, None
            continue

        header = _table_header(text)
        if header is not None:
            preamble_done = True
            table, draft = header, None
            continue

        if table is not None and _is_table_line(text):
            cells = _cells(text)
            number_match = _ROW_NUMBER.match(cells[0]) if table[0] == "no" else None
            if number_match or (table[0] != "no" and len(cells) >= 2):
                values = dict(zip(table, cells, strict=False))
                number = int(number_match.group(1)) if number_match else None
                draft = start(b, number, clean(values.get("judul", "")))
                draft.columns = {k: v for k, v in values.items() if v}
                if not draft.judul:
                    draft.judul = "(tanpa judul)"
                    draft.before_sections.append(b)
                continue
        if table is not None and draft is not None and not section_of(following) and kind is None:
            last = next((k for k in reversed(table) if draft.columns.get(k)), "latar")
            draft.columns[last] = f"{draft.columns.get(last, '')}\n{text.strip()}".strip()
            continue

        # A kegiatan opens with its heading: a line (numbered "1." or not, but no bullet or
        # a./b. label) followed — at once or after a plain line or two — by a section heading
        # that starts a new round of sections.
        section_next = _next_section(logical, index)
        heading_like = bool(_TOP_NUMBER.match(text)) or not (_BULLET.match(text) or _SUB_LABEL.match(text))
        opens_kegiatan = (
            kind is None
            and bool(section_next)
            and heading_like
            and (
                draft is None
                or table is not None
                or (draft.current is not None and (section_next == LATAR or (section_next or 0) < draft.current))
            )
        )
        if opens_kegiatan:
            preamble_done = True
            table = None
            number, heading = _heading(text)
            draft = start(b, number, heading)
            continue

        if draft is not None and table is None and kind is not None and kind != draft.current:
            if kind == 0:
                draft.unknown.append((b, []))
                draft.current = 99
            else:
                draft.current = kind
                draft.sections.setdefault(kind, [])
            continue

        if draft is not None and table is None:
            if draft.current is None:
                draft.before_sections.append(b)
            elif draft.current == 99:
                draft.unknown[-1][1].append(b)
            else:
                draft.sections[draft.current].append(b)
            continue

        if _TOC.match(clean(text)):
            preamble_done = True
            toc = (b, [])
            continue
        if toc is not None and _TOP_NUMBER.match(text):
            toc[1].append(b)
            continue

        if not preamble_done:
            if _KOP.search(text):
                notes.append(note(b, "kop surat, tidak diimpor"))
            elif _uppercase(text) or re.search(r"rencana\s+kegiatan", text, re.IGNORECASE):
                title_parts.append(b)
                doc_division = doc_division or divisi_from_text(text)
            else:
                notes.append(note(b, "teks pembuka di luar kegiatan, tidak diimpor"))
            continue
        notes.append(note(b, "teks di luar kegiatan mana pun, tidak diimpor"))

    if not drafts:
        raise BukanRencana(
            "Dokumen ini tidak tampak sebagai rencana kegiatan: tidak ditemukan kegiatan bernomor dengan "
            "bagian Latar Belakang/Tujuan/Output dan Sasaran/Indikator/Pelaksanaan, maupun tabel kegiatan "
            "(No, Kegiatan, Tanggal).",
            field="berkas",
        )

    title: str | None = " ".join(" ".join(p.teks.split()) for p in title_parts) or None
    year = tahun
    if title:
        m = _YEAR_IN_TITLE.search(title) or re.search(r"\b(20\d\d)\b", title)
        year = int(m.group(1)) if m else tahun
    if year is not None and not TAHUN_AWAL <= year <= TAHUN_AKHIR:
        notes.append(
            Catatan(0, "judul dokumen", title or "", f"tahun {year} di luar {TAHUN_AWAL}–{TAHUN_AKHIR}, tidak dipakai")
        )
        year = None
    unit_name = unit_name_in(title or "")
    if unit_name is None:
        for b in logical[:60]:
            unit_name = unit_name_in(b.teks)
            if unit_name:
                break

    # Table of contents: reported once, checked against what was found.
    toc_notes = _toc_notes(logical, drafts)
    notes.extend(toc_notes)

    kegiatan = [_interpret(d, year, None) for d in drafts]
    period = _period(kegiatan, year)
    for i, d in enumerate(drafts):
        if kegiatan[i].jadwal is None and period is not None:
            kegiatan[i] = _interpret(d, year, period)
    kept: list[KegiatanTerbaca] = []
    for item in kegiatan:
        if item.jadwal is None:
            fallback = period or ((dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else None)
            if fallback is None:
                notes.append(
                    note(item.baris, "kegiatan tidak diimpor: jadwal dan tahunnya tidak dapat dibaca", item.judul)
                )
                notes.extend(item.catatan)
                continue
            item.jadwal = Jadwal(fallback[0], fallback[1], Presisi.RENTANG_BULAN, JADWAL_TIDAK_DISEBUT)
            item.catatan.append(note(item.baris, "jadwal tidak ditemukan; kegiatan disimpan sebagai draft", item.judul))
        kept.append(item)
    if not kept:
        raise BukanRencana(
            "Tidak satu pun kegiatan dalam dokumen ini dapat diimpor: jadwal dan tahunnya tidak dapat dibaca.",
            field="berkas",
        )
    return RencanaTerbaca(title, unit_name, year, kept, notes, len(lines))


def _toc_notes(logical: list[Baris], drafts: list[_Draft]) -> list[Catatan]:
    notes: list[Catatan] = []
    index = 0
    while index < len(logical):
        b = logical[index]
        if _TOC.match(clean(b.teks)):
            items = []
            j = index + 1
            while (
                j < len(logical)
                and _TOP_NUMBER.match(logical[j].teks)
                and not section_of(logical[j + 1].teks if j + 1 < len(logical) else "")
            ):
                items.append(logical[j])
                j += 1
            found = [d for d in drafts if d.baris.nomor > b.nomor]
            until = next((d for d in found if d.nomor == 1 and d is not found[0]), None)
            section = [d for d in found if until is None or d.baris.nomor < until.baris.nomor]
            if len(items) == len(section):
                alasan = (
                    f"daftar rencana kegiatan ({len(items)} butir), sesuai dengan {len(section)} kegiatan yang diimpor"
                )
            else:
                alasan = (
                    f"daftar rencana kegiatan menyebut {len(items)} butir, tetapi {len(section)} kegiatan "
                    "ditemukan di bawahnya"
                )
            notes.append(Catatan(b.nomor, b.tempat, b.teks.strip(), alasan))
            index = j
            continue
        index += 1
    return notes


def _period(kegiatan: list[KegiatanTerbaca], year: int | None) -> tuple[dt.date, dt.date] | None:
    """The planning period a document covers: from its first scheduled month to the year's end."""
    starts = [k.jadwal.mulai for k in kegiatan if k.jadwal is not None]
    if year is None:
        if not starts:
            return None
        year = max(s.year for s in starts)
    first = min((s for s in starts if s.year == year), default=dt.date(year, 1, 1))
    return first.replace(day=1), dt.date(year, 12, 31)


# --- one kegiatan -----------------------------------------------------------------------

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
_RUPIAH = re.compile(
    r"\brp\.?\s*(?P<n>\d{1,3}(?:[.,]\d{3})+|\d+)(?:,-|,00\b|[.,](?P<desimal>\d{1,2})(?!\d))?"
    r"(?:\s*(?P<juta>juta|miliar))?",
    re.IGNORECASE,
)
_METHOD_PHRASE = re.compile(r"dengan\s+metode\s+(?P<m>[\w ]{3,40})", re.IGNORECASE)

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
_LABEL = re.compile(r"^(?P<label>[^:]{2,60}?)\s*:\s*(?P<rest>.*)$")


def _first(patterns: Sequence[tuple[re.Pattern[str], object]], text: str) -> object | None:
    low = text.lower()
    return next((value for pattern, value in patterns if pattern.search(low)), None)


def _texts(lines: Sequence[Baris]) -> list[str]:
    return [t for t in (clean(b.teks) for b in lines) if t]


def _interpret(d: _Draft, year: int | None, period: tuple[dt.date, dt.date] | None) -> KegiatanTerbaca:
    s = d.sections
    notes: list[Catatan] = []
    for b in d.before_sections:
        notes.append(
            Catatan(b.nomor, b.tempat, b.teks.strip()[:1000], "teks sebelum bagian I, tidak diimpor ke bidang mana pun")
        )
    for header, body in d.unknown:
        notes.append(Catatan(header.nomor, header.tempat, header.teks.strip(), "bagian tidak dikenal"))
        notes.extend(Catatan(b.nomor, b.tempat, b.teks.strip()[:1000], "isi bagian tidak dikenal") for b in body)

    latar = [b.teks.strip() for b in s.get(LATAR, [])]
    if d.columns.get("latar"):
        latar.append(d.columns["latar"])
    tujuan = _texts(s.get(TUJUAN, []))
    output, sasaran = _output_sasaran(s.get(OUTPUT_SASARAN, []))
    indikator = _indikator(s.get(INDIKATOR, []))
    pelaksanaan = _texts(s.get(PELAKSANAAN, []))

    # Columns of a table that have no field of their own are kept as notes.
    for key, value in d.columns.items():
        if key.startswith("?"):
            notes.append(Catatan(d.baris.nomor, d.baris.tempat, f"{key[1:]}: {value}", "kolom tidak dikenal"))

    sources: list[str] = []
    if d.columns.get("jadwal"):
        sources.append(d.columns["jadwal"])
    sources += [" ¶ ".join(pelaksanaan), d.judul, " ¶ ".join(tujuan), " ¶ ".join(output + sasaran)]
    sources.append(" ¶ ".join(indikator.sdm + indikator.sarana_prasarana + indikator.anggaran + indikator.lainnya))
    schedule = None
    for text in sources:
        schedule = tanggal.read_schedule(text, year, period=period)
        if schedule is not None:
            break
    jadwal = None
    if schedule is not None:
        jadwal = Jadwal(schedule.mulai, schedule.selesai, schedule.presisi, schedule.keterangan, schedule.pengulangan)
    else:
        unread = [b for b in s.get(PELAKSANAAN, []) if tanggal.mentions_schedule(b.teks)]
        for b in unread:
            notes.append(Catatan(b.nomor, b.tempat, b.teks.strip()[:1000], "jadwal tidak dapat dibaca"))
        cell = d.columns.get("jadwal", "").strip()
        if cell:  # a table's date cell says something, just not a date we can read
            notes.append(Catatan(d.baris.nomor, d.baris.tempat, cell[:1000], "jadwal tidak dapat dibaca"))

    column = d.columns.get("peserta", "")
    body_lines = (
        ([column if re.search(r"peserta", column, re.IGNORECASE) else f"peserta {column}"] if column else [])
        + [b.teks for k in (INDIKATOR, PELAKSANAAN, OUTPUT_SASARAN) for b in s.get(k, [])]
        + ([d.columns["latar"]] if d.columns.get("latar") else [])
    )
    read = peserta_reader.read_participants(clean(t) for t in body_lines)
    target = read.target if read else TargetPeserta()

    metode = _metode(d, body_lines) or (read.metode if read else None)
    lokasi = _lokasi(d, s.get(PELAKSANAAN, []))
    anggaran = _anggaran(d, [b.teks for k in (INDIKATOR, PELAKSANAAN) for b in s.get(k, [])])

    title_low = d.judul.lower()
    jenis = _first(_JENIS, title_low)
    if jenis is None:
        phrase = _METHOD_PHRASE.search(" ".join(pelaksanaan))
        jenis = _first(_JENIS, phrase.group("m")) if phrase else None
    program = _first(_PROGRAM, f"{title_low} {d.columns.get('program', '')}")
    tahapan = _first(_TAHAPAN, title_low)
    return KegiatanTerbaca(
        nomor=d.nomor,
        baris=d.baris,
        divisi=divisi_from_text(d.columns["divisi"]) if d.columns.get("divisi") else d.divisi,
        judul=d.judul,
        jenis=jenis if isinstance(jenis, Jenis) else Jenis.LAINNYA,
        jadwal=jadwal,
        latar_belakang="\n\n".join(latar)[:20000] or None,
        tujuan=tujuan,
        output=output,
        sasaran=sasaran,
        indikator_input=indikator,
        pelaksanaan=pelaksanaan,
        metode=metode,
        target_peserta=target,
        lokasi=lokasi,
        tahapan=tahapan if isinstance(tahapan, str) else None,
        program=program if isinstance(program, Program) else None,
        anggaran=anggaran,
        catatan=notes,
    )


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
    return next((name for name, pattern in _INPUT_CLASS if pattern.search(text)), "lainnya")


def _indikator(lines: Sequence[Baris]) -> IndikatorInput:
    found: dict[str, list[str]] = {"sdm": [], "sarana_prasarana": [], "anggaran": [], "lainnya": []}
    context: str | None = None
    prefix = ""
    for text in _texts(lines):
        name = text.lower().rstrip(" :.")
        if name in _INPUT_NAMES and len(name.split()) <= 5:
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
                prefix = "" if exact or cls != "lainnya" else f"{label_text}: "
                continue
            found[cls if cls != "lainnya" else _input_class(rest)].append(rest if exact else text)
            continue
        cls = context or _input_class(text)
        found[cls].append(f"{prefix}{text}" if cls == "lainnya" and prefix else text)
    return IndikatorInput(**found)


def _metode(d: _Draft, lines: Sequence[str]) -> Metode | None:
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


def _lokasi(d: _Draft, lines: Sequence[Baris]) -> str | None:
    if d.columns.get("lokasi"):
        return d.columns["lokasi"].strip()[:500]
    for b in lines:
        m = _LOKASI.search(clean(b.teks))
        if m:
            place = re.split(r"\s+(?:pada|mulai|tanggal|dengan|selama)\b", m.group("l"))[0]
            return place.strip(" ,")[:500] or None
    return None


def _anggaran(d: _Draft, lines: Sequence[str]) -> int | None:
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


# --- into the domain --------------------------------------------------------------------

_NAMESPACE = uuid.UUID("6f1c4a52-3c1e-4c55-9a57-6c1f5c7f2b10")


def identity(unit: str, item: KegiatanTerbaca, occurrence: int) -> str:
    """What makes an imported kegiatan the same one when a document is imported again: its unit,
    division, title and year (and, for a title repeated in one document, which repetition)."""
    assert item.jadwal is not None
    title = " ".join(re.sub(r"[^\w ]", " ", item.judul.lower()).split())
    key = f"{unit}|{item.divisi}|{title}|{item.jadwal.mulai.year}|{occurrence}"
    return "impor:" + hashlib.sha256(key.encode()).hexdigest()[:48]


def to_kegiatan(unit: str, plan: RencanaTerbaca, *, dokumen: str) -> list[tuple[KegiatanTerbaca, Kegiatan]]:
    """The kegiatan a read plan describes, as drafts of ``unit``. Their ids follow from their
    identity, so a dry run shows the ids an import will give."""
    out: list[tuple[KegiatanTerbaca, Kegiatan]] = []
    seen: dict[tuple[Divisi | None, str], int] = {}
    for item in plan.kegiatan:
        if item.divisi is None or item.jadwal is None:
            raise DomainError(
                f"Divisi kegiatan '{item.judul}' ({item.baris.tempat}) tidak dapat ditentukan dari dokumen; "
                "sebutkan divisi bawaan (SDMO, HPS, PP-Datin atau P2H).",
                field="divisi",
            )
        key = (item.divisi, item.judul.lower())
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        sumber = identity(unit, item, occurrence)
        kegiatan = Kegiatan(
            id=str(uuid.uuid5(_NAMESPACE, sumber)),
            unit=unit,
            divisi=item.divisi,
            judul=item.judul,
            jenis=item.jenis,
            jadwal=item.jadwal,
            latar_belakang=item.latar_belakang,
            tujuan=item.tujuan,
            output=item.output,
            sasaran=item.sasaran,
            indikator_input=item.indikator_input,
            pelaksanaan=item.pelaksanaan,
            metode=item.metode,
            target_peserta=item.target_peserta,
            lokasi=item.lokasi,
            tahapan=item.tahapan,
            program=item.program,
            anggaran=item.anggaran,
            catatan_impor=[c.render() for c in item.catatan],
            sumber=sumber,
            asal=f"{dokumen}, {item.baris.tempat}"[:500],
        )
        out.append((item, kegiatan))
    return out
