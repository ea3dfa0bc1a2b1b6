"""Issue 15, item 8: with AWASI_ENV=production nothing starts on a development key or secret and
`awasi token` is refused; the refusal names the variable, never a value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from awasi_cli.testing import process_env
from awasi_common.settings import (
    DEV_CONTACT_KEY,
    DEV_POJOK_IDENTITY_KEY,
    DEV_RATE_LIMIT_KEY,
    DevelopmentDefaultRefused,
    PlatformSettings,
    key_list,
)

REAL = {
    "rate_limit_key": "rate-0f9e8d7c6b5a",
    "contact_key": "contact-1a2b3c4d",
    "pojok_identity_key": "pojok-5e6f7a8b",
}
AWASI = str(Path(sys.executable).parent / "awasi")


def production_env(**overrides: str) -> dict[str, str]:
    env = process_env(suite=False)  # production: nothing of the suite's
    env.update({f"AWASI_{name.upper()}": value for name, value in REAL.items()})
    env["AWASI_ENV"] = "production"
    env.update(overrides)
    return env


@pytest.mark.parametrize(
    ("field", "development", "variable"),
    [
        ("rate_limit_key", DEV_RATE_LIMIT_KEY, "AWASI_RATE_LIMIT_KEY"),
        ("contact_key", DEV_CONTACT_KEY, "AWASI_CONTACT_KEY"),
        ("pojok_identity_key", f"{REAL['pojok_identity_key']},{DEV_POJOK_IDENTITY_KEY}", "AWASI_POJOK_IDENTITY_KEY"),
    ],
)
def test_production_refuses_each_development_key_even_among_rotated_ones(
    field: str, development: str, variable: str
) -> None:
    with pytest.raises(ValueError) as refused:
        PlatformSettings(env="production", **{**REAL, field: development})
    message = str(refused.value)
    assert variable in message and "kunci pengembangan" in message
    assert not any(value in message for value in REAL.values())  # names the variable, never a value


def test_production_with_keys_of_its_own_and_development_by_default() -> None:
    assert PlatformSettings(env="production", **REAL).production
    assert not PlatformSettings().production  # the embedded default
    assert key_list(DEV_CONTACT_KEY, DEV_CONTACT_KEY, "AWASI_CONTACT_KEY") == [DEV_CONTACT_KEY]
    with pytest.raises(DevelopmentDefaultRefused):
        key_list(DEV_CONTACT_KEY, DEV_CONTACT_KEY, "AWASI_CONTACT_KEY", production=True)


def test_awasi_token_is_refused_in_production_and_issued_in_development() -> None:
    refused = subprocess.run([AWASI, "token", "--unit", "35.05"], env=production_env(), capture_output=True, text=True)
    assert refused.returncode == 2 and "AWASI_ENV=production" in refused.stdout and "eyJ" not in refused.stdout
    development = process_env(suite=False)
    issued = subprocess.run([AWASI, "token", "--unit", "35.05"], env=development, capture_output=True, text=True)
    assert issued.returncode == 0 and issued.stdout.startswith("eyJ")


@pytest.mark.parametrize(
    ("service", "variable", "overrides"),
    [
        ("planning", "AWASI_CONTACT_KEY", {"AWASI_CONTACT_KEY": DEV_CONTACT_KEY}),
        ("reporting", "AWASI_REPORTING_IDENTITY_KEY", {}),  # its own key left at the development default
    ],
)
def test_a_service_will_not_start_in_production_on_a_development_key(
    service: str, variable: str, overrides: dict[str, str], tmp_path: Path
) -> None:
    env = production_env(AWASI_DATA_DIR=str(tmp_path), **overrides)
    started = subprocess.run(
        [sys.executable, "-m", f"awasi_{service}"], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert variable in started.stderr and "Traceback" not in started.stderr, started.stderr
    assert not any(value in started.stderr + started.stdout for value in REAL.values())


def test_a_service_needs_only_the_keys_it_uses_in_production() -> None:
    """A key left at its default is refused where it is used (at the start of a service that
    seals with it), not by every service: planning needs no contact key."""
    bare = PlatformSettings(env="production")
    with pytest.raises(DevelopmentDefaultRefused, match="AWASI_CONTACT_KEY"):
        bare.contact_keys()
    with pytest.raises(DevelopmentDefaultRefused, match="AWASI_POJOK_IDENTITY_KEY"):
        bare.pojok_identity_keys()
    with pytest.raises(ValueError, match="AWASI_RATE_LIMIT_KEY"):  # shared counters: the key matters
        PlatformSettings(env="production", redis_url="redis://127.0.0.1:6379/0")
