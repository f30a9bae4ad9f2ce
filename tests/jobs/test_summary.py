"""The backlog made visible: per kind and state, throughput, live workers — for admins only, ids and no titles."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from typer.testing import CliRunner

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Job, JobKind, JobState
from archive_service.cli import app
from archive_service.jobs import queue
from archive_service.jobs.enqueue import enqueue
from archive_service.jobs.outage import OUTAGE_PREFIX
from tests.conftest import Harness
from tests.samples import tiny_pdf

SECRET_TITLE = "Nghị quyết mật về nhân sự"


def _upload(h: Harness, name: str = "nghi-quyet-mat.pdf") -> int:
    dossier = h.new_dossier(title=SECRET_TITLE)
    files = [("files", (name, tiny_pdf(f"Nghi quyet {name}"), "application/pdf"))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def test_an_admin_sees_the_backlog_per_kind_the_worker_in_hand_and_the_failures(harness: Harness) -> None:
    first, second = _upload(harness), _upload(harness, "bien-ban.pdf")
    with transaction(harness.services.factory) as session:
        enqueue(session, JobKind.OCR_PAGE, document_id=first, page=3, bulk=True)
    held = queue.claim_next(harness.services, worker="may-1:4242")
    assert held is not None and held.document_id == first
    with transaction(harness.services.factory) as session:
        session.execute(
            update(Job)
            .where(Job.document_id == second, Job.kind == JobKind.PROCESS_DOCUMENT.value)
            .values(state=JobState.FAILED.value, last_error=OUTAGE_PREFIX + "S3Error('Tệp nghi-quyet-mat.pdf')")
        )
    response = harness.client.get("/api/v1/jobs/summary", headers=harness.admin.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["queued"], body["running"], body["failed"]) == (1, 1, 1)
    assert body["oldest_queued_s"] is not None and body["oldest_queued_s"] >= 0
    assert body["live_workers"] == ["may-1:4242"]
    kinds = {k["kind"]: k for k in body["kinds"]}
    assert kinds["ocr-page"]["queued"] == 1 and kinds["ocr-page"]["label"] == "Nhận dạng chữ một trang"
    assert (kinds["process-document"]["running"], kinds["process-document"]["failed"]) == (1, 1)
    [running] = body["running_jobs"]
    assert (running["document_id"], running["worker"]) == (first, "may-1:4242")
    [failed] = body["failed_jobs"]
    assert (failed["document_id"], failed["outage"], failed["error"]) == (second, True, "S3Error")
    assert SECRET_TITLE not in response.text and "nghi-quyet-mat" not in response.text


def test_throughput_counts_the_jobs_done_in_the_last_5_and_60_minutes(harness: Harness) -> None:
    _upload(harness)
    _upload(harness, "bien-ban.pdf")
    now = datetime.now(UTC)
    with transaction(harness.services.factory) as session:
        ids = sorted(session.scalars(update(Job).values(state=JobState.DONE.value).returning(Job.id)).all())
        session.execute(update(Job).where(Job.id == ids[0]).values(heartbeat_at=now - timedelta(minutes=1)))
        session.execute(update(Job).where(Job.id == ids[1]).values(heartbeat_at=now - timedelta(minutes=30)))
    body = harness.client.get("/api/v1/jobs/summary", headers=harness.admin.headers).json()
    assert (body["done_last_5_min"], body["done_last_60_min"]) == (1, 2)
    assert (body["queued"], body["running"], body["failed"]) == (0, 0, 0)


def test_nobody_but_an_admin_reads_the_queue(harness: Harness) -> None:
    _upload(harness)
    for actor in (harness.archivist, harness.reader, harness.other_archivist):
        response = harness.client.get("/api/v1/jobs/summary", headers=actor.headers)
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
    assert harness.client.get("/api/v1/jobs/summary").status_code == 401


def test_readyz_carries_the_queue_counts_and_stays_ready_with_a_backlog(harness: Harness) -> None:
    _upload(harness)
    response = harness.client.get("/readyz")
    assert response.status_code == 200, response.text
    queue_counts = response.json()["queue"]
    assert (queue_counts["queued"], queue_counts["running"], queue_counts["failed"]) == (1, 0, 0)
    assert set(queue_counts) == {"queued", "running", "failed", "oldest_queued_s"}  # numbers only: anyone asks


def test_the_operator_reads_the_queue_and_retries_from_the_command_line(env: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["jobs", "summary", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["queued"] == 0
    text = runner.invoke(app, ["jobs", "summary"])
    assert "Hàng đợi: 0 chờ · 0 đang xử lý · 0 lỗi" in text.stdout
    assert runner.invoke(app, ["jobs", "retry"]).exit_code == 2  # neither --all nor a document: refused
    retried = runner.invoke(app, ["jobs", "retry", "--all"])
    assert retried.exit_code == 0 and "Đã xếp lại 0 công việc" in retried.stdout
