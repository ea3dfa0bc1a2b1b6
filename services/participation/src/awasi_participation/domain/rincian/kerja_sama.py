"""Kerja Sama dengan Perguruan Tinggi's details (Pasal 22 and 23 Perbawaslu 2/2023)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import Field

from awasi_common.errors import DomainError
from awasi_participation.domain.rincian._fields import Details, OptionalText, Text, regulated, regulated_many
from awasi_participation.domain.rules import Akreditasi, BentukKerjaSama, pasal


class PerguruanTinggi(Details):
    nama: Text = ""
    terdaftar: bool = False
    kode_pddikti: OptionalText = None
    akreditasi: Annotated[
        Akreditasi | None,
        regulated(
            Akreditasi,
            apa="Akreditasi",
            lokasi="kerja_sama.perguruan_tinggi.akreditasi",
            pasal_ref=pasal("Pasal 22 ayat (2)"),
        ),
    ] = None
    akreditasi_berlaku_sampai: dt.date | None = None

    def sah_pada(self, day: dt.date) -> bool:
        """Registered, or accredited with an accreditation still valid on ``day`` (Pasal 22 ayat (2))."""
        if self.terdaftar:
            return True
        if self.akreditasi is None:
            return False
        return self.akreditasi_berlaku_sampai is None or self.akreditasi_berlaku_sampai >= day


class KerjaSamaRincian(Details):
    program: Literal["kerja_sama_perguruan_tinggi"] = Field(default="kerja_sama_perguruan_tinggi", exclude=True)
    bentuk: Annotated[
        tuple[BentukKerjaSama, ...],
        regulated_many(
            BentukKerjaSama, apa="Bentuk kerja sama", lokasi="kerja_sama.bentuk", pasal_ref=pasal("Pasal 23 ayat (1)")
        ),
    ] = ()
    bentuk_lainnya: OptionalText = None
    nomor_perjanjian: OptionalText = None
    perguruan_tinggi: PerguruanTinggi | None = None

    def sahkan(self, *, unit: str, dibentuk_pada: dt.date) -> Self:
        if not self.bentuk:
            raise DomainError(
                "Sebutkan bentuk Kerja Sama dengan Perguruan Tinggi (KKN tematik, penelitian, kuliah umum/diskusi/"
                "seminar, magang, program studi tata kelola kepemiluan, atau lainnya).",
                pasal=pasal("Pasal 23 ayat (1)"),
                field="kerja_sama.bentuk",
            )
        if BentukKerjaSama.LAINNYA in self.bentuk and not self.bentuk_lainnya:
            raise DomainError(
                "Bentuk kerja sama 'lainnya' wajib diuraikan dan berkaitan dengan pengawasan Pemilu/Pemilihan.",
                pasal=pasal("Pasal 23 ayat (1) huruf f"),
                field="kerja_sama.bentuk_lainnya",
            )
        mitra = self.perguruan_tinggi
        if mitra is None or not mitra.nama:
            raise DomainError(
                "Sebutkan perguruan tinggi mitra.",
                pasal=pasal("Pasal 22 ayat (2)"),
                field="kerja_sama.perguruan_tinggi",
            )
        if not mitra.sah_pada(dibentuk_pada):
            raise DomainError(
                f"Perguruan tinggi {mitra.nama} tidak terdaftar dan tidak terakreditasi (atau akreditasinya "
                f"sudah tidak berlaku pada {dibentuk_pada.isoformat()}); kerja sama hanya dengan perguruan tinggi "
                "yang terdaftar dan/atau terakreditasi.",
                pasal=pasal("Pasal 22 ayat (2)"),
                field="kerja_sama.perguruan_tinggi",
            )
        return self

    def formed_fields(self) -> dict[str, Any]:
        return {
            "bentuk_kerja_sama": list(self.bentuk),
            "perguruan_tinggi": self.perguruan_tinggi.nama if self.perguruan_tinggi else None,
        }
