"""Pengembangan dan inovasi (Pasal 27 ayat (1) Perbawaslu 2/2023): what a unit draws from the
evaluation of all the Kampung Pengawasan it formed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_participation.domain.base import new_id, texts
from awasi_participation.domain.rules import pasal


@dataclass(frozen=True)
class PengembanganKampung:
    """Pasal 27 ayat (1): a unit's development and innovation of participatory supervision, based
    on the evaluation of *all* the Kampung Pengawasan it formed."""

    id: str
    unit: str
    tanggal: dt.date
    kampung_dievaluasi: tuple[str, ...]
    hasil_evaluasi: str
    pengembangan_inovasi: str

    @classmethod
    def catat(
        cls,
        *,
        unit: str,
        tanggal: dt.date,
        dievaluasi: Sequence[str],
        kampung_unit: Mapping[str, dt.date],
        hasil_evaluasi: str,
        pengembangan_inovasi: str,
        today: dt.date,
    ) -> PengembanganKampung:
        """``kampung_unit``: the Kampung Pengawasan ``unit`` formed, by id, with their formation date."""
        ref = pasal("Pasal 27 ayat (1)")
        if tanggal > today:
            raise DomainError("Tanggal pengembangan dan inovasi tidak boleh di masa depan.", field="tanggal")
        formed = {pid for pid, day in kampung_unit.items() if day <= tanggal}
        if not formed:
            raise DomainError(
                f"Unit {unit} belum membentuk Kampung Pengawasan Partisipatif sampai {tanggal:%d-%m-%Y}: pengembangan "
                "dan inovasi disusun berdasarkan hasil evaluasi pelaksanaan Kampung Pengawasan.",
                pasal=ref,
                field="unit",
            )
        chosen = tuple(dict.fromkeys(texts(dievaluasi)))
        unknown = [x for x in chosen if x not in kampung_unit]
        if unknown:
            raise DomainError(
                f"Bukan Kampung Pengawasan yang dibentuk unit {unit}: {', '.join(unknown)}.",
                pasal=ref,
                field="kampung_dievaluasi",
            )
        missing = sorted(formed - set(chosen))
        if missing:
            raise DomainError(
                "Pengembangan dan inovasi berdasarkan hasil evaluasi pelaksanaan seluruh Kampung Pengawasan "
                f"Partisipatif; belum dievaluasi: {', '.join(missing)}.",
                pasal=ref,
                field="kampung_dievaluasi",
            )
        if not hasil_evaluasi.strip():
            raise DomainError(
                "Hasil evaluasi seluruh Kampung Pengawasan wajib diisi.", pasal=ref, field="hasil_evaluasi"
            )
        if not pengembangan_inovasi.strip():
            raise DomainError(
                "Uraikan pengembangan dan inovasi Pengawasan Partisipatif.", pasal=ref, field="pengembangan_inovasi"
            )
        return cls(new_id(), unit, tanggal, chosen, hasil_evaluasi.strip(), pengembangan_inovasi.strip())
