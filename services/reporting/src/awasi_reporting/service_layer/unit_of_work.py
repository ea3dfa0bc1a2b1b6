from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Self

from awasi_common.events.base import Event
from awasi_common.events.reporting import PelaporNoticeRequested
from awasi_common.outbox import outbox_row
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing
from awasi_common.uow import UnitOfWork
from awasi_reporting.adapters import orm
from awasi_reporting.adapters.dokumen import LaporanTahunanRepository
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.adapters.nomor import SequenceRepository
from awasi_reporting.adapters.pengawasan import IdempotensiRepository, PengawasanRepository
from awasi_reporting.adapters.read_models import ReadModelRepository
from awasi_reporting.adapters.repository import LaporanRepository, TemuanRepository
from awasi_reporting.adapters.sekaligus import MARK, Nomor, Row, file_numbered
from awasi_reporting.domain.idempotensi import KunciTerpakai
from awasi_reporting.domain.laporan import Laporan
from awasi_reporting.domain.nomor import nomor_dokumen
from awasi_reporting.domain.pengawasan import FormA


class ReportingUnitOfWork(UnitOfWork):
    laporan: LaporanRepository
    temuan: TemuanRepository
    nomor: SequenceRepository
    pengawasan: PengawasanRepository
    idempotensi: IdempotensiRepository
    read_models: ReadModelRepository
    laporan_tahunan: LaporanTahunanRepository

    def __init__(
        self, *args: Any, cipher: IdentityCipher, contacts: KeyRing, pojok_identity: KeyRing, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cipher = cipher
        self.contacts = contacts
        self.pojok_identity = pojok_identity
        """Opens the identity of Pojok reports from participation (``AWASI_POJOK_IDENTITY_KEY``)."""

    def publish(self, *events: Event) -> None:
        """A reporter's address leaves reporting sealed: the outbox row, the Kafka record and
        notification's delivery row hold only ciphertext that the mail sender opens."""
        super().publish(*(self._sealed(event) for event in events))

    def _sealed(self, event: Event) -> Event:
        if isinstance(event, PelaporNoticeRequested) and event.email:
            token = self.contacts.seal_text(event.email, CONTACT_CONTEXT)
            return event.model_copy(update={"email": None, "email_tersegel": token})
        return event

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.laporan = LaporanRepository(self.session, self.cipher)
        self.temuan = TemuanRepository(self.session)
        self.nomor = SequenceRepository(self.session)
        self.pengawasan = PengawasanRepository(self.session)
        self.idempotensi = IdempotensiRepository(self.session)
        self.read_models = ReadModelRepository(self.session)
        self.laporan_tahunan = LaporanTahunanRepository(self.session)
        return self

    async def statement_by_statement(self) -> bool:
        """On PostgreSQL, each statement of this unit of work from now on is a transaction of its
        own (no BEGIN and COMMIT round trips), for a write done in one statement: True. False on
        SQLite, where nothing changes. Call it before the first statement."""
        if self.session.get_bind().dialect.name != "postgresql":
            return False
        await self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return True

    async def file_form_a_alone(self, form: FormA, today: dt.date, key: KunciTerpakai | None) -> bool:
        """Number and file a Form A on its own with its event (and its idempotency key) in one
        statement (``adapters.sekaligus``), after ``statement_by_statement``; the form then has
        its number. Its event is written as ``commit`` would write it. False, and nothing
        written, when ``key`` was taken."""
        rest = nomor_dokumen(0, "LHP", form.pemilihan, form.unit, today).removeprefix("000")
        form.sampaikan(MARK)
        nomor = await file_numbered(
            await self.session.connection(),
            Nomor(form.unit, "LHP", form.pemilihan.value, today.year, rest),
            Row(orm.form_a, PengawasanRepository.form_a_values(form)),
            "nomor",
            self._outbox,
            self._rows(form.pull_events()),
            Row(orm.form_a_idempotensi, IdempotensiRepository.values(key)) if key is not None else None,
        )
        if nomor is None:
            return False
        form.nomor = nomor
        if self._on_commit:
            self._on_commit()
        return True

    async def file_laporan_alone(self, laporan: Laporan) -> None:
        """Register a received laporan (without evidence files) under its tanda terima number
        with its events in one statement, after ``statement_by_statement``."""
        day = laporan.tanggal_lapor
        rest = nomor_dokumen(0, "TT", laporan.pemilihan, laporan.unit, day).removeprefix("000")
        nomor = await file_numbered(
            await self.session.connection(),
            Nomor(laporan.unit, "TT", laporan.pemilihan.value, day.year, rest),
            Row(orm.laporan, self.laporan.values(laporan)),
            "nomor_tanda_terima",
            self._outbox,
            self._rows(laporan.pull_events()),
        )
        assert nomor is not None  # no key: always written
        laporan.nomor_tanda_terima = nomor
        if self._on_commit:
            self._on_commit()

    def _rows(self, events: list[Event]) -> list[dict[str, object]]:
        now = dt.datetime.now(dt.UTC)
        return [outbox_row(self._sealed(event), now=now) for event in events]

    async def commit(self) -> None:
        await self.read_models.flush()  # figures counted by the handlers, added once per commit
        await super().commit()


UowFactory = Callable[[], ReportingUnitOfWork]
