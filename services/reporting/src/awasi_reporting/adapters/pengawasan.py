"""Supervision's records in and out of their tables: Form A, pencegahan, penertiban APK, PSAP,
and the idempotency keys of Form A submissions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_reporting.adapters import orm
from awasi_reporting.domain.idempotensi import KunciTerpakai, Rute
from awasi_reporting.domain.pengawasan import (
    FormA,
    HasilPsap,
    Pencegahan,
    PenertibanApk,
    Psap,
)
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.vocabulary import Tahapan


class PengawasanRepository:
    """Form A, pencegahan, penertiban APK and PSAP records."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_form_a(self, *forms: FormA) -> None:
        if forms:
            await self._session.execute(sa.insert(orm.form_a), [self.form_a_values(form) for form in forms])

    @staticmethod
    def form_a_values(form: FormA) -> dict[str, Any]:
        """A Form A's row in ``orm.form_a``."""
        return {
            "id": form.id,
            "nomor": form.nomor,
            "unit": form.unit,
            "pemilihan": form.pemilihan.value,
            "tahapan": form.data_pengawas.tahapan.value,
            "tanggal": form.kegiatan.tanggal,
            "bentuk": [b.value for b in form.kegiatan.bentuk],
            "data_pengawas": {**dataclasses.asdict(form.data_pengawas), "tahapan": form.data_pengawas.tahapan.value},
            "kegiatan": {
                "bentuk": [b.value for b in form.kegiatan.bentuk],
                "tujuan": form.kegiatan.tujuan,
                "sasaran": form.kegiatan.sasaran,
                "tanggal": form.kegiatan.tanggal.isoformat(),
                "tempat": form.kegiatan.tempat,
                "waktu": form.kegiatan.waktu,
            },
            "uraian_singkat": form.uraian_singkat,
            "dugaan_pelanggaran": [
                {**dataclasses.asdict(d), "waktu_kejadian": d.waktu_kejadian.isoformat()}
                for d in form.dugaan_pelanggaran
            ],
            "dugaan_sengketa": [dataclasses.asdict(d) for d in form.dugaan_sengketa],
            "disampaikan_pada": form.disampaikan_pada,
            "oleh": form.oleh,
        }

    async def form_a_exists(self, form_a_id: str) -> str | None:
        """The unit of a Form A, or None."""
        return await self._session.scalar(sa.select(orm.form_a.c.unit).where(orm.form_a.c.id == form_a_id))

    async def add_pencegahan(self, *records: Pencegahan) -> None:
        if not records:
            return
        await self._session.execute(
            sa.insert(orm.pencegahan),
            [
                {
                    "id": r.id,
                    "unit": r.unit,
                    "bentuk": r.bentuk.value,
                    "tanggal": r.tanggal,
                    "tahapan": r.tahapan.value if r.tahapan else None,
                    "perihal": r.perihal,
                    "ditujukan_kepada": r.ditujukan_kepada,
                    "nomor": r.nomor,
                    "uraian": r.uraian,
                    "dicatat_pada": r.dicatat_pada,
                    "oleh": r.oleh,
                }
                for r in records
            ],
        )

    async def add_penertiban(self, record: PenertibanApk) -> None:
        await self._session.execute(
            sa.insert(orm.penertiban_apk).values(
                id=record.id,
                unit=record.unit,
                tanggal=record.tanggal,
                tahapan=record.tahapan.value if record.tahapan else None,
                lokasi=record.lokasi,
                jumlah=record.jumlah,
                jenis_apk=record.jenis_apk,
                bersama=record.bersama,
                keterangan=record.keterangan,
                dicatat_pada=record.dicatat_pada,
                oleh=record.oleh,
            )
        )

    async def add_record(self, record: Pencegahan | PenertibanApk) -> None:
        """A pencegahan or a penertiban APK, each in its own table."""
        if isinstance(record, Pencegahan):
            await self.add_pencegahan(record)
        else:
            await self.add_penertiban(record)

    async def add_psap(self, case: Psap) -> None:
        await self._session.execute(sa.insert(orm.psap).values(**self._psap_values(case)))

    async def save_psap(self, case: Psap) -> None:
        await self._session.execute(
            sa.update(orm.psap).where(orm.psap.c.id == case.id).values(**self._psap_values(case))
        )

    async def claim_psap_alert(self, psap_id: str) -> bool:
        """Mark a PSAP's deadline as alerted; False when another process did it first."""
        result = await self._session.execute(
            sa.update(orm.psap)
            .where(orm.psap.c.id == psap_id, orm.psap.c.tenggat_dialertkan.is_(False))
            .values(tenggat_dialertkan=True)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def get_psap(self, psap_id: str) -> Psap | None:
        row = (await self._session.execute(sa.select(orm.psap).where(orm.psap.c.id == psap_id))).one_or_none()
        return self._load_psap(row) if row else None

    async def psap_past_deadline(self, today: dt.date, limit: int = 500) -> list[Psap]:
        rows = (
            await self._session.execute(
                sa.select(orm.psap)
                .where(
                    orm.psap.c.tenggat < today,
                    orm.psap.c.status != "selesai",
                    orm.psap.c.tenggat_dialertkan.is_(False),
                )
                .limit(limit)
            )
        ).all()
        return [self._load_psap(row) for row in rows]

    @staticmethod
    def _psap_values(case: Psap) -> dict[str, Any]:
        return {
            "id": case.id,
            "nomor": case.nomor,
            "unit": case.unit,
            "pemilihan": case.pemilihan.value,
            "tahapan": case.tahapan.value if case.tahapan else None,
            "tanggal_permohonan": case.tanggal_permohonan,
            "pemohon": case.pemohon,
            "termohon": case.termohon,
            "objek_sengketa": case.objek_sengketa,
            "diterima_pada": case.diterima_pada,
            "tenggat": case.tenggat,
            "status": case.status,
            "hasil": case.hasil.value if case.hasil else None,
            "keterangan_hasil": case.keterangan_hasil,
            "selesai_pada": case.selesai_pada,
            "tenggat_dialertkan": case.tenggat_dialertkan,
        }

    @staticmethod
    def _load_psap(row: Any) -> Psap:
        return Psap(
            id=row.id,
            unit=row.unit,
            nomor=row.nomor,
            pemilihan=Pemilihan(row.pemilihan),
            tahapan=Tahapan(row.tahapan) if row.tahapan else None,
            tanggal_permohonan=row.tanggal_permohonan,
            pemohon=row.pemohon,
            termohon=row.termohon,
            objek_sengketa=row.objek_sengketa,
            diterima_pada=row.diterima_pada,
            tenggat=row.tenggat,
            status=row.status,
            hasil=HasilPsap(row.hasil) if row.hasil else None,
            keterangan_hasil=row.keterangan_hasil,
            selesai_pada=row.selesai_pada,
            tenggat_dialertkan=row.tenggat_dialertkan,
        )


class IdempotensiRepository:
    """The idempotency keys of Form A submissions (``orm.form_a_idempotensi``)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, subjek: str, rute: Rute, kunci: str) -> KunciTerpakai | None:
        table = orm.form_a_idempotensi
        row = (
            await self._session.execute(
                sa.select(table).where(table.c.subjek == subjek, table.c.rute == rute.value, table.c.kunci == kunci)
            )
        ).first()
        if row is None:
            return None
        return KunciTerpakai(
            subjek=row.subjek,
            rute=Rute(row.rute),
            kunci=row.kunci,
            sidik=row.sidik,
            form_a_ids=tuple(row.form_a_ids),
            dibuat_pada=row.dibuat_pada,
            penyampaian_id=row.penyampaian_id,
        )

    async def add(self, used: KunciTerpakai) -> None:
        """Insert the key; one already there (a concurrent repeat that committed first) raises
        ``sqlalchemy.exc.IntegrityError`` on its primary key."""
        await self._session.execute(sa.insert(orm.form_a_idempotensi).values(**self.values(used)))

    @staticmethod
    def values(used: KunciTerpakai) -> dict[str, Any]:
        """A key's row in ``orm.form_a_idempotensi``."""
        return {
            "subjek": used.subjek,
            "rute": used.rute.value,
            "kunci": used.kunci,
            "sidik": used.sidik,
            "form_a_ids": list(used.form_a_ids),
            "penyampaian_id": used.penyampaian_id,
            "dibuat_pada": used.dibuat_pada,
        }

    async def forget_before(self, sebelum: dt.datetime) -> int:
        """Delete the keys made before ``sebelum``; returns how many."""
        table = orm.form_a_idempotensi
        result = await self._session.execute(sa.delete(table).where(table.c.dibuat_pada < sebelum))
        return int(getattr(result, "rowcount", 0) or 0)
