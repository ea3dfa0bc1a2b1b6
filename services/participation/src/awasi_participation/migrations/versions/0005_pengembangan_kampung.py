"""pengembangan dan inovasi after evaluating every Kampung Pengawasan (Pasal 27 ayat (1))

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 20:10:00.000000
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
        "pengembangan_kampung",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("tanggal", sa.Date, nullable=False),
        sa.Column("kampung_dievaluasi", sa.JSON, nullable=False),
        sa.Column("hasil_evaluasi", sa.Text, nullable=False),
        sa.Column("pengembangan_inovasi", sa.Text, nullable=False),
        sa.Column("dicatat_oleh", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_pengembangan_kampung_unit", "pengembangan_kampung", ["unit"])


def downgrade() -> None:
    op.drop_index("ix_pengembangan_kampung_unit", table_name="pengembangan_kampung")
    op.drop_table("pengembangan_kampung")
