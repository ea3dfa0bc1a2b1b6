"""Participation's aggregates in and out of its tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.db import insert
from awasi_common.events.participation import HasilIndikator
from awasi_common.units import Level, ancestors_of, level_of
from awasi_common.vocabulary import Program
from awasi_participation.adapters import orm
from awasi_participation.domain.model import (
    AnalisisKesiapan,
    Arah,
    ForumWargaRincian,
    Indikator,
    IndikatorSet,
    JamBuka,
    KampungRincian,
    KegiatanProgram,
    KerjaSamaRincian,
    KomunikasiKampung,
    KomunitasDigitalRincian,
    Konsultasi,
    Metrik,
    Pemantauan,
    PemantauanRef,
    PemetaanKerawanan,
    PengembanganKampung,
    Penilaian,
    PerguruanTinggi,
    Peserta,
    PojokRincian,
    ProgramPartisipatif,
    Rincian,
    StatusKegiatan,
    TindakLanjut,
    UmpanBalik,
)
from awasi_participation.domain.rules import (
    Akreditasi,
    BentukKerjaSama,
    Hari,
    KategoriKerawanan,
    MediaTindakLanjut,
    MetodeForum,
    Pertemuan,
    Sasaran,
    TempatPojok,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- program details as JSON ---------------------------------------------------------------


def rincian_to_json(rincian: Rincian | None) -> dict[str, Any] | None:
    return rincian.to_json() if rincian is not None else None


def rincian_from_json(program: Program, data: dict[str, Any] | None) -> Rincian | None:
    """Stored details, already validated when the program was formed."""
    if not data:
        return None
    if program == Program.FORUM_WARGA:
        return ForumWargaRincian(MetodeForum(data["metode"]), tuple(Pertemuan(p) for p in data["pertemuan"]))
    if program == Program.POJOK_PENGAWASAN:
        return PojokRincian(
            TempatPojok(data["tempat"]),
            data["alamat"],
            tuple(
                JamBuka(Hari(j["hari"]), dt.time.fromisoformat(j["buka"]), dt.time.fromisoformat(j["tutup"]))
                for j in data["jam_buka"]
            ),
        )
    if program == Program.KERJA_SAMA_PERGURUAN_TINGGI:
        pt = data["perguruan_tinggi"]
        return KerjaSamaRincian(
            tuple(BentukKerjaSama(b) for b in data["bentuk"]),
            PerguruanTinggi(
                pt["nama"],
                pt["terdaftar"],
                pt.get("kode_pddikti"),
                Akreditasi(pt["akreditasi"]) if pt.get("akreditasi") else None,
                dt.date.fromisoformat(pt["akreditasi_berlaku_sampai"]) if pt.get("akreditasi_berlaku_sampai") else None,
            ),
            data.get("bentuk_lainnya"),
            data.get("nomor_perjanjian"),
        )
    if program == Program.KAMPUNG_PENGAWASAN:
        peta, analisis = data["pemetaan_kerawanan"], data["analisis_kesiapan"]
        return KampungRincian(
            data["desa"],
            tuple(data["kelompok_masyarakat"]),
            PemetaanKerawanan(
                KategoriKerawanan(peta["kategori"]),
                peta["sumber_ikp"],
                dt.date.fromisoformat(peta["tanggal"]),
                peta.get("tahun_ikp"),
            ),
            AnalisisKesiapan(
                dt.date.fromisoformat(analisis["tanggal"]),
                analisis["kesiapan_pelaksanaan"],
                analisis["kesiapan_perangkat_desa"],
                analisis["siap"],
            ),
        )
    if program == Program.KOMUNITAS_DIGITAL:
        return KomunitasDigitalRincian(tuple(data.get("melibatkan", ())), tuple(data.get("kanal", ())))
    return None


def program_from_row(row: Any) -> ProgramPartisipatif:
    kind = Program(row.program)
    return ProgramPartisipatif(
        id=row.id,
        unit=row.unit,
        program=kind,
        nama=row.nama,
        dibentuk_pada=row.dibentuk_pada,
        sasaran=tuple(Sasaran(s) for s in row.sasaran),
        rincian=rincian_from_json(kind, row.rincian),
        keterangan=row.keterangan,
    )


def kegiatan_from_row(row: Any) -> KegiatanProgram:
    return KegiatanProgram(
        kegiatan_id=row.kegiatan_id,
        unit=row.unit,
        program=Program(row.program),
        judul=row.judul,
        mulai=row.mulai,
        selesai=row.selesai,
        status=StatusKegiatan(row.status),
        target_peserta=row.target_peserta,
        kapasitas=row.kapasitas,
        program_id=row.program_id,
        tautan_manual=bool(row.tautan_manual),
    )


def peserta_from_row(row: Any) -> Peserta:
    return Peserta(
        id=row.id,
        kegiatan_id=row.kegiatan_id,
        program_id=row.program_id,
        program=Program(row.program),
        unit=row.unit,
        nama=row.nama,
        sasaran=Sasaran(row.sasaran),
        kode_hadir=row.kode_hadir,
        terdaftar_pada=row.terdaftar_pada,
        instansi=row.instansi,
        jenis_kelamin=row.jenis_kelamin,
        email=row.email,
        telepon=row.telepon,
        hadir_pada=row.hadir_pada,
    )


def indikator_set_from_row(row: Any) -> IndikatorSet:
    return IndikatorSet(
        id=row.id,
        nama=row.nama,
        nomor_keputusan=row.nomor_keputusan,
        tahun=row.tahun,
        indikator=tuple(
            Indikator(
                kode=i["kode"],
                nama=i["nama"],
                target=i["target"],
                bobot=i.get("bobot", 1.0),
                arah=Arah(i.get("arah", "minimal")),
                metrik=Metrik(i["metrik"]) if i.get("metrik") else None,
                satuan=i.get("satuan"),
            )
            for i in row.indikator
        ),
        ambang_keberhasilan=row.ambang_keberhasilan,
        batas_tindak_lanjut_hari=row.batas_tindak_lanjut_hari,
        ditetapkan_pada=row.ditetapkan_pada,
    )


def penilaian_from_row(row: Any) -> Penilaian:
    tl = row.tindak_lanjut
    return Penilaian(
        id=row.id,
        unit=row.unit,
        unit_dinilai=row.unit_dinilai,
        tahun=row.tahun,
        indikator_set_id=row.indikator_set_id,
        tanggal=row.tanggal,
        hasil=tuple(HasilIndikator.model_validate(h) for h in row.hasil),
        skor=row.skor,
        memenuhi=row.memenuhi,
        pemantauan_ids=tuple(row.pemantauan_ids),
        catatan=row.catatan,
        batas_tindak_lanjut=row.batas_tindak_lanjut,
        unit_tindak_lanjut=row.unit_tindak_lanjut,
        tindak_lanjut=TindakLanjut(
            tl["id"],
            dt.date.fromisoformat(tl["tanggal"]),
            tl["evaluasi"],
            tl["strategi_baru"],
            tuple(MediaTindakLanjut(m) for m in tl["media"]),
            tl["terlambat"],
            tl["dicatat_oleh"],
        )
        if tl
        else None,
    )


def _tindak_lanjut_json(tl: TindakLanjut | None) -> dict[str, Any] | None:
    if tl is None:
        return None
    return {
        "id": tl.id,
        "tanggal": tl.tanggal.isoformat(),
        "evaluasi": tl.evaluasi,
        "strategi_baru": tl.strategi_baru,
        "media": [m.value for m in tl.media],
        "terlambat": tl.terlambat,
        "dicatat_oleh": tl.dicatat_oleh,
    }


class Repository:
    """Every aggregate of the service, over one session (the unit of work's)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # programs

    async def add_program(self, record: ProgramPartisipatif, dibentuk_oleh: str) -> None:
        await self.session.execute(
            sa.insert(orm.program).values(
                id=record.id,
                unit=record.unit,
                program=record.program.value,
                nama=record.nama,
                dibentuk_pada=record.dibentuk_pada,
                sasaran=[s.value for s in record.sasaran],
                rincian=rincian_to_json(record.rincian),
                melibatkan=list(record.melibatkan),
                keterangan=record.keterangan,
                dibentuk_oleh=dibentuk_oleh,
                created_at=_now(),
            )
        )

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
            .values(
                program_id=kegiatan.program_id,
                tautan_manual=kegiatan.tautan_manual,
                kapasitas=kegiatan.kapasitas,
                updated_at=_now(),
            )
        )
        # Peserta already registered follow their kegiatan's program.
        await self.session.execute(
            sa.update(orm.peserta)
            .where(orm.peserta.c.kegiatan_id == kegiatan.kegiatan_id)
            .values(program_id=kegiatan.program_id)
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
                await self.session.execute(
                    sa.update(orm.peserta)
                    .where(orm.peserta.c.kegiatan_id == row.kegiatan_id)
                    .values(program_id=record.id)
                )
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
        await self.session.execute(
            sa.insert(orm.peserta).values(
                id=p.id,
                kegiatan_id=p.kegiatan_id,
                program_id=p.program_id,
                program=p.program.value,
                unit=p.unit,
                nama=p.nama,
                sasaran=p.sasaran.value,
                kode_hadir=p.kode_hadir,
                instansi=p.instansi,
                jenis_kelamin=p.jenis_kelamin,
                email=p.email,
                telepon=p.telepon,
                terdaftar_pada=p.terdaftar_pada,
                hadir_pada=p.hadir_pada,
            )
        )

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
        await self.session.execute(
            sa.insert(orm.umpan_balik).values(
                peserta_id=u.peserta_id,
                kegiatan_id=u.kegiatan_id,
                pemahaman_meningkat=u.pemahaman_meningkat,
                skor=u.skor,
                komentar=u.komentar,
                diberikan_pada=u.diberikan_pada,
            )
        )

    # Pojok Pengawasan and Kampung Pengawasan logs

    async def add_konsultasi(self, k: Konsultasi) -> None:
        await self.session.execute(
            sa.insert(orm.konsultasi).values(
                id=k.id,
                program_id=k.program_id,
                unit=k.unit,
                jenis=k.jenis.value,
                waktu=k.waktu,
                topik=k.topik,
                ringkasan=k.ringkasan,
                pengunjung=k.pengunjung,
                di_luar_jam_layanan=k.di_luar_jam_layanan,
            )
        )

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
        await self.session.execute(
            sa.insert(orm.pengembangan_kampung).values(
                id=p.id,
                unit=p.unit,
                tanggal=p.tanggal,
                kampung_dievaluasi=list(p.kampung_dievaluasi),
                hasil_evaluasi=p.hasil_evaluasi,
                pengembangan_inovasi=p.pengembangan_inovasi,
                dicatat_oleh=oleh,
                created_at=dt.datetime.now(dt.UTC),
            )
        )

    async def add_komunikasi(self, k: KomunikasiKampung) -> None:
        await self.session.execute(
            sa.insert(orm.komunikasi).values(
                id=k.id,
                program_id=k.program_id,
                unit=k.unit,
                jenis=k.jenis.value,
                tanggal=k.tanggal,
                pihak=list(k.pihak),
                ringkasan=k.ringkasan,
            )
        )

    # pemantauan, indicator sets, penilaian

    async def add_pemantauan(self, p: Pemantauan) -> None:
        await self.session.execute(
            sa.insert(orm.pemantauan).values(
                id=p.id,
                unit=p.unit,
                tanggal=p.tanggal,
                cakupan=list(p.cakupan),
                program=[x.value for x in p.program],
                ringkasan=p.ringkasan,
                temuan=list(p.temuan),
                rekomendasi=list(p.rekomendasi),
                created_at=_now(),
            )
        )

    async def pemantauan_refs(self, ids: Sequence[str]) -> list[PemantauanRef]:
        if not ids:
            return []
        t = orm.pemantauan
        rows = (await self.session.execute(sa.select(t.c.id, t.c.unit, t.c.tanggal).where(t.c.id.in_(ids)))).all()
        return [PemantauanRef(r.id, r.unit, r.tanggal) for r in rows]

    async def add_indikator_set(self, s: IndikatorSet) -> None:
        await self.session.execute(
            sa.insert(orm.indikator_set).values(
                id=s.id,
                nama=s.nama,
                nomor_keputusan=s.nomor_keputusan,
                tahun=s.tahun,
                indikator=[
                    {
                        "kode": i.kode,
                        "nama": i.nama,
                        "target": i.target,
                        "bobot": i.bobot,
                        "arah": i.arah.value,
                        "metrik": i.metrik.value if i.metrik else None,
                        "satuan": i.satuan,
                    }
                    for i in s.indikator
                ],
                ambang_keberhasilan=s.ambang_keberhasilan,
                batas_tindak_lanjut_hari=s.batas_tindak_lanjut_hari,
                ditetapkan_pada=s.ditetapkan_pada,
            )
        )

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
        await self.session.execute(
            sa.insert(orm.penilaian).values(
                id=p.id,
                unit=p.unit,
                unit_dinilai=p.unit_dinilai,
                tahun=p.tahun,
                indikator_set_id=p.indikator_set_id,
                tanggal=p.tanggal,
                hasil=[h.model_dump() for h in p.hasil],
                skor=p.skor,
                memenuhi=p.memenuhi,
                pemantauan_ids=list(p.pemantauan_ids),
                catatan=p.catatan,
                batas_tindak_lanjut=p.batas_tindak_lanjut,
                unit_tindak_lanjut=p.unit_tindak_lanjut,
                tindak_lanjut=_tindak_lanjut_json(p.tindak_lanjut),
                created_at=_now(),
            )
        )

    async def get_penilaian(self, penilaian_id: str, *, for_update: bool = False) -> Penilaian | None:
        query = sa.select(orm.penilaian).where(orm.penilaian.c.id == penilaian_id)
        if for_update:
            query = query.with_for_update()
        row = (await self.session.execute(query)).first()
        return penilaian_from_row(row) if row else None

    async def save_tindak_lanjut(self, p: Penilaian) -> None:
        await self.session.execute(
            sa.update(orm.penilaian)
            .where(orm.penilaian.c.id == p.id)
            .values(tindak_lanjut=_tindak_lanjut_json(p.tindak_lanjut))
        )

    # obligations

    async def mark_active(self, unit: str, sejak: dt.date) -> None:
        """Remember that ``unit`` runs participatory supervision here since ``sejak``, and so
        do the Bawaslu units above it (their pemantauan obligations start then too)."""
        t = orm.unit_aktif
        chain = [u for u in (unit, *ancestors_of(unit)) if level_of(u) <= Level.KABUPATEN_KOTA]
        for code in chain:
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
