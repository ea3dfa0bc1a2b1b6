"""The participatory supervision program (Perbawaslu 2/2023): who may form which, for whom,
and what is logged at a Pojok Pengawasan or a Kampung Pengawasan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from awasi_common.errors import DomainError
from awasi_common.events.participation import (
    KampungKomunikasiRecorded,
    PojokKonsultasiRecorded,
    ProgramFormed,
)
from awasi_common.units import level_of
from awasi_common.vocabulary import Program
from awasi_participation.domain.base import Aggregate, choice, new_id, texts
from awasi_participation.domain.rincian import (
    RINCIAN_KEY,
    KampungRincian,
    KomunitasDigitalRincian,
    PojokRincian,
    Rincian,
    bagian_lain,
    dari_bagian,
)
from awasi_participation.domain.rules import RULES, JenisKomunikasi, JenisKonsultasi, Sasaran, pasal


def jenis_konsultasi(value: JenisKonsultasi | str) -> JenisKonsultasi:
    """The services a Pojok Pengawasan gives (Pasal 19 ayat (2))."""
    return choice(JenisKonsultasi, value, pasal_ref=pasal("Pasal 19 ayat (2)"), lokasi="jenis", apa="Jenis layanan")


def jenis_komunikasi(value: JenisKomunikasi | str) -> JenisKomunikasi:
    """What a Kampung Pengawasan keeps up with its desa (Pasal 25 huruf c and d)."""
    return choice(
        JenisKomunikasi,
        value,
        pasal_ref=pasal("Pasal 25 huruf c dan huruf d"),
        lokasi="jenis",
        apa="Jenis komunikasi",
    )


def check_pembentuk(program: Program, unit: str) -> None:
    rule = RULES[program]
    level = level_of(unit)
    if level not in rule.pembentuk:
        raise DomainError(
            f"{program.nama} dibentuk oleh {rule.pembentuk_label}; {level.label} ({unit}) tidak berwenang "
            "membentuknya.",
            pasal=rule.pasal_pembentuk,
            field="unit",
        )


def check_sasaran(program: Program, values: Iterable[str], *, lokasi: str = "sasaran") -> tuple[Sasaran, ...]:
    rule = RULES[program]
    parsed: list[Sasaran] = []
    for value in values:
        try:
            sasaran = Sasaran(value)
        except ValueError:
            sasaran = None
        if sasaran is None or sasaran not in rule.sasaran:
            allowed = ", ".join(s.value for s in rule.sasaran)
            raise DomainError(
                f"Sasaran '{value}' tidak termasuk sasaran {program.nama}; yang diatur: {allowed}.",
                pasal=rule.pasal_sasaran,
                field=lokasi,
            )
        if sasaran not in parsed:
            parsed.append(sasaran)
    return tuple(parsed)


@dataclass
class ProgramPartisipatif(Aggregate):
    """One of the six programs, formed and owned by a unit."""

    id: str
    unit: str
    program: Program
    nama: str
    dibentuk_pada: dt.date
    sasaran: tuple[Sasaran, ...]
    rincian: Rincian | None = None
    keterangan: str | None = None

    @classmethod
    def bentuk(
        cls,
        *,
        unit: str,
        program: Program,
        nama: str,
        dibentuk_pada: dt.date,
        sasaran: Sequence[str],
        rincian: Rincian | None,
        today: dt.date,
        keterangan: str | None = None,
        program_id: str | None = None,
    ) -> ProgramPartisipatif:
        """Form a program: who may form it first, then its sasaran, then its own details."""
        check_pembentuk(program, unit)
        if dibentuk_pada > today:
            raise DomainError("Tanggal pembentukan tidak boleh di masa depan.", field="dibentuk_pada")
        if not nama.strip():
            raise DomainError("Nama program wajib diisi.", field="nama")
        chosen = check_sasaran(program, sasaran) if sasaran else RULES[program].sasaran
        if rincian is not None and rincian.program != program:
            raise bagian_lain(program, RINCIAN_KEY[Program(rincian.program)])
        if rincian is None:
            rincian = dari_bagian(program, {})
        record = cls(
            id=program_id or new_id(),
            unit=unit,
            program=program,
            nama=nama.strip(),
            dibentuk_pada=dibentuk_pada,
            sasaran=chosen,
            rincian=rincian.sahkan(unit=unit, dibentuk_pada=dibentuk_pada) if rincian else None,
            keterangan=keterangan,
        )
        record.events.append(
            ProgramFormed(
                unit=unit,
                program_id=record.id,
                program=program,
                nama=record.nama,
                dibentuk_pada=dibentuk_pada,
                sasaran=[s.value for s in chosen],
                **(record.rincian.formed_fields() if record.rincian else {}),
            )
        )
        return record

    @property
    def melibatkan(self) -> tuple[str, ...]:
        return self.rincian.melibatkan if isinstance(self.rincian, KomunitasDigitalRincian) else ()

    def serves(self, unit: str) -> bool:
        """Whether a kegiatan of ``unit`` can belong to this program: the forming unit's own, or
        (Komunitas Digital) a unit Bawaslu involved in it."""
        return unit == self.unit or unit in self.melibatkan

    def catat_konsultasi(
        self,
        *,
        jenis: JenisKonsultasi | str,
        waktu: dt.datetime,
        topik: str,
        ringkasan: str | None,
        pengunjung: str | None,
        now: dt.datetime,
    ) -> Konsultasi:
        pojok = self._pojok()
        kind = jenis_konsultasi(jenis)
        if waktu > now + dt.timedelta(minutes=5):
            raise DomainError("Waktu konsultasi tidak boleh di masa depan.", field="waktu")
        if not topik.strip():
            raise DomainError("Topik konsultasi wajib diisi.", field="topik")
        konsultasi = Konsultasi(
            id=new_id(),
            program_id=self.id,
            unit=self.unit,
            jenis=kind,
            waktu=waktu,
            topik=topik.strip(),
            ringkasan=ringkasan,
            pengunjung=pengunjung,
            di_luar_jam_layanan=not pojok.buka_pada(waktu, self.unit),
        )
        self.events.append(
            PojokKonsultasiRecorded(
                unit=self.unit,
                program_id=self.id,
                program=self.program,
                konsultasi_id=konsultasi.id,
                jenis=kind.value,
                waktu=waktu,
                topik=konsultasi.topik,
            )
        )
        return konsultasi

    def _pojok(self) -> PojokRincian:
        if not isinstance(self.rincian, PojokRincian):
            raise DomainError(
                f"Konsultasi dan laporan hanya dicatat pada Pojok Pengawasan; program ini {self.program.nama}.",
                pasal=pasal("Pasal 19 ayat (2)"),
            )
        return self.rincian

    def terima_laporan(self) -> None:
        """A public report can be made only at a Pojok Pengawasan (Pasal 19 ayat (2) huruf b)."""
        self._pojok()

    def catat_komunikasi(
        self, *, jenis: JenisKomunikasi | str, tanggal: dt.date, pihak: Sequence[str], ringkasan: str, today: dt.date
    ) -> KomunikasiKampung:
        if not isinstance(self.rincian, KampungRincian):
            raise DomainError(
                f"Komunikasi berkala dan koordinasi dicatat untuk Kampung Pengawasan; program ini {self.program.nama}.",
                pasal=pasal("Pasal 25 huruf c"),
            )
        kind = jenis_komunikasi(jenis)
        if tanggal > today:
            raise DomainError("Tanggal komunikasi tidak boleh di masa depan.", field="tanggal")
        who = texts(pihak)
        if not who:
            raise DomainError(
                "Sebutkan pihak yang diajak berkomunikasi: perangkat desa/kelurahan dan/atau kelompok masyarakat.",
                pasal=pasal("Pasal 25 huruf c"),
                field="pihak",
            )
        if not ringkasan.strip():
            raise DomainError("Ringkasan komunikasi wajib diisi.", field="ringkasan")
        komunikasi = KomunikasiKampung(new_id(), self.id, self.unit, kind, tanggal, who, ringkasan.strip())
        self.events.append(
            KampungKomunikasiRecorded(
                unit=self.unit,
                program_id=self.id,
                program=self.program,
                komunikasi_id=komunikasi.id,
                jenis=kind.value,
                tanggal=tanggal,
                pihak=list(who),
            )
        )
        return komunikasi


@dataclass(frozen=True)
class Konsultasi:
    id: str
    program_id: str
    unit: str
    jenis: JenisKonsultasi
    waktu: dt.datetime
    topik: str
    ringkasan: str | None
    pengunjung: str | None
    di_luar_jam_layanan: bool


@dataclass(frozen=True)
class KomunikasiKampung:
    id: str
    program_id: str
    unit: str
    jenis: JenisKomunikasi
    tanggal: dt.date
    pihak: tuple[str, ...]
    ringkasan: str
