"""The outside world notification talks to: an SMTP server and agencies' webhook receivers."""

from __future__ import annotations

import email.utils
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
import httpx

from awasi_common.errors import DomainError
from awasi_common.sealing import CONTACT_CONTEXT, KeyRing, is_sealed
from awasi_notification.adapters.egress import AddressPolicy, PinnedTransport, RefusedAddress, Resolver, system_resolver
from awasi_notification.domain.webhook_urls import parse_webhook_url
from awasi_notification.settings import NotificationSettings


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
    location: str | None = None
    """Where a 3xx pointed (never followed)."""


class WebhookSender:
    """POSTs to agencies' receivers: public addresses only, checked at every connection and
    connected to as checked (adapters/egress.py); redirects are never followed."""

    def __init__(
        self,
        settings: NotificationSettings,
        *,
        resolver: Resolver = system_resolver,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._settings = settings
        policy = AddressPolicy(settings.webhook_allow_http_loopback, tuple(settings.webhook_allowed_networks))
        self._client = httpx.AsyncClient(
            transport=PinnedTransport(policy, resolver, verify=verify),
            timeout=settings.webhook_timeout_seconds,
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would make the pinned address moot
            headers={"user-agent": "Awasi-Webhooks/1.0"},
        )

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> WebhookResponse:
        try:  # a URL stored before today's rules is held to them as well
            target = parse_webhook_url(
                url,
                allow_http_loopback=self._settings.webhook_allow_http_loopback,
                allowed_networks=self._settings.webhook_allowed_networks,
            )
        except DomainError as error:
            raise DeliveryError(f"URL webhook ditolak: {error.message}", permanent=True) from error
        try:
            response = await self._client.post(
                target.url,
                content=body,
                headers={"content-type": "application/cloudevents+json", **headers},
            )
        except RefusedAddress as error:
            raise DeliveryError(str(error), permanent=True) from error
        except httpx.HTTPError as error:
            raise DeliveryError(f"penerima webhook tidak dapat dihubungi: {type(error).__name__}: {error}") from error
        location = response.headers.get("location") if response.is_redirect else None
        return WebhookResponse(response.status_code, response.text[:500], location[:300] if location else None)

    async def close(self) -> None:
        await self._client.aclose()
