"""Participatory supervision programs (Perbawaslu 2/2023) and what happens in them. No I/O here.

Aggregates record the events they cause; the service layer pulls them into the outbox in the
same transaction as the rows. A broken rule raises a DomainError that names its article.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from awasi_common.calendar import local_date
from awasi_common.errors import Conflict, DomainError, Forbidden
from awasi_common.events.base import Event
from awasi_common.events.participation import (
    HasilIndikator,
    KampungKomunikasiRecorded,
    PemantauanRecorded,
    PenilaianSet,
    PesertaAttended,
    PesertaRegistered,
    PojokKonsultasiRecorded,
    ProgramFormed,
    TindakLanjutRecorded,
    TindakLanjutRequired,
    UmpanBalikReceived,
)
from awasi_common.units import RI_CODE, Level, is_within, level_of, zone_of
from awasi_common.vocabulary import Program
from awasi_participation.domain.rules import (
    IKP_SIKLUS_TAHUN,
    PEMANTAUAN_LEVELS,
    PENILAIAN_LEVELS,
    RULES,
    Akreditasi,
    BentukKerjaSama,
    Hari,
    JenisKomunikasi,
    JenisKonsultasi,
    KategoriKerawanan,
    MediaTindakLanjut,
    MetodeForum,
    Pertemuan,
    Sasaran,
    TempatPojok,
    ikp_teraktual,
    pasal,
)

__all__ = ["Program"]

E = TypeVar("E", bound=StrEnum)


def today_in(unit: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in ``unit``'s own time zone (WIB, WITA or WIT): a unit's periods, deadlines
    and "not in the future" checks are counted in its own calendar."""
    return local_date(now or dt.datetime.now(dt.UTC), unit)


def new_id() -> str:
    return str(uuid.uuid4())


def _choice(enum: type[E], value: Any, *, pasal_ref: str | None, lokasi: str, apa: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise DomainError(
            f"{apa} '{value}' tidak dikenal; pilihan yang diatur: {allowed}.", pasal=pasal_ref, field=lokasi
        ) from None


def _choices(enum: type[E], values: Iterable[Any], *, pasal_ref: str | None, lokasi: str, apa: str) -> tuple[E, ...]:
    parsed: list[E] = []
    for value in values:
        member = _choice(enum, value, pasal_ref=pasal_ref, lokasi=lokasi, apa=apa)
        if member not in parsed:
            parsed.append(member)
    return tuple(parsed)


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


# --- program details, one kind per program ---------------------------------------------


@dataclass(frozen=True)
class ForumWargaRincian:
    metode: MetodeForum
    pertemuan: tuple[Pertemuan, ...]

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ForumWargaRincian:
        if not data.get("metode"):
            raise DomainError(
                "Forum Warga wajib menetapkan metodenya: dialogis atau partisipatoris.",
                pasal=pasal("Pasal 18 ayat (1)"),
                field="forum_warga.metode",
            )
        metode = _choice(
            MetodeForum,
            data["metode"],
            pasal_ref=pasal("Pasal 18 ayat (1)"),
            lokasi="forum_warga.metode",
            apa="Metode Forum Warga",
        )
        pertemuan = _choices(
            Pertemuan,
            data.get("pertemuan") or (),
            pasal_ref=pasal("Pasal 17 ayat (2)"),
            lokasi="forum_warga.pertemuan",
            apa="Bentuk pertemuan",
        )
        if not pertemuan:
            raise DomainError(
                "Forum Warga dilaksanakan melalui pertemuan tatap muka dan/atau daring; "
                "pilih salah satu atau keduanya.",
                pasal=pasal("Pasal 17 ayat (2)"),
                field="forum_warga.pertemuan",
            )
        return cls(metode, pertemuan)

    def to_json(self) -> dict[str, Any]:
        return {"metode": self.metode.value, "pertemuan": [p.value for p in self.pertemuan]}


@dataclass(frozen=True)
class JamBuka:
    hari: Hari
    buka: dt.time
    tutup: dt.time


@dataclass(frozen=True)
class PojokRincian:
    tempat: TempatPojok
    alamat: str
    jam_buka: tuple[JamBuka, ...]

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> PojokRincian:
        ref = pasal("Pasal 19 ayat (1)")
        if not data.get("tempat") or not _text(data.get("alamat")):
            raise DomainError(
                "Pojok Pengawasan wajib menyebut tempatnya (kantor atau ruang publik yang strategis) dan alamatnya.",
                pasal=ref,
                field="pojok_pengawasan.tempat",
            )
        tempat = _choice(TempatPojok, data["tempat"], pasal_ref=ref, lokasi="pojok_pengawasan.tempat", apa="Tempat")
        jam: list[JamBuka] = []
        for i, item in enumerate(data.get("jam_buka") or ()):
            hari = _choice(
                Hari, item.get("hari"), pasal_ref=None, lokasi=f"pojok_pengawasan.jam_buka.{i}.hari", apa="Hari"
            )
            buka, tutup = _time(item.get("buka")), _time(item.get("tutup"))
            if buka is None or tutup is None or tutup <= buka:
                raise DomainError(
                    f"Jam buka hari {hari.value} tidak sah: jam tutup harus setelah jam buka.",
                    field=f"pojok_pengawasan.jam_buka.{i}",
                )
            jam.append(JamBuka(hari, buka, tutup))
        if not jam:
            raise DomainError(
                "Pojok Pengawasan wajib mencantumkan jam layanannya (hari, jam buka, jam tutup).",
                field="pojok_pengawasan.jam_buka",
            )
        return cls(tempat, _text(data["alamat"]), tuple(jam))

    def buka_pada(self, moment: dt.datetime, unit: str) -> bool:
        """Whether the Pojok is open at ``moment``, read on the clock of its ``unit``."""
        local = moment.astimezone(zone_of(unit))
        hari = list(Hari)[local.weekday()]
        return any(j.hari == hari and j.buka <= local.time() < j.tutup for j in self.jam_buka)

    def to_json(self) -> dict[str, Any]:
        return {
            "tempat": self.tempat.value,
            "alamat": self.alamat,
            "jam_buka": [
                {"hari": j.hari.value, "buka": j.buka.strftime("%H:%M"), "tutup": j.tutup.strftime("%H:%M")}
                for j in self.jam_buka
            ],
        }


def _time(value: Any) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class PerguruanTinggi:
    nama: str
    terdaftar: bool = False
    kode_pddikti: str | None = None
    akreditasi: Akreditasi | None = None
    akreditasi_berlaku_sampai: dt.date | None = None

    def sah_pada(self, day: dt.date) -> bool:
        """Registered, or accredited with an accreditation still valid on ``day`` (Pasal 22 ayat (2))."""
        if self.terdaftar:
            return True
        if self.akreditasi is None:
            return False
        return self.akreditasi_berlaku_sampai is None or self.akreditasi_berlaku_sampai >= day


@dataclass(frozen=True)
class KerjaSamaRincian:
    bentuk: tuple[BentukKerjaSama, ...]
    perguruan_tinggi: PerguruanTinggi
    bentuk_lainnya: str | None = None
    nomor_perjanjian: str | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, dibentuk_pada: dt.date) -> KerjaSamaRincian:
        ref_bentuk = pasal("Pasal 23 ayat (1)")
        bentuk = _choices(
            BentukKerjaSama,
            data.get("bentuk") or (),
            pasal_ref=ref_bentuk,
            lokasi="kerja_sama.bentuk",
            apa="Bentuk kerja sama",
        )
        if not bentuk:
            raise DomainError(
                "Sebutkan bentuk Kerja Sama dengan Perguruan Tinggi (KKN tematik, penelitian, kuliah umum/diskusi/"
                "seminar, magang, program studi tata kelola kepemiluan, atau lainnya).",
                pasal=ref_bentuk,
                field="kerja_sama.bentuk",
            )
        lainnya = _text(data.get("bentuk_lainnya")) or None
        if BentukKerjaSama.LAINNYA in bentuk and not lainnya:
            raise DomainError(
                "Bentuk kerja sama 'lainnya' wajib diuraikan dan berkaitan dengan pengawasan Pemilu/Pemilihan.",
                pasal=pasal("Pasal 23 ayat (1) huruf f"),
                field="kerja_sama.bentuk_lainnya",
            )
        pt = data.get("perguruan_tinggi") or {}
        if not _text(pt.get("nama")):
            raise DomainError(
                "Sebutkan perguruan tinggi mitra.",
                pasal=pasal("Pasal 22 ayat (2)"),
                field="kerja_sama.perguruan_tinggi",
            )
        akreditasi = pt.get("akreditasi")
        mitra = PerguruanTinggi(
            nama=_text(pt["nama"]),
            terdaftar=bool(pt.get("terdaftar")),
            kode_pddikti=_text(pt.get("kode_pddikti")) or None,
            akreditasi=_choice(
                Akreditasi,
                akreditasi,
                pasal_ref=pasal("Pasal 22 ayat (2)"),
                lokasi="kerja_sama.perguruan_tinggi.akreditasi",
                apa="Akreditasi",
            )
            if akreditasi
            else None,
            akreditasi_berlaku_sampai=_date(pt.get("akreditasi_berlaku_sampai")),
        )
        if not mitra.sah_pada(dibentuk_pada):
            raise DomainError(
                f"Perguruan tinggi {mitra.nama} tidak terdaftar dan tidak terakreditasi (atau akreditasinya "
                f"sudah tidak berlaku pada {dibentuk_pada.isoformat()}); kerja sama hanya dengan perguruan tinggi "
                "yang terdaftar dan/atau terakreditasi.",
                pasal=pasal("Pasal 22 ayat (2)"),
                field="kerja_sama.perguruan_tinggi",
            )
        return cls(bentuk, mitra, lainnya, _text(data.get("nomor_perjanjian")) or None)

    def to_json(self) -> dict[str, Any]:
        pt = self.perguruan_tinggi
        return {
            "bentuk": [b.value for b in self.bentuk],
            "bentuk_lainnya": self.bentuk_lainnya,
            "nomor_perjanjian": self.nomor_perjanjian,
            "perguruan_tinggi": {
                "nama": pt.nama,
                "terdaftar": pt.terdaftar,
                "kode_pddikti": pt.kode_pddikti,
                "akreditasi": pt.akreditasi.value if pt.akreditasi else None,
                "akreditasi_berlaku_sampai": pt.akreditasi_berlaku_sampai.isoformat()
                if pt.akreditasi_berlaku_sampai
                else None,
            },
        }


@dataclass(frozen=True)
class PemetaanKerawanan:
    """Pasal 25 huruf a: the area's vulnerability from the latest Indeks Kerawanan Pemilu."""

    kategori: KategoriKerawanan
    sumber_ikp: str
    tanggal: dt.date
    tahun_ikp: int | None = None
    """The election year the IKP edition is named for ("IKP Pemilu 2024" → 2024); None on records
    made before the edition was checked."""


@dataclass(frozen=True)
class AnalisisKesiapan:
    """Pasal 25 huruf b: readiness of participation and of the village apparatus and groups."""

    tanggal: dt.date
    kesiapan_pelaksanaan: str
    kesiapan_perangkat_desa: str
    siap: bool


@dataclass(frozen=True)
class KampungRincian:
    desa: str
    kelompok_masyarakat: tuple[str, ...]
    pemetaan_kerawanan: PemetaanKerawanan
    analisis_kesiapan: AnalisisKesiapan

    @classmethod
    def parse(cls, data: Mapping[str, Any], *, unit: str, dibentuk_pada: dt.date) -> KampungRincian:
        desa = _text(data.get("desa"))
        if not desa or level_of(desa) != Level.KELURAHAN_DESA or not is_within(desa, unit):
            raise DomainError(
                "Kampung Pengawasan berbasis kampung/desa di wilayah kerja pembentuknya: sebutkan kode kelurahan/desa "
                f"di wilayah unit {unit}.",
                pasal=pasal("Pasal 24 ayat (3)"),
                field="kampung.desa",
            )
        kelompok = tuple(k for k in (_text(x) for x in data.get("kelompok_masyarakat") or ()) if k)
        if not kelompok:
            raise DomainError(
                "Kampung Pengawasan dibentuk bersama kelompok masyarakat; sebutkan kelompok masyarakatnya.",
                pasal=pasal("Pasal 24 ayat (1)"),
                field="kampung.kelompok_masyarakat",
            )
        peta = data.get("pemetaan_kerawanan")
        ref_a = pasal("Pasal 25 huruf a")
        if not peta or not peta.get("kategori") or not peta.get("tanggal") or not _text(peta.get("sumber_ikp")):
            raise DomainError(
                "Kampung Pengawasan hanya dapat dibentuk setelah pemetaan tingkat kerawanan berdasarkan indeks "
                "kerawanan Pemilu/Pemilihan teraktual dicatat (kategori, sumber IKP, tanggal).",
                pasal=ref_a,
                field="kampung.pemetaan_kerawanan",
            )
        sumber = _text(peta["sumber_ikp"])
        edisi: int | None
        try:
            edisi = None if peta.get("tahun_ikp") is None else int(peta["tahun_ikp"])
        except (TypeError, ValueError):
            edisi = None
        if edisi is None:
            years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", sumber)]
            edisi = max(years) if years else None
        if edisi is None:
            raise DomainError(
                "Sebutkan edisi Indeks Kerawanan Pemilu/Pemilihan yang dipakai (tahun_ikp, misalnya 2024 untuk "
                "IKP Pemilu 2024): pemetaan kerawanan harus berdasarkan IKP teraktual.",
                pasal=ref_a,
                field="kampung.pemetaan_kerawanan.tahun_ikp",
            )
        if not ikp_teraktual(edisi, dibentuk_pada.year):
            raise DomainError(
                f"IKP edisi {edisi} bukan IKP teraktual untuk Kampung Pengawasan yang dibentuk tahun "
                f"{dibentuk_pada.year}: Pemilu diselenggarakan setiap 5 tahun dan edisi IKP dinamai menurut tahun "
                f"pemilihannya, sehingga edisi yang diterima paling lama {dibentuk_pada.year - IKP_SIKLUS_TAHUN + 1}. "
                "Gunakan IKP terbaru.",
                pasal=ref_a,
                field="kampung.pemetaan_kerawanan.tahun_ikp",
            )
        pemetaan = PemetaanKerawanan(
            _choice(
                KategoriKerawanan,
                peta["kategori"],
                pasal_ref=ref_a,
                lokasi="kampung.pemetaan_kerawanan.kategori",
                apa="Kategori kerawanan",
            ),
            sumber,
            _date(peta["tanggal"]) or dibentuk_pada,
            edisi,
        )
        if pemetaan.tanggal > dibentuk_pada:
            raise DomainError(
                "Pemetaan kerawanan harus dilakukan sebelum Kampung Pengawasan dibentuk.",
                pasal=ref_a,
                field="kampung.pemetaan_kerawanan.tanggal",
            )
        analisis = data.get("analisis_kesiapan")
        ref_b = pasal("Pasal 25 huruf b")
        if (
            not analisis
            or not analisis.get("tanggal")
            or not _text(analisis.get("kesiapan_pelaksanaan"))
            or not _text(analisis.get("kesiapan_perangkat_desa"))
        ):
            raise DomainError(
                "Kampung Pengawasan hanya dapat dibentuk setelah analisis dan kajian kesiapan dicatat: kesiapan "
                "pelaksanaan partisipasi pengawasan dan kesiapan perangkat desa/kelurahan serta kelompok masyarakat.",
                pasal=ref_b,
                field="kampung.analisis_kesiapan",
            )
        kesiapan = AnalisisKesiapan(
            _date(analisis["tanggal"]) or dibentuk_pada,
            _text(analisis["kesiapan_pelaksanaan"]),
            _text(analisis["kesiapan_perangkat_desa"]),
            bool(analisis.get("siap", True)),
        )
        if kesiapan.tanggal > dibentuk_pada:
            raise DomainError(
                "Analisis kesiapan harus dilakukan sebelum Kampung Pengawasan dibentuk.",
                pasal=ref_b,
                field="kampung.analisis_kesiapan.tanggal",
            )
        if not kesiapan.siap:
            raise DomainError(
                "Analisis kesiapan menyimpulkan wilayah belum siap; Kampung Pengawasan belum dapat dibentuk.",
                pasal=ref_b,
                field="kampung.analisis_kesiapan.siap",
            )
        return cls(desa, kelompok, pemetaan, kesiapan)

    def to_json(self) -> dict[str, Any]:
        return {
            "desa": self.desa,
            "kelompok_masyarakat": list(self.kelompok_masyarakat),
            "pemetaan_kerawanan": {
                "kategori": self.pemetaan_kerawanan.kategori.value,
                "sumber_ikp": self.pemetaan_kerawanan.sumber_ikp,
                "tanggal": self.pemetaan_kerawanan.tanggal.isoformat(),
                "tahun_ikp": self.pemetaan_kerawanan.tahun_ikp,
            },
            "analisis_kesiapan": {
                "tanggal": self.analisis_kesiapan.tanggal.isoformat(),
                "kesiapan_pelaksanaan": self.analisis_kesiapan.kesiapan_pelaksanaan,
                "kesiapan_perangkat_desa": self.analisis_kesiapan.kesiapan_perangkat_desa,
                "siap": self.analisis_kesiapan.siap,
            },
        }


@dataclass(frozen=True)
class KomunitasDigitalRincian:
    melibatkan: tuple[str, ...] = ()
    kanal: tuple[str, ...] = ()

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> KomunitasDigitalRincian:
        melibatkan: list[str] = []
        for code in data.get("melibatkan") or ():
            if level_of(code) not in (Level.PROVINSI, Level.KABUPATEN_KOTA):
                raise DomainError(
                    f"Komunitas Digital hanya dapat melibatkan Bawaslu Provinsi dan/atau Bawaslu Kabupaten/Kota; "
                    f"unit {code} bukan keduanya.",
                    pasal=pasal("Pasal 28 ayat (2)"),
                    field="komunitas_digital.melibatkan",
                )
            if code not in melibatkan:
                melibatkan.append(code)
        kanal = tuple(k for k in (_text(x) for x in data.get("kanal") or ()) if k)
        return cls(tuple(melibatkan), kanal)

    def to_json(self) -> dict[str, Any]:
        return {"melibatkan": list(self.melibatkan), "kanal": list(self.kanal)}


Rincian = ForumWargaRincian | PojokRincian | KerjaSamaRincian | KampungRincian | KomunitasDigitalRincian

RINCIAN_KEY: dict[Program, str] = {
    Program.FORUM_WARGA: "forum_warga",
    Program.POJOK_PENGAWASAN: "pojok_pengawasan",
    Program.KERJA_SAMA_PERGURUAN_TINGGI: "kerja_sama",
    Program.KAMPUNG_PENGAWASAN: "kampung",
    Program.KOMUNITAS_DIGITAL: "komunitas_digital",
}
"""Which section of a program's details belongs to which program (Pendidikan has none)."""


def parse_rincian(
    program: Program, data: Mapping[str, Any] | None, *, unit: str, dibentuk_pada: dt.date
) -> Rincian | None:
    data = data or {}
    if program == Program.FORUM_WARGA:
        return ForumWargaRincian.parse(data)
    if program == Program.POJOK_PENGAWASAN:
        return PojokRincian.parse(data)
    if program == Program.KERJA_SAMA_PERGURUAN_TINGGI:
        return KerjaSamaRincian.parse(data, dibentuk_pada=dibentuk_pada)
    if program == Program.KAMPUNG_PENGAWASAN:
        return KampungRincian.parse(data, unit=unit, dibentuk_pada=dibentuk_pada)
    if program == Program.KOMUNITAS_DIGITAL:
        return KomunitasDigitalRincian.parse(data)
    return None


# --- the program record ------------------------------------------------------------------


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
class ProgramPartisipatif:
    """One of the six programs, formed and owned by a unit."""

    id: str
    unit: str
    program: Program
    nama: str
    dibentuk_pada: dt.date
    sasaran: tuple[Sasaran, ...]
    rincian: Rincian | None = None
    keterangan: str | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def bentuk(
        cls,
        *,
        unit: str,
        program: Program,
        nama: str,
        dibentuk_pada: dt.date,
        sasaran: Sequence[str],
        rincian: Mapping[str, Mapping[str, Any] | None],
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
        own_key = RINCIAN_KEY.get(program)
        for key, section in rincian.items():
            if section is not None and key != own_key:
                raise DomainError(f"Bagian '{key}' tidak berlaku untuk program {program.nama}.", field=key)
        details = parse_rincian(
            program, rincian.get(own_key) if own_key else None, unit=unit, dibentuk_pada=dibentuk_pada
        )
        record = cls(
            id=program_id or new_id(),
            unit=unit,
            program=program,
            nama=nama.strip(),
            dibentuk_pada=dibentuk_pada,
            sasaran=chosen,
            rincian=details,
            keterangan=keterangan,
        )
        record.events.append(record._formed())
        return record

    def _formed(self) -> ProgramFormed:
        extra: dict[str, Any] = {}
        r = self.rincian
        if isinstance(r, ForumWargaRincian):
            extra = {"metode": r.metode.value, "pertemuan": [p.value for p in r.pertemuan]}
        elif isinstance(r, PojokRincian):
            extra = {"tempat": f"{r.tempat.value}: {r.alamat}"}
        elif isinstance(r, KerjaSamaRincian):
            extra = {"bentuk_kerja_sama": [b.value for b in r.bentuk], "perguruan_tinggi": r.perguruan_tinggi.nama}
        elif isinstance(r, KampungRincian):
            extra = {"desa": r.desa, "kategori_kerawanan": r.pemetaan_kerawanan.kategori.value}
        elif isinstance(r, KomunitasDigitalRincian):
            extra = {"melibatkan": list(r.melibatkan)}
        return ProgramFormed(
            unit=self.unit,
            program_id=self.id,
            program=self.program,
            nama=self.nama,
            dibentuk_pada=self.dibentuk_pada,
            sasaran=[s.value for s in self.sasaran],
            **extra,
        )

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
        jenis: str,
        waktu: dt.datetime,
        topik: str,
        ringkasan: str | None,
        pengunjung: str | None,
        now: dt.datetime,
    ) -> Konsultasi:
        pojok = self._pojok()
        kind = _choice(
            JenisKonsultasi, jenis, pasal_ref=pasal("Pasal 19 ayat (2)"), lokasi="jenis", apa="Jenis layanan"
        )
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
        self, *, jenis: str, tanggal: dt.date, pihak: Sequence[str], ringkasan: str, today: dt.date
    ) -> KomunikasiKampung:
        if not isinstance(self.rincian, KampungRincian):
            raise DomainError(
                f"Komunikasi berkala dan koordinasi dicatat untuk Kampung Pengawasan; program ini {self.program.nama}.",
                pasal=pasal("Pasal 25 huruf c"),
            )
        kind = _choice(
            JenisKomunikasi,
            jenis,
            pasal_ref=pasal("Pasal 25 huruf c dan huruf d"),
            lokasi="jenis",
            apa="Jenis komunikasi",
        )
        if tanggal > today:
            raise DomainError("Tanggal komunikasi tidak boleh di masa depan.", field="tanggal")
        who = tuple(p for p in (_text(x) for x in pihak) if p)
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

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


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
        chosen = tuple(dict.fromkeys(_text(x) for x in dievaluasi if _text(x)))
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


# --- kegiatan, peserta, attendance, feedback -----------------------------------------------


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
class Peserta:
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
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

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

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


@dataclass(frozen=True)
class UmpanBalik:
    peserta_id: str
    kegiatan_id: str
    pemahaman_meningkat: bool
    skor: int | None
    komentar: str | None
    diberikan_pada: dt.datetime


# --- pemantauan, indicator sets, penilaian, tindak lanjut ---------------------------------


@dataclass
class Pemantauan:
    id: str
    unit: str
    tanggal: dt.date
    cakupan: tuple[str, ...]
    program: tuple[Program, ...]
    ringkasan: str
    temuan: tuple[str, ...] = ()
    rekomendasi: tuple[str, ...] = ()
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

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

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


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
class PemantauanRef:
    id: str
    unit: str
    tanggal: dt.date


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
class Penilaian:
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
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

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
        self, *, evaluasi: str, strategi_baru: str, media: Sequence[str], tanggal: dt.date, today: dt.date, oleh: str
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
        channels = _choices(
            MediaTindakLanjut, media, pasal_ref=pasal("Pasal 31 ayat (2)"), lokasi="media", apa="Media tindak lanjut"
        )
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

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
