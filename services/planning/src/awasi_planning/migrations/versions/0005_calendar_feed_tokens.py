"""calendar feed tokens, stored hashed

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "token_kalender",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sidik", sa.String(64), nullable=False, unique=True),
        sa.Column("subjek", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("divisi", sa.String(16)),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dicabut_pada", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_token_kalender_subjek", "token_kalender", ["subjek"])


def downgrade() -> None:
    op.drop_index("ix_token_kalender_subjek", table_name="token_kalender")
    op.drop_table("token_kalender")
