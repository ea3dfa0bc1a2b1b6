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


class Forbidden(DomainError):
    status_code = 403
