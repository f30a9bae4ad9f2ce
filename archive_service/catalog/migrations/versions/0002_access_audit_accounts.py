"""access, audit and accounts: findings' documents, audit office and indexes, must-change-password

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_ids", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_audit_events_office_id_offices", "offices", ["office_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_audit_events_office_id"), ["office_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
    # Dossier findings stored before this revision do not name their documents: check every dossier again.
    op.execute(
        "INSERT INTO jobs (kind, dossier_id, state, attempts, created_at, available_at) "
        "SELECT 'check-dossier', id, 'queued', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM dossiers"
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))
        batch_op.drop_index(batch_op.f("ix_audit_events_user_id"))
        batch_op.drop_index(batch_op.f("ix_audit_events_office_id"))
        batch_op.drop_constraint("fk_audit_events_office_id_offices", type_="foreignkey")
        batch_op.drop_column("office_id")
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_column("document_ids")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
