"""A document's lines and the marks on them: bullets, enumerators, numbers, emphasis."""

from __future__ import annotations

import re
from dataclasses import dataclass


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


BULLET = re.compile(r"^\s*(?:[-–•✓✔√·▪►➢]\s*|\*\s+)")
SUB_LABEL = re.compile(r"^\s*(?:[a-z]|\d{1,2})\s*[.)]\s+")
"""A label inside a section: 'a.', 'b)', '1.'."""
TOP_NUMBER = re.compile(r"^\s*(?P<n>\d{1,3})\s*[.)]\s*(?P<rest>\S.*)$")
"""A numbered line: a kegiatan's heading or an item of a table of contents."""
_ENUM = re.compile(r"^\s*(?:[a-zA-Z]|\d{1,2})[.)]\s+")
_MARKDOWN = re.compile(r"\*{1,2}([^*]+?)\*{1,2}")


def clean(text: str) -> str:
    """A line without its bullets, enumerators and markdown emphasis."""
    text = _MARKDOWN.sub(r"\1", text).replace("**", "")
    for _ in range(3):
        stripped = _ENUM.sub("", BULLET.sub("", text), count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split()).strip()


def bulleted(text: str) -> bool:
    return bool(BULLET.match(text) or _ENUM.match(text) or TOP_NUMBER.match(text))


def uppercase(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def is_table_line(text: str) -> bool:
    return text.count("\t") >= 1 or text.strip().startswith("|")
