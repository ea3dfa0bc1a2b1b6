"""inbox, outbox and the relay's shard leases, as every service has them

Revision ID: 0001
Revises:
Create Date: 2026-12-07 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

from awasi_common.outbox import add_failed_state, create_messaging_tables, drop_failed_state, drop_messaging_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables(op)
    add_failed_state(op)


def downgrade() -> None:
    drop_failed_state(op)
    drop_messaging_tables(op)
