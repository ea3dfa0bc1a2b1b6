"""Pojok Pengawasan's details (Pasal 19 Perbawaslu 2/2023): where it is and when it is open."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from awasi_common.errors import DomainError
from awasi_common.units import zone_of
from awasi_participation.domain.base import choice
from awasi_participation.domain.rincian._fields import Details, Text, regulated
from awasi_participation.domain.rules import Hari, TempatPojok, pasal


class JamBuka(BaseModel):
    model_config = ConfigDict(frozen=True)

    hari: Hari
    buka: dt.time
    tutup: dt.time

    @field_serializer("buka", "tutup")
    def _hour_minute(self, value: dt.time) -> str:
        return value.strftime("%H:%M")


def _time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


class PojokRincian(Details):
    program: Literal["pojok_pengawasan"] = Field(default="pojok_pengawasan", exclude=True)
    tempat: Annotated[
        TempatPojok | None,
        regulated(TempatPojok, apa="Tempat", lokasi="pojok_pengawasan.tempat", pasal_ref=pasal("Pasal 19 ayat (1)")),
    ] = None
    alamat: Text = ""
    jam_buka: tuple[JamBuka, ...] = ()

    @field_validator("jam_buka", mode="before")
    @classmethod
    def _opening_hours(cls, items: Any) -> tuple[JamBuka, ...]:
        jam: list[JamBuka] = []
        for i, item in enumerate(items or ()):
            if isinstance(item, JamBuka):
                jam.append(item)
                continue
            hari = choice(
                Hari, item.get("hari"), pasal_ref=None, lokasi=f"pojok_pengawasan.jam_buka.{i}.hari", apa="Hari"
            )
            buka, tutup = _time(item.get("buka")), _time(item.get("tutup"))
            if buka is None or tutup is None or tutup <= buka:
                raise DomainError(
                    f"Jam buka hari {hari.value} tidak sah: jam tutup harus setelah jam buka.",
                    field=f"pojok_pengawasan.jam_buka.{i}",
                )
            jam.append(JamBuka(hari=hari, buka=buka, tutup=tutup))
        return tuple(jam)

    def sahkan(self, *, unit: str, dibentuk_pada: dt.date) -> Self:
        if self.tempat is None or not self.alamat:
            raise DomainError(
                "Pojok Pengawasan wajib menyebut tempatnya (kantor atau ruang publik yang strategis) dan alamatnya.",
                pasal=pasal("Pasal 19 ayat (1)"),
                field="pojok_pengawasan.tempat",
            )
        if not self.jam_buka:
            raise DomainError(
                "Pojok Pengawasan wajib mencantumkan jam layanannya (hari, jam buka, jam tutup).",
                field="pojok_pengawasan.jam_buka",
            )
        return self

    def buka_pada(self, moment: dt.datetime, unit: str) -> bool:
        """Whether the Pojok is open at ``moment``, read on the clock of its ``unit``."""
        local = moment.astimezone(zone_of(unit))
        hari = list(Hari)[local.weekday()]
        return any(j.hari == hari and j.buka <= local.time() < j.tutup for j in self.jam_buka)

    def formed_fields(self) -> dict[str, Any]:
        tempat = self.tempat.value if self.tempat else None
        return {"tempat": f"{tempat}: {self.alamat}"}
