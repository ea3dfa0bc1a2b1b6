"""seal the reporters of Pojok reports kept in the outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

Rows of ``LaporanPojokDiterima`` v1 held the reporter and the witnesses in clear (retained for
republishing after a broker loss, and unpublished ones waiting for the relay). Each becomes the
v2 event with the same id: the identity sealed with ``AWASI_POJOK_IDENTITY_KEY``. Reporting
reads both versions and handles a report once, so a converted row published again is harmless.
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from awasi_common.sealing import KeyRing

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_outbox = sa.table(
    "outbox",
    sa.column("seq", sa.BigInteger),
    sa.column("topic", sa.String),
    sa.column("headers", sa.JSON),
    sa.column("payload", sa.LargeBinary),
)


def _convert(from_type: str, to_type: str, change: Callable[[dict[str, Any]], bytes]) -> None:
    from awasi_common.events.participation import POJOK_LAPORAN_TOPIC

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_outbox.c.seq, _outbox.c.headers, _outbox.c.payload).where(_outbox.c.topic == POJOK_LAPORAN_TOPIC)
    ).all()
    for row in rows:
        headers = dict(row.headers if isinstance(row.headers, dict) else json.loads(row.headers))
        if headers.get("ce_type") != from_type:
            continue
        payload = change(json.loads(bytes(row.payload)))
        headers["ce_type"] = to_type
        connection.execute(sa.update(_outbox).where(_outbox.c.seq == row.seq).values(headers=headers, payload=payload))


def _keys() -> KeyRing:
    from awasi_common.settings import PlatformSettings

    return KeyRing(PlatformSettings().pojok_identity_keys())


def upgrade() -> None:
    from awasi_common.events.participation import IdentitasPojok, LaporanPojokDiterima, LaporanPojokDiterimaV2

    keys = _keys()

    def sealed(data: dict[str, Any]) -> bytes:
        old = LaporanPojokDiterima.model_validate(data)
        identitas = IdentitasPojok(pelapor=old.pelapor, saksi=old.saksi)
        fields = old.model_dump(exclude={"pelapor", "saksi"})
        new = LaporanPojokDiterimaV2(**fields, identitas_tersegel=identitas.seal(keys, old.laporan_pojok_id))
        return new.model_dump_json().encode()

    _convert(LaporanPojokDiterima.ce_type(), LaporanPojokDiterimaV2.ce_type(), sealed)


def downgrade() -> None:
    # The code before this revision reads v1 only: its waiting rows go back to what it publishes.
    from awasi_common.events.participation import LaporanPojokDiterima, LaporanPojokDiterimaV2

    keys = _keys()

    def opened(data: dict[str, Any]) -> bytes:
        new = LaporanPojokDiterimaV2.model_validate(data)
        identitas = new.identitas(keys)
        fields = new.model_dump(exclude={"identitas_tersegel"})
        old = LaporanPojokDiterima(**fields, pelapor=identitas.pelapor, saksi=identitas.saksi)
        return old.model_dump_json().encode()

    _convert(LaporanPojokDiterimaV2.ce_type(), LaporanPojokDiterima.ce_type(), opened)
