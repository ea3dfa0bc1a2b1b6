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
