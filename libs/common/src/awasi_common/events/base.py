"""The base of every published event contract, and the catalog that lists them.

Each concrete event names its CloudEvents type, its topic and the field that holds its
aggregate id (the Kafka key, so events of one aggregate keep their order). Defining a
subclass registers it in :data:`CATALOG`; the AsyncAPI document and the JSON Schemas that
agencies read are generated from there.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from awasi_common.units import UnitCode


class Event(BaseModel):
    """A fact that happened in one service and that others may react to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    topic: ClassVar[str] = ""
    source: ClassVar[str] = ""
    key_field: ClassVar[str] = ""
    public: ClassVar[bool] = True
    """False for internal events (they carry personal data); agencies never see them."""
    alert: ClassVar[bool] = False
    """True for an obligation or deadline that fell due unmet: notification alerts the unit
    and its parent."""

    unit: UnitCode
    """The unit the event concerns, so subscribers can filter by region."""

    @classmethod
    def ce_type(cls) -> str:
        return f"awasi.{cls.name}.v{cls.version}"

    @property
    def key(self) -> str:
        return str(getattr(self, self.key_field))

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.name:
            if not (cls.topic and cls.source and cls.key_field):
                raise TypeError(f"{cls.__name__} must declare topic, source and key_field")
            if cls.alert and "pesan" not in cls.model_fields:
                raise TypeError(f"{cls.__name__} is an alert and must carry 'pesan' for people to read")
            existing = CATALOG.get(cls.ce_type())
            if existing is not None and existing is not cls:
                raise TypeError(f"event type {cls.ce_type()} declared twice")
            CATALOG[cls.ce_type()] = cls


CATALOG: dict[str, type[Event]] = {}
"""Every published event, by CloudEvents type."""


def topics() -> list[str]:
    """Every topic an event is published to, in a stable order."""
    return sorted({event.topic for event in CATALOG.values()})


def dead_letter_topic(consumer_group: str) -> str:
    return f"awasi.dlq.{consumer_group}"
