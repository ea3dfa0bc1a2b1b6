from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from awasi_common.sealing import KeyRing
from awasi_common.uow import UnitOfWork
from awasi_identity.adapters.repository import (
    AkunRepository,
    AuditRepository,
    KlienRepository,
    KunciRepository,
    PercobaanRepository,
    ResetRepository,
    TokenRepository,
)
from awasi_identity.adapters.signing import Penandatangan
from awasi_identity.domain.sandi import HashSandi
from awasi_identity.settings import IdentitySettings


@dataclass(frozen=True)
class Konteks:
    """What the handlers need besides the database, the same for every unit of work."""

    settings: IdentitySettings
    penandatangan: Penandatangan
    keyring: KeyRing
    """Seals what identity keeps secret at rest: private signing keys, TOTP secrets."""
    sandi: HashSandi


class IdentityUnitOfWork(UnitOfWork):
    akun: AkunRepository
    percobaan: PercobaanRepository
    token: TokenRepository
    kunci: KunciRepository
    audit: AuditRepository
    klien: KlienRepository
    reset: ResetRepository

    def __init__(self, *args: Any, konteks: Konteks, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.konteks = konteks

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.akun = AkunRepository(self.session, self.konteks.keyring)
        self.percobaan = PercobaanRepository(self.session)
        self.token = TokenRepository(self.session)
        self.kunci = KunciRepository(self.session)
        self.audit = AuditRepository(self.session)
        self.klien = KlienRepository(self.session)
        self.reset = ResetRepository(self.session)
        return self

    async def commit(self) -> None:
        for akun in self.akun.seen:
            self.publish(*akun.events)
            akun.events.clear()
        await super().commit()
