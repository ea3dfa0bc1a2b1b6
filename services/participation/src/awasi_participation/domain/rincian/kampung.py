"""Kampung Pengawasan Partisipatif's details (Pasal 24 and 25 Perbawaslu 2/2023): the desa, its
community groups, and the mapping and readiness study that must come before forming it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field

from awasi_common.errors import DomainError
from awasi_common.units import Level, is_within, level_of
from awasi_participation.domain.rincian._fields import Details, Text, Texts, regulated
from awasi_participation.domain.rules import IKP_SIKLUS_TAHUN, KategoriKerawanan, ikp_teraktual, pasal


def _edition(value: Any) -> int | None:
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        return None


class PemetaanKerawanan(Details):
    """Pasal 25 huruf a: the area's vulnerability from the latest Indeks Kerawanan Pemilu."""

    kategori: Annotated[
        KategoriKerawanan | None,
        regulated(
            KategoriKerawanan,
            apa="Kategori kerawanan",
            lokasi="kampung.pemetaan_kerawanan.kategori",
            pasal_ref=pasal("Pasal 25 huruf a"),
        ),
    ] = None
    sumber_ikp: Text = ""
    tanggal: dt.date | None = None
    tahun_ikp: Annotated[int | None, BeforeValidator(_edition)] = None
    """The election year the IKP edition is named for ("IKP Pemilu 2024" → 2024); None on records
    made before the edition was checked."""

    def edisi(self) -> int | None:
        """The edition given, else the latest year the source names."""
        if self.tahun_ikp is not None:
            return self.tahun_ikp
        years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", self.sumber_ikp)]
        return max(years) if years else None


class AnalisisKesiapan(Details):
    """Pasal 25 huruf b: readiness of participation and of the village apparatus and groups."""

    tanggal: dt.date | None = None
    kesiapan_pelaksanaan: Text = ""
    kesiapan_perangkat_desa: Text = ""
    siap: bool = True


class KampungRincian(Details):
    program: Literal["kampung_pengawasan_partisipatif"] = Field(default="kampung_pengawasan_partisipatif", exclude=True)
    desa: Text = ""
    kelompok_masyarakat: Texts = ()
    pemetaan_kerawanan: PemetaanKerawanan | None = None
    analisis_kesiapan: AnalisisKesiapan | None = None

    def sahkan(self, *, unit: str, dibentuk_pada: dt.date) -> Self:
        desa = self.desa
        if not desa or level_of(desa) != Level.KELURAHAN_DESA or not is_within(desa, unit):
            raise DomainError(
                "Kampung Pengawasan berbasis kampung/desa di wilayah kerja pembentuknya: sebutkan kode kelurahan/desa "
                f"di wilayah unit {unit}.",
                pasal=pasal("Pasal 24 ayat (3)"),
                field="kampung.desa",
            )
        if not self.kelompok_masyarakat:
            raise DomainError(
                "Kampung Pengawasan dibentuk bersama kelompok masyarakat; sebutkan kelompok masyarakatnya.",
                pasal=pasal("Pasal 24 ayat (1)"),
                field="kampung.kelompok_masyarakat",
            )
        pemetaan = self._pemetaan(dibentuk_pada)
        self._kesiapan(dibentuk_pada)
        return self.model_copy(update={"pemetaan_kerawanan": pemetaan})

    def _pemetaan(self, dibentuk_pada: dt.date) -> PemetaanKerawanan:
        """Pasal 25 huruf a: mapped before forming, on the IKP edition of the current cycle."""
        ref = pasal("Pasal 25 huruf a")
        peta = self.pemetaan_kerawanan
        if peta is None or peta.kategori is None or peta.tanggal is None or not peta.sumber_ikp:
            raise DomainError(
                "Kampung Pengawasan hanya dapat dibentuk setelah pemetaan tingkat kerawanan berdasarkan indeks "
                "kerawanan Pemilu/Pemilihan teraktual dicatat (kategori, sumber IKP, tanggal).",
                pasal=ref,
                field="kampung.pemetaan_kerawanan",
            )
        edisi = peta.edisi()
        if edisi is None:
            raise DomainError(
                "Sebutkan edisi Indeks Kerawanan Pemilu/Pemilihan yang dipakai (tahun_ikp, misalnya 2024 untuk "
                "IKP Pemilu 2024): pemetaan kerawanan harus berdasarkan IKP teraktual.",
                pasal=ref,
                field="kampung.pemetaan_kerawanan.tahun_ikp",
            )
        if not ikp_teraktual(edisi, dibentuk_pada.year):
            raise DomainError(
                f"IKP edisi {edisi} bukan IKP teraktual untuk Kampung Pengawasan yang dibentuk tahun "
                f"{dibentuk_pada.year}: Pemilu diselenggarakan setiap 5 tahun dan edisi IKP dinamai menurut tahun "
                f"pemilihannya, sehingga edisi yang diterima paling lama {dibentuk_pada.year - IKP_SIKLUS_TAHUN + 1}. "
                "Gunakan IKP terbaru.",
                pasal=ref,
                field="kampung.pemetaan_kerawanan.tahun_ikp",
            )
        if peta.tanggal > dibentuk_pada:
            raise DomainError(
                "Pemetaan kerawanan harus dilakukan sebelum Kampung Pengawasan dibentuk.",
                pasal=ref,
                field="kampung.pemetaan_kerawanan.tanggal",
            )
        return peta.model_copy(update={"tahun_ikp": edisi})

    def _kesiapan(self, dibentuk_pada: dt.date) -> None:
        """Pasal 25 huruf b: the readiness study, made before forming, found the area ready."""
        ref = pasal("Pasal 25 huruf b")
        analisis = self.analisis_kesiapan
        if (
            analisis is None
            or analisis.tanggal is None
            or not analisis.kesiapan_pelaksanaan
            or not analisis.kesiapan_perangkat_desa
        ):
            raise DomainError(
                "Kampung Pengawasan hanya dapat dibentuk setelah analisis dan kajian kesiapan dicatat: kesiapan "
                "pelaksanaan partisipasi pengawasan dan kesiapan perangkat desa/kelurahan serta kelompok masyarakat.",
                pasal=ref,
                field="kampung.analisis_kesiapan",
            )
        if analisis.tanggal > dibentuk_pada:
            raise DomainError(
                "Analisis kesiapan harus dilakukan sebelum Kampung Pengawasan dibentuk.",
                pasal=ref,
                field="kampung.analisis_kesiapan.tanggal",
            )
        if not analisis.siap:
            raise DomainError(
                "Analisis kesiapan menyimpulkan wilayah belum siap; Kampung Pengawasan belum dapat dibentuk.",
                pasal=ref,
                field="kampung.analisis_kesiapan.siap",
            )

    def formed_fields(self) -> dict[str, Any]:
        peta = self.pemetaan_kerawanan
        return {"desa": self.desa, "kategori_kerawanan": peta.kategori if peta else None}
