"""A laporan: a report of an alleged violation (UU 7/2017, Perbawaslu 7/2022), from intake to
its end. No I/O here."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from awasi_common.errors import Conflict, DomainError
from awasi_common.events import reporting as ev
from awasi_common.units import unit_name, zone_name, zone_of
from awasi_reporting.domain.pelapor import (
    BuktiInfo,
    Pelapor,
    Peristiwa,
    PerubahanPelapor,
    Saksi,
    check_pelapor_berhak,
    check_peristiwa,
    hash_secret,
    new_tracking_code,
)
from awasi_reporting.domain.perkara import Perkara, Riwayat
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import AlasanTidakRegistrasi, JenisPerkara, Kanal, Status, Tahapan, local_date

_LAPORAN_STEP_EVENTS: dict[str, type[ev._LaporanStep]] = {
    "KajianAwalDimulai": ev.LaporanKajianAwalDimulai,
    "PerluDilengkapi": ev.LaporanPerluDilengkapi,
    "Dilengkapi": ev.LaporanDilengkapi,
    "Diregistrasi": ev.LaporanDiregistrasi,
    "TidakDiregistrasi": ev.LaporanTidakDiregistrasi,
    "KlarifikasiDimulai": ev.LaporanKlarifikasiDimulai,
    "TenggatDiperpanjang": ev.LaporanTenggatDiperpanjang,
    "Diputus": ev.LaporanDiputus,
    "Diteruskan": ev.LaporanDiteruskan,
    "Dilimpahkan": ev.LaporanDilimpahkan,
    "Selesai": ev.LaporanSelesai,
}


@dataclass
class Laporan(Perkara):
    """A report of an alleged violation, from intake to its end."""

    jenis_perkara: ClassVar[JenisPerkara] = JenisPerkara.LAPORAN

    kanal: Kanal = Kanal.WEB
    pelapor: Pelapor | None = None
    """The reporter's identity; None when loaded without decrypting it."""
    terlapor: str = ""
    peristiwa: Peristiwa | None = None
    saksi: list[Saksi] | None = None
    """Witnesses (confidential like the reporter); None when loaded without decrypting."""
    uraian: str = ""
    diterima_pada: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    kode_pelacakan: str = field(default_factory=new_tracking_code)
    secret_hash: str = ""
    nomor_tanda_terima: str = ""
    identitas_kurang: list[str] = field(default_factory=list)
    """Labels (never values) of the B.1 identity fields not given."""
    jumlah_saksi: int = 0
    bukti: list[BuktiInfo] = field(default_factory=list)
    kekurangan: list[str] = field(default_factory=list)
    """What the reporter was asked to complete."""
    batas_melengkapi: dt.date | None = None
    alasan_tidak_registrasi: AlasanTidakRegistrasi | None = None
    keterangan_tidak_registrasi: str | None = None
    sumber_id: str | None = None
    """The id of the record it came from (a Pojok Pengawasan report), for idempotence."""

    @property
    def kode(self) -> str:
        return self.kode_pelacakan

    @property
    def tanggal_lapor(self) -> dt.date:
        """The filing date, in the zone of the unit that received it."""
        return local_date(self.diterima_pada, self._unit_penerima())

    def _unit_penerima(self) -> str:
        return self.riwayat[0].unit if self.riwayat else self.unit

    def _diterima_on(self) -> dt.date | None:
        return self.tanggal_lapor

    @property
    def batas_lapor(self) -> dt.date:
        assert self.peristiwa is not None
        return self.rezim.batas_lapor(self.peristiwa.waktu_diketahui)

    @property
    def daluwarsa(self) -> bool:
        """The one lateness rule (:meth:`Rezim.daluwarsa`), for intake, registration and the
        status page."""
        assert self.peristiwa is not None
        return self.rezim.daluwarsa(self.peristiwa.waktu_diketahui, self.tanggal_lapor)

    @classmethod
    def receive(
        cls,
        *,
        unit: str,
        kanal: Kanal,
        pelapor: Pelapor,
        terlapor: str,
        peristiwa: Peristiwa,
        uraian: str,
        now: dt.datetime,
        saksi: Sequence[Saksi] = (),
        pemilihan: Pemilihan = Pemilihan.PEMILU,
        tahapan: Tahapan | None = None,
        diterima_pada: dt.datetime | None = None,
        sumber_id: str | None = None,
    ) -> tuple[Laporan, str]:
        """A new laporan and the secret its reporter uses to follow it (shown once).

        ``diterima_pada`` is when the report was actually received, for reports written down
        later (a call, a Pojok Pengawasan form); it defaults to ``now``."""
        received = diterima_pada or now
        if received > now + dt.timedelta(minutes=5):
            raise DomainError("Waktu laporan diterima tidak boleh di masa depan.", field="diterima_pada")
        reported_on = local_date(received, unit)
        rezim = pemilihan.rezim
        if not terlapor.strip():
            raise DomainError("Terlapor wajib diisi.", field="terlapor")
        check_peristiwa(peristiwa, reported_on)
        check_pelapor_berhak(pelapor, reported_on)
        secret = secrets.token_urlsafe(16)
        laporan = cls(
            unit=unit,
            pemilihan=pemilihan,
            tahapan=tahapan,
            kanal=kanal,
            pelapor=pelapor,
            terlapor=terlapor.strip(),
            peristiwa=peristiwa,
            saksi=list(saksi),
            jumlah_saksi=len(saksi),
            uraian=uraian.strip(),
            diterima_pada=received,
            secret_hash=hash_secret(secret),
            identitas_kurang=pelapor.missing(),
            sumber_id=sumber_id,
        )
        laporan.riwayat.append(
            Riwayat(status=Status.DITERIMA, pada=received, unit=unit, oleh=kanal.value, catatan=None)
        )
        laporan._set_deadline("kajian_awal", rezim.batas_kajian_awal(reported_on))
        laporan.events.append(
            ev.LaporanSubmitted(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                kanal=kanal.value,
                diterima_pada=received,
                tahapan=tahapan.value if tahapan else None,
                pemilihan=pemilihan.value,
                tenggat=laporan.tenggat,
            )
        )
        warning = ""
        if laporan.daluwarsa:
            warning = (
                f" Perhatian: laporan disampaikan lebih dari {rezim.lapor} {rezim.satuan} sejak peristiwa "
                f"diketahui (batasnya {laporan.batas_lapor:%d-%m-%Y}, {rezim.pasal_lapor}), sehingga "
                "dapat tidak diregistrasi karena daluwarsa."
            )
        laporan.events.append(
            ev.PelaporNoticeRequested(
                unit=unit,
                laporan_id=laporan.id,
                kode_pelacakan=laporan.kode_pelacakan,
                email=pelapor.email,
                status=Status.DITERIMA.value,
                subjek=f"Tanda terima laporan {laporan.kode_pelacakan}",
                pesan=(
                    f"Laporan Anda telah diterima pada "
                    f"{received.astimezone(zone_of(unit)):%d-%m-%Y %H:%M} {zone_name(unit)} "
                    f"dengan kode pelacakan {laporan.kode_pelacakan}. Simpan kode rahasia yang "
                    "diberikan untuk memantau statusnya. Kajian awal paling lambat "
                    f"{laporan.tenggat:%d-%m-%Y}.{warning}"
                ),
            )
        )
        return laporan, secret

    def kekurangan_syarat(self) -> list[str]:
        """What keeps the laporan from being registered: formal and material requirements."""
        missing = list(self.identitas_kurang)
        if not self.bukti and not self.jumlah_saksi:
            missing.append("bukti (berkas atau saksi)")
        return missing

    # -- steps

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        event_type = _LAPORAN_STEP_EVENTS[name]
        self.events.append(
            event_type(
                unit=self.unit,
                laporan_id=self.id,
                kode_pelacakan=self.kode_pelacakan,
                status=self.status.value,
                status_sebelumnya=before.value,
                pada=now,
                tenggat=self.tenggat,
                nomor_register=self.nomor_register,
                **fields,
            )
        )

    def _notice(self, subjek: str, pesan: str) -> None:
        self.events.append(
            ev.PelaporNoticeRequested(
                unit=self.unit,
                laporan_id=self.id,
                kode_pelacakan=self.kode_pelacakan,
                email=self.pelapor.email if self.pelapor else None,
                status=self.status.value,
                subjek=subjek,
                pesan=pesan,
            )
        )

    def mulai_kajian_awal(self, *, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        if self.status is Status.DILIMPAHKAN and self.nomor_register is not None:
            raise Conflict(f"{self.kode} sudah diregistrasi ({self.nomor_register}); lanjutkan dengan klarifikasi.")
        before = self._move(Status.KAJIAN_AWAL, now=now, oleh=oleh, catatan=catatan)
        if before is Status.DILIMPAHKAN:
            # The receiving unit's own kajian awal, counted from the hand-over.
            self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        self._step("KajianAwalDimulai", before, now)
        self._notice(
            f"Laporan {self.kode} dalam kajian awal",
            f"Laporan Anda sedang dalam kajian awal oleh {unit_name(self.unit) or self.unit}, "
            f"paling lambat {self.tenggat:%d-%m-%Y}.",
        )

    def minta_kelengkapan(
        self, *, kekurangan: Sequence[str], now: dt.datetime, oleh: str, catatan: str | None = None
    ) -> None:
        items = [item.strip() for item in kekurangan if item.strip()] or self.kekurangan_syarat()
        if not items:
            raise DomainError(
                "Sebutkan apa yang perlu dilengkapi pelapor; laporan ini sudah memenuhi syarat formil dan materiel.",
                field="kekurangan",
            )
        before = self._move(Status.PERLU_DILENGKAPI, now=now, oleh=oleh, catatan=catatan)
        self.kekurangan = items
        self.batas_melengkapi = self.rezim.batas_kelengkapan(self._today(now))
        self._set_deadline("kelengkapan", self.batas_melengkapi)
        self._step("PerluDilengkapi", before, now, kekurangan=items)
        self._notice(
            f"Laporan {self.kode} perlu dilengkapi",
            "Laporan Anda perlu dilengkapi: " + "; ".join(items) + ". Lengkapi paling lambat "
            f"{self.batas_melengkapi:%d-%m-%Y} melalui halaman status laporan dengan kode pelacakan "
            "dan kode rahasia Anda. Laporan yang tidak dilengkapi tidak dapat diregistrasi.",
        )

    def lengkapi(
        self,
        *,
        now: dt.datetime,
        oleh: str,
        pelapor: PerubahanPelapor | None = None,
        saksi: Sequence[Saksi] = (),
        bukti: Sequence[BuktiInfo] = (),
        keterangan: str | None = None,
    ) -> None:
        """The reporter (or staff on their behalf) supplies what was missing."""
        if self.status is not Status.PERLU_DILENGKAPI:
            raise Conflict(f"Laporan {self.kode} tidak sedang menunggu kelengkapan (status: {self.status.label}).")
        if not (pelapor or saksi or bukti or (keterangan or "").strip()):
            raise DomainError("Tidak ada yang dilengkapi: isi data, saksi, bukti, atau keterangan.")
        if pelapor:
            if self.pelapor is None:
                raise RuntimeError("the reporter's identity must be loaded to complete it")
            completed = self.pelapor.merged(pelapor)
            check_pelapor_berhak(completed, self._today(now))
            self.pelapor = completed
            self.identitas_kurang = completed.missing()
        if saksi:
            if self.saksi is None:
                raise RuntimeError("the witnesses must be loaded to add to them")
            self.saksi = [*self.saksi, *saksi]
            self.jumlah_saksi = len(self.saksi)
        self.bukti = [*self.bukti, *bukti]
        if keterangan and keterangan.strip():
            self.uraian = f"{self.uraian}\n\nKeterangan tambahan ({self._today(now):%d-%m-%Y}): {keterangan.strip()}"
        before = self._move(Status.KAJIAN_AWAL, now=now, oleh=oleh, catatan="Kelengkapan diterima")
        self._set_deadline("kajian_awal", self.rezim.batas_kajian_awal(self._today(now)))
        self._step("Dilengkapi", before, now)
        self._notice(
            f"Kelengkapan laporan {self.kode} diterima",
            "Terima kasih, kelengkapan laporan Anda telah diterima. Kajian awal dilanjutkan paling "
            f"lambat {self.tenggat:%d-%m-%Y}.",
        )

    def check_registrasi(self) -> None:
        """Refuse a registration the rules do not allow, before a register number is taken
        (a refusal leaves no gap in the register)."""
        self._check_move(Status.DIREGISTRASI)
        if self.daluwarsa:
            assert self.peristiwa is not None
            raise DomainError(
                f"Laporan {self.kode} disampaikan {self.tanggal_lapor:%d-%m-%Y}, lebih dari "
                f"{self.rezim.lapor} {self.rezim.satuan} sejak diketahui "
                f"({self.peristiwa.waktu_diketahui:%d-%m-%Y}; batasnya {self.batas_lapor:%d-%m-%Y}); "
                "laporan daluwarsa tidak dapat diregistrasi. Nyatakan tidak diregistrasi dengan alasan "
                "daluwarsa.",
                pasal=self.rezim.pasal_lapor,
            )
        missing = self.kekurangan_syarat()
        if missing:
            raise DomainError(
                f"Laporan {self.kode} belum memenuhi syarat untuk diregistrasi; kurang: "
                + "; ".join(missing)
                + ". Minta pelapor melengkapi atau nyatakan tidak diregistrasi.",
                pasal=self.rezim.pasal_kajian_awal,
            )

    def registrasi(self, *, nomor: str, now: dt.datetime, oleh: str, catatan: str | None = None) -> None:
        self.check_registrasi()
        before = self._move(Status.DIREGISTRASI, now=now, oleh=oleh, catatan=catatan)
        self.nomor_register = nomor
        self.diregistrasi_pada = now
        self._set_deadline("tindak_lanjut", self._tindak_lanjut_due())
        self._step("Diregistrasi", before, now)
        self._notice(
            f"Laporan {self.kode} diregistrasi",
            f"Laporan Anda diregistrasi dengan nomor {nomor}. Tindak lanjut paling lambat {self.tenggat:%d-%m-%Y}.",
        )

    def tolak_registrasi(self, *, alasan: AlasanTidakRegistrasi, keterangan: str, now: dt.datetime, oleh: str) -> None:
        self._check_move(Status.TIDAK_DIREGISTRASI)
        if alasan is AlasanTidakRegistrasi.DALUWARSA and not self.daluwarsa:
            assert self.peristiwa is not None
            raise DomainError(
                f"Laporan {self.kode} tidak daluwarsa: disampaikan {self.tanggal_lapor:%d-%m-%Y}, "
                f"batasnya {self.batas_lapor:%d-%m-%Y}.",
                pasal=self.rezim.pasal_lapor,
                field="alasan",
            )
        if not keterangan.strip():
            raise DomainError("Keterangan alasan tidak diregistrasi wajib diisi.", field="keterangan")
        before = self._move(Status.TIDAK_DIREGISTRASI, now=now, oleh=oleh, catatan=keterangan)
        self.alasan_tidak_registrasi = alasan
        self.keterangan_tidak_registrasi = keterangan.strip()
        self._set_deadline(None, None)
        self._step("TidakDiregistrasi", before, now, alasan=alasan.value, keterangan=keterangan.strip())
        self._notice(
            f"Laporan {self.kode} tidak diregistrasi",
            f"Laporan Anda tidak diregistrasi karena {alasan.label}: {keterangan.strip()}",
        )
