"""Duplicates say where they are and can be linked here; a new version that reads as another document is
confirmed before it is stored, and the version it replaces leaves the dossier's counts (issue 14, item 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, DossierLink
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness
from tests.samples import tiny_pdf
from tests.web.helpers import correct_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _post(h: Harness, actor: Actor, dossier: int, name: str, data: bytes, **fields: str) -> Any:
    return h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (name, data, "application/octet-stream")},
        data=fields,
        headers=actor.headers,
    )


def _documents(h: Harness) -> int:
    with transaction(h.services.factory) as s:
        return int(s.scalar(select(func.count()).select_from(Document)) or 0)


def _count(h: Harness, actor: Actor, dossier: int) -> int:
    response = h.client.get(f"/api/v1/dossiers/{dossier}", headers=actor.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["document_count"])


def test_a_file_already_in_another_dossier_says_where_it_is_and_is_linked_here_without_a_copy(
    harness: Harness,
) -> None:
    h, me = harness, harness.archivist
    first = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 11")
    second = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 12")
    stored = _post(h, me, first, "ket-luan.pdf", tiny_pdf("ket luan 11"))
    doc_id = stored.json()["items"][0]["document"]["id"]

    again = _post(h, me, second, "ket-luan (1).pdf", tiny_pdf("ket luan 11"))
    assert again.status_code == 200
    item = again.json()["items"][0]
    assert item["duplicate"] is True and item["document"]["id"] == doc_id
    assert item["duplicate_of"] == {
        "dossier_id": first,
        "dossier_title": "Hội nghị Ban Thường vụ lần thứ 11",
        "in_this_dossier": False,
    }
    assert _count(h, me, second) == 0

    linked = h.client.post(f"/api/v1/dossiers/{second}/links", json={"document_id": doc_id}, headers=me.headers)
    assert linked.status_code == 200, linked.text
    assert linked.json() == {"dossier_id": second, "document_id": doc_id, "linked": True, "document_count": 1}
    assert _count(h, me, second) == 1 and _count(h, me, first) == 1
    listed = h.client.get(f"/api/v1/dossiers/{second}/documents", headers=me.headers).json()
    assert [d["id"] for d in listed["items"]] == [doc_id]
    assert _documents(h) == 1  # one row, one original: a link, not a copy

    twice = h.client.post(f"/api/v1/dossiers/{second}/links", json={"document_id": doc_id}, headers=me.headers)
    assert twice.json()["linked"] is False and twice.json()["document_count"] == 1
    third = _post(h, me, second, "ket-luan.pdf", tiny_pdf("ket luan 11")).json()["items"][0]
    assert third["duplicate_of"]["in_this_dossier"] is True
    with transaction(h.services.factory) as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.link")).all()
        assert [(e.object_id, e.details["dossier_id"]) for e in events] == [(str(doc_id), second)]  # type: ignore[index]


def test_a_duplicate_of_a_document_the_uploader_may_not_read_says_only_that_the_file_is_stored(
    harness: Harness,
) -> None:
    h = harness
    secret_dossier = h.new_dossier(h.admin, title="Hội nghị MẬTHSQ", office_code="VPTU")
    secret = _post(h, h.admin, secret_dossier, "to-trinh-MATTEPQ.pdf", tiny_pdf("to trinh mat"))
    secret_id = secret.json()["items"][0]["document"]["id"]
    assert (
        h.client.patch(f"/api/v1/documents/{secret_id}", json={"secrecy_level": 2}, headers=h.admin.headers).status_code
        == 200
    )

    mine = h.new_dossier()
    answer = _post(h, h.archivist, mine, "to-trinh.pdf", tiny_pdf("to trinh mat"))
    item = answer.json()["items"][0]
    assert item["hidden"] is True and item["error"]["code"] == "UPLOAD-DUPLICATE-HIDDEN"
    assert item["document"] is None and item["duplicate_of"] is None
    for secret_word in ("MẬTHSQ", "MATTEPQ", str(secret_dossier)):
        assert secret_word not in answer.text
    refused = h.client.post(
        f"/api/v1/dossiers/{mine}/links", json={"document_id": secret_id}, headers=h.archivist.headers
    )
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "DOCUMENT-NOT-FOUND"
    assert "MATTEPQ" not in refused.text
    with transaction(h.services.factory) as s:
        assert s.scalar(select(func.count()).select_from(DossierLink)) == 0


def test_linking_is_refused_to_readers_and_to_other_offices_like_any_write(harness: Harness) -> None:
    h = harness
    first, second = h.new_dossier(), h.new_dossier()
    doc_id = _post(h, h.archivist, first, "bb.pdf", tiny_pdf("bb")).json()["items"][0]["document"]["id"]
    body = {"document_id": doc_id}
    as_reader = h.client.post(f"/api/v1/dossiers/{second}/links", json=body, headers=h.reader.headers)
    assert as_reader.status_code == 403 and as_reader.json()["error"]["code"] == "AUTH-FORBIDDEN-ROLE"
    other = h.client.post(f"/api/v1/dossiers/{second}/links", json=body, headers=h.other_archivist.headers)
    assert other.status_code == 404
    elsewhere = h.new_dossier(h.other_archivist)
    mine_there = h.client.post(f"/api/v1/dossiers/{elsewhere}/links", json=body, headers=h.other_archivist.headers)
    assert mine_there.status_code == 404  # the document is of another office: as if it did not exist
    admin_across = h.client.post(f"/api/v1/dossiers/{elsewhere}/links", json=body, headers=h.admin.headers)
    assert admin_across.status_code == 409 and admin_across.json()["error"]["code"] == "DOCUMENT-LINK-OTHER-OFFICE"
    bad = h.client.post(f"/api/v1/dossiers/{second}/links", json={"document_id": "1"}, headers=h.archivist.headers)
    assert bad.status_code == 422


def _stored_and_read(h: Harness, dossier: int, path: Path) -> int:
    answer = _post(h, h.archivist, dossier, path.name, path.read_bytes())
    assert answer.status_code == 201, answer.text
    run_pending_jobs(h.services)
    return int(answer.json()["items"][0]["document"]["id"])


def test_a_new_version_that_reads_as_another_document_is_stored_only_once_confirmed(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    dossier = h.new_dossier()
    old_id = _stored_and_read(h, dossier, correct_docx(tmp_path, "nghi-quyet-125.docx"))
    other = correct_docx(
        tmp_path, "quyet-dinh-126.docx", number="126", type_code="QĐ", document_type="QUYẾT ĐỊNH"
    ).read_bytes()
    before = _documents(h)

    refused = _post(h, h.archivist, dossier, "quyet-dinh-126.docx", other, version_of=str(old_id))
    assert refused.status_code == 409, refused.text
    error = refused.json()["error"]
    assert error["code"] == "UPLOAD-VERSION-CHANGED"
    assert "số: 125 → 126" in error["message"] and "tên loại: NGHỊ QUYẾT → QUYẾT ĐỊNH" in error["message"]
    assert "xác nhận" in error["message"]
    assert _documents(h) == before  # nothing stored, the old version not superseded
    assert _count(h, h.archivist, dossier) == 1

    confirmed = _post(h, h.archivist, dossier, "quyet-dinh-126.docx", other, version_of=str(old_id), xac_nhan="1")
    assert confirmed.status_code == 201, confirmed.text
    assert confirmed.json()["items"][0]["document"]["version_of"] == old_id
    assert _count(h, h.archivist, dossier) == 1  # the old version left the count; the new one is in it
    with transaction(h.services.factory) as s:
        upload = s.scalars(select(AuditEvent).where(AuditEvent.action == "document.upload")).all()[-1]
        assert upload.details is not None and upload.details["version_of"] == old_id


def test_a_corrected_version_of_the_same_document_goes_in_without_a_question(harness: Harness, tmp_path: Path) -> None:
    h = harness
    dossier = h.new_dossier()
    old_id = _stored_and_read(h, dossier, correct_docx(tmp_path, "nghi-quyet.docx"))
    corrected = correct_docx(tmp_path, "nghi-quyet-sua.docx", summary="về tăng cường công tác xây dựng Đảng năm 2024")
    answer = _post(h, h.archivist, dossier, corrected.name, corrected.read_bytes(), version_of=str(old_id))
    assert answer.status_code == 201, answer.text
    assert _count(h, h.archivist, dossier) == 1
    invalid = _post(h, h.archivist, dossier, "x.pdf", tiny_pdf("x"), version_of=str(old_id), xac_nhan="có")
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "REQUEST-INVALID"


def test_a_version_replaced_by_a_secret_one_stays_current_for_who_may_not_read_the_secret(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    dossier = h.new_dossier()
    old_id = _post(h, h.archivist, dossier, "bb.pdf", tiny_pdf("bb v1")).json()["items"][0]["document"]["id"]
    new = _post(h, h.admin, dossier, "bb-sua.pdf", tiny_pdf("bb v2"), version_of=str(old_id))
    new_id = new.json()["items"][0]["document"]["id"]
    assert h.client.patch(f"/api/v1/documents/{new_id}", json={"secrecy_level": 1}, headers=h.admin.headers)
    assert _count(h, h.admin, dossier) == 1  # the admin reads both: the old one is superseded
    assert _count(h, h.reader, dossier) == 1  # the reader sees only the old one, still current for them


def test_a_bulk_import_names_the_dossier_of_each_file_already_filed_elsewhere(harness: Harness, tmp_path: Path) -> None:
    from archive_service.documents.ingest import ingest_paths

    h = harness
    first = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 30")
    second = h.new_dossier()
    pdf = tmp_path / "bb.pdf"
    pdf.write_bytes(tiny_pdf("bb 30"))
    ingest_paths(h.services, [pdf], dossier_id=first, username=h.archivist.username)
    report = ingest_paths(h.services, [pdf], dossier_id=second, username=h.archivist.username)
    assert report.duplicates == 1 and report.elsewhere == [(pdf, first, "Hội nghị Ban Thường vụ lần thứ 30")]
    rerun = ingest_paths(h.services, [pdf], dossier_id=first, username=h.archivist.username)
    assert rerun.duplicates == 1 and rerun.elsewhere == []
