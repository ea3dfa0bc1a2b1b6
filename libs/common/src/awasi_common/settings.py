"""Settings from the environment. Nothing in the code knows whether it runs on the embedded
default or a real cluster beyond these values."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

SERVICE_PORTS = {"planning": 8101, "participation": 8102, "reporting": 8103, "notification": 8104, "identity": 8105}
EMBEDDED_BROKER_PORT = 19092
DEV_TOKEN_KEY = "awasi-development-token-key-change-me-in-production"
"""The seed of the development token key (awasi_common.tokens): never trusted in production."""
DEV_JWT_SECRET = DEV_TOKEN_KEY
"""The old name (HS256 is gone): ``TokenIssuer(DEV_JWT_SECRET)`` mints development tokens."""
DEV_RATE_LIMIT_KEY = "awasi-development-rate-limit-key-change-me-in-production"
DEFAULT_TOKEN_ISSUER = "http://127.0.0.1:8105"
DEV_CONTACT_KEY = "awasi-development-contact-key-change-me-in-production"
DEV_POJOK_IDENTITY_KEY = "awasi-development-pojok-identity-key-change-me-in-production"


class DevelopmentDefaultRefused(ValueError):
    """A production deployment was about to run on a key or secret every copy of the code has."""


class PlatformSettings(BaseSettings):
    """What all services of one deployment share (``AWASI_*``)."""

    # A refused setting is reported by name; its value (a key, say) never reaches a log.
    model_config = SettingsConfigDict(env_prefix="AWASI_", extra="ignore", hide_input_in_errors=True)

    env: Literal["development", "production"] = "development"
    """``production`` refuses to start on a development key or secret and refuses ``awasi
    token``; the embedded default is development and says so once at start."""

    kafka_bootstrap: str = f"127.0.0.1:{EMBEDDED_BROKER_PORT}"
    # Tansu refuses InitProducerId; Apache Kafka deployments turn this on.
    kafka_idempotence: bool = False
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1_000, le=300_000)
    """A consumer that stops heartbeating leaves its group after this long. The embedded broker
    also holds every group join for half of it, so it is part of each service's start time."""
    kafka_fetch_wait_ms: int = Field(default=250, ge=1, le=10_000)
    """How long the broker may hold a consumer's fetch that found nothing new. Apache Kafka
    answers as soon as records arrive (500 is its clients' default); the embedded broker some
    time after, more the longer the wait (measured: a record sent at a random moment reached an
    idle consumer 15 ms later on average at 100, 37 ms at 200, 69 ms at 500), and every consumer
    asks it again after each wait, each fetch listing every stored batch of the partitions it
    reads. 250: under one Form A per request at 400/s the embedded broker's CPU per Form A was
    0.38 ms at 100, 0.24 at 250, 0.15 at 500, and the platform's 3.12, 2.77, 2.51 ms, for an
    end-to-end p50 of 79, 132 and 220 ms (docs/performance.md, #34). The reader of disabled
    accounts follows it up to ``DisabledSubjects.MAX_FETCH_WAIT_MS``."""
    topic_partitions: int = Field(default=3, ge=1)
    topic_replication: int = Field(default=1, ge=1)
    data_dir: Path = Path(".awasi")
    token_issuer: str = DEFAULT_TOKEN_ISSUER
    """The OpenID Connect issuer whose tokens the services take: identity's address (the
    default, identity on this machine) or an existing provider's (Keycloak:
    ``https://sso.example.go.id/realms/awasi``). Its discovery document names its JWKS; no secret
    is shared. Empty: no issuer (development tokens only)."""
    token_audience: str = "awasi"
    """The ``aud`` every token must name."""
    token_claim_unit: str = "unit"
    """Where a token carries the unit, role, divisi and jabatan: a claim name or a dotted path
    into nested claims (Keycloak: ``realm_access.roles`` for the role)."""
    token_claim_role: str = "role"
    token_claim_divisi: str = "divisi"
    token_claim_jabatan: str = "jabatan"
    jwks_refresh_seconds: float = Field(default=300.0, ge=5, le=86_400)
    """How often each process fetches the issuer's keys in the background."""
    jwks_unknown_kid_seconds: float = Field(default=10.0, ge=0, le=3_600)
    """A token naming a kid not held fetches the keys again, at most this often."""
    dev_token_key: str = DEV_TOKEN_KEY
    """The seed of the development key that ``awasi token`` and the tests sign with. Trusted in
    development on one machine only: never with ``AWASI_ENV=production``, never when
    ``token_issuer`` is another host; empty: never."""
    rate_limit_key: str = DEV_RATE_LIMIT_KEY
    """Keys the hash of a client's address in the rate limits' shared counters (Redis)."""
    contact_key: str = DEV_CONTACT_KEY
    """Key(s), shared by reporting and notification, that seal a reporter's email address on
    its way to notification; comma-separated for rotation (the first seals, all open)."""
    pojok_identity_key: str = DEV_POJOK_IDENTITY_KEY
    """Key(s), shared by participation and reporting only, that seal the identity of a reporter
    (and the witnesses) written down at a Pojok Pengawasan on its way to reporting; comma-separated
    for rotation. Not the contact key: notification has no business opening it."""
    relay_batch_size: int = Field(default=500, ge=1)
    relay_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_retention_days: int = Field(default=7, ge=0)
    trace_file: bool = True
    monitor_seconds: float = Field(default=10.0, gt=0)
    """How often each service samples its backlog and lag (and checks the broker kept its log)."""
    republish_on_start: bool = False
    """The embedded broker forgets its log when it stops: ``awasi up`` turns this on, so each
    service puts its retained outbox rows on the new log (consumers' inboxes drop repeats)."""
    cuti_bersama_libur: bool = True
    """Cuti bersama (SKB 3 Menteri) are days off when deadlines count hari kerja: offices are
    shut on them (awasi_common.calendar)."""
    redis_url: str | None = None
    """Redis (``redis://host:6379/0``) for counters every replica shares: the public endpoints'
    rate limits. Unset: each process counts alone."""
    trusted_proxies: str = ""
    """Comma-separated addresses or networks of the reverse proxies in front of the services;
    only a connection from one of them may name the client in ``X-Forwarded-For``. Empty (the
    default): the header is ignored, whoever sends it."""
    migrate_on_start: bool = True
    """Off where a migration job runs before the replicas (Kubernetes)."""

    @property
    def production(self) -> bool:
        return self.env == "production"

    @model_validator(mode="after")
    def _no_development_defaults_in_production(self) -> Self:
        """A development key given explicitly is refused at once; one left at its default is
        refused where it is used (a service that seals contacts asks :meth:`contact_keys` at
        start), so a service needs only the keys it uses. The rate limits' key matters only with
        shared counters (Redis)."""
        for field, value, development, variable in (
            ("rate_limit_key", self.rate_limit_key, DEV_RATE_LIMIT_KEY, "AWASI_RATE_LIMIT_KEY"),
            ("contact_key", self.contact_key, DEV_CONTACT_KEY, "AWASI_CONTACT_KEY"),
            ("pojok_identity_key", self.pojok_identity_key, DEV_POJOK_IDENTITY_KEY, "AWASI_POJOK_IDENTITY_KEY"),
        ):
            used = field in self.model_fields_set or (field == "rate_limit_key" and self.redis_url)
            key_list(value, development, variable, production=self.production and bool(used), warn=False)
        return self

    def contact_keys(self) -> list[str]:
        return key_list(self.contact_key, DEV_CONTACT_KEY, "AWASI_CONTACT_KEY", production=self.production)

    def pojok_identity_keys(self) -> list[str]:
        return key_list(
            self.pojok_identity_key, DEV_POJOK_IDENTITY_KEY, "AWASI_POJOK_IDENTITY_KEY", production=self.production
        )


def key_list(
    value: str, development_key: str, variable: str, *, production: bool = False, warn: bool = True
) -> list[str]:
    """Comma-separated keys, newest first. The development key anywhere in the list is refused
    in production (DevelopmentDefaultRefused, naming the variable, never the value) and warned
    about otherwise."""
    keys = [key.strip() for key in value.split(",") if key.strip()]
    if development_key in keys:
        if production:
            raise DevelopmentDefaultRefused(
                f"AWASI_ENV=production: {variable} berisi kunci pengembangan yang dimiliki setiap salinan Awasi; "
                "tetapkan kunci sendiri"
            )
        if warn and keys[:1] == [development_key]:
            log.warning("the development key is in use for %s: set it in any real deployment", variable)
    return keys


class ServiceSettings(BaseSettings):
    """One service's own settings (``AWASI_<SERVICE>_*``)."""

    model_config = SettingsConfigDict(extra="ignore")

    name: str
    host: str = "127.0.0.1"
    """0.0.0.0 in containers."""
    port: int = 0
    database_url: str = ""
    database_pool_size: int = Field(default=20, ge=1, le=200)
    """PostgreSQL connections each process keeps (and half as many more under a burst): size
    it with the database's ``max_connections`` over processes × replicas in mind."""
    workers: int = Field(default=1, ge=1, le=64)
    """Processes serving the service on its port, each a replica with its own relay and
    consumers (PostgreSQL only: on SQLite one process relays a database file's outbox)."""

    @classmethod
    def load(cls, name: str, platform: PlatformSettings | None = None) -> ServiceSettings:
        platform = platform or PlatformSettings()
        loaded = cls(name=name, _env_prefix=f"AWASI_{name.upper()}_")
        if not loaded.port:
            loaded.port = SERVICE_PORTS.get(name, 0)
        if not loaded.database_url:
            loaded.database_url = default_database_url(name, platform.data_dir)
        return loaded


def default_database_url(service: str, data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(data_dir / f'{service}.db').resolve()}"
