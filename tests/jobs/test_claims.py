"""The queue's claims on SQLite and the real PostgreSQL: priority order, fencing of a stale holder, the
heartbeat, and jobs of dead processes of this machine freed at once."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import BULK_PRIORITY_STEP, JOB_PRIORITY, Job, JobKind, JobState
from archive_service.jobs import queue
from archive_service.jobs.enqueue import enqueue
from archive_service.services import Services
from archive_service.storage.spool_sweep import pid_alive
from archive_service.workers.jobs import run_pending_jobs
from tests.corpus.session import skip_unless
from tests.jobs.workers import catalog, dossiers_to_check, job


@pytest.fixture(params=["embedded", "postgresql"])
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    if request.param == "postgresql":
        skip_unless(bool(os.environ.get("ARCHIVE_TEST_PG_URL")), "ARCHIVE_TEST_PG_URL is not set: no real PostgreSQL")
    yield from catalog(str(request.param), tmp_path, job_lease_s=60)


def _queue(services: Services, kind: JobKind, *, bulk: bool = False) -> int:
    with transaction(services.factory) as session:
        row = enqueue(session, kind, bulk=bulk)
        session.flush()
        return row.id


def test_a_users_upload_is_claimed_before_older_ocr_pages_and_bulk_work(services: Services) -> None:
    assert JOB_PRIORITY[JobKind.PROCESS_DOCUMENT] < JOB_PRIORITY[JobKind.OCR_PAGE] and BULK_PRIORITY_STEP > 0
    bulk_upload = _queue(services, JobKind.PROCESS_DOCUMENT, bulk=True)  # oldest: a bulk import's document
    ocr_page = _queue(services, JobKind.OCR_PAGE)
    upload = _queue(services, JobKind.PROCESS_DOCUMENT)  # newest: a user's upload
    claimed = [queue.claim_next(services, worker=f"test:{i}") for i in range(4)]
    assert [j.id if j else None for j in claimed] == [upload, ocr_page, bulk_upload, None]
    assert all(j.worker == f"test:{i}" and j.heartbeat_at is not None for i, j in enumerate(claimed) if j)


def test_a_stale_holder_can_neither_finish_nor_fail_the_job_taken_from_it(services: Services) -> None:
    (job_id,) = dossiers_to_check(services, 1)
    stale = queue.claim_next(services, worker="host-a:1")
    assert stale is not None and queue.claim_next(services) is None  # held, its lease running
    assert queue.heartbeat(services, stale)
    with transaction(services.factory) as session:  # its holder falls silent past the lease
        long_ago = datetime.now(UTC) - timedelta(seconds=61)
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=long_ago))
    again = queue.claim_next(services, worker="host-b:2")
    assert again is not None and again.id == job_id and again.attempts == 2
    assert not queue.heartbeat(services, stale)
    assert not queue.fail(services, stale, ConnectionError("late"))
    assert not queue.finish(services, stale)
    assert job(services, job_id).state == JobState.RUNNING.value  # still the new holder's
    assert queue.finish(services, again)
    assert job(services, job_id).state == JobState.DONE.value


def test_a_failure_records_whether_a_backend_was_out(services: Services) -> None:
    (job_id,) = dossiers_to_check(services, 1)
    taken = queue.claim_next(services)
    assert taken is not None
    assert not queue.fail(services, taken, ConnectionError("blob store refused"))
    row = job(services, job_id)
    assert row.state == JobState.QUEUED.value and (row.last_error or "").startswith("outage: ")


def test_jobs_held_by_dead_processes_of_this_host_are_queued_again_at_once(services: Services) -> None:
    ended = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended: its pid is free
    ended.wait()
    dead, alive, elsewhere = dossiers_to_check(services, 3)
    holders = {
        dead: f"{queue.host_name()}:{ended.pid}:w0",
        alive: f"{queue.host_name()}:{os.getpid()}",
        elsewhere: "another-machine:1",
    }
    now = datetime.now(UTC)
    with transaction(services.factory) as session:
        for job_id, holder in holders.items():
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(state=JobState.RUNNING.value, attempts=1, worker=holder, claimed_at=now, heartbeat_at=now)
            )
    assert queue.release_dead_holders(services, pid_alive) == 1
    states = {job_id: (job(services, job_id).state, job(services, job_id).attempts) for job_id in holders}
    assert states == {dead: ("queued", 1), alive: ("running", 1), elsewhere: ("running", 1)}
    assert run_pending_jobs(services) == 1 and job(services, dead).attempts == 2


def test_a_job_whose_worker_stopped_on_every_try_is_failed_not_run_again(services: Services) -> None:
    (job_id,) = dossiers_to_check(services, 1)
    tries = services.settings.job_max_attempts
    with transaction(services.factory) as session:  # each of its tries ended with its worker gone silent
        long_ago = datetime.now(UTC) - timedelta(seconds=61)
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=JobState.RUNNING.value, attempts=tries, worker="host-a:1", heartbeat_at=long_ago)
        )
    assert run_pending_jobs(services) == 1
    row = job(services, job_id)
    assert row.state == JobState.FAILED.value and row.attempts == tries + 1
    assert "worker stopped" in (row.last_error or "")
