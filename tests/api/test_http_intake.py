"""Intake through HTTP on the embedded and the real backends: what an archivist and a script see."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document
from tests.conftest import Harness
from tests.samples import tiny_docx, tiny_pdf

PDF = "application/pdf"


def _upload(h: Harness, dossier: int, files: list[tuple[str, bytes]], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=headers,
    )


def _rows(h: Harness, model: type) -> int:
    with transaction(h.services.factory) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_an_uploaded_pdf_downloads_byte_identical_with_its_vietnamese_name(harness: Harness) -> None:
    dossier = harness.new_dossier()
    data = tiny_pdf("Bien ban")
    response = _upload(harness, dossier, [("Biên bản hội nghị BTV.pdf", data)], harness.archivist.headers)
    assert response.status_code == 201, response.text
    doc = response.json()["items"][0]["document"]
    assert doc["media_type"] == PDF and doc["size"] == len(data) and doc["status"] == "stored"

    got = harness.client.get(f"/api/v1/documents/{doc['id']}/content", headers=harness.archivist.headers)
    assert got.status_code == 200
    assert got.content == data
    disposition = got.headers["content-disposition"]
    assert 'filename="Bien ban hoi nghi BTV.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Biên bản hội nghị BTV.pdf"


def test_a_docx_is_recognised_from_its_bytes_whatever_its_name(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = _upload(harness, dossier, [("to-trinh.bin", tiny_docx())], harness.archivist.headers)
    assert response.status_code == 201
    assert response.json()["items"][0]["document"]["media_type"].endswith("wordprocessingml.document")


def test_the_same_bytes_uploaded_twice_give_the_same_document(harness: Harness) -> None:
    dossier = harness.new_dossier()
    data = tiny_pdf("Nghi quyet")
    first = _upload(harness, dossier, [("a.pdf", data)], harness.archivist.headers)
    second = _upload(harness, dossier, [("copy of a.pdf", data)], harness.archivist.headers)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["items"][0]["duplicate"] is True
    assert first.json()["items"][0]["document"]["id"] == second.json()["items"][0]["document"]["id"]
    assert _rows(harness, Document) == 1
    assert len(list(harness.services.blobs.iter_keys())) == 1


def test_many_files_go_up_in_one_request(harness: Harness) -> None:
    dossier = harness.new_dossier()
    files = [(f"van-ban-{i}.pdf", tiny_pdf(f"Van ban {i}")) for i in range(5)]
    response = _upload(harness, dossier, files, harness.archivist.headers)
    assert response.status_code == 201
    assert [item["filename"] for item in response.json()["items"]] == [f for f, _ in files]
    listing = harness.client.get(f"/api/v1/dossiers/{dossier}/documents", headers=harness.reader.headers)
    assert listing.json()["total"] == 5


def test_a_file_over_the_size_limit_is_refused_and_leaves_nothing(harness: Harness) -> None:
    harness.services.settings.max_upload_mb = 1
    dossier = harness.new_dossier()
    big = tiny_pdf() + b"%" * (1024 * 1024 + 10)
    response = _upload(harness, dossier, [("qua-lon.pdf", big)], harness.archivist.headers)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "UPLOAD-TOO-LARGE"
    assert _rows(harness, Document) == 0
    assert list(harness.services.blobs.iter_keys()) == []
    assert list(harness.services.settings.spool_dir.iterdir()) == []


def test_a_file_that_is_not_pdf_or_docx_is_refused_with_415(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = _upload(harness, dossier, [("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)], harness.archivist.headers)
    assert response.status_code == 415
    body = response.json()["error"]
    assert body["code"] == "UPLOAD-UNSUPPORTED-TYPE" and "PDF" in body["message"]
    assert _rows(harness, Document) == 0


def test_a_good_and_a_bad_file_together_store_the_good_one_and_report_the_bad(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = _upload(harness, dossier, [("a.pdf", tiny_pdf()), ("b.txt", b"hello")], harness.archivist.headers)
    assert response.status_code == 201
    items = response.json()["items"]
    assert items[0]["document"] is not None and items[1]["error"]["code"] == "UPLOAD-UNSUPPORTED-TYPE"


def test_every_api_call_needs_a_token(harness: Harness) -> None:
    for method, url in [
        ("get", "/api/v1/dossiers"),
        ("post", "/api/v1/dossiers"),
        ("get", "/api/v1/documents/1"),
    ]:
        response = harness.client.request(method, url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "AUTH-REQUIRED"
    bad = harness.client.get("/api/v1/dossiers", headers={"Authorization": "Bearer arch_not-a-token"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "AUTH-INVALID-TOKEN"


def test_an_archivist_cannot_write_into_another_offices_dossier(harness: Harness) -> None:
    """Another office's dossier answers as a missing one (404): its existence is not confirmed."""
    dossier = harness.new_dossier()
    response = _upload(harness, dossier, [("a.pdf", tiny_pdf())], harness.other_archivist.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "DOSSIER-NOT-FOUND"
    patch = harness.client.patch(
        f"/api/v1/dossiers/{dossier}", json={"title": "x"}, headers=harness.other_archivist.headers
    )
    assert patch.status_code == 404


def test_a_reader_reads_the_own_office_but_cannot_upload(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _upload(harness, dossier, [("a.pdf", tiny_pdf())], harness.archivist.headers).json()["items"][0][
        "document"
    ]["id"]
    assert harness.client.get(f"/api/v1/documents/{doc_id}", headers=harness.reader.headers).status_code == 200
    refused = _upload(harness, dossier, [("b.pdf", tiny_pdf("b"))], harness.reader.headers)
    assert refused.status_code == 403


def test_another_office_cannot_see_a_document_or_dossier(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _upload(harness, dossier, [("a.pdf", tiny_pdf())], harness.archivist.headers).json()["items"][0][
        "document"
    ]["id"]
    other = harness.other_archivist.headers
    assert harness.client.get(f"/api/v1/documents/{doc_id}", headers=other).status_code == 404
    assert harness.client.get(f"/api/v1/documents/{doc_id}/content", headers=other).status_code == 404
    assert harness.client.get(f"/api/v1/dossiers/{dossier}", headers=other).status_code == 404
    assert harness.client.get("/api/v1/dossiers", headers=other).json()["total"] == 0
    assert harness.client.get("/api/v1/dossiers", headers=harness.admin.headers).json()["total"] == 1


def test_uploads_downloads_and_changes_are_audited_with_who_and_from_where(harness: Harness) -> None:
    dossier = harness.new_dossier()
    doc_id = _upload(harness, dossier, [("a.pdf", tiny_pdf())], harness.archivist.headers).json()["items"][0][
        "document"
    ]["id"]
    harness.client.get(f"/api/v1/documents/{doc_id}/content", headers=harness.reader.headers)
    harness.client.patch(
        f"/api/v1/dossiers/{dossier}", json={"meeting_number": "12"}, headers=harness.archivist.headers
    )
    with transaction(harness.services.factory) as s:
        events = {(e.action, e.object_id): e for e in s.scalars(select(AuditEvent))}
    upload = events[("document.upload", str(doc_id))]
    assert upload.user_id is not None and upload.client_addr and upload.at is not None
    assert upload.details and upload.details["filename"] == "a.pdf"
    assert ("document.download", str(doc_id)) in events
    assert ("dossier.update", str(dossier)) in events
    assert ("dossier.create", str(dossier)) in events


def test_bad_json_gets_a_vietnamese_error_in_the_error_shape(harness: Harness) -> None:
    response = harness.client.post(
        "/api/v1/dossiers", json={"title": "", "meeting_body": "XYZ"}, headers=harness.archivist.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "REQUEST-INVALID"
    assert "không hợp lệ" in response.json()["error"]["message"]
    missing = harness.client.get("/api/v1/documents/99999", headers=harness.admin.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "DOCUMENT-NOT-FOUND"
    assert harness.client.get("/api/v1/nothing-here").json()["error"]["code"] == "NOT-FOUND"


def test_an_upload_that_is_not_multipart_is_refused(harness: Harness) -> None:
    dossier = harness.new_dossier()
    response = harness.client.post(
        f"/api/v1/dossiers/{dossier}/documents", content=b"raw", headers=harness.archivist.headers
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "UPLOAD-NOT-MULTIPART"


def test_health_and_readiness_report_every_backend(harness: Harness) -> None:
    assert harness.client.get("/healthz").json() == {"status": "ok"}
    ready = harness.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"catalog": "ok", "blobs": "ok", "search": "ok"}
    assert harness.client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize("require", ["", " , ", "catalog,elastic", "CATALOG"])
def test_readiness_refuses_an_unknown_required_part(harness: Harness, require: str) -> None:
    refused = harness.client.get("/readyz", params={"require": require})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "READYZ-REQUIRE-INVALID"


def test_readiness_may_require_only_some_parts(harness: Harness) -> None:
    narrowed = harness.client.get("/readyz", params={"require": "catalog, blobs"})
    assert narrowed.status_code == 200 and set(narrowed.json()["checks"]) == {"catalog", "blobs", "search"}


def test_a_corrected_document_is_a_new_version_linked_to_the_old_one(harness: Harness) -> None:
    dossier = harness.new_dossier()
    old = _upload(harness, dossier, [("ket-luan.pdf", tiny_pdf("v1"))], harness.archivist.headers)
    old_id = old.json()["items"][0]["document"]["id"]
    new = harness.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("ket-luan-sua.pdf", tiny_pdf("v2"), "application/pdf")},
        data={"version_of": str(old_id)},
        headers=harness.archivist.headers,
    )
    assert new.status_code == 201
    assert new.json()["items"][0]["document"]["version_of"] == old_id
    original = harness.client.get(f"/api/v1/documents/{old_id}/content", headers=harness.archivist.headers)
    assert original.content == tiny_pdf("v1")


def test_metadata_changes_are_audited_and_secrecy_hides_the_document_from_uncleared_readers(
    harness: Harness,
) -> None:
    dossier = harness.new_dossier()
    doc_id = _upload(harness, dossier, [("mat.pdf", tiny_pdf("mat"))], harness.archivist.headers).json()["items"][0][
        "document"
    ]["id"]
    changed = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"secrecy_level": 1}, headers=harness.archivist.headers
    )
    assert changed.status_code == 200 and changed.json()["secrecy_level"] == 1
    assert harness.client.get(f"/api/v1/documents/{doc_id}", headers=harness.reader.headers).status_code == 404
    assert harness.client.get(f"/api/v1/documents/{doc_id}", headers=harness.admin.headers).status_code == 200
    refused = harness.client.patch(
        f"/api/v1/documents/{doc_id}", json={"secrecy_level": 0}, headers=harness.other_archivist.headers
    )
    assert refused.status_code == 404
    with transaction(harness.services.factory) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.update")).one()
    assert event.details == {"secrecy_level": [0, 1]}
