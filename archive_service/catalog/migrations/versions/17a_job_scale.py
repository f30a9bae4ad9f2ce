"""workers on many machines: job priorities, a heartbeat lease and its holder, OCR page jobs and their results

Revision ID: 17a_job_scale
Revises: 16a_electronic_mark
"""

import sqlalchemy as sa
from alembic import op

revision = "17a_job_scale"
down_revision = "16a_electronic_mark"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default=sa.text("50")))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("worker", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("page", sa.Integer(), nullable=True))
        batch_op.create_index("ix_jobs_claim", ["state", "priority", "id"], unique=False)
    # Jobs already queued keep their order by kind: an upload's reading before derivatives and rebuilds.
    for kind, priority in (
        ("process-document", 10),
        ("check-dossier", 20),
        ("render-pages", 50),
        ("make-searchable-pdf", 70),
        ("rebuild-search-index", 90),
    ):
        op.execute(sa.text("UPDATE jobs SET priority = :p WHERE kind = :k").bindparams(p=priority, k=kind))
    op.create_table(
        "ocr_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "page", "sha256", name="uq_ocr_pages_page"),
    )
    with op.batch_alter_table("ocr_pages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ocr_pages_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ocr_pages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ocr_pages_document_id"))
    op.drop_table("ocr_pages")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_claim")
        batch_op.drop_column("page")
        batch_op.drop_column("worker")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("priority")
