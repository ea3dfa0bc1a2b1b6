from __future__ import annotations

from typing import Any, Self

from awasi_common.sealing import KeyRing
from awasi_common.uow import UnitOfWork
from awasi_participation.adapters.repository import Repository


class ParticipationUnitOfWork(UnitOfWork):
    repo: Repository

    def __init__(self, *args: Any, pojok_identity: KeyRing, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pojok_identity = pojok_identity
        """Seals a Pojok reporter's identity for reporting (``AWASI_POJOK_IDENTITY_KEY``)."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.repo = Repository(self.session)
        return self
