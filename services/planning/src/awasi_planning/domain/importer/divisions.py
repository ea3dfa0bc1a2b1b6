"""Division headings ("DIVISI HUKUM DAN PENYELESAIAN SENGKETA …") and the division a text names."""

from __future__ import annotations

import re

from awasi_common.vocabulary import Divisi

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


def division_heading(text: str) -> bool:
    return bool(_DIVISION_HEADING.match(text)) and len(text.split()) <= 20
