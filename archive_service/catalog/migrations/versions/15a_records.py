"""records' life: dossier kinds and NĐ 30 fields, states; file plans; retention schedule edits; record files;
holds (freeze); transfers; appraisals; document tombstones

Revision ID: 15a_records
Revises: 14g_saved
"""

import sqlalchemy as sa
from alembic import op

revision = "15a_records"
down_revision = "14g_saved"
branch_labels = None
depends_on = None


def _ts(name: str, *, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "file_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False, index=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("decision_number", sa.String(length=64), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("approver_name", sa.String(length=255), nullable=True),
        _ts("approved_at"),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _ts("created_at", nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "year", name="uq_file_plans_office_year"),
    )
    op.create_table(
        "file_plan_headings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("file_plans.id"), nullable=False, index=True),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("file_plan_headings.id"), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "file_plan_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("file_plans.id"), nullable=False, index=True),
        sa.Column("heading_id", sa.Integer(), sa.ForeignKey("file_plan_headings.id"), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("retention", sa.String(length=32), nullable=False),
        sa.Column("former_name", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "retention_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=True, index=True),
        sa.Column("group_code", sa.String(length=64), nullable=False, index=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("retention", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("confidence", sa.String(length=16), nullable=False),
        sa.Column("edited_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _ts("edited_at", nullable=False),
        _ts("superseded_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "record_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_type", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=128), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("storage_key", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_record_files_owner", "record_files", ["owner_type", "owner_id"])
    op.create_table(
        "holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossiers.id"), nullable=True, index=True),
        sa.Column("document_ids", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _ts("placed_at", nullable=False),
        sa.Column("lifted_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _ts("lifted_at"),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False, index=True),
        sa.Column("target", sa.String(length=24), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("dossier_ids", sa.JSON(), nullable=False),
        sa.Column("bag_name", sa.String(length=255), nullable=False),
        sa.Column("bag_digest", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _ts("created_at", nullable=False),
        sa.Column("confirmed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _ts("confirmed_at"),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "appraisals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), sa.ForeignKey("offices.id"), nullable=False, index=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("dossier_ids", sa.JSON(), nullable=False),
        sa.Column("council_members", sa.JSON(), nullable=True),
        sa.Column("council_date", sa.Date(), nullable=True),
        sa.Column("council_opinion", sa.Text(), nullable=True),
        sa.Column("decision_number", sa.String(length=64), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("approver_name", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        _ts("created_at", nullable=False),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _ts("approved_at"),
        sa.Column("destroyed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        _ts("destroyed_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.alter_column("meeting_body", existing_type=sa.String(length=8), nullable=True)
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="hoi-nghi"))
        batch_op.add_column(sa.Column("file_code", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("former_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("end_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("medium", sa.String(length=16), nullable=False, server_default="dien-tu"))
        batch_op.add_column(sa.Column("page_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("usage_mode", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("plan_entry_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ad_hoc", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("state", sa.String(length=24), nullable=False, server_default="open"))
        batch_op.add_column(_ts("state_changed_at"))
        batch_op.add_column(_ts("closed_at"))
        batch_op.add_column(sa.Column("kept_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("kept_consent", sa.String(length=500), nullable=True))
        batch_op.add_column(_ts("locked_until"))
        batch_op.add_column(sa.Column("legal_hold", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key("fk_dossiers_plan_entry_id", "file_plan_entries", ["plan_entry_id"], ["id"])
        batch_op.create_index("ix_dossiers_plan_entry_id", ["plan_entry_id"], unique=False)
        batch_op.create_index("ix_dossiers_state", ["state"], unique=False)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(_ts("destroyed_at"))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("destroyed_at")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_state")
        batch_op.drop_index("ix_dossiers_plan_entry_id")
        batch_op.drop_constraint("fk_dossiers_plan_entry_id", type_="foreignkey")
        for name in (
            "legal_hold",
            "locked_until",
            "kept_consent",
            "kept_until",
            "closed_at",
            "state_changed_at",
            "state",
            "ad_hoc",
            "plan_entry_id",
            "usage_mode",
            "description",
            "page_total",
            "medium",
            "end_date",
            "start_date",
            "former_name",
            "file_code",
            "kind",
        ):
            batch_op.drop_column(name)
        batch_op.alter_column("meeting_body", existing_type=sa.String(length=8), nullable=False)
    for table in (
        "appraisals",
        "transfers",
        "holds",
        "record_files",
        "retention_rules",
        "file_plan_entries",
        "file_plan_headings",
        "file_plans",
    ):
        op.drop_table(table)
