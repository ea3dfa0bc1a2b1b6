"""Pemantauan of participatory supervision (Pasal 30 Perbawaslu 2/2023): the monitoring that
a penilaian is based on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_common.events.participation import PemantauanRecorded
from awasi_common.units import is_within, level_of
from awasi_common.vocabulary import Program
from awasi_participation.domain.base import Aggregate, new_id
from awasi_participation.domain.rules import PEMANTAUAN_LEVELS, pasal


@dataclass
class Pemantauan(Aggregate):
    id: str
    unit: str
    tanggal: dt.date
    cakupan: tuple[str, ...]
    program: tuple[Program, ...]
    ringkasan: str
    temuan: tuple[str, ...] = ()
    rekomendasi: tuple[str, ...] = ()

    @classmethod
    def catat(
        cls,
        *,
        unit: str,
        tanggal: dt.date,
        cakupan: Sequence[str],
        program: Sequence[Program],
        ringkasan: str,
        temuan: Sequence[str],
        rekomendasi: Sequence[str],
        today: dt.date,
    ) -> Pemantauan:
        level = level_of(unit)
        if level not in PEMANTAUAN_LEVELS:
            raise DomainError(
                "Pemantauan penyelenggaraan Pengawasan Partisipatif dilakukan oleh Bawaslu, Bawaslu Provinsi, dan "
                f"Bawaslu Kabupaten/Kota; {level.label} tidak termasuk.",
                pasal=pasal("Pasal 30 ayat (3)"),
                field="unit",
            )
        if tanggal > today:
            raise DomainError("Tanggal pemantauan tidak boleh di masa depan.", field="tanggal")
        scope = tuple(dict.fromkeys(cakupan)) or (unit,)
        for code in scope:
            if not is_within(code, unit):
                raise DomainError(
                    f"Unit {code} berada di luar wilayah kewenangan unit {unit}.",
                    pasal=pasal("Pasal 30 ayat (1)"),
                    field="cakupan",
                )
        if not ringkasan.strip():
            raise DomainError("Ringkasan hasil pemantauan wajib diisi.", field="ringkasan")
        record = cls(
            new_id(),
            unit,
            tanggal,
            scope,
            tuple(dict.fromkeys(program)),
            ringkasan.strip(),
            tuple(t for t in temuan if t.strip()),
            tuple(r for r in rekomendasi if r.strip()),
        )
        record.events.append(
            PemantauanRecorded(
                unit=unit,
                pemantauan_id=record.id,
                tanggal=tanggal,
                cakupan=list(scope),
                program=list(record.program),
                ringkasan=record.ringkasan,
            )
        )
        return record


@dataclass(frozen=True)
class PemantauanRef:
    id: str
    unit: str
    tanggal: dt.date
