"""partisipasi_rm without jumlah

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 08:38:34.230876

Participation's events carry no count: the column stayed empty (it was filled by guessing field
names across participation's contracts).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partisipasi_rm", schema=None) as batch_op:
        batch_op.drop_column("jumlah")


def downgrade() -> None:
    with op.batch_alter_table("partisipasi_rm", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jumlah", sa.INTEGER(), nullable=True))
