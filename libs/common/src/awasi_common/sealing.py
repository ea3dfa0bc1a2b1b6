"""Sealing what identifies a person (AES-256-GCM), at rest and on its way between services.

The ciphertext is bound to a context (the row or the purpose it belongs to, as associated
data), so a blob copied elsewhere does not open. Keys rotate: the first key seals, every
listed key opens.

Reporting seals reporters and witnesses in its tables with its own keys. A reporter's email
address has to reach notification, which sends the messages: it travels sealed with the
contact keys both services share (``AWASI_CONTACT_KEY``), so it is ciphertext in reporting's
outbox, on Kafka and in notification's delivery rows, and opened only to send the mail.
A reporter written down at a Pojok Pengawasan reaches reporting the same way, with keys only
participation and reporting hold (``AWASI_POJOK_IDENTITY_KEY``, see ``IdentitasPojok``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"
SEALED_PREFIX = "sealed:"
CONTACT_CONTEXT = "awasi:kontak-pelapor"


class KeyRing:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one key is needed")
        self._keys: dict[bytes, AESGCM] = {}
        self._current = b""
        for index, key in enumerate(keys):
            material = hashlib.sha256(key.encode()).digest()
            fingerprint = hashlib.sha256(b"awasi-key-id" + material).digest()[:4]
            self._keys[fingerprint] = AESGCM(material)
            if index == 0:
                self._current = fingerprint

    def encrypt(self, data: bytes, context: str) -> bytes:
        nonce = os.urandom(12)
        sealed = self._keys[self._current].encrypt(nonce, data, context.encode())
        return _VERSION + self._current + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> bytes:
        if blob[:1] != _VERSION:
            raise ValueError("unknown ciphertext version")
        cipher = self._keys.get(bytes(blob[1:5]))
        if cipher is None:
            raise ValueError("sealed with a key that is no longer configured")
        try:
            return cipher.decrypt(bytes(blob[5:17]), bytes(blob[17:]), context.encode())
        except InvalidTag as error:
            raise ValueError("ciphertext does not match its context or key") from error

    def encrypt_json(self, value: Any, context: str) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False).encode(), context)

    def decrypt_json(self, blob: bytes, context: str) -> Any:
        return json.loads(self.decrypt(blob, context))

    def seal_text(self, text: str, context: str) -> str:
        """``text`` as a printable token ('sealed:…') for a string field."""
        return SEALED_PREFIX + base64.urlsafe_b64encode(self.encrypt(text.encode(), context)).decode()

    def open_text(self, token: str, context: str) -> str:
        if not is_sealed(token):
            raise ValueError("not a sealed token")
        return self.decrypt(base64.urlsafe_b64decode(token[len(SEALED_PREFIX) :]), context).decode()


def is_sealed(text: str) -> bool:
    return text.startswith(SEALED_PREFIX)
