"""password reset links by email, stored hashed

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reset_sandi",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("akun_id", sa.String(36), nullable=False),
        sa.Column("sidik", sa.String(64), nullable=False, unique=True),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kedaluwarsa", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dipakai_pada", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_reset_sandi_akun_id", "reset_sandi", ["akun_id"])


def downgrade() -> None:
    op.drop_index("ix_reset_sandi_akun_id", table_name="reset_sandi")
    op.drop_table("reset_sandi")
