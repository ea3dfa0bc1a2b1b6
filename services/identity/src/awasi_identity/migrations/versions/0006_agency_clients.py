"""agencies' OAuth2 clients (client credentials)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "klien_instansi",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("cakupan", sa.JSON, nullable=False),
        sa.Column("rahasia_sidik", sa.String(64), nullable=False),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dibuat_oleh", sa.String(200), nullable=False),
        sa.Column("dinonaktifkan_pada", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("klien_instansi")
