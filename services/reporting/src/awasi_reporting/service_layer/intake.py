"""A laporan coming in, and the reporter following and completing it; the audited access to
the reporter's identity and evidence."""

from __future__ import annotations

import datetime as dt

from awasi_common.auth import Principal
from awasi_common.commands import signed_in
from awasi_common.errors import DomainError, Forbidden, NotFound
from awasi_reporting.commands import LampirkanBukti, LengkapiOlehPelapor, LihatIdentitas, SubmitLaporan, UnduhBukti
from awasi_reporting.domain import bukti as bukti_rules
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.nomor import nomor_dokumen
from awasi_reporting.domain.pelapor import BuktiInfo, Pelapor, Saksi, normalise_tracking_code, secret_matches
from awasi_reporting.service_layer.base import IDENTITY_ROLES, RECORDERS, actor, utcnow, visible_laporan
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory


async def receive_laporan(
    uow: ReportingUnitOfWork, command: SubmitLaporan, *, now: dt.datetime | None = None
) -> tuple[Laporan, str]:
    """Register an incoming laporan inside ``uow`` (the caller commits): the handler's
    transaction, or a consumer's with its inbox row."""
    laporan, secret, evidence = _received(command, now or utcnow())
    received_on = laporan.tanggal_lapor
    seq = await uow.nomor.next(laporan.unit, "TT", received_on.year, laporan.pemilihan)
    laporan.nomor_tanda_terima = nomor_dokumen(seq, "TT", laporan.pemilihan, laporan.unit, received_on)
    await uow.laporan.add(laporan)
    for info, content in evidence:
        await uow.laporan.add_bukti(laporan.id, info, content)
    uow.publish(*laporan.pull_events())
    return laporan, secret


def _received(command: SubmitLaporan, now: dt.datetime) -> tuple[Laporan, str, list[tuple[BuktiInfo, bytes]]]:
    """The laporan checked and its evidence inspected, before it takes a number."""
    laporan, secret = Laporan.receive(
        unit=command.unit,
        kanal=command.kanal,
        pelapor=command.pelapor,
        terlapor=command.terlapor,
        peristiwa=command.peristiwa,
        uraian=command.uraian,
        now=now,
        saksi=command.saksi,
        pemilihan=command.pemilihan,
        tahapan=command.tahapan,
        diterima_pada=command.diterima_pada,
        sumber_id=command.sumber_id,
    )
    files, limits = command.files, command.limits
    evidence = bukti_rules.inspect(files, limits, now=now, oleh="pelapor") if files and limits else []
    laporan.bukti = [info for info, _ in evidence]
    return laporan, secret, evidence


async def submit_laporan(
    command: SubmitLaporan, principal: Principal | None, uow_factory: UowFactory
) -> tuple[Laporan, str]:
    """Without an account: the public form (the entrypoint keeps it to channel ``web``);
    with one, staff writing down a report for their unit."""
    if principal is not None:
        principal.require_act(command.unit, *RECORDERS)
    async with uow_factory() as uow:
        # Without evidence files, on PostgreSQL: one statement, one round trip instead of five.
        if not command.files and await uow.statement_by_statement():
            laporan, secret, _ = _received(command, utcnow())
            await uow.file_laporan_alone(laporan)
            return laporan, secret
        laporan, secret = await receive_laporan(uow, command)
        await uow.commit()
    return laporan, secret


async def add_bukti(command: LampirkanBukti, principal: Principal | None, uow_factory: UowFactory) -> list[str]:
    principal = signed_in(principal)
    async with uow_factory() as uow:
        laporan = await visible_laporan(uow, command.laporan_id, principal)
        principal.require_act(laporan.unit, *RECORDERS)
        if not command.files:
            raise DomainError("Lampirkan sedikitnya satu berkas bukti.", field="bukti")
        evidence = bukti_rules.inspect(
            command.files, command.limits, existing=len(laporan.bukti), now=utcnow(), oleh=actor(principal)
        )
        for info, content in evidence:
            await uow.laporan.add_bukti(laporan.id, info, content)
        await uow.commit()
    return [info.id for info, _ in evidence]


# --- The reporter following the laporan ----------------------------------------------------------


async def laporan_for_reporter(uow: ReportingUnitOfWork, kode: str, rahasia: str) -> Laporan:
    """The laporan whose tracking code and secret both match; one answer for both mistakes,
    so a guess learns nothing about which codes exist."""
    laporan = await uow.laporan.by_tracking_code(normalise_tracking_code(kode))
    if laporan is None or not secret_matches(rahasia, laporan.secret_hash):
        raise NotFound("Kode pelacakan atau kode rahasia tidak cocok. Periksa kembali keduanya.")
    return laporan


async def complete_by_reporter(
    command: LengkapiOlehPelapor, principal: Principal | None, uow_factory: UowFactory
) -> Laporan:
    now = utcnow()
    async with uow_factory() as uow:
        found = await laporan_for_reporter(uow, command.kode, command.rahasia)
        laporan = await uow.laporan.get(found.id, with_identity=True)
        assert laporan is not None
        evidence = bukti_rules.inspect(
            command.files, command.limits, existing=len(laporan.bukti), now=now, oleh="pelapor"
        )
        laporan.lengkapi(
            now=now,
            oleh="pelapor",
            pelapor=command.pelapor,
            saksi=command.saksi,
            bukti=[info for info, _ in evidence],
            keterangan=command.keterangan,
        )
        await uow.laporan.record_access(
            laporan_id=laporan.id,
            unit_perkara=laporan.unit,
            subjek="pelapor",
            peran="pelapor",
            unit_akun="-",
            tujuan="pelapor melengkapi laporannya",
            diizinkan=True,
            now=now,
        )
        for info, content in evidence:
            await uow.laporan.add_bukti(laporan.id, info, content)
        await uow.laporan.save(laporan)
        uow.publish(*laporan.pull_events())
        await uow.commit()
    return laporan


# --- The reporter's identity ---------------------------------------------------------------------


async def _audited_access(uow: ReportingUnitOfWork, laporan_id: str, principal: Principal, tujuan: str) -> Laporan:
    """The laporan, if ``principal`` is one of its handling unit's authorised roles. Every
    attempt, granted or refused, is written to the audit log (and committed either way)."""
    laporan = await visible_laporan(uow, laporan_id, principal)
    allowed = principal.unit == laporan.unit and principal.role in IDENTITY_ROLES
    await uow.laporan.record_access(
        laporan_id=laporan.id,
        unit_perkara=laporan.unit,
        subjek=principal.subject,
        peran=principal.role.value,
        unit_akun=principal.unit,
        tujuan=tujuan,
        diizinkan=allowed,
        now=utcnow(),
    )
    await uow.commit()
    if not allowed:
        raise Forbidden(
            "Identitas pelapor dan bukti bersifat rahasia: hanya peran penanganan, pimpinan, atau admin "
            f"unit yang menangani laporan ini ({laporan.unit}) yang dapat melihatnya. Upaya ini dicatat."
        )
    return laporan


async def reveal_identity(
    command: LihatIdentitas, principal: Principal | None, uow_factory: UowFactory
) -> tuple[Laporan, Pelapor, list[Saksi]]:
    """The reporter's and witnesses' identity, for the handling unit's authorised roles only."""
    async with uow_factory() as uow:
        laporan = await _audited_access(uow, command.laporan_id, signed_in(principal), command.tujuan)
        full = await uow.laporan.get(laporan.id, with_identity=True)
        assert full is not None and full.pelapor is not None and full.saksi is not None
    return full, full.pelapor, full.saksi


async def read_bukti(
    command: UnduhBukti, principal: Principal | None, uow_factory: UowFactory
) -> tuple[BuktiInfo, bytes]:
    """An evidence file (it may show who reported), under the same rule and audit as the identity."""
    async with uow_factory() as uow:
        await _audited_access(uow, command.laporan_id, signed_in(principal), f"unduh bukti {command.bukti_id}")
        found = await uow.laporan.bukti_content(command.laporan_id, command.bukti_id)
    if found is None:
        raise NotFound(f"Bukti {command.bukti_id} tidak ditemukan.")
    return found
