"""Errors a user can act on. Entry points turn them into 4xx answers in Bahasa Indonesia."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. ``pasal`` names the article, where a regulation says so."""

    status_code = 422

    def __init__(self, message: str, *, pasal: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pasal = pasal
        self.field = field


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class StaleWrite(Conflict):
    """The row changed between this command's read and its write (its version moved on): the
    command bus runs the command again on what is there now; only when that keeps happening does
    the caller get the 409."""


class Forbidden(DomainError):
    status_code = 403
