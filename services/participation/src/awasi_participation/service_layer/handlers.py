"""Participation's use cases. Each runs in one unit of work: rows and events commit together.

Activities are never entered twice: a program's kegiatan are the planning service's kegiatan
that name the program, kept here from planning's Kegiatan* events (``program_kegiatan``).

Linking a kegiatan to a program record. Planning's events name a program *type*, not a
record, so a kegiatan is linked to the program record of the same type that its unit formed
(for Komunitas Digital, also a Bawaslu RI record that involves the unit) when exactly one
exists. With none the kegiatan waits and is linked when that program is formed; with several
an operator links it (``PUT /program-kegiatan/{id}/program``). A manual link is never
overwritten by later events, unless planning changes the kegiatan's program type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import sqlalchemy as sa

from awasi_common.auth import Principal
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events.envelope import Envelope
from awasi_common.events.participation import IdentitasPojok, LaporanPojokDiterimaV2, PelaporPojok
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
)
from awasi_common.units import RI_CODE
from awasi_common.vocabulary import Program
from awasi_participation import views
from awasi_participation.adapters import orm
from awasi_participation.adapters.orm import program_kegiatan
from awasi_participation.domain.model import (
    Indikator,
    IndikatorSet,
    KegiatanProgram,
    KomunikasiKampung,
    Konsultasi,
    Pemantauan,
    PengembanganKampung,
    Penilaian,
    Peserta,
    ProgramPartisipatif,
    TindakLanjut,
    UmpanBalik,
    new_id,
    today_in,
)
from awasi_participation.service_layer.unit_of_work import ParticipationUnitOfWork

UowFactory = Callable[[], ParticipationUnitOfWork]

_STATUS = {
    KegiatanScheduled: "scheduled",
    KegiatanRescheduled: "rescheduled",
    KegiatanCancelled: "cancelled",
    KegiatanCompleted: "completed",
}

KegiatanEvent: TypeAlias = KegiatanScheduled | KegiatanRescheduled | KegiatanCancelled | KegiatanCompleted


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- planning's kegiatan ----------------------------------------------------------------------


async def track_program_kegiatan(event: KegiatanEvent, envelope: Envelope, uow: ParticipationUnitOfWork) -> None:
    k = event.kegiatan
    if k.program is None:
        return
    t = program_kegiatan
    existing = (await uow.session.execute(sa.select(t).where(t.c.kegiatan_id == k.kegiatan_id))).first()
    values: dict[str, Any] = {
        "unit": event.unit,
        "program": k.program.value,
        "judul": k.judul,
        "mulai": k.jadwal.mulai,
        "selesai": k.jadwal.selesai,
        "status": _STATUS[type(event)],
        "target_peserta": k.target_peserta,
        "lokasi": k.lokasi,
        "updated_at": _now(),
    }
    if isinstance(event, KegiatanCompleted):
        values["peserta_hadir"] = event.realisasi.peserta_hadir
    same_type = existing is not None and existing.program == k.program.value and existing.unit == event.unit
    if not (same_type and existing is not None and existing.tautan_manual):
        candidates = await uow.repo.programs_serving(event.unit, k.program)
        current = existing.program_id if same_type and existing is not None else None
        if k.program_id and any(c.id == k.program_id for c in candidates):
            values["program_id"] = k.program_id  # the planner named it
        elif len(candidates) == 1:
            values["program_id"] = candidates[0].id
        elif current and any(c.id == current for c in candidates):
            values["program_id"] = current
        else:
            values["program_id"] = None
        values["tautan_manual"] = False
    if existing is None:
        await uow.session.execute(sa.insert(t).values(kegiatan_id=k.kegiatan_id, **values))
    else:
        await uow.session.execute(sa.update(t).where(t.c.kegiatan_id == k.kegiatan_id).values(values))
    if "program_id" in values:
        await uow.session.execute(
            sa.update(orm.peserta)
            .where(orm.peserta.c.kegiatan_id == k.kegiatan_id)
            .values(program_id=values["program_id"])
        )
    await uow.repo.mark_active(event.unit, min(k.jadwal.mulai, today_in(event.unit)))


# --- programs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BentukProgram:
    unit: str
    program: Program
    nama: str
    dibentuk_pada: dt.date
    sasaran: Sequence[str] = ()
    rincian: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    keterangan: str | None = None


async def bentuk_program(command: BentukProgram, principal: Principal, uow_factory: UowFactory) -> ProgramPartisipatif:
    principal.require_act(command.unit)
    today = today_in(command.unit)
    record = ProgramPartisipatif.bentuk(
        unit=command.unit,
        program=command.program,
        nama=command.nama,
        dibentuk_pada=command.dibentuk_pada,
        sasaran=command.sasaran,
        rincian=command.rincian,
        today=today,
        keterangan=command.keterangan,
    )
    async with uow_factory() as uow:
        await uow.repo.add_program(record, principal.subject)
        await uow.repo.link_unlinked_kegiatan(record)
        await uow.repo.mark_active(record.unit, min(record.dibentuk_pada, today))
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def _program(uow: ParticipationUnitOfWork, program_id: str, principal: Principal) -> ProgramPartisipatif:
    record = await uow.repo.get_program(program_id)
    if record is None or not principal.can_read(record.unit):
        raise NotFound(f"Program {program_id} tidak ditemukan.")
    principal.require_act(record.unit)
    return record


async def catat_konsultasi(
    program_id: str,
    *,
    jenis: str,
    waktu: dt.datetime,
    topik: str,
    ringkasan: str | None,
    pengunjung: str | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> Konsultasi:
    async with uow_factory() as uow:
        record = await _program(uow, program_id, principal)
        konsultasi = record.catat_konsultasi(
            jenis=jenis, waktu=waktu, topik=topik, ringkasan=ringkasan, pengunjung=pengunjung, now=_now()
        )
        await uow.repo.add_konsultasi(konsultasi)
        uow.publish(*record.pull_events())
        await uow.commit()
    return konsultasi


@dataclass(frozen=True)
class LaporanPojok:
    pelapor: PelaporPojok
    terlapor: str
    peristiwa_apa: str
    peristiwa_tempat: str
    waktu_kejadian: dt.date
    waktu_diketahui: dt.date
    uraian: str
    saksi: Sequence[str] = ()


async def terima_laporan_pojok(
    program_id: str, laporan: LaporanPojok, principal: Principal, uow_factory: UowFactory
) -> LaporanPojokDiterimaV2:
    """A public report made at a Pojok Pengawasan (Pasal 19 ayat (2) huruf b), handed to the
    reporting service through an internal event. Reporting decides whether it is registered;
    participation keeps only that a report was made, not who made it: the reporter and the
    witnesses leave sealed for reporting, so the outbox row and the Kafka record hold only
    ciphertext."""
    if laporan.waktu_kejadian > laporan.waktu_diketahui:
        raise DomainError("Waktu kejadian tidak boleh setelah waktu diketahui.", field="peristiwa.waktu_kejadian")
    async with uow_factory() as uow:
        record = await _program(uow, program_id, principal)
        if laporan.waktu_diketahui > today_in(record.unit):
            raise DomainError("Waktu diketahui tidak boleh di masa depan.", field="peristiwa.waktu_diketahui")
        record.terima_laporan()
        now = _now()
        laporan_pojok_id = new_id()
        identitas = IdentitasPojok(pelapor=laporan.pelapor, saksi=list(laporan.saksi))
        event = LaporanPojokDiterimaV2(
            unit=record.unit,
            laporan_pojok_id=laporan_pojok_id,
            program_id=record.id,
            identitas_tersegel=identitas.seal(uow.pojok_identity, laporan_pojok_id),
            terlapor=laporan.terlapor,
            peristiwa_apa=laporan.peristiwa_apa,
            peristiwa_tempat=laporan.peristiwa_tempat,
            waktu_kejadian=laporan.waktu_kejadian,
            waktu_diketahui=laporan.waktu_diketahui,
            uraian=laporan.uraian,
            diterima_pada=now,
        )
        await uow.repo.add_pojok_laporan(event.laporan_pojok_id, record.id, record.unit, now, laporan.peristiwa_apa)
        uow.publish(event)
        await uow.commit()
    return event


async def catat_komunikasi(
    program_id: str,
    *,
    jenis: str,
    tanggal: dt.date,
    pihak: Sequence[str],
    ringkasan: str,
    principal: Principal,
    uow_factory: UowFactory,
) -> KomunikasiKampung:
    async with uow_factory() as uow:
        record = await _program(uow, program_id, principal)
        komunikasi = record.catat_komunikasi(
            jenis=jenis, tanggal=tanggal, pihak=pihak, ringkasan=ringkasan, today=today_in(record.unit)
        )
        await uow.repo.add_komunikasi(komunikasi)
        uow.publish(*record.pull_events())
        await uow.commit()
    return komunikasi


async def catat_pengembangan(
    *,
    unit: str,
    tanggal: dt.date,
    kampung_dievaluasi: Sequence[str],
    hasil_evaluasi: str,
    pengembangan_inovasi: str,
    principal: Principal,
    uow_factory: UowFactory,
) -> PengembanganKampung:
    """Pasal 27 ayat (1): record a unit's development and innovation after evaluating all its Kampung."""
    principal.require_act(unit)
    async with uow_factory() as uow:
        record = PengembanganKampung.catat(
            unit=unit,
            tanggal=tanggal,
            dievaluasi=kampung_dievaluasi,
            kampung_unit=await uow.repo.kampung_of(unit),
            hasil_evaluasi=hasil_evaluasi,
            pengembangan_inovasi=pengembangan_inovasi,
            today=today_in(unit),
        )
        await uow.repo.add_pengembangan(record, oleh=principal.subject)
        await uow.commit()
    return record


# --- kegiatan: link, capacity, peserta, attendance, feedback -------------------------------------


async def _kegiatan(uow: ParticipationUnitOfWork, kegiatan_id: str, *, for_update: bool = False) -> KegiatanProgram:
    kegiatan = await uow.repo.get_kegiatan(kegiatan_id, for_update=for_update)
    if kegiatan is None:
        raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
    return kegiatan


async def tautkan_program(
    kegiatan_id: str, program_id: str, principal: Principal, uow_factory: UowFactory
) -> KegiatanProgram:
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, kegiatan_id, for_update=True)
        if not principal.can_read(kegiatan.unit):
            raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
        principal.require_act(kegiatan.unit)
        record = await uow.repo.get_program(program_id)
        if record is None:
            raise NotFound(f"Program {program_id} tidak ditemukan.", field="program_id")
        kegiatan.tautkan(record)
        await uow.repo.save_kegiatan_link(kegiatan)
        await uow.commit()
    return kegiatan


async def atur_kapasitas(
    kegiatan_id: str, kapasitas: int | None, principal: Principal, uow_factory: UowFactory
) -> KegiatanProgram:
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, kegiatan_id, for_update=True)
        if not principal.can_read(kegiatan.unit):
            raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
        principal.require_act(kegiatan.unit)
        kegiatan.atur_kapasitas(kapasitas, await uow.repo.count_peserta(kegiatan_id))
        await uow.repo.save_kegiatan_link(kegiatan)
        await uow.commit()
    return kegiatan


@dataclass(frozen=True)
class Pendaftaran:
    nama: str
    sasaran: str
    instansi: str | None = None
    jenis_kelamin: str | None = None
    email: str | None = None
    telepon: str | None = None


async def daftar_peserta(kegiatan_id: str, data: Pendaftaran, uow_factory: UowFactory) -> Peserta:
    """Register for a program kegiatan. The kegiatan row is locked, so the capacity holds
    when many register at once."""
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, kegiatan_id, for_update=True)
        program_sasaran = None
        if kegiatan.program_id:
            record = await uow.repo.get_program(kegiatan.program_id)
            program_sasaran = record.sasaran if record else None
        if data.email and await uow.repo.email_registered(kegiatan_id, data.email):
            raise Conflict(f"Alamat email {data.email} sudah terdaftar pada kegiatan ini.", field="email")
        peserta = Peserta.daftar(
            kegiatan,
            terdaftar=await uow.repo.count_peserta(kegiatan_id),
            nama=data.nama,
            sasaran=data.sasaran,
            program_sasaran=program_sasaran,
            now=_now(),
            instansi=data.instansi,
            jenis_kelamin=data.jenis_kelamin,
            email=data.email,
            telepon=data.telepon,
        )
        await uow.repo.add_peserta(peserta)
        uow.publish(*peserta.pull_events())
        await uow.commit()
    return peserta


async def catat_kehadiran(kegiatan_id: str, kode: str, uow_factory: UowFactory) -> tuple[Peserta, bool]:
    """Check in with the code given at registration; returns the peserta and whether this call
    recorded the attendance (a repeated check-in changes nothing)."""
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, kegiatan_id)
        peserta = await uow.repo.peserta_by_code(kegiatan_id, kode, for_update=True)
        if peserta is None:
            raise NotFound("Kode hadir tidak dikenali untuk kegiatan ini.", field="kode_hadir")
        recorded = peserta.hadir(kegiatan, _now())
        if recorded:
            await uow.repo.save_kehadiran(peserta)
            uow.publish(*peserta.pull_events())
            await uow.commit()
    return peserta, recorded


async def beri_umpan_balik(
    kegiatan_id: str,
    kode: str,
    *,
    pemahaman_meningkat: bool,
    skor: int | None,
    komentar: str | None,
    uow_factory: UowFactory,
) -> UmpanBalik:
    async with uow_factory() as uow:
        peserta = await uow.repo.peserta_by_code(kegiatan_id, kode, for_update=True)
        if peserta is None:
            raise NotFound("Kode hadir tidak dikenali untuk kegiatan ini.", field="kode_hadir")
        if await uow.repo.has_umpan_balik(peserta.id):
            raise Conflict("Umpan balik peserta ini sudah diterima.")
        feedback = peserta.beri_umpan_balik(
            pemahaman_meningkat=pemahaman_meningkat, skor=skor, komentar=komentar, now=_now()
        )
        await uow.repo.add_umpan_balik(feedback)
        uow.publish(*peserta.pull_events())
        await uow.commit()
    return feedback


# --- pemantauan, indicators, penilaian, tindak lanjut -------------------------------------------


async def catat_pemantauan(
    *,
    unit: str,
    tanggal: dt.date,
    cakupan: Sequence[str],
    program: Sequence[Program],
    ringkasan: str,
    temuan: Sequence[str],
    rekomendasi: Sequence[str],
    principal: Principal,
    uow_factory: UowFactory,
) -> Pemantauan:
    principal.require_act(unit)
    today = today_in(unit)
    record = Pemantauan.catat(
        unit=unit,
        tanggal=tanggal,
        cakupan=cakupan,
        program=program,
        ringkasan=ringkasan,
        temuan=temuan,
        rekomendasi=rekomendasi,
        today=today,
    )
    async with uow_factory() as uow:
        await uow.repo.add_pemantauan(record)
        await uow.repo.mark_active(unit, min(tanggal, today))
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def tetapkan_indikator(
    *,
    nama: str,
    nomor_keputusan: str,
    indikator: Sequence[Indikator],
    tahun: int | None,
    ambang_keberhasilan: float,
    batas_tindak_lanjut_hari: int,
    principal: Principal,
    uow_factory: UowFactory,
) -> IndikatorSet:
    indikator_set = IndikatorSet.tetapkan(
        unit=principal.unit,
        nama=nama,
        nomor_keputusan=nomor_keputusan,
        indikator=indikator,
        tahun=tahun,
        ambang_keberhasilan=ambang_keberhasilan,
        batas_tindak_lanjut_hari=batas_tindak_lanjut_hari,
        today=today_in(principal.unit),
    )
    principal.require_act(RI_CODE)
    async with uow_factory() as uow:
        await uow.repo.add_indikator_set(indikator_set)
        await uow.commit()
    return indikator_set


async def tetapkan_penilaian(
    *,
    unit: str,
    unit_dinilai: str | None,
    tahun: int,
    indikator_set_id: str | None,
    nilai: Mapping[str, float],
    pemantauan_ids: Sequence[str],
    tanggal: dt.date | None,
    catatan: str | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> Penilaian:
    principal.require_act(unit)
    now = _now()
    today = today_in(unit, now)
    async with uow_factory() as uow:
        if indikator_set_id:
            indikator_set = await uow.repo.get_indikator_set(indikator_set_id)
            if indikator_set is None:
                raise NotFound(f"Perangkat indikator {indikator_set_id} tidak ditemukan.", field="indikator_set_id")
        else:
            indikator_set = await uow.repo.current_indikator_set(tahun)
            if indikator_set is None:
                raise DomainError(
                    f"Belum ada indikator keberhasilan yang ditetapkan Bawaslu untuk tahun {tahun}.",
                    pasal="Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023",
                    field="indikator_set_id",
                )
        refs = await uow.repo.pemantauan_refs(list(dict.fromkeys(pemantauan_ids)))
        missing = sorted(set(pemantauan_ids) - {r.id for r in refs})
        if missing:
            raise NotFound(f"Pemantauan tidak ditemukan: {', '.join(missing)}.", field="pemantauan_ids")
        target = unit_dinilai or unit
        metrik = await views.metrik(uow.session, unit=target, tahun=tahun, now=now)
        record = Penilaian.tetapkan(
            unit=unit,
            unit_dinilai=target,
            tahun=tahun,
            indikator_set=indikator_set,
            nilai=nilai,
            metrik=metrik,
            pemantauan=refs,
            tanggal=tanggal or today,
            today=today,
            catatan=catatan,
        )
        await uow.repo.add_penilaian(record)
        await uow.repo.mark_active(unit, min(record.tanggal, today))
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def catat_tindak_lanjut(
    penilaian_id: str,
    *,
    evaluasi: str,
    strategi_baru: str,
    media: Sequence[str],
    tanggal: dt.date | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> tuple[Penilaian, TindakLanjut]:
    async with uow_factory() as uow:
        record = await uow.repo.get_penilaian(penilaian_id, for_update=True)
        if record is None or not (
            principal.can_read(record.unit) or principal.can_read(record.unit_tindak_lanjut or record.unit)
        ):
            raise NotFound(f"Penilaian {penilaian_id} tidak ditemukan.")
        acting = [u for u in (record.unit_tindak_lanjut, record.unit) if u and principal.can_act_on(u)]
        if not acting:
            raise Forbidden(
                f"Tindak lanjut penilaian ini dicatat oleh unit {record.unit_tindak_lanjut or record.unit} "
                f"atau unit penilainya ({record.unit}).",
                pasal="Pasal 31 ayat (1) Perbawaslu Nomor 2 Tahun 2023",
            )
        today = today_in(acting[0])
        tindak_lanjut = record.catat_tindak_lanjut(
            evaluasi=evaluasi,
            strategi_baru=strategi_baru,
            media=media,
            tanggal=tanggal or today,
            today=today,
            oleh=acting[0],
        )
        await uow.repo.save_tindak_lanjut(record)
        uow.publish(*record.pull_events())
        await uow.commit()
    return record, tindak_lanjut
