"""The console's own settings (``AWASI_CONSOLE_*``) and where it finds the services."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from awasi_common.settings import PlatformSettings, ServiceSettings

CONSOLE_PORT = 8100
BACKENDS = ("identity", "planning", "participation", "reporting", "notification")
"""The services the console calls, each at ``AWASI_<NAME>_URL`` (the address ``awasi status``
uses too) or on this machine at its port."""


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_CONSOLE_", extra="ignore")

    host: str = "127.0.0.1"
    """0.0.0.0 in containers."""
    port: int = CONSOLE_PORT
    secure_cookie: bool | None = None
    """The session cookie only over HTTPS. Unset: on in production (``AWASI_ENV=production``),
    off on the development default, which is served over plain HTTP on localhost."""
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    """A session unused this long is forgotten (its tokens revoked at identity)."""
    session_max_hours: int = Field(default=12, ge=1, le=24)
    """Whatever happens, a sign-in lasts at most this long."""
    sessions_max: int = Field(default=20_000, ge=10, le=1_000_000)
    """Sessions kept in memory at most; the least recently used go first."""
    poll_seconds: int = Field(default=15, ge=2, le=600)
    """How often an open Beranda asks for new inbox messages."""
    request_timeout_seconds: float = Field(default=15.0, gt=0, le=120)
    public_urls: dict[str, str] = Field(default_factory=dict)
    """Where the public reaches a service, for links and QR codes handed to citizens
    (``AWASI_CONSOLE_PUBLIC_URLS='{"participation": "https://partisipasi.bawaslu.go.id"}'``);
    unset: the service's own address."""
    trace_dir: Path | None = None
    """Where its spans go as JSON lines (``awasi trace`` reads them). Unset: the platform's data
    directory's ``traces/`` (``AWASI_DATA_DIR``), none with ``AWASI_TRACE_FILE=false``."""
    trace_url: str | None = Field(default=None, max_length=500)
    """A trace viewer's address for one trace, ``{id}`` standing for its id (Jaeger's UI:
    ``http://localhost:16686/trace/{id}``): Operasi links each dead letter's trace there. Unset:
    the id is shown for ``awasi trace ID``."""
    service_urls: dict[str, str] = Field(default_factory=dict)
    """Filled from ``AWASI_<NAME>_URL`` or ``http://127.0.0.1:<port>`` when not given."""

    def model_post_init(self, _context: object) -> None:
        if self.trace_dir is None:
            platform = PlatformSettings()
            if platform.trace_file:
                self.trace_dir = platform.data_dir / "traces"
        for name in BACKENDS:
            if name not in self.service_urls:
                url = (
                    os.environ.get(f"AWASI_{name.upper()}_URL") or f"http://127.0.0.1:{ServiceSettings.load(name).port}"
                )
                self.service_urls[name] = url.rstrip("/")

    @property
    def production(self) -> bool:
        return os.environ.get("AWASI_ENV", "development").lower() == "production"

    @property
    def cookie_secure(self) -> bool:
        return self.production if self.secure_cookie is None else self.secure_cookie
