"""A kegiatan as the reader collects it: its heading and the lines of each section (or the cells
of its table row), before they are read into fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from awasi_common.vocabulary import Divisi
from awasi_planning.domain.importer.lines import Baris
from awasi_planning.domain.importer.sections import Section


@dataclass
class Draft:
    nomor: int
    baris: Baris
    judul: str
    divisi: Divisi | None
    sections: dict[Section, list[Baris]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    """A table row's cells by column ('judul', 'jadwal', '?<unknown name>' …)."""
    before_sections: list[Baris] = field(default_factory=list)
    unknown: list[tuple[Baris, list[Baris]]] = field(default_factory=list)
    """Sections of no known name: their heading and their lines."""
    section: Section | None = None
    """The section being read; None before the first."""

    def lines(self, *sections: Section) -> list[Baris]:
        return [line for section in sections for line in self.sections.get(section, [])]

    def opens(self, heading: Section) -> bool:
        """Whether a section heading opens a section rather than repeating the current one's
        name; a heading of no known name always opens one of its own."""
        return heading is Section.UNKNOWN or heading != self.section

    def enter(self, heading: Section, line: Baris) -> None:
        if heading is Section.UNKNOWN:
            self.unknown.append((line, []))
        else:
            self.sections.setdefault(heading, [])
        self.section = heading

    def add(self, line: Baris) -> None:
        if self.section is None:
            self.before_sections.append(line)
        elif self.section is Section.UNKNOWN:
            self.unknown[-1][1].append(line)
        else:
            self.sections[self.section].append(line)

    def ends_before(self, following: Section) -> bool:
        """Whether a heading followed by section ``following`` is the next kegiatan's: sections
        start over (at Latar Belakang, or at one before the current one), or this kegiatan's
        last section had no known name."""
        if self.section is None:
            return False
        return self.section is Section.UNKNOWN or following == Section.LATAR or following < self.section
