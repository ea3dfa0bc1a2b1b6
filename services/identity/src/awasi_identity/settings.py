"""Identity's own settings (``AWASI_IDENTITY_*``), beside the shared ones."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from awasi_common.settings import DevelopmentDefaultRefused, key_list
from awasi_identity.domain.percobaan import Kebijakan
from awasi_identity.domain.sandi import HashSandi, ProfilSandi

DEV_IDENTITY_KEY = "awasi-development-identity-key-change-me-in-production"


class IdentitySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AWASI_IDENTITY_", extra="ignore")

    key: str = DEV_IDENTITY_KEY
    """Key(s) sealing the signing keys' private halves at rest; comma-separated for rotation
    (the first seals, all open)."""
    issuer: str = ""
    """The ``iss`` of its tokens and the base of its discovery document: the address the
    services reach this service at. Unset: ``http://127.0.0.1:<port>`` (one machine)."""
    audience: str = "awasi"
    access_token_seconds: int = Field(default=300, ge=30, le=3600)
    client_token_seconds: int = Field(default=300, ge=30, le=3600)
    """An agency client's access token (client credentials; no refresh token)."""
    refresh_token_days: int = Field(default=14, ge=1, le=90)
    reset_minutes: int = Field(default=60, ge=5, le=24 * 60)
    """How long an emailed password reset link stays valid."""
    reset_url: str = ""
    """The page the reset link opens (``?token=`` is added). Unset: identity's own form,
    ``<issuer>/sandi/atur``."""
    smtp_host: str = "127.0.0.1"
    """The mail server that sends reset links (as notification's, ``AWASI_NOTIFICATION_SMTP_*``)."""
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    smtp_sender: str = "Awasi Bawaslu <akun@awasi.local>"
    activation_days: int = Field(default=14, ge=1, le=90)
    """How long a one-time activation code stays valid."""
    signing_key_days: int = Field(default=30, ge=1, le=365)
    """A signing key older than this is replaced; the one before stays published."""
    signing_key_lead_seconds: int = Field(default=600, ge=0, le=86_400)
    """A scheduled new key is published this long before it signs: longer than verifiers
    cache the JWKS (PyJWT's client: 300 s) and wait between refreshes on an unknown kid."""
    key_check_seconds: float = Field(default=60.0, gt=0)
    """How often each replica reloads the keys (and rotates one that reached its age)."""
    lockout_failures: int = Field(default=5, ge=2, le=50)
    lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    backoff_seconds: float = Field(default=1.0, ge=0, le=60)
    """The wait after the third failed sign-in in a row, doubled with each further failure."""
    public_rate_limit: str = "30/minute;300/hour"
    """Per client, on sign-in and activation."""
    password_profile: ProfilSandi = "rfc9106-low-memory"
    """argon2id's parameters for new password hashes (:data:`awasi_identity.domain.sandi.PROFIL`);
    ``cheapest`` is for the test suite and refused in production."""

    def keys(self, *, production: bool = False) -> list[str]:
        """Refused in production while the development key is among them (issue 15, item 8)."""
        return key_list(self.key, DEV_IDENTITY_KEY, "AWASI_IDENTITY_KEY", production=production)

    def hash_sandi(self, *, production: bool = False) -> HashSandi:
        if production and self.password_profile == "cheapest":
            raise DevelopmentDefaultRefused(
                "AWASI_ENV=production: AWASI_IDENTITY_PASSWORD_PROFILE=cheapest hanya untuk pengujian; "
                "pakai rfc9106-low-memory atau rfc9106-high-memory"
            )
        return HashSandi(self.password_profile)

    def kebijakan(self) -> Kebijakan:
        return Kebijakan(
            batas=self.lockout_failures,
            kunci=dt.timedelta(minutes=self.lockout_minutes),
            jeda=dt.timedelta(seconds=self.backoff_seconds),
        )
