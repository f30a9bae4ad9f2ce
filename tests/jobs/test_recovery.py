"""Recovery without waiting: outage failures queued again when the backends answer, failed jobs retried at an
admin's word, and documents stuck in processing reported by ``verify``."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, DocumentStatus, Job, JobState
from archive_service.cli.acting import principal_for
from archive_service.config import BlobBackend
from archive_service.documents.verify import verify
from archive_service.errors import Forbidden
from archive_service.jobs import queue
from archive_service.jobs.outage import OUTAGE_PREFIX
from archive_service.jobs.recovery import requeue_outage_failures
from archive_service.jobs.service import retry_failed
from archive_service.storage import make_blob_store
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.samples import tiny_pdf


def _upload(h: Harness, text: str) -> int:
    dossier = h.new_dossier()
    files = [("files", (f"{text}.pdf", tiny_pdf(text), "application/pdf"))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _fail(h: Harness, document_id: int, error: str) -> None:
    """What five attempts during an outage leave: the job failed, the document PROCESSING-ERROR."""
    with transaction(h.services.factory) as session:
        session.execute(
            update(Job)
            .where(Job.document_id == document_id)
            .values(state=JobState.FAILED.value, attempts=5, last_error=error)
        )
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(status=DocumentStatus.FAILED.value, parse_error_code="PROCESSING-ERROR", parse_error_message="x")
        )


def _job_and_status(h: Harness, document_id: int) -> tuple[str, int, str, str | None]:
    with transaction(h.services.factory) as session:
        job = session.scalars(select(Job).where(Job.document_id == document_id)).one()
        doc = session.get(Document, document_id)
        assert doc is not None
        return job.state, job.attempts, doc.status, doc.parse_error_code


def test_a_document_failed_by_an_outage_is_queued_again_and_read_once_the_backends_answer(harness: Harness) -> None:
    outage, broken = _upload(harness, "Nghi quyet"), _upload(harness, "Bien ban")
    _fail(harness, outage, OUTAGE_PREFIX + "ServiceUnavailable('STORAGE-UNAVAILABLE')")
    _fail(harness, broken, "ParseError('PARSE-CORRUPT')")
    assert requeue_outage_failures(harness.services) == 1
    assert _job_and_status(harness, outage) == (JobState.QUEUED.value, 0, DocumentStatus.STORED.value, None)
    assert _job_and_status(harness, broken)[0] == JobState.FAILED.value  # a real failure waits for an operator
    run_pending_jobs(harness.services)
    assert _job_and_status(harness, outage)[2] == DocumentStatus.CHECKED.value
    assert requeue_outage_failures(harness.services) == 0


def test_outage_failures_wait_while_the_blob_store_does_not_answer(harness: Harness) -> None:
    document_id = _upload(harness, "Nghi quyet")
    _fail(harness, document_id, OUTAGE_PREFIX + "ConnectionError('refused')")
    dead = harness.services.settings.model_copy(
        update={"blob_backend": BlobBackend.S3, "s3_endpoint": "127.0.0.1:9", "s3_bucket": "khong-co"}
    )
    down = dataclasses.replace(harness.services, blobs=make_blob_store(dead))
    assert requeue_outage_failures(down) == 0
    assert _job_and_status(harness, document_id)[0] == JobState.FAILED.value
    assert requeue_outage_failures(harness.services) == 1


def test_an_admin_retries_chosen_failed_jobs_audited_and_nobody_else_may(harness: Harness) -> None:
    chosen, other = _upload(harness, "Nghi quyet"), _upload(harness, "Bien ban")
    for document_id in (chosen, other):
        _fail(harness, document_id, "ParseError('PARSE-CORRUPT')")
    archivist = principal_for(harness.services, "vanthu")
    with pytest.raises(Forbidden):
        retry_failed(harness.services, archivist, document_ids=[chosen])
    admin = principal_for(harness.services, "admin")
    assert retry_failed(harness.services, admin, document_ids=[chosen], addr="127.0.0.1") == 1
    assert _job_and_status(harness, chosen) == (JobState.QUEUED.value, 0, DocumentStatus.STORED.value, None)
    assert _job_and_status(harness, other)[0] == JobState.FAILED.value
    with transaction(harness.services.factory) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "jobs.retry")).one()
        assert event.details == {"queued": 1, "via": "web", "documents": [chosen]}
    assert retry_failed(harness.services, admin) == 1  # all the others


def test_verify_reports_a_document_whose_worker_died_and_a_retry_reads_it_again(harness: Harness) -> None:
    document_id = _upload(harness, "Nghi quyet")
    assert verify(harness.services, deep=False).stuck == []  # queued: a live job will read it
    job = queue.claim_next(harness.services, worker="may-chet:1")
    assert job is not None
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    with transaction(harness.services.factory) as session:
        session.execute(update(Job).values(heartbeat_at=long_ago, claimed_at=long_ago))
        session.execute(update(Document).values(status=DocumentStatus.PROCESSING.value))
    drift = verify(harness.services, deep=False)
    [(stuck_id, since)] = drift.stuck
    assert stuck_id == document_id and abs((since - long_ago).total_seconds()) < 1
    assert not drift.clean
    admin = principal_for(harness.services, "admin")
    assert retry_failed(harness.services, admin, document_ids=[document_id]) == 1  # a fresh reading
    assert verify(harness.services, deep=False).stuck == []
