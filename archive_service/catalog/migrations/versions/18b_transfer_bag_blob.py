"""a transfer's bag kept as one ZIP in the blob store: downloadable from any server, backed up, verified

Revision ID: 18b_transfer_bag_blob
Revises: 18a_job_tallies
"""

import sqlalchemy as sa
from alembic import op

revision = "18b_transfer_bag_blob"
down_revision = "18a_job_tallies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Null for transfers sent before: their bag stays in the folder it was written to (downloaded from there).
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("bag_zip_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("bag_zip_sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("bag_zip_size", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transfers") as batch:
        batch.drop_column("bag_zip_size")
        batch.drop_column("bag_zip_sha256")
        batch.drop_column("bag_zip_key")
