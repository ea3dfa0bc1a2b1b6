"""form_a idempotency keys

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 08:41:49.571107

The Idempotency-Key of each Form A submission (POST /form-a, /form-a/kolektif), per person and
route: the form ids it made and the SHA-256 of the request's content.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_a_idempotensi",
        sa.Column("subjek", sa.String(length=255), nullable=False),
        sa.Column("rute", sa.String(length=32), nullable=False),
        sa.Column("kunci", sa.String(length=128), nullable=False),
        sa.Column("sidik", sa.String(length=64), nullable=False),
        sa.Column("form_a_ids", sa.JSON(), nullable=False),
        sa.Column("penyampaian_id", sa.String(length=36), nullable=True),
        sa.Column("dibuat_pada", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subjek", "rute", "kunci"),
    )
    with op.batch_alter_table("form_a_idempotensi", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_a_idempotensi_dibuat_pada"), ["dibuat_pada"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_a_idempotensi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_a_idempotensi_dibuat_pada"))

    op.drop_table("form_a_idempotensi")
