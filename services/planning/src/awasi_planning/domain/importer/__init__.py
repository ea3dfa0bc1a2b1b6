"""Plan documents read into kegiatan. No I/O: the document's lines in, kegiatan out.

Two shapes of plan are understood, as the divisions write them:

- a year plan (Rencana Kegiatan): division headings ("DIVISI HUKUM DAN PENYELESAIAN
  SENGKETA …"), under each numbered kegiatan (numbering restarts per division), each in five
  sections — I Latar Belakang, II Tujuan, III Output dan Sasaran, IV Indikator Komponen Input,
  V Pelaksanaan — whatever their spelling ("Ouptut", "Input'"), bullets (-, ✓, a./b., a)) and
  wrapped lines;
- a table of kegiatan (No, Kegiatan, Tanggal, Rincian …), tab- or pipe-separated.

The schedule is read from Indonesian prose (:mod:`awasi_planning.domain.tanggal`), participant
counts from the lines that give them (:mod:`awasi_planning.domain.peserta`), a missing year from
the document's title. Whatever cannot be placed in a field is kept as a :class:`Catatan` with its
line — on the kegiatan it belongs to, or on the document — and never dropped silently.

The modules, in the order a document goes through them: :mod:`.lines` and :mod:`.logical`
(lines, bullets, wrapped sentences), :mod:`.title`, :mod:`.divisions`, :mod:`.sections`,
:mod:`.tables` and :mod:`.contents` (what a line is), :mod:`.reader` (the state machine that
collects each kegiatan's :class:`~.draft.Draft`), :mod:`.fields` and :mod:`.schedule` (a draft's
fields), :mod:`.kegiatan` (into the domain).
"""

from awasi_planning.domain.importer.divisions import divisi_from_text
from awasi_planning.domain.importer.kegiatan import identity, to_kegiatan
from awasi_planning.domain.importer.lines import Baris, clean
from awasi_planning.domain.importer.logical import join_lines
from awasi_planning.domain.importer.reader import parse_plan
from awasi_planning.domain.importer.results import (
    JADWAL_TIDAK_DISEBUT,
    BukanRencana,
    Catatan,
    KegiatanTerbaca,
    RencanaTerbaca,
)
from awasi_planning.domain.importer.sections import Section, section_of
from awasi_planning.domain.importer.title import unit_name_in

__all__ = [
    "JADWAL_TIDAK_DISEBUT",
    "Baris",
    "BukanRencana",
    "Catatan",
    "KegiatanTerbaca",
    "RencanaTerbaca",
    "Section",
    "clean",
    "divisi_from_text",
    "identity",
    "join_lines",
    "parse_plan",
    "section_of",
    "to_kegiatan",
    "unit_name_in",
]
