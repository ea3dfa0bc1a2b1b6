"""Participation's own settings (``AWASI_PARTICIPATION_*``), beside the shared ones."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ParticipationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_PARTICIPATION_", extra="ignore")

    obligation_interval_seconds: float = Field(default=3600.0, gt=0)
    """How often the background job looks for obligations that fell due unmet."""
    obligation_first_run_seconds: float = Field(default=10.0, ge=0)
    """Delay after start-up before the first look (the service is ready first)."""
    consumer_group: str = "awasi.participation"
    """The Kafka consumer group for planning's events (tests give each run its own)."""
    public_rate_limit: str = "30/minute;300/hour"
    """Per client, on the endpoints anyone may call (sign-up, check-in, feedback, kegiatan info)."""
    alert_lookback_days: int = Field(default=90, ge=0)
    """Obligations whose deadline is older than this are shown as missed but not alerted."""
