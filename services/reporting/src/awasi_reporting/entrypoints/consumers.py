"""Reporting's consumer group: what other services tell reporting.

- participation's ``LaporanPojokDiterima``: a report written at a Pojok Pengawasan becomes a
  laporan with channel ``pojok_pengawasan`` (and its LaporanSubmitted). Version 2 carries the
  reporter and the witnesses sealed: they are opened here only to be encrypted again with
  reporting's own keys as the laporan is stored. Version 1 (in clear, no longer published) is
  still read for events written before it;
- planning's ``Kegiatan*`` events: the kegiatan read model for divisions' annual reports;
- every other participation event in the catalog: counted per unit, date and program for
  the annual report (never their personal data). New participation contracts are picked up
  from the catalog without a change here.

A second group, ``awasi.reporting.angka``, reads reporting's own ``LaporanSubmitted``,
``HasilPengawasanDisampaikan`` and ``HasilPengawasanKolektifDisampaikan`` and keeps the figures
projection (``angka_masuk``): what came in per unit and day, read by ``GET /statistik/masuk``
without counting the big tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from awasi_common.events.base import CATALOG, Event
from awasi_common.events.envelope import Envelope
from awasi_common.events.participation import (
    IdentitasPojok,
    KampungKomunikasiRecorded,
    LaporanPojokDiterima,
    LaporanPojokDiterimaV2,
    PelaporPojok,
    PemantauanRecorded,
    PenilaianSet,
    PesertaAttended,
    PesertaRegistered,
    PojokKonsultasiRecorded,
    ProgramFormed,
    TindakLanjutRecorded,
)
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanUpdated,
)
from awasi_common.events.reporting import (
    HasilPengawasanDisampaikan,
    HasilPengawasanKolektifDisampaikan,
    LaporanSubmitted,
    RingkasanFormA,
)
from awasi_common.messaging import Consumer, EventHandler
from awasi_common.uow import UnitOfWork
from awasi_reporting.commands import SubmitLaporan
from awasi_reporting.domain.pelapor import Pelapor, Peristiwa, Saksi
from awasi_reporting.domain.vocabulary import JenisKelamin, Kanal, local_date
from awasi_reporting.service_layer.intake import receive_laporan
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork

GROUP = "awasi.reporting"
ANGKA_GROUP = "awasi.reporting.angka"
PARTICIPATION_SOURCE = "/awasi/participation"


def _jenis_kelamin(value: str | None) -> JenisKelamin | None:
    text = (value or "").strip().lower().replace("-", " ").replace("_", " ")
    if text in {"l", "lk", "laki laki", "laki", "pria"}:
        return JenisKelamin.LAKI_LAKI
    if text in {"p", "pr", "perempuan", "wanita"}:
        return JenisKelamin.PEREMPUAN
    return None


def _pelapor(p: PelaporPojok) -> Pelapor:
    return Pelapor(
        nama=p.nama,
        tempat_lahir=p.tempat_lahir,
        tanggal_lahir=p.tanggal_lahir,
        jenis_kelamin=_jenis_kelamin(p.jenis_kelamin),
        pekerjaan=p.pekerjaan,
        kewarganegaraan=p.kewarganegaraan,
        alamat=p.alamat,
        telepon=p.telepon,
        email=p.email,
    )


async def _receive_pojok(
    event: LaporanPojokDiterima | LaporanPojokDiterimaV2, identitas: IdentitasPojok, uow: ReportingUnitOfWork
) -> None:
    command = SubmitLaporan(
        unit=event.unit,
        kanal=Kanal.POJOK_PENGAWASAN,
        pelapor=_pelapor(identitas.pelapor),
        terlapor=event.terlapor,
        peristiwa=Peristiwa(
            apa=event.peristiwa_apa,
            tempat=event.peristiwa_tempat,
            waktu_kejadian=event.waktu_kejadian,
            waktu_diketahui=event.waktu_diketahui,
        ),
        uraian=event.uraian,
        saksi=tuple(Saksi(nama=name) for name in identitas.saksi if name.strip()),
        diterima_pada=event.diterima_pada,
        sumber_id=event.laporan_pojok_id,
    )
    await receive_laporan(uow, command)  # in the consumer's transaction, with its inbox row


async def pojok_laporan(event: LaporanPojokDiterimaV2, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    if await uow.laporan.by_source(event.laporan_pojok_id) is None:
        # A blob that does not open (a key not configured here) raises ValueError: the event
        # goes to the dead-letter topic still sealed (`awasi replay awasi.reporting` once the
        # key is set).
        await _receive_pojok(event, event.identitas(uow.pojok_identity), uow)
    await _count_participation(event, envelope, uow)


async def pojok_laporan_v1(event: LaporanPojokDiterima, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    if await uow.laporan.by_source(event.laporan_pojok_id) is None:
        await _receive_pojok(event, IdentitasPojok(pelapor=event.pelapor, saksi=event.saksi), uow)
    await _count_participation(event, envelope, uow)


def _kegiatan_values(event: Any, status: str, envelope: Envelope) -> dict[str, Any]:
    k = event.kegiatan
    return {
        "kegiatan_id": event.kegiatan_id,
        "unit": event.unit,
        "divisi": k.divisi.value,
        "judul": k.judul,
        "jenis": k.jenis,
        "mulai": k.jadwal.mulai,
        "selesai": k.jadwal.selesai,
        "status": status,
        "program": k.program.value if k.program else None,
        "tahapan": k.tahapan,
        "target_peserta": k.target_peserta,
        "anggaran": k.anggaran,
        "diperbarui_pada": envelope.time,
    }


async def kegiatan_planned(
    event: KegiatanScheduled | KegiatanRescheduled | KegiatanUpdated, envelope: Envelope, uow: ReportingUnitOfWork
) -> None:
    """KegiatanUpdated (a corrected judul, divisi, target, budget, …) comes only of a kegiatan
    still planned: planning refuses corrections once it is completed or cancelled."""
    await uow.read_models.upsert_kegiatan(_kegiatan_values(event, "scheduled", envelope))


async def kegiatan_cancelled(event: KegiatanCancelled, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    await uow.read_models.upsert_kegiatan(_kegiatan_values(event, "cancelled", envelope))


async def kegiatan_completed(event: KegiatanCompleted, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    values = _kegiatan_values(event, "completed", envelope)
    values["peserta_hadir"] = event.realisasi.peserta_hadir
    values["anggaran_realisasi"] = event.realisasi.anggaran_realisasi
    await uow.read_models.upsert_kegiatan(values)


def _moment(moment: dt.datetime, event: Event) -> dt.date:
    return local_date(moment, event.unit)


EVENT_DATE: dict[type[Event], Callable[[Any], dt.date]] = {
    ProgramFormed: lambda e: e.dibentuk_pada,
    KampungKomunikasiRecorded: lambda e: e.tanggal,
    PemantauanRecorded: lambda e: e.tanggal,
    PenilaianSet: lambda e: e.tanggal,
    TindakLanjutRecorded: lambda e: e.tanggal,
    PojokKonsultasiRecorded: lambda e: _moment(e.waktu, e),
    PesertaRegistered: lambda e: _moment(e.terdaftar_pada, e),
    PesertaAttended: lambda e: _moment(e.hadir_pada, e),
    LaporanPojokDiterima: lambda e: _moment(e.diterima_pada, e),
    LaporanPojokDiterimaV2: lambda e: _moment(e.diterima_pada, e),
}
"""The day a participation event counts for, read from its own contract; an event not listed
here (an obligation fell due, feedback, a follow-up required) counts on the day it was told,
in its unit's zone."""


def event_date(event: Event, envelope: Envelope) -> dt.date:
    read = EVENT_DATE.get(type(event))
    return read(event) if read is not None else local_date(envelope.time, event.unit)


async def _count_participation(event: Event, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    program = getattr(event, "program", None)
    if isinstance(program, list):  # an event about several programs counts for the first
        program = program[0] if program else None
    if isinstance(event, LaporanPojokDiterima | LaporanPojokDiterimaV2):
        program = "pojok_pengawasan"
    await uow.read_models.add_partisipasi(
        {
            "event_id": envelope.id,
            "event_type": event.name,
            "unit": event.unit,
            "tanggal": event_date(event, envelope),
            "program": str(getattr(program, "value", program))[:64] if program else None,
        }
    )


async def participation_event(event: Event, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    await _count_participation(event, envelope, uow)


POJOK_LAPORAN_HANDLERS: dict[type[Event], EventHandler] = {
    LaporanPojokDiterimaV2: pojok_laporan,
    LaporanPojokDiterima: pojok_laporan_v1,
}


def participation_events() -> list[type[Event]]:
    """Participation's contracts in the catalog, besides the Pojok Pengawasan laporan (every
    version of it: each becomes a laporan, not just a count)."""
    return [
        cls for cls in CATALOG.values() if cls.source == PARTICIPATION_SOURCE and cls.name != LaporanPojokDiterima.name
    ]


def consumer(uow_factory: Callable[[], UnitOfWork]) -> Consumer:
    mapping: dict[type[Event], EventHandler] = {
        **POJOK_LAPORAN_HANDLERS,
        KegiatanScheduled: kegiatan_planned,
        KegiatanRescheduled: kegiatan_planned,
        KegiatanUpdated: kegiatan_planned,
        KegiatanCancelled: kegiatan_cancelled,
        KegiatanCompleted: kegiatan_completed,
    }
    for event_type in participation_events():
        mapping[event_type] = participation_event
    return Consumer(group=GROUP, handlers=mapping, uow_factory=uow_factory)


# --- The figures projection (reporting's own events) ------------------------------------------


async def count_laporan(event: LaporanSubmitted, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    uow.read_models.count_masuk(unit=event.unit, tanggal=local_date(event.diterima_pada, event.unit), jenis="laporan")


def _count_form_a(form: RingkasanFormA, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    uow.read_models.count_masuk(
        unit=form.unit,
        tanggal=local_date(envelope.time, form.unit),
        jenis="form_a",
        dengan_dugaan=form.ada_dugaan_pelanggaran or form.ada_dugaan_sengketa,
    )


async def count_form_a(event: HasilPengawasanDisampaikan, envelope: Envelope, uow: ReportingUnitOfWork) -> None:
    _count_form_a(event, envelope, uow)


async def count_form_a_kolektif(
    event: HasilPengawasanKolektifDisampaikan, envelope: Envelope, uow: ReportingUnitOfWork
) -> None:
    for form in event.form_a:
        _count_form_a(form, envelope, uow)


def angka_consumer(uow_factory: Callable[[], UnitOfWork]) -> Consumer:
    mapping: dict[type[Event], EventHandler] = {
        LaporanSubmitted: count_laporan,
        HasilPengawasanDisampaikan: count_form_a,
        HasilPengawasanKolektifDisampaikan: count_form_a_kolektif,
    }
    return Consumer(group=ANGKA_GROUP, handlers=mapping, uow_factory=uow_factory)
