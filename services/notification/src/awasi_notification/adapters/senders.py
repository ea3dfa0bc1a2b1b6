"""The outside world notification talks to: an SMTP server and agencies' webhook receivers."""

from __future__ import annotations

import asyncio
import email.utils
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib
import httpx

from awasi_common.sealing import CONTACT_CONTEXT, KeyRing, is_sealed
from awasi_notification.config import NotificationSettings
from awasi_notification.domain.model import address_allowed


class DeliveryError(Exception):
    """An attempt failed. ``permanent`` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.status = status


class EmailSender:
    def __init__(self, settings: NotificationSettings, contacts: KeyRing) -> None:
        self._settings = settings
        self._contacts = contacts

    async def send(self, *, to: str, subject: str, body: str, message_id: str) -> None:
        s = self._settings
        if is_sealed(to):  # a reporter's address: opened here, for this message only
            try:
                to = self._contacts.open_text(to, CONTACT_CONTEXT)
            except ValueError as error:
                raise DeliveryError(f"alamat pelapor tidak dapat dibuka: {error}", permanent=True) from error
        message = EmailMessage()
        message["From"] = s.smtp_sender
        message["To"] = to
        message["Subject"] = subject
        # Stable across retries: a mail system that sees the same message twice can tell.
        message["Message-ID"] = f"<{message_id}@awasi.notifikasi>"
        message["Date"] = email.utils.formatdate(usegmt=True)
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                start_tls=s.smtp_starttls,
                use_tls=s.smtp_tls,
                timeout=s.smtp_timeout_seconds,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refusal.code for refusal in error.recipients]
            raise DeliveryError(
                f"SMTP menolak penerima: {'; '.join(str(r) for r in error.recipients)}",
                permanent=bool(codes) and all(code >= 500 for code in codes),
            ) from error
        except aiosmtplib.SMTPException as error:
            raise DeliveryError(f"SMTP gagal: {error}") from error
        except OSError as error:
            raise DeliveryError(f"server SMTP {s.smtp_host}:{s.smtp_port} tidak dapat dihubungi: {error}") from error


@dataclass(frozen=True)
class WebhookResponse:
    status: int
    text: str


class WebhookSender:
    def __init__(self, settings: NotificationSettings) -> None:
        self._settings = settings
        self._client = httpx.AsyncClient(
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
            headers={"user-agent": "Awasi-Webhooks/1.0"},
        )

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> WebhookResponse:
        await self._refuse_internal_addresses(url)
        try:
            response = await self._client.post(
                url,
                content=body,
                headers={"content-type": "application/cloudevents+json", **headers},
            )
        except httpx.HTTPError as error:
            raise DeliveryError(f"penerima webhook tidak dapat dihubungi: {type(error).__name__}: {error}") from error
        return WebhookResponse(response.status_code, response.text[:500])

    async def _refuse_internal_addresses(self, url: str) -> None:
        """Resolve the receiver's name now, at delivery: a name that points (or was re-pointed)
        into the internal network is refused, so a webhook cannot be used to reach it."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise DeliveryError(f"nama penerima webhook tidak dapat di-resolve: {error}") from error
        for info in infos:
            address = str(info[4][0])
            if not address_allowed(
                address,
                allow_loopback=self._settings.webhook_allow_http_loopback,
                allowed_networks=self._settings.webhook_allowed_networks,
            ):
                raise DeliveryError(
                    f"penerima webhook {host} menuju alamat jaringan internal ({address}); tidak dikirim",
                    permanent=True,
                )

    async def close(self) -> None:
        await self._client.aclose()
