"""The reporter, the event reported, witnesses and evidence (Formulir Model B.1), and the
tracking code and secret a reporter follows a laporan with. No I/O here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from awasi_common.errors import DomainError
from awasi_reporting.domain.vocabulary import JenisKelamin, KategoriPelapor

_TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U

PASAL_PELAPOR = "Pasal 454 ayat (2) UU 7/2017"

USIA_PEMILIH = 17


_INDONESIA = {"indonesia", "wni", "warga negara indonesia", "indonesian"}


@dataclass(frozen=True)
class PerubahanPelapor:
    """Identity fields a reporter supplies later, as asked in a kekurangan (only those given
    are changed)."""

    tempat_lahir: str | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: str | None = None
    kewarganegaraan: str | None = None
    alamat: str | None = None
    telepon: str | None = None
    email: str | None = None

    def __bool__(self) -> bool:
        return any(value not in (None, "") for value in dataclasses.astuple(self))


@dataclass(frozen=True)
class Pelapor:
    """The reporter's identity (Formulir Model B.1). Confidential: encrypted at rest."""

    nama: str
    email: str | None = None
    telepon: str | None = None
    alamat: str | None = None
    kategori: KategoriPelapor = KategoriPelapor.WNI_HAK_PILIH
    tempat_lahir: str | None = None
    tanggal_lahir: dt.date | None = None
    jenis_kelamin: JenisKelamin | None = None
    pekerjaan: str | None = None
    kewarganegaraan: str | None = "Indonesia"
    pernah_kawin: bool = False
    """Married or once married: has voting rights before 17 (Pasal 198 UU 7/2017)."""
    nomor_akreditasi: str | None = None
    """For an accredited monitor."""
    peserta: str | None = None
    """For an election participant: the participant reported on behalf of."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "nama": self.nama,
            "email": self.email,
            "telepon": self.telepon,
            "alamat": self.alamat,
            "kategori": self.kategori.value,
            "tempat_lahir": self.tempat_lahir,
            "tanggal_lahir": self.tanggal_lahir.isoformat() if self.tanggal_lahir else None,
            "jenis_kelamin": self.jenis_kelamin.value if self.jenis_kelamin else None,
            "pekerjaan": self.pekerjaan,
            "kewarganegaraan": self.kewarganegaraan,
            "pernah_kawin": self.pernah_kawin,
            "nomor_akreditasi": self.nomor_akreditasi,
            "peserta": self.peserta,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pelapor:
        return cls(
            nama=data["nama"],
            email=data.get("email"),
            telepon=data.get("telepon"),
            alamat=data.get("alamat"),
            kategori=KategoriPelapor(data.get("kategori") or KategoriPelapor.WNI_HAK_PILIH),
            tempat_lahir=data.get("tempat_lahir"),
            tanggal_lahir=dt.date.fromisoformat(data["tanggal_lahir"]) if data.get("tanggal_lahir") else None,
            jenis_kelamin=JenisKelamin(data["jenis_kelamin"]) if data.get("jenis_kelamin") else None,
            pekerjaan=data.get("pekerjaan"),
            kewarganegaraan=data.get("kewarganegaraan"),
            pernah_kawin=bool(data.get("pernah_kawin")),
            nomor_akreditasi=data.get("nomor_akreditasi"),
            peserta=data.get("peserta"),
        )

    def merged(self, perubahan: PerubahanPelapor) -> Pelapor:
        """This identity with the fields the change gives filled in."""
        given = {name: value for name, value in dataclasses.asdict(perubahan).items() if value not in (None, "")}
        return dataclasses.replace(self, **given)

    def missing(self) -> list[str]:
        """The Formulir Model B.1 identity fields not filled in, as a reporter reads them."""
        wanted = [
            ("tempat_lahir", "tempat lahir pelapor"),
            ("tanggal_lahir", "tanggal lahir pelapor"),
            ("jenis_kelamin", "jenis kelamin pelapor"),
            ("pekerjaan", "pekerjaan pelapor"),
            ("kewarganegaraan", "kewarganegaraan pelapor"),
            ("alamat", "alamat pelapor"),
        ]
        found = [label for name, label in wanted if not getattr(self, name)]
        if not (self.telepon or self.email):
            found.append("nomor telepon atau email pelapor")
        return found


def check_pelapor_berhak(pelapor: Pelapor, on: dt.date) -> None:
    """Only a citizen with voting rights, an election participant or an accredited monitor
    may report (Pasal 454 ayat (2) UU 7/2017)."""
    if pelapor.kewarganegaraan and pelapor.kewarganegaraan.strip().lower() not in _INDONESIA:
        raise DomainError(
            "Laporan hanya dapat disampaikan oleh warga negara Indonesia yang mempunyai hak pilih, "
            "peserta pemilu, atau pemantau pemilu terakreditasi.",
            pasal=PASAL_PELAPOR,
            field="pelapor.kewarganegaraan",
        )
    if pelapor.kategori is KategoriPelapor.WNI_HAK_PILIH and pelapor.tanggal_lahir:
        if pelapor.tanggal_lahir > on:
            raise DomainError(
                "Tanggal lahir pelapor tidak boleh setelah tanggal laporan.",
                field="pelapor.tanggal_lahir",
            )
        birthday = _anniversary(pelapor.tanggal_lahir, USIA_PEMILIH)
        if birthday > on and not pelapor.pernah_kawin:
            raise DomainError(
                "Pelapor belum berusia 17 tahun dan belum pernah kawin, sehingga belum mempunyai "
                "hak pilih. Laporan dapat disampaikan melalui orang tua atau warga lain yang "
                "mempunyai hak pilih.",
                pasal=PASAL_PELAPOR,
                field="pelapor.tanggal_lahir",
            )
    if pelapor.kategori is KategoriPelapor.PEMANTAU and not (pelapor.nomor_akreditasi or "").strip():
        raise DomainError(
            "Pemantau pemilu wajib mencantumkan nomor akreditasi dari Bawaslu.",
            pasal=PASAL_PELAPOR,
            field="pelapor.nomor_akreditasi",
        )
    if pelapor.kategori is KategoriPelapor.PESERTA_PEMILU and not (pelapor.peserta or "").strip():
        raise DomainError(
            "Pelapor dari peserta pemilu wajib menyebut nama peserta pemilu yang diwakili.",
            pasal=PASAL_PELAPOR,
            field="pelapor.peserta",
        )


def _anniversary(born: dt.date, years: int) -> dt.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, day=28)


@dataclass(frozen=True)
class Peristiwa:
    apa: str
    tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date

    def to_dict(self) -> dict[str, str]:
        return {
            "apa": self.apa,
            "tempat": self.tempat,
            "waktu_kejadian": self.waktu_kejadian.isoformat(),
            "waktu_diketahui": self.waktu_diketahui.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Peristiwa:
        return cls(
            apa=data["apa"],
            tempat=data["tempat"],
            waktu_kejadian=dt.date.fromisoformat(str(data["waktu_kejadian"])),
            waktu_diketahui=dt.date.fromisoformat(str(data["waktu_diketahui"])),
        )


def check_peristiwa(peristiwa: Peristiwa, reported_on: dt.date) -> None:
    if peristiwa.waktu_kejadian > reported_on:
        raise DomainError("Waktu kejadian tidak boleh setelah tanggal laporan.", field="peristiwa.waktu_kejadian")
    if peristiwa.waktu_diketahui > reported_on:
        raise DomainError(
            f"Waktu diketahui tidak boleh setelah tanggal laporan ({reported_on:%d-%m-%Y}).",
            field="peristiwa.waktu_diketahui",
        )
    if peristiwa.waktu_diketahui < peristiwa.waktu_kejadian:
        raise DomainError("Waktu diketahui tidak boleh sebelum waktu kejadian.", field="peristiwa.waktu_diketahui")


@dataclass(frozen=True)
class Saksi:
    nama: str
    alamat: str | None = None
    telepon: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"nama": self.nama, "alamat": self.alamat, "telepon": self.telepon}


@dataclass(frozen=True)
class BuktiInfo:
    """An uploaded piece of evidence, without its content."""

    id: str
    nama_berkas: str
    jenis: str
    ukuran: int
    sha256: str
    diunggah_pada: dt.datetime
    oleh: str


# --- Tracking code and secret ----------------------------------------------------------------


def new_tracking_code() -> str:
    return "LP-" + "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def normalise_tracking_code(code: str) -> str:
    """Accept what people type: lower case, spaces, and the letters Crockford reads as digits."""
    cleaned = code.strip().upper().replace(" ", "")
    if cleaned.startswith("LP") and not cleaned.startswith("LP-"):
        cleaned = "LP-" + cleaned[2:]
    head, _, tail = cleaned.partition("-")
    tail = tail.replace("O", "0").replace("I", "1").replace("L", "1")
    return f"{head}-{tail}" if tail else cleaned


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode()).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), digest)
