"""Passwords: the policy a new one must meet, and argon2id hashes of them.

Refused: fewer than :data:`PANJANG_MINIMUM` characters, a password found whole in zxcvbn's
lists of common and breached passwords (its ``passwords`` list, from real leaks), and one
zxcvbn scores below :data:`SKOR_MINIMUM` (guessable with about 10^8 attempts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from awasi_common.errors import DomainError

PANJANG_MINIMUM = 12
PANJANG_MAKSIMUM = 128
"""zxcvbn's cost grows with the length; a passphrase longer than this is not needed."""
SKOR_MINIMUM = 3
_DAFTAR_BOCOR = "passwords"
"""zxcvbn's list built from breached password dumps."""

ProfilSandi = Literal["rfc9106-low-memory", "rfc9106-high-memory", "cheapest"]
PROFIL: dict[str, Parameters] = {
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,
    "rfc9106-high-memory": profiles.RFC_9106_HIGH_MEMORY,
    "cheapest": profiles.CHEAPEST,
}
"""argon2id's cost parameters by name: RFC 9106's second recommended option (64 MiB, 3 passes;
the library's default, ~0.3 s of CPU a hash here), its first (2 GiB, 1 pass), and the library's
cheapest, for the test suite only (refused in production): a hash keeps its own parameters, so
whatever made it, it is checked the same way."""


class HashSandi:
    """Hashes passwords and checks them, with one profile's argon2id parameters."""

    def __init__(self, profil: ProfilSandi = "rfc9106-low-memory") -> None:
        self.profil = profil
        self._hasher = PasswordHasher.from_parameters(PROFIL[profil])
        # Made now, not on the first unknown email: that one would take twice as long.
        self._pembanding = self._hasher.hash("awasi: perbandingan untuk email yang tidak dikenal")

    def hash(self, sandi: str) -> str:
        return self._hasher.hash(sandi)

    def cocok(self, sandi_hash: str | None, sandi: str) -> bool:
        """Whether ``sandi`` matches; with no hash (an unknown email, an account not yet
        activated) a hash is still checked, so the answer takes as long either way."""
        try:
            return self._hasher.verify(sandi_hash or self._pembanding, sandi) and sandi_hash is not None
        except (VerificationError, InvalidHashError):
            return False


class SandiDitolak(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="sandi")


def periksa_sandi(sandi: str, milik: Sequence[str] = ()) -> None:
    """Raise :class:`SandiDitolak` saying why ``sandi`` is refused; ``milik`` are the owner's
    own words (name, email) that make a password easier to guess."""
    if len(sandi) < PANJANG_MINIMUM:
        raise SandiDitolak(f"Kata sandi terlalu pendek: paling sedikit {PANJANG_MINIMUM} karakter.")
    if len(sandi) > PANJANG_MAKSIMUM:
        raise SandiDitolak(f"Kata sandi terlalu panjang: paling banyak {PANJANG_MAKSIMUM} karakter.")
    hasil = zxcvbn(sandi, user_inputs=[kata for kata in milik if kata])
    utuh = [
        match
        for match in hasil["sequence"]
        if match.get("dictionary_name") == _DAFTAR_BOCOR and len(match["token"]) >= len(sandi) - 2
    ]
    if utuh:
        raise SandiDitolak(
            "Kata sandi ini ada dalam daftar kata sandi yang umum dipakai atau pernah bocor; pilih yang lain."
        )
    if hasil["score"] < SKOR_MINIMUM:
        raise SandiDitolak(
            f"Kata sandi terlalu mudah ditebak (kekuatan {hasil['score']} dari 4, paling sedikit {SKOR_MINIMUM}). "
            "Gunakan frasa beberapa kata yang tidak berhubungan, tanpa nama, email, tanggal "
            "atau urutan huruf dan angka."
        )
