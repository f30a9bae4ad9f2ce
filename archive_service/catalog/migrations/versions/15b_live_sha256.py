"""one live document per office and SHA-256: a destroyed document's tombstone keeps its digest, and the same
bytes may be received again as a new document

Revision ID: 15b_live_sha256
Revises: 15a_plan_numbering
"""

import sqlalchemy as sa
from alembic import op

revision = "15b_live_sha256"
down_revision = "15a_plan_numbering"
branch_labels = None
depends_on = None

_LIVE = sa.text("destroyed_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("uq_documents_office_sha256", type_="unique")
    op.create_index(
        "uq_documents_office_sha256",
        "documents",
        ["office_id", "sha256"],
        unique=True,
        postgresql_where=_LIVE,
        sqlite_where=_LIVE,
    )


def downgrade() -> None:
    op.drop_index("uq_documents_office_sha256", table_name="documents")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_documents_office_sha256", ["office_id", "sha256"])
