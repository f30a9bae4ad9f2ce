"""The office's "issued electronically" mark (văn bản điện tử đã ban hành, issue 16): set at upload or changed
later, it decides whether a document without a digital signature is an error (SIG-MISSING); a signed PDF
uploaded with the mark is stored and served byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier, FindingRow, Job, JobKind, JobState
from archive_service.cli import app
from archive_service.config import get_settings
from archive_service.services import open_services
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness
from tests.corpus.session import skip_unless
from tests.realdocs.labels import REAL_DOCS
from tests.samples import tiny_pdf

SIGNED = REAL_DOCS / "05.signed.pdf"


def _upload(h: Harness, dossier: int, name: str, content: bytes, electronic: str | None) -> Any:
    data = {"electronic": electronic} if electronic is not None else {}
    return h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (name, content, "application/pdf")},
        data=data,
        headers=h.archivist.headers,
    )


def _stored(h: Harness, dossier: int, name: str, content: bytes, electronic: str | None) -> int:
    response = _upload(h, dossier, name, content, electronic)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _settle(h: Harness) -> None:
    while run_pending_jobs(h.services):
        pass


def _codes(h: Harness, doc_id: int) -> dict[str, str]:
    response = h.client.get(f"/api/v1/documents/{doc_id}/findings", headers=h.reader.headers)
    assert response.status_code == 200, response.text
    return {f["code"]: f["severity"] for f in response.json()["items"]}


def _document(h: Harness, doc_id: int) -> dict[str, Any]:
    response = h.client.get(f"/api/v1/documents/{doc_id}", headers=h.reader.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_an_unsigned_pdf_uploaded_as_electronic_is_an_error_until_the_mark_is_taken_off(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _stored(harness, dossier, "thong-bao.pdf", tiny_pdf("Thong bao ket luan"), "true")
    plain_id = _stored(harness, dossier, "bien-ban.pdf", tiny_pdf("Bien ban hoi nghi"), None)
    _settle(harness)

    marked = _document(harness, doc_id)
    assert marked["electronic"] is True and marked["status"] == "checked"
    assert _codes(harness, doc_id).get("SIG-MISSING") == "error"
    assert marked["validation_status"] == "error"
    assert _document(harness, plain_id)["electronic"] is False
    assert "SIG-MISSING" not in _codes(harness, plain_id)

    changed = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"electronic": False}, headers=harness.archivist.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["electronic"] is False and changed.json()["status"] == "stored"  # queued to be checked
    _settle(harness)
    assert "SIG-MISSING" not in _codes(harness, doc_id)
    assert _document(harness, doc_id)["status"] == "checked"

    trail = harness.client.get(
        "/api/v1/audit",
        params={"object_type": "document", "object_id": str(doc_id), "action": "document.update"},
        headers=harness.admin.headers,
    )
    assert trail.status_code == 200, trail.text
    [event] = trail.json()["items"]
    assert event["username"] == "vanthu" and event["details"]["electronic"] == [True, False]


def test_marking_a_document_electronic_later_checks_it_again_once(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _stored(harness, dossier, "ke-hoach.pdf", tiny_pdf("Ke hoach"), "false")
    _settle(harness)
    assert "SIG-MISSING" not in _codes(harness, doc_id)

    for _ in range(2):  # the second change finds the first one's check still waiting: not queued twice
        for value in (True, False):
            response = harness.client.patch(
                f"/api/v1/documents/{doc_id}", json={"electronic": value}, headers=harness.archivist.headers
            )
            assert response.status_code == 200, response.text
    harness.client.patch(f"/api/v1/documents/{doc_id}", json={"electronic": True}, headers=harness.archivist.headers)
    with transaction(harness.services.factory) as session:
        waiting = (
            session.query(Job)
            .filter(Job.kind == JobKind.PROCESS_DOCUMENT.value, Job.document_id == doc_id)
            .filter(Job.state == JobState.QUEUED.value)
            .count()
        )
    assert waiting == 1
    _settle(harness)
    assert _codes(harness, doc_id).get("SIG-MISSING") == "error"

    unchanged = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"electronic": True}, headers=harness.archivist.headers
    )
    assert unchanged.status_code == 200 and unchanged.json()["status"] == "checked"  # no change, no new check


def test_only_a_writer_of_the_office_may_change_the_mark(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _stored(harness, dossier, "to-trinh.pdf", tiny_pdf("To trinh"), None)
    for actor in (harness.reader, harness.other_archivist):
        response = harness.client.patch(f"/api/v1/documents/{doc_id}", json={"electronic": True}, headers=actor.headers)
        assert response.status_code in (403, 404), response.text
        assert response.json()["error"]["code"]
    with transaction(harness.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.electronic is False
    null = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"electronic": None}, headers=harness.archivist.headers
    )
    assert null.status_code == 422


def test_an_electronic_value_other_than_true_or_false_is_refused_and_nothing_is_stored(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = _upload(harness, dossier, "quyet-dinh.pdf", tiny_pdf("Quyet dinh"), "maybe")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "REQUEST-INVALID" and "electronic" in error["message"] and "hoặc" in error["message"]
    listed = harness.client.get(f"/api/v1/dossiers/{dossier}/documents", headers=harness.archivist.headers)
    assert listed.json()["total"] == 0


def test_the_upload_documents_the_electronic_field(harness: Harness) -> None:
    spec = harness.client.get("/openapi.json").json()
    upload = spec["paths"]["/api/v1/dossiers/{dossier_id}/documents"]["post"]
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["electronic"]["type"] == "boolean"
    assert "chữ ký số" in schema["properties"]["electronic"]["description"]
    assert "422" in upload["responses"]


def test_a_signed_pdf_marked_electronic_has_no_missing_signature_and_is_served_byte_identical(
    harness: Harness, tmp_path: Path
) -> None:
    skip_unless(SIGNED.is_file(), f"no real signed PDF at {SIGNED}")
    content = SIGNED.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    dossier = harness.new_dossier()
    doc_id = _stored(harness, dossier, SIGNED.name, content, "true")
    _settle(harness)

    doc = _document(harness, doc_id)
    assert doc["electronic"] is True and doc["status"] == "checked" and doc["sha256"] == digest
    assert "SIG-MISSING" not in _codes(harness, doc_id)

    served = harness.client.get(f"/api/v1/documents/{doc_id}/content", headers=harness.reader.headers)
    assert served.status_code == 200
    assert hashlib.sha256(served.content).hexdigest() == digest and served.content == content

    with transaction(harness.services.factory) as session:
        row = session.get(Document, doc_id)
        assert row is not None and row.parse_info is not None
        assert len(row.parse_info["signatures"]) >= 1  # read as signed, not merely unread
        key = row.storage_key
    copy = tmp_path / "blob-copy.pdf"
    harness.services.blobs.fetch(key, copy, sha256=digest)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest


def test_the_command_line_import_marks_its_files_electronic_when_asked(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["offices", "create", "VP", "--name", "Văn phòng"]).exit_code == 0
    assert runner.invoke(app, ["users", "create", "admin", "--role", "admin", "--office", "VP"]).exit_code == 0
    services = open_services(get_settings())
    try:
        with transaction(services.factory) as session:
            office = accounts.get_or_create_office(session, code="VP")
            admin = accounts.get_user(session, "admin")
            dossier = Dossier(
                office_id=office.id, title="Hội nghị BCH lần thứ 5", meeting_body="BCH", created_by=admin.id
            )
            session.add(dossier)
            session.flush()
            dossier_id = dossier.id
        (env / "marked").mkdir()
        (env / "marked" / "thong-bao.pdf").write_bytes(tiny_pdf("Thong bao"))
        (env / "plain.pdf").write_bytes(tiny_pdf("Bien ban"))
        marked = runner.invoke(app, ["ingest", str(env / "marked"), "--dossier", str(dossier_id), "--electronic"])
        assert marked.exit_code == 0, marked.output
        plain = runner.invoke(app, ["ingest", str(env / "plain.pdf"), "--dossier", str(dossier_id)])
        assert plain.exit_code == 0, plain.output
        with transaction(services.factory) as session:
            docs = {d.original_filename: d for d in session.query(Document).filter(Document.dossier_id == dossier_id)}
            assert docs["thong-bao.pdf"].electronic is True and docs["plain.pdf"].electronic is False
            assert docs["thong-bao.pdf"].validation_status == "error"
            codes = {
                f.code: f.severity
                for f in session.query(FindingRow).filter(FindingRow.document_id == docs["thong-bao.pdf"].id)
            }
            assert codes.get("SIG-MISSING") == "error"
    finally:
        services.close()
