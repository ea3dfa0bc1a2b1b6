"""nomor_urut: a sequence per unit, kind, regime (pemilu or pilkada) and year

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:30:00.000000

Pemilu and Pemilihan cases are separate registers (issue 13, item 1): the key gains
``pemilihan``. Until now one sequence served both regimes, so each existing row is carried over
to both regimes with its last number: a new number of either regime continues after every
number already given, and none can repeat one given before (``uq_*_nomor_register``).
The table is rebuilt (not altered) so the same steps run on PostgreSQL and SQLite.
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
        "nomor_urut_baru",
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("jenis", sa.String(length=8), nullable=False),
        sa.Column("pemilihan", sa.String(length=8), nullable=False, server_default="pemilu"),
        sa.Column("tahun", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terakhir", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit", "jenis", "pemilihan", "tahun"),
    )
    for pemilihan in ("pemilu", "pilkada"):
        op.execute(
            "INSERT INTO nomor_urut_baru (unit, jenis, pemilihan, tahun, terakhir) "
            f"SELECT unit, jenis, '{pemilihan}', tahun, terakhir FROM nomor_urut"
        )
    op.drop_table("nomor_urut")
    op.rename_table("nomor_urut_baru", "nomor_urut")


def downgrade() -> None:
    op.create_table(
        "nomor_urut_lama",
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("jenis", sa.String(length=8), nullable=False),
        sa.Column("tahun", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("terakhir", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit", "jenis", "tahun"),
    )
    op.execute(
        "INSERT INTO nomor_urut_lama (unit, jenis, tahun, terakhir) "
        "SELECT unit, jenis, tahun, MAX(terakhir) FROM nomor_urut GROUP BY unit, jenis, tahun"
    )
    op.drop_table("nomor_urut")
    op.rename_table("nomor_urut_lama", "nomor_urut")
