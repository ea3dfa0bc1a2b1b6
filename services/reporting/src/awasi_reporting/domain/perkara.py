"""What laporan and temuan share: a case moves through a fixed set of statuses; every allowed
move is listed in ``TRANSITIONS`` and anything else is refused. Each move records a history
entry, sets the next deadline and records the events that tell the rest of the platform."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

from awasi_common.errors import Conflict, DomainError
from awasi_common.events import reporting as ev
from awasi_common.events.base import Event
from awasi_common.units import is_within, unit_name
from awasi_reporting.domain.rezim import Pemilihan, Rezim
from awasi_reporting.domain.vocabulary import (
    FIXED_RECIPIENT,
    OPEN_STATUSES,
    TRANSITIONS,
    JenisPerkara,
    JenisPutusan,
    Status,
    Tahapan,
    local_date,
)


@dataclass(frozen=True)
class Riwayat:
    """One step in a case's history."""

    status: Status
    pada: dt.datetime
    unit: str
    oleh: str
    catatan: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "pada": self.pada.isoformat(),
            "unit": self.unit,
            "oleh": self.oleh,
            "catatan": self.catatan,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Riwayat:
        return cls(
            status=Status(data["status"]),
            pada=dt.datetime.fromisoformat(data["pada"]),
            unit=data["unit"],
            oleh=data["oleh"],
            catatan=data.get("catatan"),
        )


@dataclass
class Perkara:
    """What laporan and temuan share: the handling workflow and its deadlines."""

    jenis_perkara: ClassVar[JenisPerkara]

    unit: str
    pemilihan: Pemilihan
    tahapan: Tahapan | None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: Status = Status.DITERIMA
    riwayat: list[Riwayat] = field(default_factory=list)
    nomor_register: str | None = None
    diregistrasi_pada: dt.datetime | None = None
    putusan: JenisPutusan | None = None
    diteruskan_ke: str | None = None
    pertimbangan: str | None = None
    nomor_surat_penerusan: str | None = None
    diputus_pada: dt.datetime | None = None
    tenggat: dt.date | None = None
    tahap_tenggat: str | None = None
    tenggat_diperpanjang: bool = False
    tenggat_dialertkan: bool = False
    versi: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    # -- the workflow

    def allowed_next(self) -> list[Status]:
        return sorted(TRANSITIONS[self.status], key=list(Status).index)

    def _check_move(self, to: Status) -> None:
        if to not in TRANSITIONS[self.status]:
            allowed = ", ".join(s.value for s in self.allowed_next()) or "tidak ada (sudah final)"
            raise Conflict(
                f"Status {self.jenis_perkara.value} {self.kode} tidak dapat berubah dari "
                f"'{self.status.value}' ke '{to.value}'. Langkah yang sah berikutnya: {allowed}."
            )

    def _move(self, to: Status, *, now: dt.datetime, oleh: str, catatan: str | None) -> Status:
        self._check_move(to)
        before = self.status
        self.status = to
        self.riwayat.append(Riwayat(status=to, pada=now, unit=self.unit, oleh=oleh, catatan=catatan))
        return before

    def _set_deadline(self, tahap: str | None, due: dt.date | None) -> None:
        if (tahap, due) != (self.tahap_tenggat, self.tenggat):
            self.tenggat_dialertkan = False
        self.tahap_tenggat = tahap
        self.tenggat = due

    @property
    def rezim(self) -> Rezim:
        """The case's legal regime (Pemilu or Pemilihan): every deadline follows it."""
        return self.pemilihan.rezim

    def _today(self, now: dt.datetime) -> dt.date:
        """``now`` as a date in the handling unit's own time zone."""
        return local_date(now, self.unit)

    def _tindak_lanjut_due(self) -> dt.date:
        """Pemilu: counted from registration ("diterima dan diregistrasi", Pasal 454 ayat (7)
        UU 7/2017). Pemilihan: a laporan from its receipt ("setelah laporan diterima", Pasal 134
        ayat (5) UU 10/2016), a temuan from its registration."""
        assert self.diregistrasi_pada is not None
        start = self._today(self.diregistrasi_pada)
        if self.rezim.tindak_lanjut_sejak_diterima:
            start = self._diterima_on() or start
        return self.rezim.batas_tindak_lanjut(start, diperpanjang=self.tenggat_diperpanjang)

    def _diterima_on(self) -> dt.date | None:
        """The date a laporan was received; a temuan has none."""
        return None

    @property
    def kode(self) -> str:
        raise NotImplementedError

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        raise NotImplementedError

    def _notice(self, subjek: str, pesan: str) -> None:
        """A message for the reporter (laporan only)."""

    def mulai_klarifikasi(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.DILIMPAHKAN and self.nomor_register is None:
            raise Conflict(f"{self.kode} belum diregistrasi: unit penerima melakukan kajian awal lebih dulu.")
        before = self._move(Status.KLARIFIKASI, now=now, oleh=oleh, catatan=catatan)
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("KlarifikasiDimulai", before, now)
        self._notice(
            f"Laporan {self.kode} dalam klarifikasi dan kajian",
            "Laporan Anda sedang dalam tahap klarifikasi dan kajian. Tindak lanjut paling lambat "
            f"{self.tenggat:%d-%m-%Y}. Bawaslu dapat mengundang Anda untuk memberikan keterangan.",
        )

    def perpanjang(self, *, alasan: str, now: dt.datetime, oleh: str) -> None:
        """More information is needed: Pemilu 14 working days instead of 7 (Pasal 454 ayat (8)
        UU 7/2017); Pemilihan 3 + 2 = 5 days (Pasal 134 ayat (6) UU 10/2016)."""
        if self.status not in (Status.DIREGISTRASI, Status.KLARIFIKASI):
            raise Conflict(
                f"Tenggat {self.kode} hanya dapat diperpanjang setelah registrasi dan sebelum "
                f"putusan; statusnya kini '{self.status.value}'."
            )
        if self.tenggat_diperpanjang:
            raise Conflict(
                f"Tenggat {self.kode} sudah pernah diperpanjang menjadi "
                f"{self.rezim.tindak_lanjut_diperpanjang} {self.rezim.satuan}."
            )
        if self.tenggat is not None and self._today(now) > self.tenggat:
            raise DomainError(
                f"Tenggat {self.kode} ({self.tenggat:%d-%m-%Y}) sudah lewat; perpanjangan harus "
                "ditetapkan sebelum tenggat berakhir.",
                pasal=self.rezim.pasal_tindak_lanjut_diperpanjang,
            )
        self.tenggat_diperpanjang = True
        self.riwayat.append(
            Riwayat(status=self.status, pada=now, unit=self.unit, oleh=oleh, catatan=f"Tenggat diperpanjang: {alasan}")
        )
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("TenggatDiperpanjang", self.status, now, alasan=alasan)
        self._notice(
            f"Tenggat penanganan laporan {self.kode} diperpanjang",
            "Bawaslu memerlukan keterangan tambahan; tindak lanjut laporan Anda paling lambat "
            f"{self.tenggat:%d-%m-%Y}.",
        )

    def putuskan(
        self,
        *,
        putusan: JenisPutusan,
        now: dt.datetime,
        oleh: str,
        pertimbangan: str,
        instansi: str | None = None,
    ) -> None:
        if putusan is JenisPutusan.HUKUM_LAINNYA and not (instansi or "").strip():
            raise DomainError(
                "Putusan pelanggaran hukum lainnya wajib menyebut instansi berwenang yang dituju.",
                field="instansi",
            )
        before = self._move(Status.PUTUSAN, now=now, oleh=oleh, catatan=pertimbangan)
        self.putusan = putusan
        self.pertimbangan = pertimbangan
        self.diputus_pada = now
        if putusan is JenisPutusan.BUKAN_PELANGGARAN:
            self.diteruskan_ke = None
        elif putusan in FIXED_RECIPIENT:
            self.diteruskan_ke = FIXED_RECIPIENT[putusan]
        elif putusan is JenisPutusan.ADMINISTRASI:
            self.diteruskan_ke = (instansi or "").strip() or "KPU"
        else:
            self.diteruskan_ke = (instansi or "").strip()
        self._set_deadline(None, None)
        self._step("Diputus", before, now, putusan=putusan.value, diteruskan_ke=self.diteruskan_ke)
        tujuan = f" dan diteruskan kepada {self.diteruskan_ke}" if self.diteruskan_ke else ""
        self._notice(
            f"Hasil kajian laporan {self.kode}",
            f"Hasil kajian atas laporan Anda: {putusan.label}{tujuan}.",
        )

    def teruskan(self, *, now: dt.datetime, oleh: str, nomor_surat: str | None, catatan: str | None = None) -> None:
        if self.putusan is None or self.diteruskan_ke is None:
            raise Conflict(f"{self.kode} belum diputus sebagai pelanggaran, jadi tidak ada yang diteruskan.")
        before = self._move(Status.DITERUSKAN, now=now, oleh=oleh, catatan=catatan)
        self.nomor_surat_penerusan = nomor_surat
        self._set_deadline(None, None)
        self._step(
            "Diteruskan",
            before,
            now,
            putusan=self.putusan.value,
            tujuan=self.diteruskan_ke,
            nomor_surat=nomor_surat,
        )
        self._notice(
            f"Laporan {self.kode} diteruskan",
            f"Laporan Anda telah diteruskan kepada {self.diteruskan_ke} untuk ditindaklanjuti.",
        )

    def limpahkan(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> str:
        """Move the case to the competent unit; returns 'pelimpahan' (down) or
        'pengambilalihan' (up)."""
        if ke_unit == self.unit:
            raise DomainError(f"{self.kode} sudah ditangani unit {ke_unit}.", field="ke_unit")
        if is_within(ke_unit, self.unit):
            arah = "pelimpahan"
        elif is_within(self.unit, ke_unit):
            arah = "pengambilalihan"
        else:
            raise DomainError(
                f"Perkara hanya dapat dilimpahkan ke unit di bawah {self.unit} atau diambil alih "
                f"unit di atasnya; {ke_unit} tidak berada dalam satu garis hierarki.",
                field="ke_unit",
            )
        self._check_move(Status.DILIMPAHKAN)
        dari = self.unit
        self.unit = ke_unit
        before = self._move(Status.DILIMPAHKAN, now=now, oleh=oleh, catatan=alasan)
        if self.nomor_register is None and self.putusan is None:
            self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        elif self.putusan is None:
            self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        else:
            self._set_deadline(None, None)
        self._step("Dilimpahkan", before, now, dari_unit=dari, ke_unit=ke_unit, arah=arah)
        name = unit_name(ke_unit) or ke_unit
        self._notice(
            f"Penanganan laporan {self.kode} berpindah unit",
            f"Penanganan laporan Anda {'dilimpahkan kepada' if arah == 'pelimpahan' else 'diambil alih oleh'} {name}.",
        )
        return arah

    def limpahkan_ke_bawah(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> None:
        """Pelimpahan: the handling unit hands the case down to a unit below it."""
        if not is_within(ke_unit, self.unit) or ke_unit == self.unit:
            raise DomainError(
                f"Pelimpahan hanya ke unit di bawah {self.unit}; untuk unit di atasnya, unit itu "
                "melakukan pengambilalihan.",
                field="ke_unit",
            )
        self.limpahkan(ke_unit=ke_unit, now=now, oleh=oleh, alasan=alasan)

    def check_pengambilalihan(self, ke_unit: str) -> None:
        """Only a unit above the handling unit may take the case over."""
        if not is_within(self.unit, ke_unit) or ke_unit == self.unit:
            raise DomainError(
                f"Pengambilalihan hanya oleh unit di atas {self.unit}; {ke_unit} bukan atasannya.",
                field="ke_unit",
            )

    def ambil_alih(self, *, ke_unit: str, now: dt.datetime, oleh: str, alasan: str) -> None:
        """Pengambilalihan: a unit above the handling unit (``ke_unit``) takes the case over."""
        self.check_pengambilalihan(ke_unit)
        self.limpahkan(ke_unit=ke_unit, now=now, oleh=oleh, alasan=alasan)

    def selesaikan(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.PUTUSAN and self.putusan is not JenisPutusan.BUKAN_PELANGGARAN:
            raise Conflict(
                f"{self.kode} diputus sebagai {self.putusan.value if self.putusan else '-'}: "
                f"teruskan dulu kepada {self.diteruskan_ke} sebelum dinyatakan selesai."
            )
        if self.status is Status.DILIMPAHKAN and self.putusan is None:
            raise Conflict(f"{self.kode} belum diputus: unit penerima menanganinya lebih dulu.")
        before = self._move(Status.SELESAI, now=now, oleh=oleh, catatan=catatan)
        self._set_deadline(None, None)
        self._step("Selesai", before, now, putusan=self.putusan.value if self.putusan else None)
        self._notice(
            f"Penanganan laporan {self.kode} selesai",
            "Penanganan laporan Anda telah selesai. Terima kasih telah turut mengawasi pemilu.",
        )

    def deadline_passed(self, today: dt.date) -> Event | None:
        """The alert for a deadline that fell due with the step not taken, once per deadline."""
        if self.tenggat is None or self.tenggat_dialertkan or today <= self.tenggat:
            return None
        if self.status not in OPEN_STATUSES:
            return None
        self.tenggat_dialertkan = True
        tahap = self.tahap_tenggat or "penanganan"
        event = ev.TenggatPenangananTerlewati(
            unit=self.unit,
            perkara_id=self.id,
            jenis_perkara=self.jenis_perkara.value,
            kode=self.kode,
            tahap=tahap,
            tenggat=self.tenggat,
            pesan=(
                f"Tenggat {TAHAP_LABEL.get(tahap, tahap)} {self.jenis_perkara.value} {self.kode} "
                f"di {unit_name(self.unit) or self.unit} jatuh pada {self.tenggat:%d-%m-%Y} "
                f"({self._dasar_tahap(tahap)}; {self.rezim.satuan}) dan terlewati; status kini "
                f"'{self.status.label}'."
            ),
        )
        self.events.append(event)
        return event

    def _dasar_tahap(self, tahap: str) -> str:
        """The article that sets the deadline of a handling step, in the case's regime."""
        rezim = self.rezim
        if tahap == "tindak_lanjut":
            return rezim.pasal_tindak_lanjut_diperpanjang if self.tenggat_diperpanjang else rezim.pasal_tindak_lanjut
        return rezim.pasal_kajian_awal

    def pull_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


TAHAP_LABEL = {
    "kajian_awal": "kajian awal",
    "kelengkapan": "kelengkapan laporan",
    "tindak_lanjut": "tindak lanjut",
    "psap": "penyelesaian sengketa",
}
