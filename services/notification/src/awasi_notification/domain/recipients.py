"""Whom to tell: inboxes by owner, the regions an event falls in, the units an alert reaches."""

from __future__ import annotations

from awasi_common.units import ancestors_of, parent_of


def unit_owner(unit: str) -> str:
    """The in-app inbox of a unit."""
    return f"unit:{unit}"


def user_owner(subject: str) -> str:
    """The in-app inbox of one user (the token's subject)."""
    return f"user:{subject}"


def regions_covering(unit: str) -> list[str]:
    """The subscription regions an event of ``unit`` falls in: the unit and every unit above."""
    return [unit, *ancestors_of(unit)]


def alert_units(unit: str) -> list[str]:
    """An alert goes to the unit it concerns and to the unit directly above."""
    parent = parent_of(unit)
    return [unit] if parent is None else [unit, parent]
