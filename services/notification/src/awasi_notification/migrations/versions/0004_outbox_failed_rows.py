"""outbox rows the broker refused for good are set aside

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 19:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

from awasi_common.outbox import add_failed_state, drop_failed_state

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_failed_state(op)


def downgrade() -> None:
    drop_failed_state(op)
