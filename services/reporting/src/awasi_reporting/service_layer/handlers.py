"""Reporting's use cases: each is one transaction (domain rows + outbox rows).

Everything a request could get wrong is checked before the first write, so a refused
request leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from awasi_common.auth import Principal, Role
from awasi_common.errors import Conflict, DomainError, Forbidden, NotFound
from awasi_common.units import Level, is_within, level_of, parent_of
from awasi_reporting.domain import bukti as bukti_rules
from awasi_reporting.domain.model import (
    AlasanTidakRegistrasi,
    JenisPerkara,
    JenisPutusan,
    Kanal,
    Laporan,
    Pelapor,
    Pemilihan,
    Peristiwa,
    Perkara,
    Saksi,
    Status,
    Tahapan,
    Temuan,
    latest_local_date,
    local_date,
    nomor_register,
    normalise_tracking_code,
    secret_matches,
)
from awasi_reporting.domain.pengawasan import (
    BentukPencegahan,
    DataPengawas,
    DugaanPelanggaran,
    DugaanSengketa,
    FormA,
    HasilPsap,
    KegiatanPengawasan,
    Pencegahan,
    PenertibanApk,
    Psap,
    nomor_dokumen,
    sampaikan_bersama,
)
from awasi_reporting.service_layer.unit_of_work import ReportingUnitOfWork, UowFactory

HANDLERS = (Role.PENANGANAN, Role.PIMPINAN)
"""Who handles cases (ADMIN always may)."""
DECIDERS = (Role.PIMPINAN,)
"""Who decides a case (the members in plenary)."""
IDENTITY_ROLES = frozenset({Role.PENANGANAN, Role.PIMPINAN, Role.ADMIN})
RECORDERS = (Role.PENGAWAS, Role.OPERATOR, Role.PENANGANAN, Role.PIMPINAN)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def actor(principal: Principal) -> str:
    return f"{principal.subject} ({principal.role.value})"


# --- Intake ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    unit: str
    kanal: Kanal
    pelapor: Pelapor
    terlapor: str
    peristiwa: Peristiwa
    uraian: str
    saksi: Sequence[Saksi] = ()
    pemilihan: Pemilihan = Pemilihan.PEMILU
    tahapan: Tahapan | None = None
    diterima_pada: dt.datetime | None = None
    sumber_id: str | None = None


async def receive_laporan(
    uow: ReportingUnitOfWork,
    intake: Intake,
    *,
    files: Sequence[bukti_rules.BerkasMasuk] = (),
    limits: bukti_rules.BatasBukti | None = None,
    now: dt.datetime | None = None,
) -> tuple[Laporan, str]:
    """Register an incoming laporan inside ``uow`` (the caller commits)."""
    now = now or utcnow()
    laporan, secret = Laporan.receive(
        unit=intake.unit,
        kanal=intake.kanal,
        pelapor=intake.pelapor,
        terlapor=intake.terlapor,
        peristiwa=intake.peristiwa,
        uraian=intake.uraian,
        now=now,
        saksi=intake.saksi,
        pemilihan=intake.pemilihan,
        tahapan=intake.tahapan,
        diterima_pada=intake.diterima_pada,
        sumber_id=intake.sumber_id,
    )
    evidence = bukti_rules.inspect(files, limits, now=now, oleh="pelapor") if files and limits else []
    laporan.bukti = [info for info, _ in evidence]
    received_on = laporan.tanggal_lapor
    seq = await uow.nomor.next(laporan.unit, "TT", received_on.year, laporan.pemilihan)
    laporan.nomor_tanda_terima = nomor_dokumen(seq, "TT", laporan.pemilihan, laporan.unit, received_on)
    await uow.laporan.add(laporan)
    for info, content in evidence:
        await uow.laporan.add_bukti(laporan.id, info, content)
    uow.publish(*laporan.pull_events())
    return laporan, secret


async def submit_laporan(
    *,
    unit: str,
    kanal: Kanal,
    pelapor: Pelapor,
    terlapor: str,
    peristiwa: Peristiwa,
    uraian: str,
    uow_factory: UowFactory,
    saksi: Sequence[Saksi] = (),
    pemilihan: Pemilihan = Pemilihan.PEMILU,
    tahapan: Tahapan | None = None,
    diterima_pada: dt.datetime | None = None,
    files: Sequence[bukti_rules.BerkasMasuk] = (),
    limits: bukti_rules.BatasBukti | None = None,
) -> tuple[Laporan, str]:
    intake = Intake(
        unit=unit,
        kanal=kanal,
        pelapor=pelapor,
        terlapor=terlapor,
        peristiwa=peristiwa,
        uraian=uraian,
        saksi=saksi,
        pemilihan=pemilihan,
        tahapan=tahapan,
        diterima_pada=diterima_pada,
    )
    async with uow_factory() as uow:
        laporan, secret = await receive_laporan(uow, intake, files=files, limits=limits)
        await uow.commit()
    return laporan, secret


async def add_bukti(
    *,
    laporan_id: str,
    files: Sequence[bukti_rules.BerkasMasuk],
    limits: bukti_rules.BatasBukti,
    principal: Principal,
    uow_factory: UowFactory,
) -> list[str]:
    """Staff attach evidence they received for a laporan (e.g. by call center)."""
    async with uow_factory() as uow:
        laporan = await _laporan(uow, laporan_id, principal)
        principal.require_act(laporan.unit, *RECORDERS)
        if not files:
            raise DomainError("Lampirkan sedikitnya satu berkas bukti.", field="bukti")
        evidence = bukti_rules.inspect(files, limits, existing=len(laporan.bukti), now=utcnow(), oleh=actor(principal))
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
    *,
    kode: str,
    rahasia: str,
    pelapor: dict[str, Any],
    saksi: Sequence[Saksi],
    keterangan: str | None,
    files: Sequence[bukti_rules.BerkasMasuk],
    limits: bukti_rules.BatasBukti,
    uow_factory: UowFactory,
) -> Laporan:
    now = utcnow()
    async with uow_factory() as uow:
        found = await laporan_for_reporter(uow, kode, rahasia)
        laporan = await uow.laporan.get(found.id, with_identity=True)
        assert laporan is not None
        evidence = bukti_rules.inspect(files, limits, existing=len(laporan.bukti), now=now, oleh="pelapor")
        laporan.lengkapi(
            now=now,
            oleh="pelapor",
            pelapor=pelapor,
            saksi=saksi,
            bukti=[info for info, _ in evidence],
            keterangan=keterangan,
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


# --- Handling a laporan ------------------------------------------------------------------------


async def _laporan(
    uow: ReportingUnitOfWork, laporan_id: str, principal: Principal, *, with_identity: bool = False
) -> Laporan:
    laporan = await uow.laporan.get(laporan_id, with_identity=with_identity)
    if laporan is None or not principal.can_read(laporan.unit):
        # Not visible to this account: answer as if it did not exist.
        raise NotFound(f"Laporan {laporan_id} tidak ditemukan.")
    return laporan


async def handle_laporan(
    *, laporan_id: str, langkah: str, principal: Principal, uow_factory: UowFactory, **params: Any
) -> Laporan:
    """One handling step (``langkah``) on a laporan by its handling unit."""
    now = params.pop("now", None) or utcnow()
    async with uow_factory() as uow:
        laporan = await _laporan(uow, laporan_id, principal, with_identity=True)
        await _apply_step(uow, laporan, langkah, principal, now, params)
        # The notice to the reporter needs their contact: a recorded use of the identity.
        await uow.laporan.record_access(
            laporan_id=laporan.id,
            unit_perkara=laporan.unit,
            subjek="sistem",
            peran="sistem",
            unit_akun="-",
            tujuan=f"pemberitahuan status '{laporan.status.value}' kepada pelapor",
            diizinkan=True,
            now=now,
        )
        await uow.laporan.save(laporan)
        uow.publish(*laporan.pull_events())
        await uow.commit()
    return laporan


async def handle_temuan(
    *, temuan_id: str, langkah: str, principal: Principal, uow_factory: UowFactory, **params: Any
) -> Temuan:
    now = params.pop("now", None) or utcnow()
    async with uow_factory() as uow:
        temuan = await uow.temuan.get(temuan_id)
        if temuan is None or not principal.can_read(temuan.unit):
            raise NotFound(f"Temuan {temuan_id} tidak ditemukan.")
        await _apply_step(uow, temuan, langkah, principal, now, params)
        await uow.temuan.save(temuan)
        uow.publish(*temuan.pull_events())
        await uow.commit()
    return temuan


async def _apply_step(
    uow: ReportingUnitOfWork,
    perkara: Perkara,
    langkah: str,
    principal: Principal,
    now: dt.datetime,
    params: dict[str, Any],
) -> None:
    who = actor(principal)
    catatan = params.get("catatan")
    if langkah == "pengambilalihan":
        ke_unit = params["ke_unit"]
        if not is_within(perkara.unit, ke_unit) or ke_unit == perkara.unit:
            raise DomainError(
                f"Pengambilalihan hanya oleh unit di atas {perkara.unit}; {ke_unit} bukan atasannya.",
                field="ke_unit",
            )
        principal.require_act(ke_unit, *HANDLERS)
        perkara.limpahkan(ke_unit=ke_unit, now=now, oleh=who, alasan=params["alasan"])
        return
    if langkah == "putusan":
        principal.require_act(perkara.unit, *DECIDERS)
    else:
        principal.require_act(perkara.unit, *HANDLERS)
    if langkah == "pelimpahan":
        ke_unit = params["ke_unit"]
        if not is_within(ke_unit, perkara.unit) or ke_unit == perkara.unit:
            raise DomainError(
                f"Pelimpahan hanya ke unit di bawah {perkara.unit}; untuk unit di atasnya, unit itu "
                "melakukan pengambilalihan.",
                field="ke_unit",
            )
        perkara.limpahkan(ke_unit=ke_unit, now=now, oleh=who, alasan=params["alasan"])
    elif langkah == "klarifikasi":
        perkara.mulai_klarifikasi(now=now, oleh=who, catatan=catatan)
    elif langkah == "perpanjangan":
        perkara.perpanjang(alasan=params["alasan"], now=now, oleh=who)
    elif langkah == "putusan":
        perkara.putuskan(
            putusan=JenisPutusan(params["putusan"]),
            now=now,
            oleh=who,
            pertimbangan=params["pertimbangan"],
            instansi=params.get("instansi"),
        )
    elif langkah == "penerusan":
        perkara.teruskan(now=now, oleh=who, nomor_surat=params.get("nomor_surat"), catatan=catatan)
    elif langkah == "selesai":
        perkara.selesaikan(now=now, oleh=who, catatan=catatan)
    elif isinstance(perkara, Laporan):
        await _apply_laporan_step(uow, perkara, langkah, who, now, params)
    else:
        raise DomainError(f"Langkah '{langkah}' tidak berlaku untuk temuan.")


async def _apply_laporan_step(
    uow: ReportingUnitOfWork, laporan: Laporan, langkah: str, who: str, now: dt.datetime, params: dict[str, Any]
) -> None:
    catatan = params.get("catatan")
    if langkah == "kajian_awal":
        laporan.mulai_kajian_awal(now=now, oleh=who, catatan=catatan)
    elif langkah == "perlu_dilengkapi":
        laporan.minta_kelengkapan(kekurangan=params.get("kekurangan") or [], now=now, oleh=who, catatan=catatan)
    elif langkah == "dilengkapi":
        laporan.lengkapi(
            now=now,
            oleh=who,
            pelapor=params.get("pelapor") or None,
            saksi=params.get("saksi") or (),
            keterangan=params.get("keterangan"),
        )
    elif langkah == "registrasi":
        laporan._check_move(Status.DIREGISTRASI)
        # Check the rules before taking a number, so a refusal leaves no gap in the register.
        if laporan.daluwarsa or laporan.kekurangan_syarat():
            laporan.registrasi(nomor="-", now=now, oleh=who)  # raises with the reason
        today = local_date(now, laporan.unit)
        seq = await uow.nomor.next(laporan.unit, JenisPerkara.LAPORAN.register_code, today.year, laporan.pemilihan)
        nomor = nomor_register(seq, JenisPerkara.LAPORAN.register_code, laporan.pemilihan, laporan.unit, today)
        laporan.registrasi(nomor=nomor, now=now, oleh=who, catatan=catatan)
    elif langkah == "tidak_diregistrasi":
        laporan.tolak_registrasi(
            alasan=AlasanTidakRegistrasi(params["alasan"]),
            keterangan=params.get("keterangan") or "",
            now=now,
            oleh=who,
        )
    else:
        raise DomainError(f"Langkah '{langkah}' tidak dikenal.")


# --- The reporter's identity ---------------------------------------------------------------------


async def _audited_access(uow: ReportingUnitOfWork, laporan_id: str, principal: Principal, tujuan: str) -> Laporan:
    """The laporan, if ``principal`` is one of its handling unit's authorised roles. Every
    attempt, granted or refused, is written to the audit log (and committed either way)."""
    laporan = await _laporan(uow, laporan_id, principal)
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
    *, laporan_id: str, principal: Principal, tujuan: str, uow_factory: UowFactory
) -> tuple[Laporan, Pelapor, list[Saksi]]:
    """The reporter's and witnesses' identity, for the handling unit's authorised roles only."""
    async with uow_factory() as uow:
        laporan = await _audited_access(uow, laporan_id, principal, tujuan)
        full = await uow.laporan.get(laporan.id, with_identity=True)
        assert full is not None and full.pelapor is not None and full.saksi is not None
    return full, full.pelapor, full.saksi


async def read_bukti(
    *, laporan_id: str, bukti_id: str, principal: Principal, uow_factory: UowFactory
) -> tuple[Any, bytes]:
    """An evidence file (it may show who reported), under the same rule and audit as the identity."""
    async with uow_factory() as uow:
        await _audited_access(uow, laporan_id, principal, f"unduh bukti {bukti_id}")
        found = await uow.laporan.bukti_content(laporan_id, bukti_id)
    if found is None:
        raise NotFound(f"Bukti {bukti_id} tidak ditemukan.")
    return found


# --- Temuan -------------------------------------------------------------------------------------


async def record_temuan(
    *,
    unit: str,
    peristiwa: Peristiwa,
    terlapor: str,
    uraian: str,
    pemilihan: Pemilihan,
    tahapan: Tahapan | None,
    form_a_id: str | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> Temuan:
    principal.require_act(unit, *RECORDERS)
    now = utcnow()
    async with uow_factory() as uow:
        if form_a_id is not None:
            form_unit = await uow.pengawasan.form_a_exists(form_a_id)
            if form_unit is None or not is_within(form_unit, unit):
                raise DomainError(
                    f"Form A {form_a_id} tidak ditemukan di unit {unit} atau di bawahnya.", field="form_a_id"
                )
        # Validate first (raises before a register number is taken).
        Temuan.catat(
            unit=unit,
            nomor="-",
            peristiwa=peristiwa,
            terlapor=terlapor,
            uraian=uraian,
            now=now,
            oleh=actor(principal),
            pemilihan=pemilihan,
            tahapan=tahapan,
            form_a_id=form_a_id,
        )
        today = local_date(now, unit)
        seq = await uow.nomor.next(unit, JenisPerkara.TEMUAN.register_code, today.year, pemilihan)
        temuan = Temuan.catat(
            unit=unit,
            nomor=nomor_register(seq, JenisPerkara.TEMUAN.register_code, pemilihan, unit, today),
            peristiwa=peristiwa,
            terlapor=terlapor,
            uraian=uraian,
            now=now,
            oleh=actor(principal),
            pemilihan=pemilihan,
            tahapan=tahapan,
            form_a_id=form_a_id,
        )
        await uow.temuan.add(temuan)
        uow.publish(*temuan.pull_events())
        await uow.commit()
    return temuan


# --- Form A, pencegahan, APK, PSAP ----------------------------------------------------------------


async def submit_form_a(
    *,
    unit: str,
    pemilihan: Pemilihan,
    data_pengawas: DataPengawas,
    kegiatan: KegiatanPengawasan,
    uraian_singkat: str,
    dugaan_pelanggaran: list[DugaanPelanggaran],
    dugaan_sengketa: list[DugaanSengketa],
    principal: Principal,
    uow_factory: UowFactory,
) -> FormA:
    principal.require_act(unit, *RECORDERS)
    now = utcnow()
    args: dict[str, Any] = dict(
        unit=unit,
        pemilihan=pemilihan,
        data_pengawas=data_pengawas,
        kegiatan=kegiatan,
        uraian_singkat=uraian_singkat,
        dugaan_pelanggaran=dugaan_pelanggaran,
        dugaan_sengketa=dugaan_sengketa,
        now=now,
        oleh=actor(principal),
    )
    form = FormA.isi(**args)  # checked before it takes a number
    async with uow_factory() as uow:
        today = local_date(now, unit)
        seq = await uow.nomor.next(unit, "LHP", today.year, pemilihan)
        form.sampaikan(nomor_dokumen(seq, "LHP", pemilihan, unit, today))
        await uow.pengawasan.add_form_a(form)
        uow.publish(*form.pull_events())
        await uow.commit()
    return form


KOLEKTIF_MAX = 200
"""Most Form A in one collective submission."""


@dataclass(frozen=True)
class FormAMasuk:
    """One Form A of a collective submission, as the field sent it."""

    unit: str
    pemilihan: Pemilihan
    data_pengawas: DataPengawas
    kegiatan: KegiatanPengawasan
    uraian_singkat: str
    dugaan_pelanggaran: list[DugaanPelanggaran]
    dugaan_sengketa: list[DugaanSengketa]


def may_file_form_a(principal: Principal, unit: str) -> None:
    """A supervisor files Form A for its own unit; a Panwaslu Kelurahan/Desa also passes on
    the Form A of the TPS directly below it (its Pengawas TPS report to it)."""
    if level_of(principal.unit) is Level.KELURAHAN_DESA and parent_of(unit) == principal.unit:
        principal.require_act(principal.unit, *RECORDERS)
        return
    principal.require_act(unit, *RECORDERS)


async def submit_form_a_kolektif(
    *, forms: Sequence[FormAMasuk], principal: Principal, uow_factory: UowFactory
) -> tuple[str, list[FormA]]:
    """Several Form A in one transaction (a field app sending what it queued, a PKD passing on
    its TPS' forms): all are checked before anything is written, and all or none are kept.
    Numbers are taken per unit in one statement; one event tells of them all. Returns the
    submission's id (the event's key) and the forms."""
    if not forms:
        raise DomainError("Sertakan sedikitnya satu Form A.", field="form_a")
    if len(forms) > KOLEKTIF_MAX:
        raise DomainError(f"Paling banyak {KOLEKTIF_MAX} Form A dalam satu penyampaian.", field="form_a")
    now = utcnow()
    who = actor(principal)
    filled: list[FormA] = []
    for index, masuk in enumerate(forms):
        try:
            may_file_form_a(principal, masuk.unit)
            filled.append(FormA.isi(now=now, oleh=who, **_form_a_args(masuk)))
        except DomainError as error:
            error.field = f"form_a.{index}.{error.field}" if error.field else f"form_a.{index}"
            error.message = f"Form A ke-{index + 1}: {error.message}"
            error.args = (error.message,)
            raise
    # Each form is dated in its own unit's zone; numbers run per unit, regime and year.
    counts: dict[tuple[Pemilihan, int], dict[str, int]] = {}
    for form in filled:
        key = (form.pemilihan, local_date(now, form.unit).year)
        counts.setdefault(key, {})[form.unit] = counts.get(key, {}).get(form.unit, 0) + 1
    async with uow_factory() as uow:
        next_seq: dict[tuple[Pemilihan, int, str], int] = {}
        for (pemilihan_form, year), per_unit in sorted(counts.items()):
            first = await uow.nomor.reserve("LHP", year, per_unit, pemilihan_form)
            next_seq.update({(pemilihan_form, year, unit): seq for unit, seq in first.items()})
        nomor: list[str] = []
        for form in filled:
            day = local_date(now, form.unit)
            key3 = (form.pemilihan, day.year, form.unit)
            seq = next_seq[key3]
            next_seq[key3] = seq + 1
            nomor.append(nomor_dokumen(seq, "LHP", form.pemilihan, form.unit, day))
        event = sampaikan_bersama(filled, nomor)
        await uow.pengawasan.add_form_a(*filled)
        uow.publish(event)
        await uow.commit()
    return event.penyampaian_id, filled


def _form_a_args(masuk: FormAMasuk) -> dict[str, Any]:
    return {
        "unit": masuk.unit,
        "pemilihan": masuk.pemilihan,
        "data_pengawas": masuk.data_pengawas,
        "kegiatan": masuk.kegiatan,
        "uraian_singkat": masuk.uraian_singkat,
        "dugaan_pelanggaran": masuk.dugaan_pelanggaran,
        "dugaan_sengketa": masuk.dugaan_sengketa,
    }


async def record_pencegahan(
    *,
    unit: str,
    bentuk: BentukPencegahan,
    tanggal: dt.date,
    tahapan: Tahapan | None,
    perihal: str,
    ditujukan_kepada: str | None,
    nomor: str | None,
    uraian: str | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> Pencegahan:
    principal.require_act(unit, *RECORDERS)
    record = Pencegahan.catat(
        now=utcnow(),
        unit=unit,
        bentuk=bentuk,
        tanggal=tanggal,
        tahapan=tahapan,
        perihal=perihal,
        ditujukan_kepada=ditujukan_kepada,
        nomor=nomor,
        uraian=uraian,
        oleh=actor(principal),
    )
    async with uow_factory() as uow:
        await uow.pengawasan.add_pencegahan(record)
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def record_penertiban(
    *,
    unit: str,
    tanggal: dt.date,
    tahapan: Tahapan | None,
    lokasi: str,
    jumlah: int,
    jenis_apk: str | None,
    bersama: str | None,
    keterangan: str | None,
    principal: Principal,
    uow_factory: UowFactory,
) -> PenertibanApk:
    principal.require_act(unit, *RECORDERS)
    record = PenertibanApk.catat(
        now=utcnow(),
        unit=unit,
        tanggal=tanggal,
        tahapan=tahapan,
        lokasi=lokasi,
        jumlah=jumlah,
        jenis_apk=jenis_apk,
        bersama=bersama,
        keterangan=keterangan,
        oleh=actor(principal),
    )
    async with uow_factory() as uow:
        await uow.pengawasan.add_penertiban(record)
        uow.publish(*record.pull_events())
        await uow.commit()
    return record


async def receive_psap(
    *,
    unit: str,
    pemilihan: Pemilihan,
    tahapan: Tahapan | None,
    tanggal_permohonan: dt.date,
    pemohon: str,
    termohon: str,
    objek_sengketa: str,
    principal: Principal,
    uow_factory: UowFactory,
) -> Psap:
    principal.require_act(unit, Role.PENANGANAN, Role.PIMPINAN, Role.OPERATOR)
    now = utcnow()
    args: dict[str, Any] = dict(
        unit=unit,
        pemilihan=pemilihan,
        tahapan=tahapan,
        tanggal_permohonan=tanggal_permohonan,
        pemohon=pemohon,
        termohon=termohon,
        objek_sengketa=objek_sengketa,
        now=now,
    )
    Psap.terima(nomor="-", **args)
    async with uow_factory() as uow:
        today = local_date(now, unit)
        seq = await uow.nomor.next(unit, "PSAP", today.year, pemilihan)
        case = Psap.terima(nomor=nomor_dokumen(seq, "PSAP", pemilihan, unit, today), **args)
        await uow.pengawasan.add_psap(case)
        uow.publish(*case.pull_events())
        await uow.commit()
    return case


async def finish_psap(
    *, psap_id: str, hasil: HasilPsap, keterangan: str, principal: Principal, uow_factory: UowFactory
) -> Psap:
    async with uow_factory() as uow:
        case = await uow.pengawasan.get_psap(psap_id)
        if case is None or not principal.can_read(case.unit):
            raise NotFound(f"Sengketa {psap_id} tidak ditemukan.")
        principal.require_act(case.unit, Role.PENANGANAN, Role.PIMPINAN)
        case.selesaikan(hasil=hasil, keterangan=keterangan, now=utcnow())
        await uow.pengawasan.save_psap(case)
        uow.publish(*case.pull_events())
        await uow.commit()
    return case


# --- Deadlines -------------------------------------------------------------------------------------


async def check_deadlines(uow_factory: UowFactory, today: dt.date | None = None) -> int:
    """Raise an alert for every deadline that passed with its step not taken (once each).
    Each case is its own transaction: a case changed meanwhile is simply checked next time.

    Without ``today``, each case is checked against the date in its own unit's time zone (a
    deadline in Papua passes two hours before one in Jakarta); the candidates are read with the
    latest date in Indonesia (WIT)."""
    now = utcnow()
    latest = today or latest_local_date(now)

    def today_of(unit: str) -> dt.date:
        return today or local_date(now, unit)

    alerts = 0
    async with uow_factory() as uow:
        laporan_ids = [c.id for c in await uow.laporan.open_past_deadline(latest)]
        temuan_ids = [c.id for c in await uow.temuan.open_past_deadline(latest)]
        psap_ids = [c.id for c in await uow.pengawasan.psap_past_deadline(latest)]
    for laporan_id in laporan_ids:
        async with uow_factory() as uow:
            laporan = await uow.laporan.get(laporan_id)
            if laporan is not None and laporan.deadline_passed(today_of(laporan.unit)) is not None:
                with contextlib.suppress(Conflict):  # changed meanwhile: checked next round
                    await uow.laporan.save(laporan)
                    uow.publish(*laporan.pull_events())
                    await uow.commit()
                    alerts += 1
    for temuan_id in temuan_ids:
        async with uow_factory() as uow:
            temuan = await uow.temuan.get(temuan_id)
            if temuan is not None and temuan.deadline_passed(today_of(temuan.unit)) is not None:
                with contextlib.suppress(Conflict):
                    await uow.temuan.save(temuan)
                    uow.publish(*temuan.pull_events())
                    await uow.commit()
                    alerts += 1
    for psap_id in psap_ids:
        async with uow_factory() as uow:
            case = await uow.pengawasan.get_psap(psap_id)
            if case is not None and case.deadline_passed(today_of(case.unit)) is not None:
                if not await uow.pengawasan.claim_psap_alert(case.id):
                    continue  # another replica raised it
                uow.publish(*case.pull_events())
                await uow.commit()
                alerts += 1
    return alerts
