"""Forum Warga's details (Pasal 17 and 18 Perbawaslu 2/2023)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import Field

from awasi_common.errors import DomainError
from awasi_participation.domain.rincian._fields import Details, regulated, regulated_many
from awasi_participation.domain.rules import MetodeForum, Pertemuan, pasal


class ForumWargaRincian(Details):
    program: Literal["forum_warga"] = Field(default="forum_warga", exclude=True)
    metode: Annotated[
        MetodeForum | None,
        regulated(
            MetodeForum, apa="Metode Forum Warga", lokasi="forum_warga.metode", pasal_ref=pasal("Pasal 18 ayat (1)")
        ),
    ] = None
    pertemuan: Annotated[
        tuple[Pertemuan, ...],
        regulated_many(
            Pertemuan, apa="Bentuk pertemuan", lokasi="forum_warga.pertemuan", pasal_ref=pasal("Pasal 17 ayat (2)")
        ),
    ] = ()

    def sahkan(self, *, unit: str, dibentuk_pada: dt.date) -> Self:
        if self.metode is None:
            raise DomainError(
                "Forum Warga wajib menetapkan metodenya: dialogis atau partisipatoris.",
                pasal=pasal("Pasal 18 ayat (1)"),
                field="forum_warga.metode",
            )
        if not self.pertemuan:
            raise DomainError(
                "Forum Warga dilaksanakan melalui pertemuan tatap muka dan/atau daring; "
                "pilih salah satu atau keduanya.",
                pasal=pasal("Pasal 17 ayat (2)"),
                field="forum_warga.pertemuan",
            )
        return self

    def formed_fields(self) -> dict[str, Any]:
        return {"metode": self.metode, "pertemuan": list(self.pertemuan)}
