"""Password reset by an emailed link (issue 15, item 2): the same answer for a known and an
unknown address, a mail through a real SMTP server with a one-time link, the password unchanged
until the link is used, every sign-in ended after it, and nothing secret in the audit."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from awasi_cli.testing import eventually, free_port
from tests.identity.conftest import SANDI, AccountMaker, ServiceWith, masuk, segarkan

BARU = "biru laut menyimpan kapal nelayan tua"


class Smtp:
    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails.append(email.message_from_bytes(envelope.content, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
async def identity_mail(identity_with: ServiceWith, smtp: Smtp) -> httpx.AsyncClient:
    return await identity_with(SMTP_PORT=str(smtp.port), RESET_URL="https://awasi.example/sandi/atur")


async def test_a_reset_link_by_mail_sets_a_new_password_once(
    identity_mail: httpx.AsyncClient, smtp: Smtp, tokens: Any, start_service: Any
) -> None:
    from tests.identity.conftest import account_maker

    buat: AccountMaker = account_maker(identity_mail, tokens)
    made = await buat("35.05", "operator")
    address = made["akun"]["email"]
    signed_in = (await masuk(identity_mail, address)).json()

    unknown = await identity_mail.post("/sandi/lupa", json={"email": "tidak.ada@bawaslu.go.id"})
    asked = await identity_mail.post("/sandi/lupa", json={"email": address})
    assert asked.status_code == unknown.status_code == 202 and asked.json() == unknown.json()

    async def mailed() -> list[EmailMessage]:
        return smtp.mails

    (mail,) = await eventually(mailed, timeout=20)
    assert mail["To"] == address and "kata sandi" in str(mail["Subject"]).lower()
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    (link,) = re.findall(r"https://awasi\.example/sandi/atur\?token=(\S+)", body)

    # Asking changed nothing: the old password still signs in.
    assert (await masuk(identity_mail, address)).status_code == 200
    page = await identity_mail.get("/sandi/atur", params={"token": link})
    assert page.status_code == 200 and 'name="token"' in page.text.replace("name=token", 'name="token"')

    weak = await identity_mail.post("/sandi/atur", data={"token": link, "sandi": "pendek"})
    assert weak.status_code == 422, weak.text  # the policy, as at activation; the link stays usable
    done = await identity_mail.post("/sandi/atur", data={"token": link, "sandi": BARU})
    assert done.status_code == 200, done.text
    assert (await masuk(identity_mail, address)).status_code == 400  # the old password
    assert (await masuk(identity_mail, address, BARU)).status_code == 200
    assert (await segarkan(identity_mail, signed_in["refresh_token"])).status_code == 400  # sign-ins ended
    again = await identity_mail.post("/sandi/atur", data={"token": link, "sandi": SANDI + " lagi"})
    assert again.status_code == 400 and "tidak berlaku" in again.json()["detail"]
    as_browser = await identity_mail.post(
        "/sandi/atur", data={"token": link, "sandi": BARU}, headers={"accept": "text/html"}
    )
    assert as_browser.status_code == 400 and "<form" in as_browser.text

    audit = (await identity_mail.get("/audit", params={"unit": "35.05"}, headers=tokens("35.05", "admin"))).json()
    done_rows = {row["tindakan"] for row in audit if row.get("akun_id") == made["akun"]["id"]}
    assert {"reset_sandi_diminta", "sandi_diatur_ulang", "reset_sandi_gagal"} <= done_rows
    assert link not in str(audit)
