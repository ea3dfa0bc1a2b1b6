"""The password reset mail, sent by identity itself over SMTP (``AWASI_IDENTITY_SMTP_*``). The
link is in the body only; it is never logged."""

from __future__ import annotations

import email.utils
import logging
from email.message import EmailMessage

import aiosmtplib

from awasi_identity.service_layer.reset import SuratReset
from awasi_identity.settings import IdentitySettings

log = logging.getLogger(__name__)


def tautan(settings: IdentitySettings, token: str) -> str:
    base = settings.reset_url or f"{settings.issuer.rstrip('/')}/sandi/atur"
    return f"{base}?token={token}"


async def kirim_reset(settings: IdentitySettings, surat: SuratReset) -> bool:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = surat.email
    message["Subject"] = "Atur ulang kata sandi Awasi"
    message["Message-ID"] = email.utils.make_msgid(domain="awasi.local")
    sampai = surat.berlaku_sampai.strftime("%d-%m-%Y %H:%M UTC")
    message.set_content(
        f"Yth. {surat.nama},\n\n"
        "Ada permintaan untuk mengatur ulang kata sandi akun Awasi Anda. Buka tautan berikut untuk "
        f"membuat kata sandi baru (berlaku sekali, sampai {sampai}):\n\n{tautan(settings, surat.token)}\n\n"
        "Bila Anda tidak memintanya, abaikan surel ini: kata sandi Anda tidak berubah. Setelah kata "
        "sandi diatur ulang, semua sesi masuk akun ini berakhir.\n\nAwasi — Bawaslu\n"
    )
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            start_tls=settings.smtp_starttls,
            use_tls=settings.smtp_tls,
            timeout=10,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        log.warning("the password reset mail could not be sent: %s", type(error).__name__)
        return False
    return True
