"""Indicators of success, the penilaian set by them and the tindak lanjut an unmet penilaian
owes (Pasal 30 and 31 Perbawaslu 2/2023)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from awasi_common.errors import Conflict, DomainError, Forbidden
from awasi_common.events.participation import (
    HasilIndikator,
    PenilaianSet,
    TindakLanjutRecorded,
    TindakLanjutRequired,
)
from awasi_common.units import RI_CODE, Level, is_within, level_of
from awasi_participation.domain.base import Aggregate, choices, new_id
from awasi_participation.domain.pemantauan import PemantauanRef
from awasi_participation.domain.rules import PENILAIAN_LEVELS, MediaTindakLanjut, pasal


def media_tindak_lanjut(values: Sequence[MediaTindakLanjut | str]) -> tuple[MediaTindakLanjut, ...]:
    """The channels a tindak lanjut uses (Pasal 31 ayat (2))."""
    return choices(
        MediaTindakLanjut, values, pasal_ref=pasal("Pasal 31 ayat (2)"), lokasi="media", apa="Media tindak lanjut"
    )


class Metrik(StrEnum):
    """Figures the service computes itself for a unit's area and year, for indicators that
    name one instead of asking for a value."""

    JUMLAH_PROGRAM = "jumlah_program"
    JUMLAH_KEGIATAN_TERLAKSANA = "jumlah_kegiatan_terlaksana"
    JUMLAH_FORUM_WARGA = "jumlah_forum_warga"
    JUMLAH_PESERTA_HADIR = "jumlah_peserta_hadir"
    PERSENTASE_KEHADIRAN = "persentase_kehadiran"
    PERSENTASE_PEMAHAMAN_MENINGKAT = "persentase_pemahaman_meningkat"
    JUMLAH_PEMANTAUAN = "jumlah_pemantauan"
    JUMLAH_KONSULTASI_POJOK = "jumlah_konsultasi_pojok"
    JUMLAH_LAPORAN_POJOK = "jumlah_laporan_pojok"


class Arah(StrEnum):
    MINIMAL = "minimal"
    """Met when the value is at least the target."""
    MAKSIMAL = "maksimal"
    """Met when the value is at most the target."""


@dataclass(frozen=True)
class Indikator:
    kode: str
    nama: str
    target: float
    bobot: float = 1.0
    arah: Arah = Arah.MINIMAL
    metrik: Metrik | None = None
    satuan: str | None = None

    def terpenuhi(self, nilai: float) -> bool:
        return nilai >= self.target if self.arah == Arah.MINIMAL else nilai <= self.target


@dataclass
class IndikatorSet:
    """Indicators of success, set by Bawaslu with a decision of its Ketua (Pasal 30 ayat (2))."""

    id: str
    nama: str
    nomor_keputusan: str
    indikator: tuple[Indikator, ...]
    tahun: int | None = None
    ambang_keberhasilan: float = 100.0
    """Weighted share (0–100) of indicators that must be met for the penilaian to be met."""
    batas_tindak_lanjut_hari: int = 30
    """Days after an unmet penilaian by which its tindak lanjut must be recorded."""
    ditetapkan_pada: dt.date | None = None

    @classmethod
    def tetapkan(
        cls,
        *,
        unit: str,
        nama: str,
        nomor_keputusan: str,
        indikator: Sequence[Indikator],
        tahun: int | None,
        ambang_keberhasilan: float,
        batas_tindak_lanjut_hari: int,
        today: dt.date,
    ) -> IndikatorSet:
        if unit != RI_CODE:
            raise Forbidden(
                "Indikator keberhasilan Pengawasan Partisipatif ditetapkan oleh Bawaslu "
                "dengan keputusan Ketua Bawaslu.",
                pasal=pasal("Pasal 30 ayat (2)"),
            )
        if not nomor_keputusan.strip():
            raise DomainError(
                "Sebutkan nomor keputusan Ketua Bawaslu yang menetapkan indikator.",
                pasal=pasal("Pasal 30 ayat (2)"),
                field="nomor_keputusan",
            )
        if not indikator:
            raise DomainError("Perangkat indikator wajib memuat sedikitnya satu indikator.", field="indikator")
        codes = [i.kode for i in indikator]
        if len(set(codes)) != len(codes):
            raise DomainError("Kode indikator harus unik dalam satu perangkat.", field="indikator")
        if any(i.bobot <= 0 for i in indikator):
            raise DomainError("Bobot indikator harus lebih dari 0.", field="indikator")
        if not 0 < ambang_keberhasilan <= 100:
            raise DomainError("Ambang keberhasilan antara 0 dan 100 persen.", field="ambang_keberhasilan")
        if not 1 <= batas_tindak_lanjut_hari <= 365:
            raise DomainError("Batas tindak lanjut 1 sampai 365 hari.", field="batas_tindak_lanjut_hari")
        return cls(
            new_id(),
            nama.strip(),
            nomor_keputusan.strip(),
            tuple(indikator),
            tahun,
            ambang_keberhasilan,
            batas_tindak_lanjut_hari,
            today,
        )


def penanggung_jawab_tindak_lanjut(unit_dinilai: str) -> str:
    """The unit that owes the tindak lanjut (Pasal 31 ayat (1) names Bawaslu, Provinsi and
    Kab/Kota): the assessed unit, or the Kab/Kota above an assessed Kecamatan or desa."""
    if level_of(unit_dinilai) <= Level.KABUPATEN_KOTA:
        return unit_dinilai
    return ".".join(unit_dinilai.split(".")[:2])


@dataclass(frozen=True)
class TindakLanjut:
    id: str
    tanggal: dt.date
    evaluasi: str
    strategi_baru: str
    media: tuple[MediaTindakLanjut, ...]
    terlambat: bool
    dicatat_oleh: str


@dataclass
class Penilaian(Aggregate):
    id: str
    unit: str
    unit_dinilai: str
    tahun: int
    indikator_set_id: str
    tanggal: dt.date
    hasil: tuple[HasilIndikator, ...]
    skor: float
    memenuhi: bool
    pemantauan_ids: tuple[str, ...]
    catatan: str | None = None
    batas_tindak_lanjut: dt.date | None = None
    unit_tindak_lanjut: str | None = None
    tindak_lanjut: TindakLanjut | None = None

    @classmethod
    def tetapkan(
        cls,
        *,
        unit: str,
        unit_dinilai: str,
        tahun: int,
        indikator_set: IndikatorSet,
        nilai: Mapping[str, float],
        metrik: Mapping[Metrik, float],
        pemantauan: Sequence[PemantauanRef],
        tanggal: dt.date,
        today: dt.date,
        catatan: str | None = None,
    ) -> Penilaian:
        level = level_of(unit)
        if level not in PENILAIAN_LEVELS:
            raise DomainError(
                "Penilaian keberhasilan Pengawasan Partisipatif dilakukan oleh Bawaslu, Bawaslu Provinsi, dan "
                f"Bawaslu Kabupaten/Kota; {level.label} tidak termasuk.",
                pasal=pasal("Pasal 30 ayat (1)"),
                field="unit",
            )
        if not is_within(unit_dinilai, unit):
            raise DomainError(
                f"Unit {unit_dinilai} berada di luar kewenangan unit {unit}.",
                pasal=pasal("Pasal 30 ayat (1)"),
                field="unit_dinilai",
            )
        if tanggal > today:
            raise DomainError("Tanggal penilaian tidak boleh di masa depan.", field="tanggal")
        if tanggal.year < tahun:
            raise DomainError("Penilaian suatu tahun ditetapkan pada atau setelah tahun itu.", field="tanggal")
        if indikator_set.tahun is not None and indikator_set.tahun != tahun:
            raise DomainError(
                f"Perangkat indikator ini berlaku untuk tahun {indikator_set.tahun}, bukan {tahun}.",
                field="indikator_set_id",
            )
        if not pemantauan:
            raise DomainError(
                "Penilaian dilakukan dengan cara pemantauan: sebutkan pemantauan yang menjadi dasarnya.",
                pasal=pasal("Pasal 30 ayat (2)"),
                field="pemantauan_ids",
            )
        for ref in pemantauan:
            if ref.unit != unit or ref.tanggal.year != tahun:
                raise DomainError(
                    f"Pemantauan {ref.id} bukan pemantauan unit {unit} pada tahun {tahun}.",
                    pasal=pasal("Pasal 30 ayat (2)"),
                    field="pemantauan_ids",
                )
        known = {i.kode for i in indikator_set.indikator}
        unknown = sorted(set(nilai) - known)
        if unknown:
            raise DomainError(f"Indikator tidak dikenal: {', '.join(unknown)}.", field="nilai")
        hasil: list[HasilIndikator] = []
        met_weight = total_weight = 0.0
        for indikator in indikator_set.indikator:
            if indikator.metrik is not None:
                if indikator.kode in nilai:
                    raise DomainError(
                        f"Nilai indikator {indikator.kode} dihitung dari data "
                        f"({indikator.metrik.value}); jangan diisi.",
                        field=f"nilai.{indikator.kode}",
                    )
                value = float(metrik.get(indikator.metrik, 0.0))
            elif indikator.kode in nilai:
                value = float(nilai[indikator.kode])
            else:
                raise DomainError(f"Nilai indikator {indikator.kode} ({indikator.nama}) wajib diisi.", field="nilai")
            met = indikator.terpenuhi(value)
            total_weight += indikator.bobot
            met_weight += indikator.bobot if met else 0.0
            hasil.append(
                HasilIndikator(
                    kode=indikator.kode, nama=indikator.nama, target=indikator.target, nilai=value, terpenuhi=met
                )
            )
        skor = round(100.0 * met_weight / total_weight, 2)
        memenuhi = skor >= indikator_set.ambang_keberhasilan
        record = cls(
            id=new_id(),
            unit=unit,
            unit_dinilai=unit_dinilai,
            tahun=tahun,
            indikator_set_id=indikator_set.id,
            tanggal=tanggal,
            hasil=tuple(hasil),
            skor=skor,
            memenuhi=memenuhi,
            pemantauan_ids=tuple(ref.id for ref in pemantauan),
            catatan=catatan,
        )
        record.events.append(
            PenilaianSet(
                unit=unit,
                penilaian_id=record.id,
                unit_dinilai=unit_dinilai,
                tahun=tahun,
                indikator_set_id=indikator_set.id,
                tanggal=tanggal,
                skor=skor,
                memenuhi=memenuhi,
                hasil=list(hasil),
                pemantauan_ids=list(record.pemantauan_ids),
            )
        )
        if not memenuhi:
            record.batas_tindak_lanjut = tanggal + dt.timedelta(days=indikator_set.batas_tindak_lanjut_hari)
            record.unit_tindak_lanjut = penanggung_jawab_tindak_lanjut(unit_dinilai)
            record.events.append(
                TindakLanjutRequired(
                    unit=record.unit_tindak_lanjut,
                    penilaian_id=record.id,
                    unit_dinilai=unit_dinilai,
                    tahun=tahun,
                    batas_waktu=record.batas_tindak_lanjut,
                    indikator_tidak_terpenuhi=[h.kode for h in hasil if not h.terpenuhi],
                )
            )
        return record

    @property
    def status_tindak_lanjut(self) -> str:
        if self.memenuhi:
            return "tidak_diperlukan"
        return "dicatat" if self.tindak_lanjut else "diperlukan"

    def may_record_tindak_lanjut(self, unit: str) -> bool:
        return unit in (self.unit, self.unit_tindak_lanjut)

    def catat_tindak_lanjut(
        self,
        *,
        evaluasi: str,
        strategi_baru: str,
        media: Sequence[MediaTindakLanjut | str],
        tanggal: dt.date,
        today: dt.date,
        oleh: str,
    ) -> TindakLanjut:
        if self.memenuhi:
            raise Conflict(
                "Penilaian ini memenuhi indikator keberhasilan; tindak lanjut tidak diperlukan.",
                pasal=pasal("Pasal 31 ayat (1)"),
            )
        if self.tindak_lanjut is not None:
            raise Conflict("Tindak lanjut penilaian ini sudah dicatat.")
        if not evaluasi.strip():
            raise DomainError(
                "Tindak lanjut memuat evaluasi terhadap metode serta proses penyelenggaraan Pengawasan Partisipatif.",
                pasal=pasal("Pasal 31 ayat (1) huruf a"),
                field="evaluasi",
            )
        if not strategi_baru.strip():
            raise DomainError(
                "Tindak lanjut memuat strategi baru untuk memitigasi hambatan dan/atau kendala.",
                pasal=pasal("Pasal 31 ayat (1) huruf b"),
                field="strategi_baru",
            )
        channels = media_tindak_lanjut(media)
        if not channels:
            raise DomainError(
                "Sebutkan media tindak lanjut: tatap muka, sistem teknologi informasi, dan/atau daring.",
                pasal=pasal("Pasal 31 ayat (2)"),
                field="media",
            )
        if tanggal > today:
            raise DomainError("Tanggal tindak lanjut tidak boleh di masa depan.", field="tanggal")
        if tanggal < self.tanggal:
            raise DomainError("Tindak lanjut tidak mungkin sebelum penilaiannya.", field="tanggal")
        terlambat = self.batas_tindak_lanjut is not None and tanggal > self.batas_tindak_lanjut
        self.tindak_lanjut = TindakLanjut(
            new_id(), tanggal, evaluasi.strip(), strategi_baru.strip(), channels, terlambat, oleh
        )
        self.events.append(
            TindakLanjutRecorded(
                unit=self.unit_tindak_lanjut or self.unit,
                penilaian_id=self.id,
                unit_dinilai=self.unit_dinilai,
                tahun=self.tahun,
                tindak_lanjut_id=self.tindak_lanjut.id,
                tanggal=tanggal,
                media=[m.value for m in channels],
                terlambat=terlambat,
            )
        )
        return self.tindak_lanjut
