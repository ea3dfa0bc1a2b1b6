"""Identity's composition root: the one place that wires adapters, handlers and entry points."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from awasi_common.commands import CommandBus
from awasi_common.ratelimit import rate_limiter
from awasi_common.runtime import build_service, create_app, uow_factory
from awasi_common.sealing import KeyRing
from awasi_common.settings import PlatformSettings, ServiceSettings
from awasi_common.tokens import Verifier
from awasi_identity.adapters import orm
from awasi_identity.adapters.signing import Penandatangan
from awasi_identity.adapters.verifikasi import IdentityTokens
from awasi_identity.entrypoints import http, jobs
from awasi_identity.service_layer.handlers import HANDLERS
from awasi_identity.service_layer.unit_of_work import IdentityUnitOfWork, Konteks
from awasi_identity.settings import IdentitySettings

NAME = "identity"
MIGRATIONS = Path(__file__).parent / "migrations"


def bootstrap(
    platform: PlatformSettings | None = None,
    settings: ServiceSettings | None = None,
    identity: IdentitySettings | None = None,
) -> FastAPI:
    own = identity or IdentitySettings()
    service = build_service(NAME, orm, migrations_path=MIGRATIONS, platform=platform, settings=settings)
    if not own.issuer:
        own = own.model_copy(update={"issuer": f"http://127.0.0.1:{service.settings.port}"})
    keyring = KeyRing(own.keys(production=service.platform.production))
    sandi = own.hash_sandi(production=service.platform.production)
    konteks = Konteks(own, Penandatangan(keyring), keyring, sandi)
    make_uow = uow_factory(service, IdentityUnitOfWork, konteks=konteks)
    bus = CommandBus(HANDLERS, make_uow)
    service.background.extend(jobs.jobs(bus, own))
    app = create_app(
        service,
        title="Awasi — Identitas",
        description="Akun staf Bawaslu, masuk, dan kunci penandatangan token (JWKS) yang diverifikasi layanan lain.",
        routers=[http.router],
        body_limits=http.BODY_LIMITS,
    )
    # Its own tokens against its own keys; development tokens (outside production) as every
    # service takes them, with no fetch of its own JWKS.
    platform_tokens = Verifier.from_settings(service.platform.model_copy(update={"token_issuer": ""}))
    service.tokens = IdentityTokens(platform_tokens, konteks.penandatangan, own)
    app.state.tokens = service.tokens
    app.state.uow_factory = make_uow
    app.state.bus = bus
    app.state.identity_settings = own
    app.state.identity_keyring = keyring
    app.state.rate_limiter = rate_limiter(service.platform, {"publik": own.public_rate_limit})
    return app
