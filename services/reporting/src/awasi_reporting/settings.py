"""Reporting's own settings (``AWASI_REPORTING_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from awasi_common.settings import key_list

DEV_IDENTITY_KEY = "awasi-development-identity-key-change-me-in-production"


class ReportingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_REPORTING_", extra="ignore")

    identity_key: str = DEV_IDENTITY_KEY
    """Key(s) that encrypt reporters' identities at rest; comma-separated for rotation: the
    first encrypts, all decrypt."""
    bukti_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    """Largest single evidence file."""
    bukti_max_files: int = Field(default=5, ge=1)
    bukti_total_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1)
    intake_rate_limit: str = "5/minute;30/hour"
    """Anonymous submissions per client (``limits`` notation)."""
    status_rate_limit: str = "20/minute;200/hour"
    """Status look-ups per client: guessing a secret is slow."""
    attempt_rate_limit: str = "30/minute;300/hour"
    """Every request to a public form per client, counted before its body is read."""
    deadline_check_seconds: float = Field(default=300.0, gt=0)
    idempotency_retention_days: float = Field(default=7.0, gt=0)
    """How long a Form A submission's ``Idempotency-Key`` is kept (a repeat after that makes a
    new Form A); older keys are deleted hourly."""

    def identity_keys(self, *, production: bool = False) -> list[str]:
        return key_list(self.identity_key, DEV_IDENTITY_KEY, "AWASI_REPORTING_IDENTITY_KEY", production=production)
