"""Password hashes: argon2id with RFC 9106's parameters by default; the suite's cheap profile
(``AWASI_IDENTITY_PASSWORD_PROFILE=cheapest``, set in tests/conftest.py) refused in production."""

from __future__ import annotations

import argon2
import pytest
from pydantic import ValidationError

from awasi_common.settings import DevelopmentDefaultRefused
from awasi_identity.domain.sandi import HashSandi
from awasi_identity.settings import IdentitySettings


def test_the_default_is_rfc_9106s_recommended_argon2id_and_any_profiles_hash_is_checked() -> None:
    default = IdentitySettings(password_profile="rfc9106-low-memory").hash_sandi(production=True)
    made = default.hash("kuda-lumping-di-pasar-senen")
    assert argon2.extract_parameters(made) == argon2.profiles.RFC_9106_LOW_MEMORY
    assert default.cocok(made, "kuda-lumping-di-pasar-senen")
    assert not default.cocok(made, "kuda-lumping-di-pasar-senin")
    assert not default.cocok(None, "kuda-lumping-di-pasar-senen")  # unknown email: still a check, then no
    cheap = HashSandi("cheapest").hash("kuda-lumping-di-pasar-senen")
    assert argon2.extract_parameters(cheap).memory_cost < argon2.profiles.RFC_9106_LOW_MEMORY.memory_cost
    assert default.cocok(cheap, "kuda-lumping-di-pasar-senen")  # the hash carries its parameters


def test_the_cheapest_profile_is_for_tests_only() -> None:
    with pytest.raises(DevelopmentDefaultRefused, match="AWASI_IDENTITY_PASSWORD_PROFILE"):
        IdentitySettings(password_profile="cheapest").hash_sandi(production=True)
    assert IdentitySettings(password_profile="cheapest").hash_sandi().profil == "cheapest"
    with pytest.raises(ValidationError):
        IdentitySettings(password_profile="md5")  # type: ignore[arg-type]
