"""A job queued on PostgreSQL wakes the listening workers through the trigger on ``jobs`` (no NOTIFY statement
of its own), at its transaction's commit; a job queued again by an UPDATE (``recovery.requeue``) notifies too.

Tests share the database (each its own schema) and the channel, so a notification is recognised by the backend
that sent it (``Notify.pid``), never by its mere arrival.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event, text, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobKind, JobState
from archive_service.jobs.enqueue import CHANNEL, enqueue
from archive_service.jobs.listen import conninfo
from archive_service.jobs.recovery import requeue
from archive_service.services import Services
from tests.corpus.session import skip_unless
from tests.jobs.workers import catalog, dossiers_to_check


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Services]:
    skip_unless(bool(os.environ.get("ARCHIVE_TEST_PG_URL")), "ARCHIVE_TEST_PG_URL is not set: no real PostgreSQL")
    yield from catalog("postgresql", tmp_path)


@pytest.fixture
def listener(pg: Services) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    conn = psycopg.connect(conninfo(pg.settings.database_url or ""), autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    yield conn
    conn.close()


def _notified_by(conn: psycopg.Connection[tuple[object, ...]], pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        for note in conn.notifies(timeout=left, stop_after=1):
            if note.pid == pid and note.channel == CHANNEL:
                return True
    return False


def test_a_queued_job_notifies_the_listeners_when_its_transaction_commits(
    pg: Services, listener: psycopg.Connection[tuple[object, ...]]
) -> None:
    (dossier_job,) = dossiers_to_check(pg, 1)  # a dossier to queue work for
    with transaction(pg.factory) as session:
        dossier_id = session.get_one(Job, dossier_job).dossier_id
        pid = int(session.scalar(text("SELECT pg_backend_pid()")) or 0)
        statements: list[str] = []

        def sent(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", sent)
        try:
            enqueue(session, JobKind.CHECK_DOSSIER, dossier_id=dossier_id)
            session.flush()
        finally:
            event.remove(engine, "before_cursor_execute", sent)
        # What enqueue sends: the INSERT only (the trigger notifies from inside it).
        assert len(statements) == 1 and statements[0].startswith("INSERT INTO jobs"), statements
    assert _notified_by(listener, pid)


def test_a_failed_job_queued_again_notifies_the_listeners(
    pg: Services, listener: psycopg.Connection[tuple[object, ...]]
) -> None:
    (job_id,) = dossiers_to_check(pg, 1)
    with transaction(pg.factory) as session:
        session.execute(update(Job).where(Job.id == job_id).values(state=JobState.FAILED.value, attempts=5))
    with transaction(pg.factory) as session:
        pid = int(session.scalar(text("SELECT pg_backend_pid()")) or 0)
        assert requeue(session, Job.id == job_id) == 1
    assert _notified_by(listener, pid)
