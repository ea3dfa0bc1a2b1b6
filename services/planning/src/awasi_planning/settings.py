"""Planning's own settings (``AWASI_PLANNING_*``), beside the shared ones (host, port, database,
workers: :class:`awasi_common.settings.ServiceSettings`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from awasi_planning.adapters.documents import MAX_BYTES


class PlanningSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_PLANNING_", extra="ignore")

    document_max_bytes: int = Field(default=MAX_BYTES, ge=1)
    """The largest plan document an upload may carry."""
