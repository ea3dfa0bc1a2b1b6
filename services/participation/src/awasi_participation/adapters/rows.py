"""Rows to aggregates and back: one ``*_to_row`` / ``*_from_row`` pair per aggregate, the only
place that knows how a table's columns hold an aggregate's fields.

A row holds a dataclass's fields under their own names: choices as their text, sequences and
nested records as JSON (``column``); only what a table adds (who recorded it, when) is named.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel

from awasi_common.events.participation import HasilIndikator
from awasi_common.vocabulary import Program
from awasi_participation.domain.kampung import PengembanganKampung
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, StatusKegiatan, UmpanBalik
from awasi_participation.domain.pemantauan import Pemantauan
from awasi_participation.domain.penilaian import Arah, Indikator, IndikatorSet, Metrik, Penilaian, TindakLanjut
from awasi_participation.domain.program import KomunikasiKampung, Konsultasi, ProgramPartisipatif
from awasi_participation.domain.rincian import rincian_from_json
from awasi_participation.domain.rules import MediaTindakLanjut, Sasaran


def _json(value: Any) -> Any:
    """A value inside a JSON column."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def column(value: Any) -> Any:
    """A field's value in its column: dates and times as themselves, the rest as ``_json``."""
    return value if isinstance(value, dt.date | dt.time) else _json(value)


def to_row(record: Any, **added: Any) -> dict[str, Any]:
    """Every field of ``record`` (its recorded events aside) in its column, and ``added``."""
    fields = (f.name for f in dataclasses.fields(record) if f.name != "events")
    return {name: column(getattr(record, name)) for name in fields} | added


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def program_to_row(record: ProgramPartisipatif, dibentuk_oleh: str) -> dict[str, Any]:
    return to_row(record, melibatkan=list(record.melibatkan), dibentuk_oleh=dibentuk_oleh, created_at=_now())


def program_from_row(row: Any) -> ProgramPartisipatif:
    kind = Program(row.program)
    return ProgramPartisipatif(
        id=row.id,
        unit=row.unit,
        program=kind,
        nama=row.nama,
        dibentuk_pada=row.dibentuk_pada,
        sasaran=tuple(Sasaran(s) for s in row.sasaran),
        rincian=rincian_from_json(kind, row.rincian),
        keterangan=row.keterangan,
    )


def kegiatan_link_to_row(kegiatan: KegiatanProgram) -> dict[str, Any]:
    """What participation itself sets on planning's kegiatan (the rest follows planning's events)."""
    return {
        "program_id": kegiatan.program_id,
        "tautan_manual": kegiatan.tautan_manual,
        "kapasitas": kegiatan.kapasitas,
        "updated_at": _now(),
    }


def kegiatan_from_row(row: Any) -> KegiatanProgram:
    return KegiatanProgram(
        kegiatan_id=row.kegiatan_id,
        unit=row.unit,
        program=Program(row.program),
        judul=row.judul,
        mulai=row.mulai,
        selesai=row.selesai,
        status=StatusKegiatan(row.status),
        target_peserta=row.target_peserta,
        kapasitas=row.kapasitas,
        program_id=row.program_id,
        tautan_manual=bool(row.tautan_manual),
    )


def peserta_to_row(peserta: Peserta) -> dict[str, Any]:
    return to_row(peserta)


def peserta_from_row(row: Any) -> Peserta:
    return Peserta(
        id=row.id,
        kegiatan_id=row.kegiatan_id,
        program_id=row.program_id,
        program=Program(row.program),
        unit=row.unit,
        nama=row.nama,
        sasaran=Sasaran(row.sasaran),
        kode_hadir=row.kode_hadir,
        terdaftar_pada=row.terdaftar_pada,
        instansi=row.instansi,
        jenis_kelamin=row.jenis_kelamin,
        email=row.email,
        telepon=row.telepon,
        hadir_pada=row.hadir_pada,
    )


def umpan_balik_to_row(umpan_balik: UmpanBalik) -> dict[str, Any]:
    return to_row(umpan_balik)


def konsultasi_to_row(konsultasi: Konsultasi) -> dict[str, Any]:
    return to_row(konsultasi)


def komunikasi_to_row(komunikasi: KomunikasiKampung) -> dict[str, Any]:
    return to_row(komunikasi)


def pengembangan_to_row(pengembangan: PengembanganKampung, dicatat_oleh: str) -> dict[str, Any]:
    return to_row(pengembangan, dicatat_oleh=dicatat_oleh, created_at=_now())


def pemantauan_to_row(pemantauan: Pemantauan) -> dict[str, Any]:
    return to_row(pemantauan, created_at=_now())


def indikator_set_to_row(indikator_set: IndikatorSet) -> dict[str, Any]:
    return to_row(indikator_set)


def indikator_set_from_row(row: Any) -> IndikatorSet:
    return IndikatorSet(
        id=row.id,
        nama=row.nama,
        nomor_keputusan=row.nomor_keputusan,
        tahun=row.tahun,
        indikator=tuple(
            Indikator(
                kode=i["kode"],
                nama=i["nama"],
                target=i["target"],
                bobot=i.get("bobot", 1.0),
                arah=Arah(i.get("arah", "minimal")),
                metrik=Metrik(i["metrik"]) if i.get("metrik") else None,
                satuan=i.get("satuan"),
            )
            for i in row.indikator
        ),
        ambang_keberhasilan=row.ambang_keberhasilan,
        batas_tindak_lanjut_hari=row.batas_tindak_lanjut_hari,
        ditetapkan_pada=row.ditetapkan_pada,
    )


def penilaian_to_row(penilaian: Penilaian) -> dict[str, Any]:
    return to_row(penilaian, created_at=_now())


def penilaian_from_row(row: Any) -> Penilaian:
    tl = row.tindak_lanjut
    return Penilaian(
        id=row.id,
        unit=row.unit,
        unit_dinilai=row.unit_dinilai,
        tahun=row.tahun,
        indikator_set_id=row.indikator_set_id,
        tanggal=row.tanggal,
        hasil=tuple(HasilIndikator.model_validate(h) for h in row.hasil),
        skor=row.skor,
        memenuhi=row.memenuhi,
        pemantauan_ids=tuple(row.pemantauan_ids),
        catatan=row.catatan,
        batas_tindak_lanjut=row.batas_tindak_lanjut,
        unit_tindak_lanjut=row.unit_tindak_lanjut,
        tindak_lanjut=TindakLanjut(
            tl["id"],
            dt.date.fromisoformat(tl["tanggal"]),
            tl["evaluasi"],
            tl["strategi_baru"],
            tuple(MediaTindakLanjut(m) for m in tl["media"]),
            tl["terlambat"],
            tl["dicatat_oleh"],
        )
        if tl
        else None,
    )


def tindak_lanjut_to_row(penilaian: Penilaian) -> dict[str, Any]:
    return {"tindak_lanjut": column(penilaian.tindak_lanjut)}
