"""Participatory supervision programs (Perbawaslu 2/2023). No I/O here."""

from __future__ import annotations

from awasi_common.vocabulary import Program

__all__ = ["Program"]
