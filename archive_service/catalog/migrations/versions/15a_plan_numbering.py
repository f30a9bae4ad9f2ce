"""file plans: dossier numbers across the plan or within each đề mục lớn

Revision ID: 15a_plan_numbering
Revises: 15a_records
"""

import sqlalchemy as sa
from alembic import op

revision = "15a_plan_numbering"
down_revision = "15a_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("file_plans") as batch_op:
        batch_op.add_column(sa.Column("numbering", sa.String(length=16), nullable=False, server_default="plan"))


def downgrade() -> None:
    with op.batch_alter_table("file_plans") as batch_op:
        batch_op.drop_column("numbering")
