"""Job figures for the whole cluster, kept in the catalog: every outcome counted in the transaction that records
it (done, retry, failed), on SQLite and on the real PostgreSQL, concurrent workers included; OCR pages; the
backlog and the oldest waiting job as /metrics reports them."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from archive_service.app import create_app
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobKind, JobTally
from archive_service.jobs import queue
from archive_service.jobs.enqueue import enqueue
from archive_service.metrics.catalog import read_figures
from archive_service.services import Services
from archive_service.workers.jobs import run_pending_jobs
from tests.corpus.session import need_tools, skip_unless
from tests.jobs.workers import catalog, dossiers_to_check, ingest_scan
from tests.metrics.scrape import sample, scrape

CHECK = JobKind.CHECK_DOSSIER.value
OCR = JobKind.OCR_PAGE.value


@pytest.fixture(params=["embedded", "postgresql"])
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    if request.param == "postgresql":
        skip_unless(bool(os.environ.get("ARCHIVE_TEST_PG_URL")), "ARCHIVE_TEST_PG_URL is not set: no real PostgreSQL")
    yield from catalog(str(request.param), tmp_path, job_lease_s=60, job_max_attempts=2)


def _app(services: Services) -> FastAPI:
    return create_app(services.settings, services=services)


def _claim(services: Services) -> Job:
    job = queue.claim_next(services)
    assert job is not None
    return job


def _tallies(services: Services) -> dict[tuple[str, str], int]:
    with transaction(services.factory) as session:
        rows = session.execute(select(JobTally.kind, JobTally.outcome, JobTally.count)).all()
    return {(kind, outcome): int(n) for kind, outcome, n in rows}


def test_each_outcome_is_counted_once_when_it_is_recorded(services: Services) -> None:
    dossiers_to_check(services, 3)
    assert _tallies(services) == {}
    assert queue.finish(services, _claim(services))
    assert not queue.fail(services, _claim(services), ValueError("lần 1"))  # attempt 1 of 2: tried again
    assert not queue.fail(services, _claim(services), ValueError("lần 1"))
    assert _tallies(services) == {(CHECK, "done"): 1, (CHECK, "retry"): 2}
    with transaction(services.factory) as session:  # the retries come due now
        session.execute(update(Job).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert queue.fail(services, _claim(services), ValueError("lần 2"))  # the last attempt: given up
    assert queue.fail(services, _claim(services), ValueError("tệp hỏng"), permanent=True)
    assert _tallies(services) == {(CHECK, "done"): 1, (CHECK, "retry"): 2, (CHECK, "failed"): 2}

    text = scrape(_app(services))
    assert sample(text, "archive_jobs_total", kind=CHECK, outcome="done") == 1
    assert sample(text, "archive_jobs_total", kind=CHECK, outcome="retry") == 2
    assert sample(text, "archive_jobs_total", kind=CHECK, outcome="failed") == 2
    assert sample(text, "archive_jobs_total", kind=OCR, outcome="done") == 0  # every kind, from the first scrape
    assert sample(text, "archive_metrics_catalog_up") == 1


def test_a_holder_whose_job_was_taken_adds_no_count(services: Services) -> None:
    (job_id,) = dossiers_to_check(services, 1)
    stale = _claim(services)
    with transaction(services.factory) as session:  # its lease runs out; another worker takes the job
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=datetime.now(UTC) - timedelta(hours=1)))
    again = _claim(services)
    assert not queue.finish(services, stale)
    assert not queue.fail(services, stale, ValueError("muộn"))
    assert _tallies(services) == {}
    assert queue.finish(services, again)
    assert _tallies(services) == {(CHECK, "done"): 1}


def test_workers_finishing_at_once_lose_no_count(services: Services) -> None:
    dossiers_to_check(services, 24)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while (job := queue.claim_next(services)) is not None:
                assert queue.finish(services, job)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert _tallies(services) == {(CHECK, "done"): 24}


def test_ocr_pages_are_counted_when_their_page_jobs_are_done(services: Services) -> None:
    with transaction(services.factory) as session:
        for page in (1, 2, 3):
            enqueue(session, JobKind.OCR_PAGE, page=page)
    pages = [_claim(services) for _ in range(3)]
    assert queue.finish(services, pages[0]) and queue.finish(services, pages[1])
    assert not queue.fail(services, pages[2], ValueError("trang mờ"))  # not recognised (yet)
    text = scrape(_app(services))
    assert sample(text, "archive_ocr_pages_total") == 2
    assert sample(text, "archive_jobs_total", kind=OCR, outcome="retry") == 1


def test_the_backlog_and_the_oldest_waiting_job(services: Services) -> None:
    app = _app(services)
    empty = scrape(app)
    assert sample(empty, "archive_jobs_backlog", kind=CHECK, state="queued") == 0
    assert sample(empty, "archive_jobs_oldest_queued_seconds") == 0
    oldest, *_ = dossiers_to_check(services, 4)
    with transaction(services.factory) as session:
        session.execute(update(Job).where(Job.id == oldest).values(created_at=datetime.now(UTC) - timedelta(hours=2)))
        enqueue(session, JobKind.RENDER_PAGES)
    _claim(services)  # the oldest check: running now
    text = scrape(app)
    assert sample(text, "archive_jobs_backlog", kind=CHECK, state="queued") == 3
    assert sample(text, "archive_jobs_backlog", kind=CHECK, state="running") == 1
    assert sample(text, "archive_jobs_backlog", kind=JobKind.RENDER_PAGES.value, state="queued") == 1
    waited = sample(text, "archive_jobs_oldest_queued_seconds")
    assert waited is not None and 0 < waited < 3600  # the two-hour-old job runs: the next oldest waits seconds
    figures = read_figures(services)
    assert figures.backlog[(CHECK, "queued")] == 3 and (CHECK, "done") not in figures.backlog


def test_a_scan_read_by_page_jobs_counts_its_pages(tmp_path: Path) -> None:
    need_tools("tesseract")
    for services in catalog("embedded", tmp_path, ocr_page_jobs=True):
        ingest_scan(services, tmp_path, pages=2)
        run_pending_jobs(services)
        text = scrape(_app(services))
        assert sample(text, "archive_ocr_pages_total") == 2
        assert sample(text, "archive_jobs_total", kind=JobKind.PROCESS_DOCUMENT.value, outcome="done") == 2  # + join


def test_a_scan_read_whole_counts_its_pages_too_and_no_job_kind_for_them(tmp_path: Path) -> None:
    need_tools("tesseract")
    for services in catalog("embedded", tmp_path, ocr_page_jobs=False):
        ingest_scan(services, tmp_path, pages=2)
        run_pending_jobs(services)
        text = scrape(_app(services))
        assert sample(text, "archive_ocr_pages_total") == 2  # recognised inside the one process-document job
        assert sample(text, "archive_jobs_total", kind=OCR, outcome="done") == 0
        assert sample(text, "archive_jobs_total", kind=JobKind.PROCESS_DOCUMENT.value, outcome="done") == 1
        assert queue.WHOLE_DOCUMENT_OCR_PAGES not in text  # a count of pages, not a kind of job


def test_a_catalog_that_does_not_answer_leaves_the_job_figures_out_not_the_requests(tmp_path: Path) -> None:
    for services in catalog("embedded", tmp_path):
        app = _app(services)
        with services.engine.begin() as conn:  # the catalog's queries now fail as on a broken database
            conn.exec_driver_sql("DROP TABLE job_tallies")
        text = scrape(app)
        assert sample(text, "archive_metrics_catalog_up") == 0
        assert "archive_jobs_total" not in text and "archive_http_requests_total" in text
