"""``archive-service worker`` processes on the real PostgreSQL: each job runs exactly once among many workers,
a killed worker's job is taken again after its lease, SIGTERM lets the job in hand finish, a queued job wakes a
listening worker, and a restart frees at once the jobs its dead predecessor held."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import FindingRow, Job, JobState
from archive_service.jobs.queue import host_name
from archive_service.services import Services
from tests.corpus.session import need_tools, skip_unless
from tests.jobs.workers import (
    catalog,
    dossiers_to_check,
    ingest_scan,
    job,
    start_worker,
    wait_for,
)

DONE_LINE = re.compile(r"job (\d+) \([^)]*\) done by ")


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Services]:
    skip_unless(bool(os.environ.get("ARCHIVE_TEST_PG_URL")), "ARCHIVE_TEST_PG_URL is not set: no real PostgreSQL")
    yield from catalog("postgresql", tmp_path, job_lease_s=3, ocr_page_jobs=False)


def _jobs(services: Services) -> list[Job]:
    with transaction(services.factory) as session:
        rows = list(session.scalars(select(Job).order_by(Job.id)))
        session.expunge_all()
        return rows


def test_three_worker_processes_run_each_of_300_jobs_exactly_once(pg: Services, tmp_path: Path) -> None:
    ids = dossiers_to_check(pg, 300)
    workers = [
        start_worker(pg, tmp_path / f"w{i}.log", "--exit-when-idle", *threads, job_lease_s=3)
        for i, threads in enumerate([(), (), ("--threads", "2")])
    ]
    try:
        codes = [w.wait() for w in workers]
    finally:
        for w in workers:
            w.stop()
    assert codes == [0, 0, 0], [w.text()[-2000:] for w in workers]
    jobs = _jobs(pg)
    assert [j.id for j in jobs] == ids
    assert {(j.state, j.attempts) for j in jobs} == {(JobState.DONE.value, 1)}
    holders = {j.worker.split(":")[1] for j in jobs if j.worker}  # "host:pid[:thread]"
    assert holders <= {str(w.pid) for w in workers}
    runs = Counter(int(m) for w in workers for m in DONE_LINE.findall(w.text()))
    assert runs == Counter(ids)  # every job's work done once, by one of the three
    with transaction(pg.factory) as session:  # each check's findings stored once (not twice side by side)
        per_dossier = Counter(session.scalars(select(FindingRow.dossier_id)).all())
    assert len(set(per_dossier.values())) == 1 and len(per_dossier) == 300


def _running(services: Services, job_id: int) -> bool:
    return job(services, job_id).state == JobState.RUNNING.value


def test_a_killed_workers_job_is_taken_again_after_its_lease_and_a_living_one_keeps_it(
    pg: Services, tmp_path: Path
) -> None:
    need_tools("tesseract")
    job_id = ingest_scan(pg, tmp_path, pages=1)
    # The whole scan recognised in its one job (no page jobs): a job long enough for heartbeats to be seen.
    workers = [
        start_worker(pg, tmp_path / f"w{i}.log", "--exit-when-idle", job_lease_s=3, ocr_page_jobs=False)
        for i in range(2)
    ]
    try:
        assert wait_for(lambda: _running(pg, job_id))
        first = job(pg, job_id)
        # Its holder lives: the heartbeat renews the lease, nobody else takes it.
        assert wait_for(lambda: (j := job(pg, job_id)).heartbeat_at is not None and j.heartbeat_at > first.claimed_at)
        assert job(pg, job_id).attempts == 1
        holder = next(w for w in workers if first.worker and first.worker.split(":")[1] == str(w.pid))
        holder.signal(signal.SIGKILL)
        other = next(w for w in workers if w is not holder)
        assert other.wait() == 0, other.text()[-3000:]
    finally:
        for w in workers:
            w.stop()
    done = job(pg, job_id)
    assert done.state == JobState.DONE.value and done.attempts == 2, done.last_error
    assert done.worker and done.worker.split(":")[1] == str(other.pid)


def test_sigterm_lets_the_job_in_hand_finish_then_exits_0(pg: Services, tmp_path: Path) -> None:
    need_tools("tesseract")
    job_id = ingest_scan(pg, tmp_path, pages=1)
    worker = start_worker(pg, tmp_path / "w.log", job_lease_s=3, ocr_page_jobs=False)
    try:
        assert wait_for(lambda: _running(pg, job_id))
        worker.signal(signal.SIGTERM)
        assert worker.wait() == 0, worker.text()[-3000:]
    finally:
        worker.stop()
    done = job(pg, job_id)
    assert done.state == JobState.DONE.value and done.attempts == 1, done.last_error


def test_a_listening_worker_wakes_for_a_job_queued_after_it_started(pg: Services, tmp_path: Path) -> None:
    # A minute between looks and a long lease: only the notification can bring the job to it in time.
    worker = start_worker(pg, tmp_path / "w.log", job_lease_s=120, worker_poll_s=60)
    try:
        assert wait_for(lambda: "woken by notifications" in worker.text()), worker.text()
        (job_id,) = dossiers_to_check(pg, 1)
        assert wait_for(lambda: job(pg, job_id).state == JobState.DONE.value, timeout=15), worker.text()
        worker.signal(signal.SIGTERM)
        assert worker.wait() == 0
    finally:
        worker.stop()


def test_a_restarted_worker_frees_at_once_the_jobs_its_dead_predecessor_held(pg: Services, tmp_path: Path) -> None:
    (job_id,) = dossiers_to_check(pg, 1)
    ended = subprocess.Popen(["true"])  # noqa: S607 - a process that has ended: its pid is free
    ended.wait()
    dead_pid = ended.pid
    with transaction(pg.factory) as session:  # held by a process of this machine that died (long lease left)
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(
                state=JobState.RUNNING.value,
                attempts=1,
                worker=f"{host_name()}:{dead_pid}",
                claimed_at=func.now(),
                heartbeat_at=func.now(),
            )
        )
    worker = start_worker(pg, tmp_path / "w.log", "--exit-when-idle", job_lease_s=600)
    try:
        assert worker.wait() == 0, worker.text()[-3000:]
    finally:
        worker.stop()
    done = job(pg, job_id)
    assert done.state == JobState.DONE.value and done.attempts == 2  # the dead holder's attempt is kept
