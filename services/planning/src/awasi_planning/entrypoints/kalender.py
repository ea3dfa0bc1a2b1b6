"""A unit's kegiatan as an iCalendar (RFC 5545) feed that calendar applications subscribe to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar

from awasi_common.units import unit_name
from awasi_common.vocabulary import Divisi
from awasi_planning.domain.model import Kegiatan, Presisi, Status

_PRESISI = {
    Presisi.TANGGAL: "tanggal pasti",
    Presisi.RENTANG_TANGGAL: "rentang tanggal",
    Presisi.MINGGU: "minggu dalam bulan",
    Presisi.BULAN: "bulan",
    Presisi.RENTANG_BULAN: "rentang bulan",
    Presisi.BERULANG: "berulang",
}


def _description(k: Kegiatan) -> str:
    parts = [f"Divisi: {Divisi(k.divisi).nama}", f"Jenis: {k.jenis.value.replace('_', ' ')}"]
    jadwal = f"Jadwal ({_PRESISI[k.jadwal.presisi]})"
    if k.jadwal.keterangan:
        jadwal += f": {k.jadwal.keterangan}"
    parts.append(jadwal)
    if k.target_peserta.jumlah:
        peserta = f"Target peserta: {k.target_peserta.jumlah}"
        if k.target_peserta.luring or k.target_peserta.daring:
            peserta += f" (luring {k.target_peserta.luring or 0}, daring {k.target_peserta.daring or 0})"
        parts.append(peserta)
    if k.metode:
        parts.append(f"Metode: {k.metode.value}")
    if k.program:
        parts.append(f"Program: {k.program.nama}")
    if k.tujuan:
        parts.append("Tujuan: " + "; ".join(k.tujuan))
    if k.status == Status.COMPLETED and k.realisasi:
        parts.append(f"Terlaksana; peserta hadir: {k.realisasi.peserta_hadir or '-'}")
    if k.status == Status.CANCELLED and k.alasan_batal:
        parts.append(f"Dibatalkan: {k.alasan_batal}")
    return "\n".join(parts)


def feed(unit: str, kegiatan: Iterable[Kegiatan], *, now: dt.datetime | None = None) -> bytes:
    """All-day events over each kegiatan's window; recurring ones repeat by their rule until the
    window's end; cancelled ones stay in the feed as CANCELLED so subscribed calendars drop them."""
    now = now or dt.datetime.now(dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Bawaslu//Awasi Perencanaan//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Kegiatan {unit_name(unit) or unit}")
    cal.add("x-wr-timezone", "Asia/Jakarta")
    for k in kegiatan:
        event = icalendar.Event()
        event.add("uid", f"{k.id}@awasi.planning")
        event.add("dtstamp", now)
        cancelled = k.status == Status.CANCELLED
        event.add("summary", f"[DIBATALKAN] {k.judul}" if cancelled else k.judul)
        event.add("dtstart", k.jadwal.mulai)
        if k.jadwal.presisi == Presisi.BERULANG and k.jadwal.pengulangan:
            event.add("dtend", k.jadwal.mulai + dt.timedelta(days=1))
            rule = icalendar.vRecur.from_ical(k.jadwal.pengulangan)
            rule["UNTIL"] = [k.jadwal.selesai]
            event.add("rrule", rule)
        else:
            event.add("dtend", k.jadwal.selesai + dt.timedelta(days=1))
        event.add("description", _description(k))
        if k.lokasi:
            event.add("location", k.lokasi)
        event.add("categories", [k.divisi.value, k.jenis.value])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()
