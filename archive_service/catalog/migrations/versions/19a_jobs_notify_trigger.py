"""workers woken by the catalog itself: a statement trigger on jobs sends NOTIFY archive_jobs (PostgreSQL)

Every transaction that queues a job sent ``NOTIFY archive_jobs`` as a statement of its own (a round trip of every
upload). The trigger sends it from inside the INSERT, once per statement, and PostgreSQL still delivers it only at
commit (a worker cannot wake before the job is visible) and folds repeats within one transaction into one. SQLite
has no notifications: nothing changes there.

Revision ID: 19a_jobs_notify_trigger
Revises: 18b_transfer_bag_blob
"""

from alembic import op

revision = "19a_jobs_notify_trigger"
down_revision = "18b_transfer_bag_blob"
branch_labels = None
depends_on = None

# The channel is archive_service.jobs.enqueue.CHANNEL (a migration does not import the application: it must keep
# meaning what it meant when it was written).
_FUNCTION = """
CREATE FUNCTION archive_jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NOTIFY archive_jobs;
    RETURN NULL;
END
$$
"""
_TRIGGER = "CREATE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH STATEMENT EXECUTE FUNCTION archive_jobs_notify()"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    op.execute(_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS jobs_notify ON jobs")
    op.execute("DROP FUNCTION IF EXISTS archive_jobs_notify()")
