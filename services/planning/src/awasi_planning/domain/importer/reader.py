"""The reader: a plan's logical lines, one at a time, through an explicit state machine.

Where the reader is decides what a line means:

- ``PREAMBLE``: before the first heading. Capitalised lines and 'Rencana Kegiatan …' make the
  title, the letterhead and other text become notes.
- ``OUTSIDE``: past the opening, in no kegiatan (after a division heading, say).
- ``TABLE``: in a table of kegiatan; each row is one, lines that are no row continue its last cell.
- ``KEGIATAN``: in a kegiatan written in sections; lines go to the section being read.

From any state a division heading leads to ``OUTSIDE`` and a table's header row to ``TABLE``;
a heading followed by a section heading opens a kegiatan (``KEGIATAN``). A table of contents
("DAFTAR RENCANA KEGIATAN") can open wherever a line is outside a kegiatan; until the next
kegiatan or division its numbered items are taken as its own, not as text out of place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum, auto

from awasi_common.vocabulary import Divisi
from awasi_planning.domain.importer.contents import contents_notes, opens_contents
from awasi_planning.domain.importer.divisions import divisi_from_text, division_heading
from awasi_planning.domain.importer.draft import Draft
from awasi_planning.domain.importer.fields import interpret
from awasi_planning.domain.importer.lines import (
    BULLET,
    SUB_LABEL,
    TOP_NUMBER,
    Baris,
    clean,
    is_table_line,
    uppercase,
)
from awasi_planning.domain.importer.logical import join_lines
from awasi_planning.domain.importer.results import BukanRencana, Catatan, KegiatanTerbaca, RencanaTerbaca
from awasi_planning.domain.importer.schedule import plan_period, unstated
from awasi_planning.domain.importer.sections import next_section, section_of
from awasi_planning.domain.importer.tables import cells, row_number, table_header
from awasi_planning.domain.importer.title import LETTERHEAD, names_the_plan, unit_name_in, year_in_title
from awasi_planning.domain.model import TAHUN_AKHIR, TAHUN_AWAL


class State(Enum):
    PREAMBLE = auto()
    OUTSIDE = auto()
    TABLE = auto()
    KEGIATAN = auto()


@dataclass
class _Divisions:
    """The division of the kegiatan being read: the last division heading's, else the title's,
    else the caller's default."""

    default: Divisi | None
    of_title: Divisi | None = None
    headed: bool = False
    """Whether a division heading was read (from then on its division, or none, rules)."""
    of_heading: Divisi | None = None

    @property
    def numbering(self) -> Divisi | None:
        """Whose numbering the next kegiatan continues: each division heading restarts it, an
        unrecognised one too."""
        return self.of_heading if self.headed else self.of_title or self.default

    @property
    def current(self) -> Divisi | None:
        return (self.of_heading if self.headed else self.of_title) or self.default


_RENCANA_PREFIX = re.compile(r"^rencana\s+kegiatan\s+(?=\S+\s+\S+)", re.IGNORECASE)
_MAX_TITLE = 500
_NO_COLUMN, _LATAR_COLUMN, _JUDUL_COLUMN = "no", "latar", "judul"
_UNTITLED = "(tanpa judul)"


class _Reader:
    def __init__(self, logical: Sequence[Baris], divisi: Divisi | None) -> None:
        self.logical = logical
        self.state = State.PREAMBLE
        self.divisions = _Divisions(divisi)
        self.notes: list[Catatan] = []
        self.drafts: list[Draft] = []
        self.title: list[Baris] = []
        self.numbers: dict[Divisi | None, int] = {}
        self.columns: list[str] = []
        """The header of the table being read (in ``TABLE``)."""
        self.draft: Draft | None = None
        """The kegiatan being read: in ``KEGIATAN``, and in ``TABLE`` once a row was read."""
        self.contents_open = False
        self._by_state: dict[State, Callable[[int, Baris], None]] = {
            State.PREAMBLE: self._preamble,
            State.OUTSIDE: self._outside,
            State.TABLE: self._table,
            State.KEGIATAN: self._kegiatan,
        }

    def read(self) -> list[Draft]:
        for index, line in enumerate(self.logical):
            if division_heading(line.teks):
                self._division(line)
            elif (header := table_header(line.teks)) is not None:
                self.state, self.columns, self.draft = State.TABLE, header, None
            else:
                self._by_state[self.state](index, line)
        return self.drafts

    # --- one method per state ---------------------------------------------------------------

    def _preamble(self, index: int, line: Baris) -> None:
        if self._opens_kegiatan(index, line) or self._in_contents(line):
            return
        if LETTERHEAD.search(line.teks):
            self.notes.append(Catatan.on(line, "kop surat, tidak diimpor"))
        elif uppercase(line.teks) or names_the_plan(line.teks):
            self.title.append(line)
            self.divisions.of_title = self.divisions.of_title or divisi_from_text(line.teks)
        else:
            self.notes.append(Catatan.on(line, "teks pembuka di luar kegiatan, tidak diimpor"))

    def _outside(self, index: int, line: Baris) -> None:
        if self._opens_kegiatan(index, line) or self._in_contents(line):
            return
        self.notes.append(Catatan.on(line, "teks di luar kegiatan mana pun, tidak diimpor"))

    def _table(self, index: int, line: Baris) -> None:
        if self._table_row(line) or self._continues_cell(index, line):
            return
        self._outside(index, line)

    def _kegiatan(self, index: int, line: Baris) -> None:
        assert self.draft is not None
        if self._opens_kegiatan(index, line):
            return
        heading = section_of(line.teks)
        if heading is not None and self.draft.opens(heading):
            self.draft.enter(heading, line)
        else:
            self.draft.add(line)

    # --- transitions ------------------------------------------------------------------------

    def _division(self, line: Baris) -> None:
        self.state, self.draft, self.contents_open = State.OUTSIDE, None, False
        self.divisions.headed = True
        self.divisions.of_heading = divisi_from_text(line.teks)
        if self.divisions.of_heading is None:
            self.notes.append(
                Catatan.on(line, "judul divisi tidak dikenali; kegiatan di bawahnya memakai divisi bawaan")
            )

    def _opens_kegiatan(self, index: int, line: Baris) -> bool:
        """A kegiatan opens with its heading: a line (numbered "1." or not, but no bullet or
        a./b. label) followed — at once or after a plain line or two — by a section heading
        that starts a new round of sections."""
        text = line.teks
        if section_of(text) is not None:
            return False
        following = next_section(self.logical, index)
        heading_like = bool(TOP_NUMBER.match(text)) or not (BULLET.match(text) or SUB_LABEL.match(text))
        if not following or not heading_like:
            return False
        if self.state is State.KEGIATAN and self.draft is not None and not self.draft.ends_before(following):
            return False
        m = TOP_NUMBER.match(text)
        number, title = (int(m.group("n")), m.group("rest")) if m else (None, text)
        self.draft = self._start(line, number, _RENCANA_PREFIX.sub("", clean(title)).strip(" :")[:_MAX_TITLE])
        self.state = State.KEGIATAN
        return True

    def _table_row(self, line: Baris) -> bool:
        """A row of the table opens a kegiatan: one numbered in a 'No' column, or any of two
        cells or more in a table without one."""
        if not is_table_line(line.teks):
            return False
        row = cells(line.teks)
        numbered = self.columns[0] == _NO_COLUMN
        number = row_number(row[0]) if numbered else None
        if number is None and (numbered or len(row) < 2):
            return False
        values = dict(zip(self.columns, row, strict=False))
        draft = self._start(line, number, clean(values.get(_JUDUL_COLUMN, "")))
        draft.columns = {k: v for k, v in values.items() if v}
        if not draft.judul:
            draft.judul = _UNTITLED
            draft.before_sections.append(line)
        self.draft = draft
        return True

    def _continues_cell(self, index: int, line: Baris) -> bool:
        """A line under a row that opens no section continues the row's last filled cell."""
        following = self.logical[index + 1].teks if index + 1 < len(self.logical) else ""
        if self.draft is None or section_of(following) or section_of(line.teks) is not None:
            return False
        columns = self.draft.columns
        last = next((k for k in reversed(self.columns) if columns.get(k)), _LATAR_COLUMN)
        columns[last] = f"{columns.get(last, '')}\n{line.teks.strip()}".strip()
        return True

    def _in_contents(self, line: Baris) -> bool:
        """A table of contents' heading, or one of its numbered items."""
        if opens_contents(line.teks):
            self.contents_open = True
            if self.state is State.PREAMBLE:
                self.state = State.OUTSIDE
            return True
        return self.contents_open and bool(TOP_NUMBER.match(line.teks))

    def _start(self, line: Baris, number: int | None, title: str) -> Draft:
        key = self.divisions.numbering
        expected = self.numbers.get(key, 0) + 1
        if number is not None and number != expected:
            self.notes.append(Catatan.on(line, f"nomor kegiatan {number} tidak berurutan (seharusnya {expected})"))
        self.numbers[key] = number or expected
        self.contents_open = False
        draft = Draft(number or expected, line, title, self.divisions.current)
        self.drafts.append(draft)
        return draft


_UNIT_SEARCH_LINES = 60
"""Where a unit is looked for when the title names none: the document's opening."""


def parse_plan(lines: Sequence[Baris], *, divisi: Divisi | None = None, tahun: int | None = None) -> RencanaTerbaca:
    """Read a plan document's lines. ``divisi`` is used where the document names none; ``tahun``
    where neither a line nor the title gives the year. Raises :class:`BukanRencana` when the
    document holds no kegiatan."""
    logical = join_lines(lines)
    reader = _Reader(logical, divisi)
    drafts = reader.read()
    if not drafts:
        raise BukanRencana(
            "Dokumen ini tidak tampak sebagai rencana kegiatan: tidak ditemukan kegiatan bernomor dengan "
            "bagian Latar Belakang/Tujuan/Output dan Sasaran/Indikator/Pelaksanaan, maupun tabel kegiatan "
            "(No, Kegiatan, Tanggal).",
            field="berkas",
        )
    notes = reader.notes
    title = " ".join(" ".join(p.teks.split()) for p in reader.title) or None
    year = _year(title, tahun, notes)
    unit_name = _unit_name(title, logical)
    notes.extend(contents_notes(logical, drafts))
    kegiatan = _kegiatan(drafts, year, notes)
    if not kegiatan:
        raise BukanRencana(
            "Tidak satu pun kegiatan dalam dokumen ini dapat diimpor: jadwal dan tahunnya tidak dapat dibaca.",
            field="berkas",
        )
    return RencanaTerbaca(title, unit_name, year, kegiatan, notes, len(lines))


def _year(title: str | None, tahun: int | None, notes: list[Catatan]) -> int | None:
    """The year of the title, else ``tahun``; a year out of range is noted and not used."""
    year = (year_in_title(title) if title else None) or tahun
    if year is not None and not TAHUN_AWAL <= year <= TAHUN_AKHIR:
        notes.append(
            Catatan(0, "judul dokumen", title or "", f"tahun {year} di luar {TAHUN_AWAL}–{TAHUN_AKHIR}, tidak dipakai")
        )
        return None
    return year


def _unit_name(title: str | None, logical: Sequence[Baris]) -> str | None:
    """The unit the title names, else the first one named in the document's opening."""
    for text in [title or "", *(b.teks for b in logical[:_UNIT_SEARCH_LINES])]:
        name = unit_name_in(text)
        if name:
            return name
    return None


def _kegiatan(drafts: Sequence[Draft], year: int | None, notes: list[Catatan]) -> list[KegiatanTerbaca]:
    """The kegiatan read. A schedule read without the plan's period (recurring ones span it) is
    read again with it; a kegiatan still without one is given the period (a draft, said in a
    note) or, when not even the year is known, left out with a note."""
    kegiatan = [interpret(d, year, None) for d in drafts]
    period = plan_period(kegiatan, year)
    if period is not None:
        kegiatan = [
            interpret(d, year, period) if k.jadwal is None else k for d, k in zip(drafts, kegiatan, strict=True)
        ]
    kept: list[KegiatanTerbaca] = []
    for item in kegiatan:
        if item.jadwal is None:
            item.jadwal = unstated(period, year)
            if item.jadwal is None:
                notes.append(
                    Catatan.on(item.baris, "kegiatan tidak diimpor: jadwal dan tahunnya tidak dapat dibaca", item.judul)
                )
                notes.extend(item.catatan)
                continue
            item.catatan.append(
                Catatan.on(item.baris, "jadwal tidak ditemukan; kegiatan disimpan sebagai draft", item.judul)
            )
        kept.append(item)
    return kept
