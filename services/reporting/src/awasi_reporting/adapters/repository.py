"""Reporting's aggregates in and out of its tables.

Identities are encrypted here, on the way in, and decrypted only when a caller asks for
them (``get(..., with_identity=True)``); the caller records that access in the audit log.
Saving a case checks its version, so two people changing one case at once cannot both win.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from awasi_common.errors import StaleWrite
from awasi_reporting.adapters import orm
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.pelapor import BuktiInfo, Pelapor, Peristiwa, Saksi
from awasi_reporting.domain.perkara import Perkara, Riwayat
from awasi_reporting.domain.rezim import Pemilihan
from awasi_reporting.domain.temuan import Temuan
from awasi_reporting.domain.vocabulary import AlasanTidakRegistrasi, JenisPutusan, Kanal, Status, Tahapan, local_date


def _pelapor_context(laporan_id: str) -> str:
    return f"laporan:{laporan_id}:pelapor"


def _saksi_context(laporan_id: str) -> str:
    return f"laporan:{laporan_id}:saksi"


def _bukti_context(bukti_id: str) -> str:
    return f"bukti:{bukti_id}"


def _workflow_values(perkara: Perkara) -> dict[str, Any]:
    return {
        "unit": perkara.unit,
        "status": perkara.status.value,
        "riwayat": [entry.to_dict() for entry in perkara.riwayat],
        "nomor_register": perkara.nomor_register,
        "diregistrasi_pada": perkara.diregistrasi_pada,
        "putusan": perkara.putusan.value if perkara.putusan else None,
        "diteruskan_ke": perkara.diteruskan_ke,
        "pertimbangan": perkara.pertimbangan,
        "nomor_surat_penerusan": perkara.nomor_surat_penerusan,
        "diputus_pada": perkara.diputus_pada,
        "tenggat": perkara.tenggat,
        "tahap_tenggat": perkara.tahap_tenggat,
        "tenggat_diperpanjang": perkara.tenggat_diperpanjang,
        "tenggat_dialertkan": perkara.tenggat_dialertkan,
        "pemilihan": perkara.pemilihan.value,
        "tahapan": perkara.tahapan.value if perkara.tahapan else None,
    }


def _workflow_fields(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "unit": row.unit,
        "status": Status(row.status),
        "riwayat": [Riwayat.from_dict(entry) for entry in row.riwayat],
        "nomor_register": row.nomor_register,
        "diregistrasi_pada": row.diregistrasi_pada,
        "putusan": JenisPutusan(row.putusan) if row.putusan else None,
        "diteruskan_ke": row.diteruskan_ke,
        "pertimbangan": row.pertimbangan,
        "nomor_surat_penerusan": row.nomor_surat_penerusan,
        "diputus_pada": row.diputus_pada,
        "tenggat": row.tenggat,
        "tahap_tenggat": row.tahap_tenggat,
        "tenggat_diperpanjang": row.tenggat_diperpanjang,
        "tenggat_dialertkan": row.tenggat_dialertkan,
        "versi": row.versi,
        "pemilihan": Pemilihan(row.pemilihan),
        "tahapan": Tahapan(row.tahapan) if row.tahapan else None,
    }


class LaporanRepository:
    def __init__(self, session: AsyncSession, cipher: IdentityCipher) -> None:
        self._session = session
        self._cipher = cipher

    async def add(self, laporan: Laporan) -> None:
        # The statement is constant and the row its parameters: SQLAlchemy finds it compiled in
        # its cache without walking ~30 bound values to make a cache key on every laporan.
        await self._session.execute(sa.insert(orm.laporan), self.values(laporan))

    def values(self, laporan: Laporan) -> dict[str, Any]:
        """A new laporan's row in ``orm.laporan``, its identity sealed."""
        assert laporan.pelapor is not None and laporan.saksi is not None and laporan.peristiwa is not None
        return {
            "id": laporan.id,
            "kode_pelacakan": laporan.kode_pelacakan,
            "secret_hash": laporan.secret_hash,
            "kanal": laporan.kanal.value,
            "terlapor": laporan.terlapor,
            "peristiwa": laporan.peristiwa.to_dict(),
            "diterima_pada": laporan.diterima_pada,
            "tanggal": laporan.tanggal_lapor,
            "nomor_tanda_terima": laporan.nomor_tanda_terima or None,
            "sumber_id": laporan.sumber_id,
            "versi": laporan.versi,
            **self._changing_values(laporan),
        }

    async def save(self, laporan: Laporan) -> None:
        """Write a changed laporan; StaleWrite when someone else changed it meanwhile."""
        result = await self._session.execute(
            sa.update(orm.laporan)
            .where(orm.laporan.c.id == laporan.id, orm.laporan.c.versi == laporan.versi)
            .values(versi=laporan.versi + 1, **self._changing_values(laporan))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleWrite(
                f"Laporan {laporan.kode_pelacakan} baru saja diubah oleh orang lain; muat ulang lalu coba lagi."
            )
        laporan.versi += 1

    def _changing_values(self, laporan: Laporan) -> dict[str, Any]:
        """The columns a handling step may change, written on add and on every save; the
        identity only when it was loaded (a laporan read without it keeps what is stored)."""
        values: dict[str, Any] = {
            "jumlah_saksi": laporan.jumlah_saksi,
            "identitas_kurang": laporan.identitas_kurang,
            "uraian": laporan.uraian,
            "kekurangan": laporan.kekurangan,
            "batas_melengkapi": laporan.batas_melengkapi,
            "alasan_tidak_registrasi": laporan.alasan_tidak_registrasi.value
            if laporan.alasan_tidak_registrasi
            else None,
            "keterangan_tidak_registrasi": laporan.keterangan_tidak_registrasi,
            **_workflow_values(laporan),
        }
        if laporan.pelapor is not None:
            values["pelapor_enc"] = self._cipher.encrypt_json(laporan.pelapor.to_dict(), _pelapor_context(laporan.id))
        if laporan.saksi is not None:
            values["saksi_enc"] = self._cipher.encrypt_json(
                [s.to_dict() for s in laporan.saksi], _saksi_context(laporan.id)
            )
        return values

    async def get(self, laporan_id: str, *, with_identity: bool = False) -> Laporan | None:
        row = (await self._session.execute(sa.select(orm.laporan).where(orm.laporan.c.id == laporan_id))).one_or_none()
        return await self._load(row, with_identity) if row else None

    async def by_tracking_code(self, kode: str, *, with_identity: bool = False) -> Laporan | None:
        row = (
            await self._session.execute(sa.select(orm.laporan).where(orm.laporan.c.kode_pelacakan == kode))
        ).one_or_none()
        return await self._load(row, with_identity) if row else None

    async def by_source(self, sumber_id: str) -> Laporan | None:
        row = (
            await self._session.execute(sa.select(orm.laporan).where(orm.laporan.c.sumber_id == sumber_id))
        ).one_or_none()
        return await self._load(row, False) if row else None

    async def open_past_deadline(self, today: dt.date, limit: int = 500) -> list[Laporan]:
        rows = (
            await self._session.execute(
                sa.select(orm.laporan)
                .where(
                    orm.laporan.c.tenggat < today,
                    orm.laporan.c.tenggat_dialertkan.is_(False),
                )
                .order_by(orm.laporan.c.tenggat)
                .limit(limit)
            )
        ).all()
        return [await self._load(row, False) for row in rows]

    def decrypt_identity(self, laporan_id: str, pelapor_enc: bytes, saksi_enc: bytes) -> tuple[Pelapor, list[Saksi]]:
        pelapor = Pelapor.from_dict(self._cipher.decrypt_json(pelapor_enc, _pelapor_context(laporan_id)))
        saksi = [Saksi(**s) for s in self._cipher.decrypt_json(saksi_enc, _saksi_context(laporan_id))]
        return pelapor, saksi

    async def _load(self, row: Any, with_identity: bool) -> Laporan:
        pelapor: Pelapor | None = None
        saksi: list[Saksi] | None = None
        if with_identity:
            pelapor, saksi = self.decrypt_identity(row.id, row.pelapor_enc, row.saksi_enc)
        evidence = (
            await self._session.execute(
                sa.select(
                    orm.bukti.c.id,
                    orm.bukti.c.nama_berkas,
                    orm.bukti.c.jenis,
                    orm.bukti.c.ukuran,
                    orm.bukti.c.sha256,
                    orm.bukti.c.diunggah_pada,
                    orm.bukti.c.oleh,
                )
                .where(orm.bukti.c.laporan_id == row.id)
                .order_by(orm.bukti.c.diunggah_pada, orm.bukti.c.id)
            )
        ).all()
        return Laporan(
            **_workflow_fields(row),
            kanal=Kanal(row.kanal),
            pelapor=pelapor,
            terlapor=row.terlapor,
            peristiwa=Peristiwa.from_dict(row.peristiwa),
            saksi=saksi,
            uraian=row.uraian,
            diterima_pada=row.diterima_pada,
            kode_pelacakan=row.kode_pelacakan,
            secret_hash=row.secret_hash,
            nomor_tanda_terima=row.nomor_tanda_terima or "",
            identitas_kurang=list(row.identitas_kurang),
            jumlah_saksi=row.jumlah_saksi,
            bukti=[BuktiInfo(**e._mapping) for e in evidence],
            kekurangan=list(row.kekurangan),
            batas_melengkapi=row.batas_melengkapi,
            alasan_tidak_registrasi=AlasanTidakRegistrasi(row.alasan_tidak_registrasi)
            if row.alasan_tidak_registrasi
            else None,
            keterangan_tidak_registrasi=row.keterangan_tidak_registrasi,
            sumber_id=row.sumber_id,
        )

    # -- evidence

    async def add_bukti(self, laporan_id: str, info: BuktiInfo, content: bytes) -> None:
        await self._session.execute(
            sa.insert(orm.bukti).values(
                laporan_id=laporan_id,
                isi_enc=self._cipher.encrypt(content, _bukti_context(info.id)),
                **dataclasses.asdict(info),
            )
        )

    async def bukti_content(self, laporan_id: str, bukti_id: str) -> tuple[BuktiInfo, bytes] | None:
        row = (
            await self._session.execute(
                sa.select(orm.bukti).where(orm.bukti.c.id == bukti_id, orm.bukti.c.laporan_id == laporan_id)
            )
        ).one_or_none()
        if row is None:
            return None
        info = BuktiInfo(
            id=row.id,
            nama_berkas=row.nama_berkas,
            jenis=row.jenis,
            ukuran=row.ukuran,
            sha256=row.sha256,
            diunggah_pada=row.diunggah_pada,
            oleh=row.oleh,
        )
        return info, self._cipher.decrypt(row.isi_enc, _bukti_context(row.id))

    # -- audit of identity access

    async def record_access(
        self,
        *,
        laporan_id: str,
        unit_perkara: str,
        subjek: str,
        peran: str,
        unit_akun: str,
        tujuan: str,
        diizinkan: bool,
        now: dt.datetime,
    ) -> None:
        await self._session.execute(
            sa.insert(orm.akses_identitas).values(
                id=str(uuid.uuid4()),
                laporan_id=laporan_id,
                unit_perkara=unit_perkara,
                subjek=subjek,
                peran=peran,
                unit_akun=unit_akun,
                tujuan=tujuan,
                diizinkan=diizinkan,
                pada=now,
            )
        )


class TemuanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, temuan: Temuan) -> None:
        assert temuan.peristiwa is not None
        await self._session.execute(
            sa.insert(orm.temuan).values(
                id=temuan.id,
                peristiwa=temuan.peristiwa.to_dict(),
                terlapor=temuan.terlapor,
                uraian=temuan.uraian,
                dicatat_pada=temuan.dicatat_pada,
                tanggal=local_date(temuan.dicatat_pada, temuan.unit),
                form_a_id=temuan.form_a_id,
                pengawas=temuan.pengawas,
                versi=temuan.versi,
                **_workflow_values(temuan),
            )
        )

    async def save(self, temuan: Temuan) -> None:
        result = await self._session.execute(
            sa.update(orm.temuan)
            .where(orm.temuan.c.id == temuan.id, orm.temuan.c.versi == temuan.versi)
            .values(versi=temuan.versi + 1, **_workflow_values(temuan))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleWrite(f"Temuan {temuan.kode} baru saja diubah oleh orang lain; muat ulang lalu coba lagi.")
        temuan.versi += 1

    async def get(self, temuan_id: str) -> Temuan | None:
        row = (await self._session.execute(sa.select(orm.temuan).where(orm.temuan.c.id == temuan_id))).one_or_none()
        return self._load(row) if row else None

    async def open_past_deadline(self, today: dt.date, limit: int = 500) -> list[Temuan]:
        rows = (
            await self._session.execute(
                sa.select(orm.temuan)
                .where(orm.temuan.c.tenggat < today, orm.temuan.c.tenggat_dialertkan.is_(False))
                .order_by(orm.temuan.c.tenggat)
                .limit(limit)
            )
        ).all()
        return [self._load(row) for row in rows]

    @staticmethod
    def _load(row: Any) -> Temuan:
        return Temuan(
            **_workflow_fields(row),
            peristiwa=Peristiwa.from_dict(row.peristiwa),
            terlapor=row.terlapor,
            uraian=row.uraian,
            dicatat_pada=row.dicatat_pada,
            form_a_id=row.form_a_id,
            pengawas=row.pengawas,
        )
