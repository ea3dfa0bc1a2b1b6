"""Webhook signatures in the Standard Webhooks scheme (the one Svix, Resend, Clerk and others use).

The signed content is ``{webhook-id}.{webhook-timestamp}.{raw body}``; the signature is
HMAC-SHA256 with the subscriber's secret, base64-encoded and written ``v1,<signature>`` in the
``webhook-signature`` header. During a secret rotation both the new and the previous secret
sign, space-separated, so a receiver holding either one verifies the message.

A secret is ``whsec_`` followed by the base64 of 32 random bytes; the key is those bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence

PREFIX = "whsec_"
TOLERANCE_SECONDS = 5 * 60


class InvalidSignature(ValueError):
    pass


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(PREFIX), validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidSignature("secret is not base64 after its whsec_ prefix") from error


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` entry."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def sign(secrets_: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: one entry per valid secret, newest first."""
    return " ".join(signature(secret, msg_id, timestamp, body) for secret in secrets_)


def headers(secrets_: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secrets_, msg_id, timestamp, body),
    }


def verify(
    secret: str,
    received: Mapping[str, str],
    body: bytes,
    *,
    now: int,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """What a receiver does: raise InvalidSignature unless one entry matches and the time is fresh."""
    lowered = {key.lower(): value for key, value in received.items()}
    try:
        msg_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        entries = lowered["webhook-signature"].split()
    except (KeyError, ValueError) as error:
        raise InvalidSignature("webhook-id, webhook-timestamp or webhook-signature missing") from error
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = signature(secret, msg_id, timestamp, body)
    if not any(hmac.compare_digest(expected, entry) for entry in entries):
        raise InvalidSignature("no signature matches")
