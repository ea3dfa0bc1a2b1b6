"""Participation's aggregates in and out of its tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.db import insert
from awasi_common.units import Level, ancestors_of, level_of
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.adapters.rows import (
    indikator_set_from_row,
    indikator_set_to_row,
    kegiatan_from_row,
    kegiatan_link_to_row,
    komunikasi_to_row,
    konsultasi_to_row,
    pemantauan_to_row,
    pengembangan_to_row,
    penilaian_from_row,
    penilaian_to_row,
    peserta_from_row,
    peserta_to_row,
    program_from_row,
    program_to_row,
    tindak_lanjut_to_row,
    umpan_balik_to_row,
)
from awasi_participation.domain.kampung import PengembanganKampung
from awasi_participation.domain.kegiatan import KegiatanProgram, Peserta, UmpanBalik
from awasi_participation.domain.pemantauan import Pemantauan, PemantauanRef
from awasi_participation.domain.penilaian import IndikatorSet, Penilaian
from awasi_participation.domain.program import KomunikasiKampung, Konsultasi, ProgramPartisipatif


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Repository:
    """Every aggregate of the service, over one session (the unit of work's)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # programs

    async def add_program(self, record: ProgramPartisipatif, dibentuk_oleh: str) -> None:
        await self.session.execute(sa.insert(orm.program).values(program_to_row(record, dibentuk_oleh)))

    async def get_program(self, program_id: str) -> ProgramPartisipatif | None:
        row = (await self.session.execute(sa.select(orm.program).where(orm.program.c.id == program_id))).first()
        return program_from_row(row) if row else None

    async def programs_serving(self, unit: str, program: Program) -> list[ProgramPartisipatif]:
        """Program records a kegiatan of ``unit`` naming ``program`` could belong to."""
        t = orm.program
        query = sa.select(t).where(t.c.program == program.value)
        if program == Program.KOMUNITAS_DIGITAL:
            rows = (await self.session.execute(query)).all()
        else:
            rows = (await self.session.execute(query.where(t.c.unit == unit))).all()
        return [r for r in (program_from_row(row) for row in rows) if r.serves(unit)]

    # kegiatan (planning's, as participation keeps them)

    async def get_kegiatan(self, kegiatan_id: str, *, for_update: bool = False) -> KegiatanProgram | None:
        query = sa.select(orm.program_kegiatan).where(orm.program_kegiatan.c.kegiatan_id == kegiatan_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return kegiatan_from_row(row) if row else None

    async def save_kegiatan_link(self, kegiatan: KegiatanProgram) -> None:
        await self.session.execute(
            sa.update(orm.program_kegiatan)
            .where(orm.program_kegiatan.c.kegiatan_id == kegiatan.kegiatan_id)
            .values(kegiatan_link_to_row(kegiatan))
        )
        await self._peserta_follow(kegiatan.kegiatan_id, kegiatan.program_id)

    async def save_program_kegiatan(self, kegiatan_id: str, values: dict[str, Any], *, new: bool) -> None:
        """Planning's kegiatan as its latest event told it, with the program it is linked to."""
        t = orm.program_kegiatan
        values = {**values, "updated_at": _now()}
        if new:
            await self.session.execute(sa.insert(t).values(kegiatan_id=kegiatan_id, **values))
        else:
            await self.session.execute(sa.update(t).where(t.c.kegiatan_id == kegiatan_id).values(values))
        if "program_id" in values:
            await self._peserta_follow(kegiatan_id, values["program_id"])

    async def _peserta_follow(self, kegiatan_id: str, program_id: str | None) -> None:
        """Peserta already registered follow their kegiatan's program."""
        await self.session.execute(
            sa.update(orm.peserta).where(orm.peserta.c.kegiatan_id == kegiatan_id).values(program_id=program_id)
        )

    async def link_unlinked_kegiatan(self, record: ProgramPartisipatif) -> int:
        """After a program is formed: link the kegiatan that were waiting for it, when it is
        the only program they can belong to."""
        t = orm.program_kegiatan
        units = [record.unit, *record.melibatkan]
        rows = (
            await self.session.execute(
                sa.select(t.c.kegiatan_id, t.c.unit).where(
                    t.c.program == record.program.value,
                    t.c.unit.in_(units),
                    t.c.program_id.is_(None),
                    t.c.tautan_manual.is_(False),
                )
            )
        ).all()
        linked = 0
        for row in rows:
            candidates = await self.programs_serving(row.unit, record.program)
            if len(candidates) == 1 and candidates[0].id == record.id:
                await self.session.execute(
                    sa.update(t).where(t.c.kegiatan_id == row.kegiatan_id).values(program_id=record.id)
                )
                await self._peserta_follow(row.kegiatan_id, record.id)
                linked += 1
        return linked

    # peserta

    async def count_peserta(self, kegiatan_id: str) -> int:
        t = orm.peserta
        return int(
            await self.session.scalar(sa.select(sa.func.count()).select_from(t).where(t.c.kegiatan_id == kegiatan_id))
            or 0
        )

    async def email_registered(self, kegiatan_id: str, email: str) -> bool:
        t = orm.peserta
        found = await self.session.scalar(
            sa.select(sa.literal(1)).where(t.c.kegiatan_id == kegiatan_id, sa.func.lower(t.c.email) == email.lower())
        )
        return bool(found)

    async def add_peserta(self, p: Peserta) -> None:
        await self.session.execute(sa.insert(orm.peserta).values(peserta_to_row(p)))

    async def peserta_by_code(self, kegiatan_id: str, kode: str, *, for_update: bool = False) -> Peserta | None:
        t = orm.peserta
        query = sa.select(t).where(t.c.kegiatan_id == kegiatan_id, t.c.kode_hadir == kode.strip().upper())
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return peserta_from_row(row) if row else None

    async def save_kehadiran(self, p: Peserta) -> None:
        await self.session.execute(
            sa.update(orm.peserta)
            .where(orm.peserta.c.id == p.id)
            .values(hadir_pada=p.hadir_pada, program_id=p.program_id)
        )

    async def has_umpan_balik(self, peserta_id: str) -> bool:
        return bool(
            await self.session.scalar(sa.select(sa.literal(1)).where(orm.umpan_balik.c.peserta_id == peserta_id))
        )

    async def add_umpan_balik(self, u: UmpanBalik) -> None:
        await self.session.execute(sa.insert(orm.umpan_balik).values(umpan_balik_to_row(u)))

    # Pojok Pengawasan and Kampung Pengawasan logs

    async def add_konsultasi(self, k: Konsultasi) -> None:
        await self.session.execute(sa.insert(orm.konsultasi).values(konsultasi_to_row(k)))

    async def add_pojok_laporan(
        self, laporan_id: str, program_id: str, unit: str, diterima_pada: dt.datetime, peristiwa_apa: str
    ) -> None:
        await self.session.execute(
            sa.insert(orm.pojok_laporan).values(
                id=laporan_id,
                program_id=program_id,
                unit=unit,
                diterima_pada=diterima_pada,
                peristiwa_apa=peristiwa_apa,
            )
        )

    async def kampung_of(self, unit: str) -> dict[str, dt.date]:
        """The Kampung Pengawasan ``unit`` formed, by id, with their formation date."""
        t = orm.program
        rows = await self.session.execute(
            sa.select(t.c.id, t.c.dibentuk_pada).where(
                t.c.unit == unit, t.c.program == Program.KAMPUNG_PENGAWASAN.value
            )
        )
        return {row.id: row.dibentuk_pada for row in rows}

    async def add_pengembangan(self, p: PengembanganKampung, *, oleh: str) -> None:
        await self.session.execute(sa.insert(orm.pengembangan_kampung).values(pengembangan_to_row(p, oleh)))

    async def add_komunikasi(self, k: KomunikasiKampung) -> None:
        await self.session.execute(sa.insert(orm.komunikasi).values(komunikasi_to_row(k)))

    # pemantauan, indicator sets, penilaian

    async def add_pemantauan(self, p: Pemantauan) -> None:
        await self.session.execute(sa.insert(orm.pemantauan).values(pemantauan_to_row(p)))

    async def pemantauan_refs(self, ids: Sequence[str]) -> list[PemantauanRef]:
        if not ids:
            return []
        t = orm.pemantauan
        rows = (await self.session.execute(sa.select(t.c.id, t.c.unit, t.c.tanggal).where(t.c.id.in_(ids)))).all()
        return [PemantauanRef(r.id, r.unit, r.tanggal) for r in rows]

    async def add_indikator_set(self, s: IndikatorSet) -> None:
        await self.session.execute(sa.insert(orm.indikator_set).values(indikator_set_to_row(s)))

    async def get_indikator_set(self, set_id: str) -> IndikatorSet | None:
        row = (await self.session.execute(sa.select(orm.indikator_set).where(orm.indikator_set.c.id == set_id))).first()
        return indikator_set_from_row(row) if row else None

    async def current_indikator_set(self, tahun: int) -> IndikatorSet | None:
        """The newest set for that year, else the newest set without a year."""
        t = orm.indikator_set
        for condition in (t.c.tahun == tahun, t.c.tahun.is_(None)):
            row = (
                await self.session.execute(
                    sa.select(t).where(condition).order_by(t.c.ditetapkan_pada.desc(), t.c.id.desc()).limit(1)
                )
            ).first()
            if row:
                return indikator_set_from_row(row)
        return None

    async def add_penilaian(self, p: Penilaian) -> None:
        await self.session.execute(sa.insert(orm.penilaian).values(penilaian_to_row(p)))

    async def get_penilaian(self, penilaian_id: str, *, for_update: bool = False) -> Penilaian | None:
        query = sa.select(orm.penilaian).where(orm.penilaian.c.id == penilaian_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return penilaian_from_row(row) if row else None

    async def save_tindak_lanjut(self, p: Penilaian) -> None:
        await self.session.execute(
            sa.update(orm.penilaian).where(orm.penilaian.c.id == p.id).values(tindak_lanjut_to_row(p))
        )

    # obligations

    async def mark_active(self, unit: str, sejak: dt.date) -> None:
        """Remember that ``unit`` runs participatory supervision here since ``sejak``, and so
        do the Bawaslu units above it (their pemantauan obligations start then too)."""
        t = orm.unit_aktif
        # Bawaslu RI first, then down the chain (a code sorts after its parent's): every writer
        # locks these rows in one order, so two transactions never wait on each other in a
        # circle (a request forming a program beside a consumer's batch of several units
        # deadlocked). Rows already as early as ``sejak`` are not written (nor locked) at all.
        chain = sorted(u for u in (unit, *ancestors_of(unit)) if level_of(u) <= Level.KABUPATEN_KOTA)
        rows = await self.session.execute(sa.select(t.c.unit, t.c.sejak).where(t.c.unit.in_(chain)))
        known: dict[str, dt.date] = {row.unit: row.sejak for row in rows}
        for code in chain:
            if code in known and known[code] <= sejak:
                continue
            statement = insert(self.session, t).values(unit=code, sejak=sejak)
            statement = statement.on_conflict_do_update(
                index_elements=[t.c.unit],
                set_={
                    "sejak": sa.case((statement.excluded.sejak < t.c.sejak, statement.excluded.sejak), else_=t.c.sejak)
                },
            )
            await self.session.execute(statement)

    async def raise_overdue(
        self,
        *,
        kewajiban_id: str,
        jenis: str,
        unit: str,
        periode: str,
        batas_waktu: dt.date,
        wajib: int,
        terlaksana: int,
    ) -> bool:
        """Record an overdue obligation once; True only for the call that recorded it. A
        concurrent evaluator waits for the first and then finds the row."""
        t = orm.kewajiban_terlewat
        statement = (
            insert(self.session, t)
            .values(
                id=kewajiban_id,
                jenis=jenis,
                unit=unit,
                periode=periode,
                batas_waktu=batas_waktu,
                wajib=wajib,
                terlaksana=terlaksana,
                dinaikkan_pada=_now(),
            )
            .on_conflict_do_nothing(index_elements=[t.c.id])
        )
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))
