"""Participant counts written in plans, read into a target. No I/O.

Plans give numbers for who takes part in several ways: "Peserta 66 Orang", "Jumlah peserta
dari unsur komisioner di tingkat kecamatan berjumlah 66 Orang", "berjumlah 22 orang/ 1 orang
di tiap kecamatan", "100 Luring minimal 500 ASN dapat daring Zoom". Each line contributes its
first count; the target is their sum, with the luring and daring parts kept apart when a
plan separates them and the groups named in ``keterangan``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from awasi_planning.domain.model import MAX_PESERTA, Metode, TargetPeserta

_NUMBER = r"(?P<n>\d{1,3}(?:\.\d{3})+|\d{1,6})"
_PEOPLE = r"(?:orang|oarang|orng|org|oang|peserta|personil|personel)"
_ONLINE = r"(?:daring|online|virtual|zoom|webinar|youtube|live\s+streaming)"
_OFFLINE = r"(?:luring|offline|tatap\s+muka)"

_LURING = re.compile(rf"{_NUMBER}\s*(?:{_PEOPLE}\s*)?(?:peserta\s*)?(?:secara\s+)?{_OFFLINE}", re.IGNORECASE)
_DARING = re.compile(
    rf"(?P<minimal>minimal|paling\s+sedikit|sekurang-kurangnya|maksimal)?\s*{_NUMBER}\s*"
    rf"(?P<who>(?:[A-Za-z/().-]+\s+){{0,4}}?)(?:dapat\s+|akan\s+|secara\s+|melalui\s+|mengikuti\s+|via\s+)*"
    rf"{_ONLINE}",
    re.IGNORECASE,
)
_COUNT = re.compile(
    rf"(?:(?P<who>.*?)\b(?:berjumlah|sebanyak|sejumlah|adalah|yaitu|:)\s*)?{_NUMBER}\s*(?P<unit>{_PEOPLE}|ASN)\b(?P<after>[^.;,/(]{{0,80}})",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\b(peserta|berjumlah|sebanyak|sejumlah|diikuti|mengikuti|undangan|hadir)\b", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:-\s*)?(?:jumlah\s+)?(?:peserta\s*)?(?:yang\s+hadir\s+dalam\s+kegiatan\s*)?(?:dari\s+)?(?:unsur\s+)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PesertaRead:
    target: TargetPeserta
    metode: Metode | None
    lines: tuple[int, ...]
    """Indexes of the lines the counts came from."""


def _int(text: str) -> int:
    return int(text.replace(".", ""))


def _who(raw: str | None) -> str | None:
    if not raw:
        return None
    text = _FILLER.sub("", raw.strip(" -:,.")).strip(" -:,.")
    text = re.sub(r"\b(?:dapat|akan|secara|melalui|mengikuti|via|minimal)\b\s*$", "", text, flags=re.IGNORECASE)
    text = text.strip(" -:,.")
    if not text or len(text) > 120 or text.lower() in {"jumlah", "peserta", "orang"}:
        return None
    return text


def read_line(line: str) -> tuple[int | None, int | None, int | None, str | None]:
    """(count, luring, daring, who) read from one line; a line without a count gives Nones."""
    luring = _LURING.search(line)
    daring = _DARING.search(line)
    if luring or daring:
        l_count = _int(luring.group("n")) if luring else None
        d_count = _int(daring.group("n")) if daring else None
        who = None
        if daring and daring.group("who"):
            who = _who(daring.group("who"))
            if who and daring.group("minimal"):
                who = f"{who} (daring, {daring.group('minimal').lower()} {d_count})"
        total = (l_count or 0) + (d_count or 0)
        if total > MAX_PESERTA:  # no count of people: a number of something else, or a typo
            return None, None, None, None
        return total, l_count, d_count, who
    if not _TOPIC.search(line):
        return None, None, None, None
    count = _COUNT.search(line)
    if not count:
        return None, None, None, None
    n = _int(count.group("n"))
    if n > MAX_PESERTA:
        return None, None, None, None
    who = _who(count.group("who")) or _who(count.group("after"))
    if count.group("unit").upper() == "ASN" and not who:
        who = "ASN"
    return n, None, None, who


def read_participants(lines: Iterable[str]) -> PesertaRead | None:
    """The target read from a kegiatan's lines, or None when no line gives a count."""
    total = 0
    luring_total: int | None = None
    daring_total: int | None = None
    groups: list[str] = []
    used: list[int] = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        key = " ".join(line.lower().split())
        if key in seen:
            continue
        n, luring, daring, who = read_line(line)
        if n is None or total + n > MAX_PESERTA:
            continue
        seen.add(key)
        used.append(index)
        total += n
        if luring is not None:
            luring_total = (luring_total or 0) + luring
        if daring is not None:
            daring_total = (daring_total or 0) + daring
        if who:
            groups.append(f"{who}: {n}" if luring is None and daring is None else who)
    if not used:
        return None
    metode = None
    if luring_total and daring_total:
        metode = Metode.HYBRID
    elif luring_total:
        metode = Metode.LURING
    elif daring_total:
        metode = Metode.DARING
    target = TargetPeserta(
        jumlah=total,
        luring=luring_total,
        daring=daring_total,
        keterangan="; ".join(groups)[:1000] or None,
    )
    return PesertaRead(target, metode, tuple(used))
