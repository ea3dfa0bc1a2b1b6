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
from collections.abc import Callable
from typing import Any, TypeAlias

from awasi_common.auth import Principal
from awasi_common.commands import Handler, signed_in
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.events.envelope import Envelope
from awasi_common.events.participation import IdentitasPojok, LaporanPojokDiterimaV2
from awasi_common.events.planning import (
    KegiatanCancelled,
    KegiatanCompleted,
    KegiatanRescheduled,
    KegiatanScheduled,
    KegiatanUpdated,
)
from awasi_common.units import RI_CODE
from awasi_common.vocabulary import Divisi
from awasi_participation.adapters import capaian
from awasi_participation.commands import (
    AturKapasitas,
    BentukProgram,
    BeriUmpanBalik,
    CatatKehadiran,
    CatatKomunikasi,
    CatatKonsultasi,
    CatatPemantauan,
    CatatPengembangan,
    CatatTindakLanjut,
    DaftarPeserta,
    EvaluasiKewajiban,
    LaporanPojok,
    TautkanProgram,
    TetapkanIndikator,
    TetapkanPenilaian,
)
from awasi_participation.domain.base import new_id, today_in
from awasi_participation.domain.kampung import PengembanganKampung
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, UmpanBalik
from awasi_participation.domain.obligations import Kewajiban
from awasi_participation.domain.pemantauan import Pemantauan
from awasi_participation.domain.penilaian import IndikatorSet, Penilaian
from awasi_participation.domain.program import KomunikasiKampung, Konsultasi, ProgramPartisipatif
from awasi_participation.service_layer import obligations
from awasi_participation.service_layer.unit_of_work import ParticipationUnitOfWork

UowFactory = Callable[[], ParticipationUnitOfWork]

_STATUS = {
    KegiatanScheduled: "scheduled",
    KegiatanRescheduled: "rescheduled",
    KegiatanCancelled: "cancelled",
    KegiatanCompleted: "completed",
}

KegiatanEvent: TypeAlias = (
    KegiatanScheduled | KegiatanRescheduled | KegiatanUpdated | KegiatanCancelled | KegiatanCompleted
)


def _status(event: KegiatanEvent, kept: str | None) -> str:
    """The program kegiatan's status after the event; a correction (KegiatanUpdated) keeps the
    one the snapshot carries (scheduled or rescheduled)."""
    if isinstance(event, KegiatanUpdated):
        return event.kegiatan.status or kept or "scheduled"
    return _STATUS[type(event)]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- planning's kegiatan ----------------------------------------------------------------------


async def track_program_kegiatan(event: KegiatanEvent, envelope: Envelope, uow: ParticipationUnitOfWork) -> None:
    k = event.kegiatan
    if k.program is None:
        return
    existing = await uow.repo.get_kegiatan(k.kegiatan_id)
    values: dict[str, Any] = {
        "unit": event.unit,
        "program": k.program.value,
        "judul": k.judul,
        "mulai": k.jadwal.mulai,
        "selesai": k.jadwal.selesai,
        "status": _status(event, existing.status if existing is not None else None),
        "target_peserta": k.target_peserta,
        "lokasi": k.lokasi,
    }
    if isinstance(event, KegiatanCompleted):
        values["peserta_hadir"] = event.realisasi.peserta_hadir
    same_type = existing is not None and existing.program == k.program and existing.unit == event.unit
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
    await uow.repo.save_program_kegiatan(k.kegiatan_id, values, new=existing is None)
    await uow.repo.mark_active(event.unit, min(k.jadwal.mulai, today_in(event.unit)))


# --- programs, Pojok Pengawasan, Kampung Pengawasan ------------------------------------------------


PASAL_P2H = "Pasal 4 Perbawaslu 2/2023"
"""Forming and running the participatory programs is coordinated by the unit's member who holds
pencegahan, partisipasi masyarakat dan hubungan masyarakat: the P2H divisi of the forming unit."""


def require_p2h(principal: Principal, unit: str) -> None:
    principal.require_divisi(
        unit, Divisi.P2H, what="Pembentukan dan penyelenggaraan program pengawasan partisipatif", pasal=PASAL_P2H
    )


async def bentuk_program(
    command: BentukProgram, principal: Principal | None, uow_factory: UowFactory
) -> ProgramPartisipatif:
    principal = signed_in(principal)
    require_p2h(principal, command.unit)
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
    require_p2h(principal, record.unit)
    return record


async def catat_konsultasi(
    command: CatatKonsultasi, principal: Principal | None, uow_factory: UowFactory
) -> Konsultasi:
    async with uow_factory() as uow:
        record = await _program(uow, command.program_id, signed_in(principal))
        konsultasi = record.catat_konsultasi(
            jenis=command.jenis,
            waktu=command.waktu,
            topik=command.topik,
            ringkasan=command.ringkasan,
            pengunjung=command.pengunjung,
            now=_now(),
        )
        await uow.repo.add_konsultasi(konsultasi)
        uow.publish(*record.pull_events())
        await uow.commit()
    return konsultasi


async def terima_laporan_pojok(
    laporan: LaporanPojok, principal: Principal | None, uow_factory: UowFactory
) -> LaporanPojokDiterimaV2:
    """A public report made at a Pojok Pengawasan (Pasal 19 ayat (2) huruf b), handed to the
    reporting service through an internal event. Reporting decides whether it is registered;
    participation keeps only that a report was made, not who made it: the reporter and the
    witnesses leave sealed for reporting, so the outbox row and the Kafka record hold only
    ciphertext."""
    if laporan.waktu_kejadian > laporan.waktu_diketahui:
        raise DomainError("Waktu kejadian tidak boleh setelah waktu diketahui.", field="peristiwa.waktu_kejadian")
    async with uow_factory() as uow:
        record = await _program(uow, laporan.program_id, signed_in(principal))
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
    command: CatatKomunikasi, principal: Principal | None, uow_factory: UowFactory
) -> KomunikasiKampung:
    async with uow_factory() as uow:
        record = await _program(uow, command.program_id, signed_in(principal))
        komunikasi = record.catat_komunikasi(
            jenis=command.jenis,
            tanggal=command.tanggal,
            pihak=command.pihak,
            ringkasan=command.ringkasan,
            today=today_in(record.unit),
        )
        await uow.repo.add_komunikasi(komunikasi)
        uow.publish(*record.pull_events())
        await uow.commit()
    return komunikasi


async def catat_pengembangan(
    command: CatatPengembangan, principal: Principal | None, uow_factory: UowFactory
) -> PengembanganKampung:
    """Pasal 27 ayat (1): record a unit's development and innovation after evaluating all its Kampung."""
    principal = signed_in(principal)
    require_p2h(principal, command.unit)
    async with uow_factory() as uow:
        record = PengembanganKampung.catat(
            unit=command.unit,
            tanggal=command.tanggal,
            dievaluasi=command.kampung_dievaluasi,
            kampung_unit=await uow.repo.kampung_of(command.unit),
            hasil_evaluasi=command.hasil_evaluasi,
            pengembangan_inovasi=command.pengembangan_inovasi,
            today=today_in(command.unit),
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


async def _kegiatan_to_act_on(uow: ParticipationUnitOfWork, kegiatan_id: str, principal: Principal) -> KegiatanProgram:
    kegiatan = await _kegiatan(uow, kegiatan_id, for_update=True)
    if not principal.can_read(kegiatan.unit):
        raise NotFound(f"Kegiatan program {kegiatan_id} tidak ditemukan.")
    principal.require_act(kegiatan.unit)
    return kegiatan


async def tautkan_program(
    command: TautkanProgram, principal: Principal | None, uow_factory: UowFactory
) -> KegiatanProgram:
    async with uow_factory() as uow:
        kegiatan = await _kegiatan_to_act_on(uow, command.kegiatan_id, signed_in(principal))
        record = await uow.repo.get_program(command.program_id)
        if record is None:
            raise NotFound(f"Program {command.program_id} tidak ditemukan.", field="program_id")
        kegiatan.tautkan(record)
        await uow.repo.save_kegiatan_link(kegiatan)
        await uow.commit()
    return kegiatan


async def atur_kapasitas(
    command: AturKapasitas, principal: Principal | None, uow_factory: UowFactory
) -> KegiatanProgram:
    async with uow_factory() as uow:
        kegiatan = await _kegiatan_to_act_on(uow, command.kegiatan_id, signed_in(principal))
        kegiatan.atur_kapasitas(command.kapasitas, await uow.repo.count_peserta(command.kegiatan_id))
        await uow.repo.save_kegiatan_link(kegiatan)
        await uow.commit()
    return kegiatan


async def daftar_peserta(command: DaftarPeserta, principal: Principal | None, uow_factory: UowFactory) -> Peserta:
    """Register for a program kegiatan (anyone may). The kegiatan row is locked, so the capacity
    holds when many register at once."""
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, command.kegiatan_id, for_update=True)
        program_sasaran = None
        if kegiatan.program_id:
            record = await uow.repo.get_program(kegiatan.program_id)
            program_sasaran = record.sasaran if record else None
        if command.email and await uow.repo.email_registered(command.kegiatan_id, command.email):
            raise Conflict(f"Alamat email {command.email} sudah terdaftar pada kegiatan ini.", field="email")
        peserta = Peserta.daftar(
            kegiatan,
            terdaftar=await uow.repo.count_peserta(command.kegiatan_id),
            nama=command.nama,
            sasaran=command.sasaran,
            program_sasaran=program_sasaran,
            now=_now(),
            instansi=command.instansi,
            jenis_kelamin=command.jenis_kelamin,
            email=command.email,
            telepon=command.telepon,
        )
        await uow.repo.add_peserta(peserta)
        uow.publish(*peserta.pull_events())
        await uow.commit()
    return peserta


async def _peserta(uow: ParticipationUnitOfWork, kegiatan_id: str, kode: str) -> Peserta:
    peserta = await uow.repo.peserta_by_code(kegiatan_id, kode, for_update=True)
    if peserta is None:
        raise NotFound("Kode hadir tidak dikenali untuk kegiatan ini.", field="kode_hadir")
    return peserta


async def catat_kehadiran(
    command: CatatKehadiran, principal: Principal | None, uow_factory: UowFactory
) -> tuple[Peserta, bool]:
    """Check in with the code given at registration (anyone holding it may); returns the peserta
    and whether this call recorded the attendance (a repeated check-in changes nothing)."""
    async with uow_factory() as uow:
        kegiatan = await _kegiatan(uow, command.kegiatan_id)
        peserta = await _peserta(uow, command.kegiatan_id, command.kode_hadir)
        recorded = peserta.hadir(kegiatan, _now())
        if recorded:
            await uow.repo.save_kehadiran(peserta)
            uow.publish(*peserta.pull_events())
            await uow.commit()
    return peserta, recorded


async def beri_umpan_balik(command: BeriUmpanBalik, principal: Principal | None, uow_factory: UowFactory) -> UmpanBalik:
    async with uow_factory() as uow:
        peserta = await _peserta(uow, command.kegiatan_id, command.kode_hadir)
        if await uow.repo.has_umpan_balik(peserta.id):
            raise Conflict("Umpan balik peserta ini sudah diterima.")
        feedback = peserta.beri_umpan_balik(
            pemahaman_meningkat=command.pemahaman_meningkat, skor=command.skor, komentar=command.komentar, now=_now()
        )
        await uow.repo.add_umpan_balik(feedback)
        uow.publish(*peserta.pull_events())
        await uow.commit()
    return feedback


# --- pemantauan, indicators, penilaian, tindak lanjut, obligations --------------------------------


async def catat_pemantauan(
    command: CatatPemantauan, principal: Principal | None, uow_factory: UowFactory
) -> Pemantauan:
    signed_in(principal).require_act(command.unit)
    today = today_in(command.unit)
    record = Pemantauan.catat(
        unit=command.unit,
        tanggal=command.tanggal,
        cakupan=command.cakupan,
        program=command.program,
        ringkasan=command.ringkasan,
        temuan=command.temuan,
        rekomendasi=command.rekomendasi,
        today=today,
    )
    async with uow_factory() as uow:
        await uow.repo.add_pemantauan(record)
        await uow.repo.mark_active(command.unit, min(command.tanggal, today))
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def tetapkan_indikator(
    command: TetapkanIndikator, principal: Principal | None, uow_factory: UowFactory
) -> IndikatorSet:
    principal = signed_in(principal)
    indikator_set = IndikatorSet.tetapkan(
        unit=principal.unit,
        nama=command.nama,
        nomor_keputusan=command.nomor_keputusan,
        indikator=command.indikator,
        tahun=command.tahun,
        ambang_keberhasilan=command.ambang_keberhasilan,
        batas_tindak_lanjut_hari=command.batas_tindak_lanjut_hari,
        today=today_in(principal.unit),
    )
    principal.require_act(RI_CODE)
    async with uow_factory() as uow:
        await uow.repo.add_indikator_set(indikator_set)
        await uow.commit()
    return indikator_set


async def _indikator_set(uow: ParticipationUnitOfWork, indikator_set_id: str | None, tahun: int) -> IndikatorSet:
    """The set named, else the one Bawaslu set for ``tahun``."""
    if indikator_set_id:
        found = await uow.repo.get_indikator_set(indikator_set_id)
        if found is None:
            raise NotFound(f"Perangkat indikator {indikator_set_id} tidak ditemukan.", field="indikator_set_id")
        return found
    current = await uow.repo.current_indikator_set(tahun)
    if current is None:
        raise DomainError(
            f"Belum ada indikator keberhasilan yang ditetapkan Bawaslu untuk tahun {tahun}.",
            pasal="Pasal 30 ayat (2) Perbawaslu Nomor 2 Tahun 2023",
            field="indikator_set_id",
        )
    return current


async def tetapkan_penilaian(
    command: TetapkanPenilaian, principal: Principal | None, uow_factory: UowFactory
) -> Penilaian:
    unit = command.unit
    signed_in(principal).require_act(unit)
    now = _now()
    today = today_in(unit, now)
    async with uow_factory() as uow:
        indikator_set = await _indikator_set(uow, command.indikator_set_id, command.tahun)
        refs = await uow.repo.pemantauan_refs(list(dict.fromkeys(command.pemantauan_ids)))
        missing = sorted(set(command.pemantauan_ids) - {r.id for r in refs})
        if missing:
            raise NotFound(f"Pemantauan tidak ditemukan: {', '.join(missing)}.", field="pemantauan_ids")
        target = command.unit_dinilai or unit
        record = Penilaian.tetapkan(
            unit=unit,
            unit_dinilai=target,
            tahun=command.tahun,
            indikator_set=indikator_set,
            nilai=command.nilai,
            metrik=await capaian.metrik(uow.session, unit=target, tahun=command.tahun, now=now),
            pemantauan=refs,
            tanggal=command.tanggal or today,
            today=today,
            catatan=command.catatan,
        )
        await uow.repo.add_penilaian(record)
        await uow.repo.mark_active(unit, min(record.tanggal, today))
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def catat_tindak_lanjut(
    command: CatatTindakLanjut, principal: Principal | None, uow_factory: UowFactory
) -> Penilaian:
    principal = signed_in(principal)
    async with uow_factory() as uow:
        record = await uow.repo.get_penilaian(command.penilaian_id, for_update=True)
        if record is None or not (
            principal.can_read(record.unit) or principal.can_read(record.unit_tindak_lanjut or record.unit)
        ):
            raise NotFound(f"Penilaian {command.penilaian_id} tidak ditemukan.")
        acting = [u for u in (record.unit_tindak_lanjut, record.unit) if u and principal.can_act_on(u)]
        if not acting:
            raise Forbidden(
                f"Tindak lanjut penilaian ini dicatat oleh unit {record.unit_tindak_lanjut or record.unit} "
                f"atau unit penilainya ({record.unit}).",
                pasal="Pasal 31 ayat (1) Perbawaslu Nomor 2 Tahun 2023",
            )
        today = today_in(acting[0])
        record.catat_tindak_lanjut(
            evaluasi=command.evaluasi,
            strategi_baru=command.strategi_baru,
            media=command.media,
            tanggal=command.tanggal or today,
            today=today,
            oleh=acting[0],
        )
        await uow.repo.save_tindak_lanjut(record)
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def evaluasi_kewajiban(
    command: EvaluasiKewajiban, principal: Principal | None, uow_factory: UowFactory
) -> list[Kewajiban]:
    """Raise the obligations that fell due unmet; a user may ask for a round at any time."""
    if principal is not None:
        principal.require_act(principal.unit)
    return await obligations.evaluate(uow_factory, now=command.now, lookback_days=command.lookback_days)


HANDLERS: dict[type, Handler[ParticipationUnitOfWork]] = {
    BentukProgram: bentuk_program,
    CatatKonsultasi: catat_konsultasi,
    LaporanPojok: terima_laporan_pojok,
    CatatKomunikasi: catat_komunikasi,
    CatatPengembangan: catat_pengembangan,
    TautkanProgram: tautkan_program,
    AturKapasitas: atur_kapasitas,
    DaftarPeserta: daftar_peserta,
    CatatKehadiran: catat_kehadiran,
    BeriUmpanBalik: beri_umpan_balik,
    CatatPemantauan: catat_pemantauan,
    TetapkanIndikator: tetapkan_indikator,
    TetapkanPenilaian: tetapkan_penilaian,
    CatatTindakLanjut: catat_tindak_lanjut,
    EvaluasiKewajiban: evaluasi_kewajiban,
}
