"""Encryption at rest of what identifies a person: reporters and witnesses (AES-256-GCM).

The ciphertext is bound to the row it belongs to (associated data), so a blob copied to
another row does not decrypt. Keys rotate: the first key encrypts, every listed key decrypts.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


class IdentityCipher:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("at least one identity key is needed")
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
            raise ValueError("unknown identity ciphertext version")
        cipher = self._keys.get(bytes(blob[1:5]))
        if cipher is None:
            raise ValueError("identity was encrypted with a key that is no longer configured")
        try:
            return cipher.decrypt(bytes(blob[5:17]), bytes(blob[17:]), context.encode())
        except InvalidTag as error:
            raise ValueError("identity ciphertext does not match its row or key") from error

    def encrypt_json(self, value: Any, context: str) -> bytes:
        return self.encrypt(json.dumps(value, ensure_ascii=False).encode(), context)

    def decrypt_json(self, blob: bytes, context: str) -> Any:
        return json.loads(self.decrypt(blob, context))
