from __future__ import annotations

import datetime as dt
import time

import pytest

from awasi_common.auth import Principal, Role, TokenIssuer, Unauthenticated
from awasi_common.errors import Forbidden


def test_token_round_trip() -> None:
    issuer = TokenIssuer("a-test-key-seed")
    principal = issuer.verify(issuer.issue(unit="35.05", role=Role.OPERATOR))
    assert principal.unit == "35.05" and principal.role == Role.OPERATOR


def test_rejects_foreign_expired_and_malformed_tokens() -> None:
    issuer = TokenIssuer("a-test-key-seed")
    with pytest.raises(Unauthenticated):
        TokenIssuer("another-test-key-seed").verify(issuer.issue(unit="35.05", role="operator"))
    with pytest.raises(Unauthenticated, match="kedaluwarsa"):
        issuer.verify(issuer.issue(unit="35.05", role="operator", ttl=dt.timedelta(seconds=-1)))
    with pytest.raises(Unauthenticated):
        issuer.verify("not-a-token")


def test_a_token_checked_once_is_kept_only_until_it_expires() -> None:
    issuer = TokenIssuer("a-test-key-seed")
    token = issuer.issue(unit="35.05", role="operator", ttl=dt.timedelta(seconds=1))
    first = issuer.verify(token)
    assert issuer.verify(token) is first  # not decoded again
    time.sleep(1.1)
    with pytest.raises(Unauthenticated, match="kedaluwarsa"):
        issuer.verify(token)
    # A token altered after one was kept is checked on its own.
    with pytest.raises(Unauthenticated):
        issuer.verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_operators_act_on_their_unit_and_read_descendants() -> None:
    kab = Principal(subject="a", role=Role.OPERATOR, unit="35.05")
    assert kab.can_act_on("35.05")
    assert not kab.can_act_on("35.05.01")
    assert kab.can_read("35.05.01")
    assert not kab.can_read("35")
    with pytest.raises(Forbidden):
        kab.require_act("35.06")
    with pytest.raises(Forbidden):
        kab.require_read("35.06")


def test_viewers_never_write_and_ri_admin_acts_anywhere() -> None:
    viewer = Principal(subject="v", role=Role.VIEWER, unit="35.05")
    assert not viewer.can_act_on("35.05")
    admin = Principal(subject="root", role=Role.ADMIN, unit="00")
    assert admin.can_act_on("35.05.01")


def test_role_requirement_names_the_roles() -> None:
    operator = Principal(subject="o", role=Role.OPERATOR, unit="35.05")
    with pytest.raises(Forbidden, match="penanganan"):
        operator.require_act("35.05", Role.PENANGANAN)


def test_a_reader_is_told_it_is_the_role_not_the_unit() -> None:
    viewer = Principal(subject="v", role=Role.VIEWER, unit="35.05")
    with pytest.raises(Forbidden, match="hanya dapat membaca"):
        viewer.require_act("35.05")


def test_the_development_key_is_trusted_in_development_on_one_machine_only() -> None:
    from awasi_common.settings import PlatformSettings
    from awasi_common.tokens import Verifier, trusts_development_key

    development = TokenIssuer().issue(unit="35.05", role="operator")
    here = PlatformSettings(token_issuer="http://127.0.0.1:8105")
    assert trusts_development_key(here) and Verifier.from_settings(here).verify(development).unit == "35.05"
    keys = {"rate_limit_key": "r-1", "contact_key": "c-1", "pojok_identity_key": "p-1"}
    production = PlatformSettings(env="production", token_issuer="", **keys)
    turned_off = PlatformSettings(dev_token_key="", token_issuer="")
    for refused in (production, turned_off):
        assert not trusts_development_key(refused)
        with pytest.raises(Unauthenticated, match="tidak dikenal"):
            Verifier.from_settings(refused).verify(development)
    # A shared deployment (Compose's identity, a Keycloak) takes its issuer's tokens only.
    for remote in ("http://identity:8105", "https://sso.bawaslu.go.id/realms/awasi"):
        assert not trusts_development_key(PlatformSettings(token_issuer=remote))
