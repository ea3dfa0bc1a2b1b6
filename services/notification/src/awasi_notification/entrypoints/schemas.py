"""Notification's HTTP request and response bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from awasi_common.limits import EMAIL, NAMA, DaftarPendek, Id, Kode, KodeUnit, Nama
from awasi_notification.commands import RegisterWebhook, RotateSecret, SetContact, Subscribe
from awasi_notification.domain.deliveries import Channel, Mode
from awasi_notification.domain.subscriptions import Audience


def _storable(value: Any) -> Any:
    """Text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (a lone surrogate such as
    ``"\\ud800"``, which JSON can spell) is refused before anything reads it: it would fail
    the write, or the answer that names it, with a 500. The edge refuses both on every route
    (awasi_common.edge); this keeps notification's own fields safe without it."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("memuat karakter yang tidak sah (surrogate tunggal); kirim teks UTF-8 yang sah") from None
        if "\x00" in value:
            raise ValueError("memuat karakter NUL; kirim teks tanpa karakter kontrol")
    return value


Storable = BeforeValidator(_storable)


def _email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(f"'{value}' bukan alamat email yang sah") from error


Email = Annotated[str, StringConstraints(max_length=EMAIL), AfterValidator(_email), Storable]
"""An address, normalised to lower case (so a unit's contacts compare alike)."""

JenisEvent = Annotated[str, StringConstraints(max_length=NAMA), Storable]
"""An event type (``awasi.KegiatanScheduled.v1``; the longest today has 43 characters), as
long as the column that stores it."""
JENIS_EVENT_MAKS = 100
"""Event types one subscription names: the catalog has 48, of which 43 may be subscribed
(``*`` subscribes to all of them)."""
URL_MAKS = 2000
"""A webhook URL: what browsers and proxies carry safely."""
Unit = Annotated[KodeUnit, Storable]
Lembaga = Annotated[Nama, Storable]
RecordId = Annotated[Id, Storable]
"""A subscription's, delivery's or message's id in a path or query (a ``%00`` there would
otherwise reach the database)."""
Code = Annotated[Kode, Storable]

EVENT_TYPES_DESCRIPTION = (
    "Jenis event CloudEvents yang dilanggani, misalnya 'awasi.KegiatanScheduled.v1', atau '*' untuk "
    "semua event publik. Daftarnya di GET /jenis-event."
)


class ReminderOut(BaseModel):
    kegiatan_id: str
    unit: str
    judul: str
    kind: str
    due_on: dt.date
    status: str
    fired_at: dt.datetime | None = None


class ReceiptOut(BaseModel):
    laporan_id: str
    kode_pelacakan: str
    unit: str
    kanal: str
    diterima_pada: dt.datetime


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    untuk: Literal["unit", "pribadi"] = Field(
        default="unit",
        description="'unit': kotak masuk/alamat unit; 'pribadi': milik pengguna token ini.",
    )
    unit: Unit | None = Field(default=None, description="Unit pemilik langganan; bawaan: unit token.")
    saluran: Literal["inbox", "email"] = "inbox"
    email: Email | None = None
    jenis_event: list[JenisEvent] = Field(
        min_length=1, max_length=JENIS_EVENT_MAKS, description=EVENT_TYPES_DESCRIPTION
    )
    wilayah: Unit | None = Field(
        default=None,
        description="Kode unit; event unit ini dan semua unit di bawahnya. Bawaan: unit pemilik.",
    )
    mode: Mode = Mode.SEGERA

    def to_command(self) -> Subscribe:
        return Subscribe(
            untuk=Audience(self.untuk),
            saluran=Channel(self.saluran),
            jenis_event=tuple(self.jenis_event),
            unit=self.unit,
            wilayah=self.wilayah,
            email=self.email,
            mode=self.mode,
        )


class SubscriptionOut(BaseModel):
    id: str
    saluran: str
    pemilik: str
    unit_pemilik: str
    wilayah: str
    jenis_event: list[str]
    mode: str
    email: str | None = None
    dibuat_pada: dt.datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> SubscriptionOut:
        return cls(
            id=row["id"],
            saluran=row["channel"],
            pemilik=f"{row['owner_kind']}:{row['owner']}",
            unit_pemilik=row["owner_unit"],
            wilayah=row["region"],
            jenis_event=row["event_types"],
            mode=row["mode"],
            email=row["email"],
            dibuat_pada=row["created_at"],
        )


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lembaga: Lembaga | None = Field(
        default=None,
        description="Nama lembaga (KPU, DKPP, Sentra Gakkumdu, pemerintah daerah …); wajib bila operator mendaftarkan.",
    )
    url: Annotated[str, Storable] = Field(
        min_length=8, max_length=URL_MAKS, description="Alamat https penerima webhook."
    )
    jenis_event: list[JenisEvent] = Field(
        min_length=1, max_length=JENIS_EVENT_MAKS, description=EVENT_TYPES_DESCRIPTION
    )
    wilayah: Unit | None = Field(default=None, description="Kode unit; bawaan: unit pemilik.")
    unit: Unit | None = Field(
        default=None,
        description="Unit Bawaslu yang mendaftarkan atas nama lembaga (operator); bawaan: unit token.",
    )

    def to_command(self) -> RegisterWebhook:
        return RegisterWebhook(
            url=self.url,
            jenis_event=tuple(self.jenis_event),
            lembaga=self.lembaga,
            wilayah=self.wilayah,
            unit=self.unit,
        )


class WebhookOut(BaseModel):
    id: str
    lembaga: str | None
    url: str
    jenis_event: list[str]
    wilayah: str
    unit_pemilik: str
    aktif: bool
    rotasi_terakhir_berlaku_sampai: dt.datetime | None = Field(
        default=None, description="Sampai kapan rahasia sebelumnya masih ikut menandatangani."
    )
    dibuat_pada: dt.datetime

    @classmethod
    def of(cls, row: dict[str, Any]) -> WebhookOut:
        return cls(
            id=row["id"],
            lembaga=row["lembaga"],
            url=row["url"],
            jenis_event=row["event_types"],
            wilayah=row["region"],
            unit_pemilik=row["owner_unit"],
            aktif=row["active"],
            rotasi_terakhir_berlaku_sampai=row["previous_secret_until"],
            dibuat_pada=row["created_at"],
        )


class WebhookCreated(WebhookOut):
    rahasia: str = Field(description="Rahasia penandatangan (whsec_…). Hanya ditampilkan sekali: simpan baik-baik.")


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    masa_tenggang_detik: int | None = Field(
        default=None,
        ge=0,
        le=7 * 24 * 3600,
        description="Berapa lama rahasia lama masih berlaku; 0 mencabutnya seketika. Bawaan: 24 jam.",
    )

    def to_command(self, subscription_id: str) -> RotateSecret:
        return RotateSecret(subscription_id, self.masa_tenggang_detik)


class RotateOut(BaseModel):
    id: str
    rahasia: str
    rahasia_lama_berlaku_sampai: dt.datetime


class DeliveryOut(BaseModel):
    id: str
    saluran: str
    penerima: str
    langganan_id: str | None
    jenis_event: str
    event_id: str
    unit: str
    subjek: str
    status: str
    percobaan: int
    maks_percobaan: int
    percobaan_berikutnya: dt.datetime | None
    kesalahan_terakhir: str | None
    status_http: int | None
    dibuat_pada: dt.datetime
    terkirim_pada: dt.datetime | None

    @classmethod
    def of(cls, row: Any) -> DeliveryOut:
        return cls(
            id=row.id,
            saluran=row.channel,
            penerima=row.recipient_label,
            langganan_id=row.subscription_id,
            jenis_event=row.event_type,
            event_id=row.event_id,
            unit=row.unit,
            subjek=row.subject,
            status=row.status,
            percobaan=row.attempts,
            maks_percobaan=row.max_attempts,
            percobaan_berikutnya=row.next_attempt_at if row.status == "pending" else None,
            kesalahan_terakhir=row.last_error,
            status_http=row.response_status,
            dibuat_pada=row.created_at,
            terkirim_pada=row.sent_at,
        )


class InboxMessageOut(BaseModel):
    id: str
    pemilik: str
    unit: str
    jenis_event: str
    event_id: str
    subjek: str
    isi: str
    dibuat_pada: dt.datetime
    dibaca_pada: dt.datetime | None

    @classmethod
    def of(cls, row: Any) -> InboxMessageOut:
        return cls(
            id=row.id,
            pemilik=row.owner,
            unit=row.unit,
            jenis_event=row.event_type,
            event_id=row.event_id,
            subjek=row.subject,
            isi=row.body,
            dibuat_pada=row.created_at,
            dibaca_pada=row.read_at,
        )


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: DaftarPendek[Email] = Field(default_factory=list, description="Alamat email unit; paling banyak 20.")
    mode: Mode = Mode.SEGERA

    def to_command(self, unit: str) -> SetContact:
        return SetContact(unit, tuple(self.email), self.mode)


class ContactOut(BaseModel):
    unit: str
    email: list[str]
    mode: str
    diubah_oleh: str | None = None
    diubah_pada: dt.datetime | None = None


class EventTypeOut(BaseModel):
    jenis: str
    nama: str
    label: str
    topik: str
    sumber: str
    peringatan: bool
