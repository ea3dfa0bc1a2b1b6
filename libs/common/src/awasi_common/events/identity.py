"""Events the identity service publishes about accounts.

They say who may act for which unit, nothing more: an account's id, unit, role, divisi and
term. No name, email, phone, NIK or NIP travels (those stay in identity's own database), so
the contracts are public. Services keep their own read model from them, e.g. to refuse the
tokens of a disabled account before they expire.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from awasi_common.events.base import Event
from awasi_common.units import UnitCode
from awasi_common.vocabulary import Divisi, Role

AKUN_TOPIC = "awasi.identity.akun.v1"


class _AkunEvent(Event):
    topic: ClassVar[str] = AKUN_TOPIC
    source: ClassVar[str] = "/awasi/identity"
    key_field: ClassVar[str] = "akun_id"

    akun_id: str
    """The account's id: the ``sub`` of its access tokens."""


class _WewenangAkun(_AkunEvent):
    """What an account may do, and until when."""

    role: Role
    divisi: Divisi | None = None
    berlaku_mulai: dt.date
    berlaku_sampai: dt.date | None = None
    """The end of an ad hoc term (PKD, pengawas TPS); None for permanent staff."""


class AccountCreated(_WewenangAkun):
    name: ClassVar[str] = "AccountCreated"


class AccountChanged(_WewenangAkun):
    """Role, unit, divisi or term changed; ``unit`` is the unit after the change."""

    name: ClassVar[str] = "AccountChanged"

    unit_sebelumnya: UnitCode
    role_sebelumnya: Role


class AccountDisabled(_AkunEvent):
    """From now on the account signs in no more; its tokens must stop working."""

    name: ClassVar[str] = "AccountDisabled"

    dinonaktifkan_pada: dt.datetime
