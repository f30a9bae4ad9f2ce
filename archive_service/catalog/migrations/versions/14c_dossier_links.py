"""dossier links: a stored document also filed in another dossier of its office (no second copy)

Revision ID: 14c_links
Revises: 14f_removed
"""

import sqlalchemy as sa
from alembic import op

revision = "14c_links"
down_revision = "14f_removed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dossier_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("linked_by", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["linked_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "document_id", name="uq_dossier_links_dossier_document"),
    )
    with op.batch_alter_table("dossier_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_links_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossier_links_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dossier_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_links_document_id"))
        batch_op.drop_index(batch_op.f("ix_dossier_links_dossier_id"))
    op.drop_table("dossier_links")
