from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from awasi_common.events.base import Event
from awasi_common.events.reporting import PelaporNoticeRequested
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing
from awasi_common.uow import UnitOfWork
from awasi_reporting.adapters.dokumen import LaporanTahunanRepository
from awasi_reporting.adapters.identity import IdentityCipher
from awasi_reporting.adapters.nomor import SequenceRepository
from awasi_reporting.adapters.pengawasan import IdempotensiRepository, PengawasanRepository
from awasi_reporting.adapters.read_models import ReadModelRepository
from awasi_reporting.adapters.repository import LaporanRepository, TemuanRepository


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

    async def commit(self) -> None:
        await self.read_models.flush()  # figures counted by the handlers, added once per commit
        await super().commit()


UowFactory = Callable[[], ReportingUnitOfWork]
