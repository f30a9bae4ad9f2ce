"""job counters for monitoring: how many jobs of each kind ended done, to be retried, or failed

Revision ID: 18a_job_tallies
Revises: 17a_job_scale
"""

import sqlalchemy as sa
from alembic import op

revision = "18a_job_tallies"
down_revision = "17a_job_scale"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The counts start at zero with the upgrade: done jobs already pruned cannot be counted, and a counter that
    # counted only the ones still kept would tell a story no one could check.
    op.create_table(
        "job_tallies",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("kind", "outcome"),
    )


def downgrade() -> None:
    op.drop_table("job_tallies")
