"""Encryption at rest of what identifies a person: reporters and witnesses (AES-256-GCM, see
:mod:`awasi_common.sealing`). Each blob is bound to its row (``laporan:<id>:pelapor``)."""

from __future__ import annotations

from awasi_common.sealing import KeyRing


class IdentityCipher(KeyRing):
    """Reporting's own keys (``AWASI_REPORTING_IDENTITY_KEY``) for its tables."""
