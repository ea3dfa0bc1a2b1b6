"""Komunitas Digital's details (Pasal 28 Perbawaslu 2/2023): the units Bawaslu involves."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field

from awasi_common.errors import DomainError
from awasi_common.units import Level, level_of
from awasi_participation.domain.rincian._fields import Details, Texts
from awasi_participation.domain.rules import pasal


class KomunitasDigitalRincian(Details):
    program: Literal["komunitas_digital"] = Field(default="komunitas_digital", exclude=True)
    melibatkan: Annotated[tuple[str, ...], BeforeValidator(lambda codes: tuple(dict.fromkeys(codes or ())))] = ()
    kanal: Texts = ()

    def sahkan(self, *, unit: str, dibentuk_pada: dt.date) -> Self:
        for code in self.melibatkan:
            if level_of(code) not in (Level.PROVINSI, Level.KABUPATEN_KOTA):
                raise DomainError(
                    f"Komunitas Digital hanya dapat melibatkan Bawaslu Provinsi dan/atau Bawaslu Kabupaten/Kota; "
                    f"unit {code} bukan keduanya.",
                    pasal=pasal("Pasal 28 ayat (2)"),
                    field="komunitas_digital.melibatkan",
                )
        return self

    def formed_fields(self) -> dict[str, Any]:
        return {"melibatkan": list(self.melibatkan)}
