"""A program's kegiatan as participation keeps them (planning's, linked to a program record),
their peserta, attendance and feedback."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from awasi_common.errors import Conflict, DomainError
from awasi_common.events.participation import PesertaAttended, PesertaRegistered, UmpanBalikReceived
from awasi_common.vocabulary import Program
from awasi_participation.domain.base import Aggregate, new_id, today_in
from awasi_participation.domain.program import ProgramPartisipatif, check_sasaran
from awasi_participation.domain.rules import Sasaran


class StatusKegiatan(StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


@dataclass
class KegiatanProgram:
    """Participation's view of a planning kegiatan that names a program."""

    kegiatan_id: str
    unit: str
    program: Program
    judul: str
    mulai: dt.date
    selesai: dt.date
    status: StatusKegiatan
    target_peserta: int | None = None
    kapasitas: int | None = None
    program_id: str | None = None
    tautan_manual: bool = False

    @property
    def kapasitas_efektif(self) -> int | None:
        """Set in participation, else the plan's target peserta; None means unlimited."""
        return self.kapasitas if self.kapasitas is not None else self.target_peserta

    def tautkan(self, record: ProgramPartisipatif) -> None:
        if record.program != self.program:
            raise DomainError(
                f"Kegiatan ini kegiatan {self.program.nama}; program {record.id} adalah {record.program.nama}.",
                field="program_id",
            )
        if not record.serves(self.unit):
            raise DomainError(
                f"Program {record.id} milik unit {record.unit} dan tidak melibatkan unit {self.unit}.",
                field="program_id",
            )
        self.program_id = record.id
        self.tautan_manual = True

    def atur_kapasitas(self, kapasitas: int | None, terdaftar: int) -> None:
        if kapasitas is not None and kapasitas < terdaftar:
            raise Conflict(
                f"Kapasitas {kapasitas} lebih kecil dari jumlah peserta yang sudah terdaftar ({terdaftar}).",
                field="kapasitas",
            )
        self.kapasitas = kapasitas

    def terima_pendaftaran(self, terdaftar: int) -> None:
        if self.status == StatusKegiatan.CANCELLED:
            raise Conflict("Kegiatan ini dibatalkan; pendaftaran ditutup.")
        if self.status == StatusKegiatan.COMPLETED:
            raise Conflict("Kegiatan ini sudah selesai; pendaftaran ditutup.")
        capacity = self.kapasitas_efektif
        if capacity is not None and terdaftar >= capacity:
            raise Conflict(f"Kuota peserta kegiatan ini ({capacity} orang) sudah penuh.")

    def terlaksana(self, hadir: int) -> bool:
        """Held: planning reported it completed, or peserta checked in."""
        return self.status == StatusKegiatan.COMPLETED or (self.status != StatusKegiatan.CANCELLED and hadir > 0)


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def kode_hadir() -> str:
    """A check-in code that is easy to read aloud and type (no 0/O, 1/I)."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


@dataclass
class Peserta(Aggregate):
    id: str
    kegiatan_id: str
    program_id: str | None
    program: Program
    unit: str
    nama: str
    sasaran: Sasaran
    kode_hadir: str
    terdaftar_pada: dt.datetime
    instansi: str | None = None
    jenis_kelamin: str | None = None
    email: str | None = None
    telepon: str | None = None
    hadir_pada: dt.datetime | None = None

    @classmethod
    def daftar(
        cls,
        kegiatan: KegiatanProgram,
        *,
        terdaftar: int,
        nama: str,
        sasaran: str,
        program_sasaran: Sequence[Sasaran] | None,
        now: dt.datetime,
        instansi: str | None = None,
        jenis_kelamin: str | None = None,
        email: str | None = None,
        telepon: str | None = None,
    ) -> Peserta:
        (category,) = check_sasaran(kegiatan.program, [sasaran])
        if program_sasaran and category not in program_sasaran:
            chosen = ", ".join(str(s) for s in program_sasaran)
            raise DomainError(
                f"Sasaran '{category.value}' tidak termasuk sasaran yang ditetapkan program ini ({chosen}).",
                field="sasaran",
            )
        if not nama.strip():
            raise DomainError("Nama peserta wajib diisi.", field="nama")
        kegiatan.terima_pendaftaran(terdaftar)
        peserta = cls(
            id=new_id(),
            kegiatan_id=kegiatan.kegiatan_id,
            program_id=kegiatan.program_id,
            program=kegiatan.program,
            unit=kegiatan.unit,
            nama=nama.strip(),
            sasaran=category,
            kode_hadir=kode_hadir(),
            terdaftar_pada=now,
            instansi=instansi,
            jenis_kelamin=jenis_kelamin,
            email=email,
            telepon=telepon,
        )
        peserta.events.append(PesertaRegistered(**peserta._ids(), terdaftar_pada=now))
        return peserta

    def _ids(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "peserta_id": self.id,
            "kegiatan_id": self.kegiatan_id,
            "program_id": self.program_id,
            "program": self.program,
            "sasaran": self.sasaran.value,
        }

    def hadir(self, kegiatan: KegiatanProgram, now: dt.datetime) -> bool:
        """Check in; False when already checked in (nothing new happens)."""
        if self.hadir_pada is not None:
            return False
        if kegiatan.status == StatusKegiatan.CANCELLED:
            raise Conflict("Kegiatan ini dibatalkan; kehadiran tidak dapat dicatat.")
        today = today_in(self.unit, now)
        if not kegiatan.mulai <= today <= kegiatan.selesai + dt.timedelta(days=1):
            raise DomainError(
                f"Kehadiran dicatat pada hari pelaksanaan kegiatan ({kegiatan.mulai.isoformat()} s.d. "
                f"{kegiatan.selesai.isoformat()}); hari ini {today.isoformat()}.",
                field="kode_hadir",
            )
        self.hadir_pada = now
        self.program_id = kegiatan.program_id
        self.events.append(PesertaAttended(**self._ids(), hadir_pada=now))
        return True

    def beri_umpan_balik(
        self, *, pemahaman_meningkat: bool, skor: int | None, komentar: str | None, now: dt.datetime
    ) -> UmpanBalik:
        if self.hadir_pada is None:
            raise DomainError("Umpan balik diberikan oleh peserta yang hadir; catat kehadiran terlebih dahulu.")
        if skor is not None and not 1 <= skor <= 5:
            raise DomainError("Skor umpan balik 1 sampai 5.", field="skor")
        feedback = UmpanBalik(self.id, self.kegiatan_id, pemahaman_meningkat, skor, komentar, now)
        self.events.append(UmpanBalikReceived(**self._ids(), pemahaman_meningkat=pemahaman_meningkat, skor=skor))
        return feedback


@dataclass(frozen=True)
class UmpanBalik:
    peserta_id: str
    kegiatan_id: str
    pemahaman_meningkat: bool
    skor: int | None
    komentar: str | None
    diberikan_pada: dt.datetime
