"""page images: every page of a document rendered to a PNG once, with its size and the boxes of its lines

Revision ID: 14e_pages
Revises: 14c_links
"""

import sqlalchemy as sa
from alembic import op

revision = "14e_pages"
down_revision = "14c_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("width_px", sa.Integer(), nullable=False),
        sa.Column("height_px", sa.Integer(), nullable=False),
        sa.Column("width_pt", sa.Float(), nullable=False),
        sa.Column("height_pt", sa.Float(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("line_boxes", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "number", name="uq_page_images_document_number"),
    )
    with op.batch_alter_table("page_images", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_page_images_document_id"), ["document_id"], unique=False)
    # Documents read before this revision have no page images yet: the workers render them once.
    op.execute(
        "INSERT INTO jobs (kind, document_id, state, attempts, created_at, available_at) "
        "SELECT 'render-pages', id, 'queued', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM documents "
        "WHERE status IN ('checked', 'failed')"
    )


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE kind = 'render-pages'")
    with op.batch_alter_table("page_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_page_images_document_id"))
    op.drop_table("page_images")
