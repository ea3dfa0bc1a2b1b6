"""Field types the program details share. A value outside the choices an article lists is
refused with that article (a DomainError, raised straight through pydantic), not with a bare
validation error; blank text is stripped so the domain sees an empty value."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from awasi_participation.domain.base import choice, choices, text, texts


class Details(BaseModel):
    """One program's details: typed, immutable, stored as JSON (``model_dump(mode="json")``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def regulated(enum: type[StrEnum], *, apa: str, lokasi: str, pasal_ref: str | None) -> BeforeValidator:
    """One choice of ``enum``; absent (None or empty) stays None for the domain to require."""

    def parse(value: Any) -> StrEnum | None:
        if value is None or value == "":
            return None
        return choice(enum, value, pasal_ref=pasal_ref, lokasi=lokasi, apa=apa)

    return BeforeValidator(parse)


def regulated_many(enum: type[StrEnum], *, apa: str, lokasi: str, pasal_ref: str | None) -> BeforeValidator:
    """Several choices of ``enum``, each once."""
    return BeforeValidator(lambda values: choices(enum, values or (), pasal_ref=pasal_ref, lokasi=lokasi, apa=apa))


Text = Annotated[str, BeforeValidator(text)]
OptionalText = Annotated[str | None, BeforeValidator(lambda value: text(value) or None)]
Texts = Annotated[tuple[str, ...], BeforeValidator(texts)]
