"""Upload → store → parse → extract → validate → catalog → index, end to end through HTTP."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Job
from archive_service.documents.verify import verify
from archive_service.jobs.queue import claim_next as claim_next_job
from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness, build_harness, make_settings
from tests.corpus.generator import DocSpec, pdf_to_scan, write_docx
from tests.samples import tiny_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload_spec(h: Harness, dossier: int, spec: DocSpec, tmp_path: Path, name: str) -> int:
    path = tmp_path / name
    write_docx(spec, path)
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (name, path.read_bytes(), DOCX)},
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def test_an_upload_is_read_checked_indexed_and_its_planted_error_reported(harness: Harness, tmp_path: Path) -> None:
    dossier = harness.new_dossier(meeting_date="2024-03-05", committee_name="TỈNH ỦY THANH HÓA")
    good = _upload_spec(harness, dossier, DocSpec(), tmp_path, "nghi-quyet-125.docx")
    bad_spec = dataclasses.replace(DocSpec(), number="126", number_line="Số: 126-NQ/TU", key="nq-colon")
    bad = _upload_spec(harness, dossier, bad_spec, tmp_path, "nghi-quyet-126.docx")
    assert run_pending_jobs(harness.services) >= 3  # two documents, then the dossier check

    doc = harness.client.get(f"/api/v1/documents/{good}", headers=harness.reader.headers).json()
    assert doc["status"] == "checked"
    assert doc["fields"]["number"] == "125" and doc["fields"]["type_code"] == "NQ"
    assert doc["fields"]["issued_on"] == "2024-03-05"
    good_findings = harness.client.get(f"/api/v1/documents/{good}/findings", headers=harness.reader.headers)
    assert [f for f in good_findings.json()["items"] if f["severity"] == "error"] == []

    findings = harness.client.get(f"/api/v1/documents/{bad}/findings", headers=harness.reader.headers).json()
    colon = [f for f in findings["items"] if f["code"] == "FMT-NUMBER-COLON"]
    assert colon and colon[0]["clause"] and colon[0]["message"] and colon[0]["hint"]
    assert (
        harness.client.get(f"/api/v1/documents/{bad}", headers=harness.reader.headers).json()["validation_status"]
        == "error"
    )

    dossier_findings = harness.client.get(f"/api/v1/dossiers/{dossier}/findings", headers=harness.reader.headers)
    assert "DOS-MISSING-MINUTES" in {f["code"] for f in dossier_findings.json()["items"]}

    assert drain_outbox(harness.services) >= 2
    found = harness.client.get("/api/v1/search", params={"q": "126-NQ/TU"}, headers=harness.reader.headers).json()
    assert found["hits"] and found["hits"][0]["document_id"] == str(bad)
    folded = harness.client.get(
        "/api/v1/search", params={"q": "to chuc co so dang"}, headers=harness.reader.headers
    ).json()
    assert {str(good), str(bad)} <= {hit["document_id"] for hit in folded["hits"]}
    other = harness.client.get("/api/v1/search", params={"q": "nghị quyết"}, headers=harness.other_archivist.headers)
    assert other.json()["total"] == 0


def test_a_corrupt_pdf_is_stored_marked_unreadable_and_the_service_keeps_serving(harness: Harness) -> None:
    dossier = harness.new_dossier()
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b"\x00garbage" * 50
    response = harness.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("hong.pdf", broken, "application/pdf")},
        headers=harness.archivist.headers,
    )
    doc_id = response.json()["items"][0]["document"]["id"]
    run_pending_jobs(harness.services)
    doc = harness.client.get(f"/api/v1/documents/{doc_id}", headers=harness.archivist.headers).json()
    assert doc["status"] == "failed" and doc["parse_error_code"].startswith("PARSE-")
    findings = harness.client.get(f"/api/v1/documents/{doc_id}/findings", headers=harness.archivist.headers)
    assert findings.json()["items"][0]["code"] == doc["parse_error_code"]
    assert harness.client.get("/healthz").status_code == 200
    original = harness.client.get(f"/api/v1/documents/{doc_id}/content", headers=harness.archivist.headers)
    assert original.content == broken


def test_a_file_is_checked_without_being_stored(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "to-trinh.docx"
    write_docx(dataclasses.replace(DocSpec(), number_line="Số 5-NQ/TU", number="5"), path)
    response = harness.client.post(
        "/api/v1/check",
        files={"file": ("to-trinh.docx", path.read_bytes(), DOCX)},
        headers=harness.reader.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["profile"] == "party" and body["fields"]["number"] == "5"
    assert "FMT-NUMBER-LEADING-ZERO" in {f["code"] for f in body["findings"]}
    listing = harness.client.get("/api/v1/search", params={"q": "nghị quyết"}, headers=harness.admin.headers)
    assert listing.status_code == 200 and listing.json()["total"] == 0


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("embedded", tmp_path))


@pytest.mark.slow
def test_a_scan_gets_a_searchable_pdf_beside_its_untouched_original(embedded: Harness, tmp_path: Path) -> None:
    h = embedded
    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(tiny_pdf("THONG BAO KET LUAN HOI NGHI BAN THUONG VU"))
    scan = pdf_to_scan(text_pdf, tmp_path / "scan.pdf", seed=3)
    original = scan.read_bytes()
    dossier = h.new_dossier()
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("ban-quet.pdf", original, "application/pdf")},
        headers=h.archivist.headers,
    )
    doc_id = response.json()["items"][0]["document"]["id"]
    missing = h.client.get(f"/api/v1/documents/{doc_id}/searchable-pdf", headers=h.archivist.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "DERIVATIVE-NOT-READY"
    run_pending_jobs(h.services)
    doc = h.client.get(f"/api/v1/documents/{doc_id}", headers=h.archivist.headers).json()
    assert doc["ocr"] is True
    searchable = h.client.get(f"/api/v1/documents/{doc_id}/searchable-pdf", headers=h.archivist.headers)
    assert searchable.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(searchable.content)).pages)
    assert "THONG BAO" in text.upper()
    assert h.client.get(f"/api/v1/documents/{doc_id}/content", headers=h.archivist.headers).content == original
    assert verify(h.services).clean


def test_a_failing_job_is_retried_later_and_failed_after_its_last_attempt(embedded: Harness) -> None:
    h = embedded
    h.services.settings.job_max_attempts = 2
    dossier = h.new_dossier()
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("a.pdf", tiny_pdf("retry"), "application/pdf")},
        headers=h.archivist.headers,
    )
    doc_id = response.json()["items"][0]["document"]["id"]
    with transaction(h.services.factory) as s:
        key = s.get(Document, doc_id).storage_key  # type: ignore[union-attr]
    h.services.blobs.delete(key)  # the worker cannot fetch the original: every attempt fails
    assert run_pending_jobs(h.services) == 1
    with transaction(h.services.factory) as s:
        job = s.scalars(select(Job).where(Job.document_id == doc_id)).one()
        assert job.state == "queued" and job.attempts == 1 and "BlobMissing" in (job.last_error or "")
        s.execute(update(Job).where(Job.id == job.id).values(available_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert run_pending_jobs(h.services) == 1
    with transaction(h.services.factory) as s:
        job = s.scalars(select(Job).where(Job.document_id == doc_id)).one()
        assert job.state == "failed" and job.attempts == 2
    doc = h.client.get(f"/api/v1/documents/{doc_id}", headers=h.archivist.headers).json()
    assert doc["status"] == "failed" and doc["parse_error_code"] == "PROCESSING-ERROR"


def test_a_job_whose_worker_died_is_taken_again_after_its_lease(embedded: Harness) -> None:
    h = embedded
    dossier = h.new_dossier()
    h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("a.pdf", tiny_pdf("lease"), "application/pdf")},
        headers=h.archivist.headers,
    )
    taken = claim_next_job(h.services)  # a worker takes it, then its process dies
    assert taken is not None and claim_next_job(h.services) is None
    with transaction(h.services.factory) as s:
        long_ago = datetime.now(UTC) - timedelta(seconds=h.services.settings.job_lease_s + 1)
        s.execute(update(Job).where(Job.id == taken.id).values(heartbeat_at=long_ago))  # its last sign of life
    again = claim_next_job(h.services, worker="another-host:1")
    assert again is not None and again.id == taken.id and again.attempts == 2
    from archive_service.jobs.queue import finish

    assert not finish(h.services, taken)  # the dead holder's late result is not recorded
    assert finish(h.services, again)


def test_done_jobs_are_pruned_after_their_age_and_failed_or_recent_ones_stay(embedded: Harness) -> None:
    from archive_service.catalog.models import JobKind, JobState
    from archive_service.jobs.queue import prune_done as prune_done_jobs

    h = embedded
    h.services.settings.job_keep_done_days = 7
    old = datetime.now(UTC) - timedelta(days=8)
    with transaction(h.services.factory) as s:
        s.add_all(
            [
                Job(kind=JobKind.REBUILD_SEARCH_INDEX, state=JobState.DONE, created_at=old),
                Job(kind=JobKind.REBUILD_SEARCH_INDEX, state=JobState.FAILED, created_at=old),
                Job(kind=JobKind.REBUILD_SEARCH_INDEX, state=JobState.DONE),
            ]
        )
    assert prune_done_jobs(h.services) == 1
    with transaction(h.services.factory) as s:
        left = sorted(
            (j.state, j.created_at.replace(tzinfo=UTC) < old + timedelta(days=1)) for j in s.scalars(select(Job))
        )
    assert left == [("done", False), ("failed", True)]


def test_a_failure_no_retry_can_mend_fails_the_job_at_its_first_attempt(embedded: Harness) -> None:
    from archive_service.catalog.models import JobKind
    from archive_service.jobs.queue import fail
    from archive_service.workers.jobs import _permanent
    from indexers.errors import ParseError

    h = embedded
    with transaction(h.services.factory) as s:
        s.add(Job(kind=JobKind.MAKE_SEARCHABLE_PDF))
    job = claim_next_job(h.services)
    assert job is not None and job.attempts == 1
    missing_tool = ParseError("PARSE-UNSUPPORTED", "Máy chủ chưa cài OCRmyPDF để tạo bản PDF tìm kiếm được.")
    assert _permanent(missing_tool) and not _permanent(ParseError("PARSE-TIMEOUT", "quá thời gian"))
    assert fail(h.services, job, missing_tool, permanent=_permanent(missing_tool)) is True
    with transaction(h.services.factory) as s:
        assert s.get(Job, job.id).state == "failed"  # type: ignore[union-attr]
    assert claim_next_job(h.services) is None  # not queued again for four more tries
