"""kegiatan read model: tahapan as long as planning accepts it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 19:40:00.000000

Planning takes a kegiatan's tahapan up to 200 characters (``limits.Nama``); this column held 64,
so on PostgreSQL a longer one failed the consumer and went to the dead-letter topic.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kegiatan_rm") as batch:
        batch.alter_column("tahapan", type_=sa.String(200), existing_type=sa.String(64), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("kegiatan_rm") as batch:
        batch.alter_column("tahapan", type_=sa.String(64), existing_type=sa.String(200), existing_nullable=True)
