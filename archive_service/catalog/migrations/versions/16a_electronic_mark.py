"""a document the office marks as issued electronically (văn bản điện tử đã ban hành): its digital signature
is required (SIG-MISSING, NĐ 30/2020 Điều 5)

Revision ID: 16a_electronic_mark
Revises: 15b_live_sha256
"""

import sqlalchemy as sa
from alembic import op

revision = "16a_electronic_mark"
down_revision = "15b_live_sha256"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("electronic", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("electronic")
