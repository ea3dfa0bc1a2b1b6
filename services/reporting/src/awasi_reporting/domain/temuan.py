"""A temuan: a finding by supervisors, registered at once with its TM number. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from awasi_common.errors import DomainError
from awasi_common.events import reporting as ev
from awasi_reporting.domain.pelapor import Peristiwa, check_peristiwa
from awasi_reporting.domain.perkara import Perkara, Riwayat
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import JenisPerkara, Status, Tahapan, local_date

_TEMUAN_STEP_EVENTS: dict[str, type[ev._TemuanStep]] = {
    "KlarifikasiDimulai": ev.TemuanKlarifikasiDimulai,
    "TenggatDiperpanjang": ev.TemuanTenggatDiperpanjang,
    "Diputus": ev.TemuanDiputus,
    "Diteruskan": ev.TemuanDiteruskan,
    "Dilimpahkan": ev.TemuanDilimpahkan,
    "Selesai": ev.TemuanSelesai,
}


@dataclass
class Temuan(Perkara):
    """A finding by supervisors, registered at once with its TM number."""

    jenis_perkara: ClassVar[JenisPerkara] = JenisPerkara.TEMUAN

    status: Status = Status.DIREGISTRASI
    peristiwa: Peristiwa | None = None
    terlapor: str = ""
    uraian: str = ""
    dicatat_pada: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    form_a_id: str | None = None
    pengawas: str = ""
    """The subject of the supervisor's account that recorded it."""

    @property
    def kode(self) -> str:
        return self.nomor_register or self.id

    @staticmethod
    def check(*, unit: str, peristiwa: Peristiwa, terlapor: str, now: dt.datetime, pemilihan: Pemilihan) -> None:
        """Refuse a temuan the rules do not allow, before a register number is taken (a
        refusal leaves no gap in the register)."""
        today = local_date(now, unit)
        check_peristiwa(peristiwa, today)
        rezim = pemilihan.rezim
        batas = rezim.batas_temuan(peristiwa.waktu_diketahui)
        if today > batas:
            raise DomainError(
                f"Temuan ditetapkan paling lama {rezim.temuan} {rezim.satuan} sejak diketahui; peristiwa "
                f"diketahui {peristiwa.waktu_diketahui:%d-%m-%Y}, batasnya {batas:%d-%m-%Y}.",
                pasal=rezim.pasal_temuan,
                field="peristiwa.waktu_diketahui",
            )
        if not terlapor.strip():
            raise DomainError("Terlapor (pihak yang diduga melanggar) wajib diisi.", field="terlapor")

    @classmethod
    def catat(
        cls,
        *,
        unit: str,
        nomor: str,
        peristiwa: Peristiwa,
        terlapor: str,
        uraian: str,
        now: dt.datetime,
        oleh: str,
        pemilihan: Pemilihan = Pemilihan.PEMILU,
        tahapan: Tahapan | None = None,
        form_a_id: str | None = None,
    ) -> Temuan:
        cls.check(unit=unit, peristiwa=peristiwa, terlapor=terlapor, now=now, pemilihan=pemilihan)
        temuan = cls(
            unit=unit,
            pemilihan=pemilihan,
            tahapan=tahapan,
            peristiwa=peristiwa,
            terlapor=terlapor.strip(),
            uraian=uraian.strip(),
            dicatat_pada=now,
            form_a_id=form_a_id,
            pengawas=oleh,
            nomor_register=nomor,
            diregistrasi_pada=now,
        )
        temuan.riwayat.append(Riwayat(status=Status.DIREGISTRASI, pada=now, unit=unit, oleh=oleh))
        temuan._set_deadline("tindak_lanjut", temuan._tindak_lanjut_due())
        temuan.events.append(
            ev.TemuanDicatat(
                unit=unit,
                temuan_id=temuan.id,
                nomor_register=nomor,
                tahapan=tahapan.value if tahapan else None,
                pemilihan=pemilihan.value,
                tanggal_diketahui=peristiwa.waktu_diketahui,
                dicatat_pada=now,
                form_a_id=form_a_id,
                tenggat=temuan.tenggat,
            )
        )
        return temuan

    def _step(self, name: str, before: Status, now: dt.datetime, **fields: Any) -> None:
        assert self.nomor_register is not None
        event_type = _TEMUAN_STEP_EVENTS[name]
        self.events.append(
            event_type(
                unit=self.unit,
                temuan_id=self.id,
                nomor_register=self.nomor_register,
                status=self.status.value,
                status_sebelumnya=before.value,
                pada=now,
                tenggat=self.tenggat,
                **fields,
            )
        )
