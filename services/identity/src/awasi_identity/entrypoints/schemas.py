"""Identity's HTTP request and response bodies. Every field is bounded (``awasi_common.limits``);
a wrong value is answered 422 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from awasi_common.auth import Role
from awasi_common.limits import NAMA, Email, Judul, KodeUnit, Telepon
from awasi_common.vocabulary import Divisi
from awasi_identity.commands import BuatAkun, DaftarkanKlien, UbahAkun
from awasi_identity.domain.akun import Akun, StatusAkun
from awasi_identity.domain.audit import Tindakan
from awasi_identity.domain.klien import Cakupan, KlienInstansi
from awasi_identity.domain.sandi import PANJANG_MAKSIMUM
from awasi_identity.domain.totp import uri


def _email(value: str) -> str:
    """Addresses compare without case: one person, one account."""
    return value.strip().lower()


EmailAkun = Annotated[Email, AfterValidator(_email)]
NIK = Annotated[str, StringConstraints(pattern=r"^\d{16}$", max_length=16)]
"""Nomor Induk Kependudukan: 16 digits."""
NIP = Annotated[str, StringConstraints(pattern=r"^\d{18}$", max_length=18)]
"""Nomor Induk Pegawai (civil servant): 18 digits."""
Sandi = Annotated[str, StringConstraints(max_length=PANJANG_MAKSIMUM)]
KodeAktivasi = Annotated[str, StringConstraints(max_length=40)]
NamaTerisi = Annotated[str, StringConstraints(min_length=1, max_length=NAMA, strip_whitespace=True)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AkunIn(_In):
    nama: NamaTerisi
    email: EmailAkun
    unit: KodeUnit
    role: Role
    telepon: Telepon | None = None
    nik: NIK | None = Field(default=None, description="16 digit")
    nip: NIP | None = Field(default=None, description="18 digit")
    divisi: Divisi | None = None
    jabatan: Judul | None = Field(default=None, description="Untuk blok tanda tangan, mis. 'Anggota Bawaslu'")
    berlaku_mulai: dt.date | None = Field(default=None, description="Kosong: mulai hari ini")
    berlaku_sampai: dt.date | None = Field(default=None, description="Akhir masa tugas staf ad hoc")

    def to_command(self, alamat: str | None) -> BuatAkun:
        return BuatAkun(**self.model_dump(), alamat=alamat)


class UbahAkunIn(_In):
    """Only the fields sent change; ``null`` clears divisi, jabatan or berlaku_sampai."""

    unit: KodeUnit | None = None
    role: Role | None = None
    divisi: Divisi | None = None
    jabatan: Judul | None = None
    berlaku_mulai: dt.date | None = None
    berlaku_sampai: dt.date | None = None

    def to_command(self, akun_id: str, alamat: str | None) -> UbahAkun:
        cleared = frozenset(
            name
            for name in ("divisi", "jabatan", "berlaku_sampai")
            if name in self.model_fields_set and getattr(self, name) is None
        )
        return UbahAkun(akun_id=akun_id, **self.model_dump(), hapus=cleared, alamat=alamat)


class AktivasiIn(_In):
    email: EmailAkun
    kode: KodeAktivasi
    sandi: Sandi


class LupaSandiIn(_In):
    email: EmailAkun


class AkunOut(BaseModel):
    id: str
    nama: str
    email: str
    telepon: str | None
    nik: str | None
    nip: str | None
    unit: str
    role: Role
    divisi: Divisi | None
    jabatan: str | None
    berlaku_mulai: dt.date
    berlaku_sampai: dt.date | None
    status: StatusAkun
    dibuat_pada: dt.datetime
    dinonaktifkan_pada: dt.datetime | None

    @classmethod
    def of(cls, akun: Akun) -> AkunOut:
        return cls.model_validate(akun, from_attributes=True)

    @classmethod
    def of_row(cls, row: Any) -> AkunOut:
        return cls.model_validate(dict(row))


class TotpOut(BaseModel):
    rahasia: str = Field(description="Sekali tampil: rahasia TOTP (base32) untuk aplikasi autentikator")
    uri: str = Field(description="otpauth:// untuk kode QR")


class AktivasiOut(BaseModel):
    akun: AkunOut
    totp: TotpOut | None = Field(
        default=None, description="Bagi admin, pimpinan dan penanganan: faktor kedua yang wajib saat masuk"
    )

    @classmethod
    def of(cls, akun: Akun, totp_rahasia: str | None) -> AktivasiOut:
        totp = TotpOut(rahasia=totp_rahasia, uri=uri(totp_rahasia, akun.email)) if totp_rahasia else None
        return cls(akun=AkunOut.of(akun), totp=totp)


class AkunBaruOut(BaseModel):
    akun: AkunOut
    kode_aktivasi: str = Field(description="Sekali tampil: serahkan kepada pemilik akun untuk mengatur kata sandinya")
    kode_berlaku_sampai: dt.datetime

    @classmethod
    def of(cls, baru: Any) -> AkunBaruOut:
        """From the handlers' ``AkunBaru``: the account and its one-time code."""
        return cls(
            akun=AkunOut.of(baru.akun), kode_aktivasi=baru.kode_aktivasi, kode_berlaku_sampai=baru.berlaku_sampai
        )


class AuditOut(BaseModel):
    waktu: dt.datetime
    tindakan: Tindakan
    pelaku: str | None = Field(
        description="Subjek yang bertindak; kosong bagi permintaan tanpa token (masuk, aktivasi)"
    )
    pelaku_unit: str | None
    akun_id: str | None
    unit: str | None = Field(description="Unit akun yang dikenai tindakan")
    alamat: str | None = Field(description="Alamat klien")
    rincian: dict[str, Any]


class AkunImporOut(BaseModel):
    """One row of an imported file: what the admin hands to the person."""

    baris: int
    akun_id: str
    nama: str
    email: str
    unit: str
    kode_aktivasi: str
    kode_berlaku_sampai: dt.datetime

    @classmethod
    def of(cls, baris: int, baru: Any) -> AkunImporOut:
        akun = baru.akun
        return cls(
            baris=baris,
            akun_id=akun.id,
            nama=akun.nama,
            email=akun.email,
            unit=akun.unit,
            kode_aktivasi=baru.kode_aktivasi,
            kode_berlaku_sampai=baru.berlaku_sampai,
        )


class TokenOut(BaseModel):
    """RFC 6749 §5.1; an agency client's token (client credentials) has no refresh token and
    names its scope."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None


class KlienIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nama: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=NAMA)] = Field(
        description="Lembaga, misalnya 'KPU Kabupaten Blitar'"
    )
    unit: KodeUnit = Field(description="Wilayah yang diawasi lembaga itu (unit token-tokennya)")
    cakupan: list[Cakupan] = Field(default_factory=list, max_length=len(Cakupan), description="Kosong: semua")

    def to_command(self, alamat: str | None) -> DaftarkanKlien:
        return DaftarkanKlien(
            nama=self.nama, unit=self.unit, cakupan=tuple(c.value for c in self.cakupan), alamat=alamat
        )


class KlienOut(BaseModel):
    client_id: str
    nama: str
    unit: str
    cakupan: list[str]
    dibuat_pada: dt.datetime
    dinonaktifkan_pada: dt.datetime | None

    @classmethod
    def of(cls, klien: KlienInstansi) -> KlienOut:
        return cls(
            client_id=klien.id,
            nama=klien.nama,
            unit=klien.unit,
            cakupan=[c.value for c in klien.cakupan],
            dibuat_pada=klien.dibuat_pada,
            dinonaktifkan_pada=klien.dinonaktifkan_pada,
        )


class KlienBaruOut(KlienOut):
    client_secret: str = Field(description="Ditampilkan sekali ini saja; yang disimpan hanya SHA-256-nya")


class KunciOut(BaseModel):
    diterbitkan: list[str] = Field(description="kid kunci yang diterbitkan, terbaru lebih dulu")
