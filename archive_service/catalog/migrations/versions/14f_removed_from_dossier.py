"""documents removed from their dossier: the row and the original stay, the dossier no longer holds them

Revision ID: 14f_removed
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "14f_removed"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_from_dossier_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("removed_from_dossier_at")
