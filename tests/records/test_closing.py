"""Closing a dossier (NĐ 30/2020 Điều 29.3): the checklist, who may close, what blocks it, the chứng từ kết thúc and
the mục lục văn bản it makes, the lock it sets, and the dossier's history — on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Dossier, DossierState
from archive_service.records.closing import closing_incomplete
from tests.conftest import Actor, Harness
from tests.records.closing_helpers import (
    NQ_FIELDS,
    TB_FIELDS,
    close,
    docx_text,
    dossier_with_two_documents,
    pdf_text,
    read_all,
    record_file,
    set_document,
    upload,
)
from tests.samples import tiny_docx


def _error(response: object) -> str:
    return str(response.json()["error"]["code"])  # type: ignore[attr-defined]


def test_an_archivist_closes_a_permanent_dossier_with_its_index_and_closing_record(harness: Harness) -> None:
    h = harness
    dossier, nq, tb = dossier_with_two_documents(h)
    checklist = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.archivist.headers).json()
    assert checklist["blocked"] is False and checklist["take_out"] == [] and checklist["pages"] == 4
    assert checklist["minimum_retention"] == "vinh-vien"  # a nghị quyết is kept permanently (proposed schedule)

    response = close(h, dossier)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"] == "closed" and body["page_total"] == 4 and body["retention"] == "vinh-vien"
    assert body["legal_hold"] is True and body["end_date"] == "2024-03-07"
    kinds = sorted((f["kind"], f["media_type"].rsplit("/", 1)[-1][:4]) for f in body["files"])
    assert kinds == [
        ("chung-tu-ket-thuc", "pdf"),
        ("chung-tu-ket-thuc", "vnd."),
        ("muc-luc-van-ban", "pdf"),
        ("muc-luc-van-ban", "vnd."),
    ]

    index_pdf = next(f for f in body["files"] if f["kind"] == "muc-luc-van-ban" and f["media_type"].endswith("pdf"))
    text = pdf_text(record_file(h, index_pdf["id"]))
    assert "MỤC LỤC VĂN BẢN" in text and "125-NQ/TU" in text and "40-TB/TU" in text
    assert "phát triển kinh tế biển" in text and "1–3" in text and "05/03/2024" in text
    index_docx = next(f for f in body["files"] if f["kind"] == "muc-luc-van-ban" and "word" in f["media_type"])
    words = docx_text(record_file(h, index_docx["id"]))
    assert "Nghị quyết về phát triển kinh tế biển" in words and "1–3" in words and "| 4 |" in words
    record_docx = next(f for f in body["files"] if f["kind"] == "chung-tu-ket-thuc" and "word" in f["media_type"])
    record = docx_text(record_file(h, record_docx["id"]))
    assert "CHỨNG TỪ KẾT THÚC" in record and "4 trang" in record and "Vĩnh viễn" in record
    assert "TCVN 9251:2012" in record  # the layout says it follows practice

    with transaction(h.services.factory) as s:
        key = s.get(Document, nq).storage_key  # type: ignore[union-attr]
    assert h.services.blobs.lock_info(key).legal_hold is True
    files = h.client.get(f"/api/v1/dossiers/{dossier}/record-files", headers=h.archivist.headers).json()["items"]
    assert len(files) == 4
    history = h.client.get(f"/api/v1/dossiers/{dossier}/history", headers=h.reader.headers).json()["items"]
    assert [(i["action"], i["from_state"], i["to_state"]) for i in history][-1] == ("dossier.close", "open", "closed")
    assert history[-1]["user"] == "vanthu" and history[-1]["to_label"] == "Đã kết thúc"
    assert tb  # both documents listed above


def test_a_dossier_kept_for_a_term_gets_a_closing_record_but_no_index_and_a_dated_lock(harness: Harness) -> None:
    h = harness
    dossier = h.new_dossier(title="Hồ sơ công việc tháng 3")
    doc = upload(h, dossier, "thong-bao.pdf")
    read_all(h)
    set_document(h, doc, TB_FIELDS, page_count=2)
    response = close(h, dossier, h.admin, retention="10-nam")  # an admin may close too
    assert response.status_code == 200, response.text
    body = response.json()
    assert {f["kind"] for f in body["files"]} == {"chung-tu-ket-thuc"}
    assert body["legal_hold"] is False and body["locked_until"][:4] == str(datetime.now(UTC).year + 10)
    with transaction(h.services.factory) as s:
        key = s.get(Document, doc).storage_key  # type: ignore[union-attr]
    lock = h.services.blobs.lock_info(key)
    assert lock.retain_until is not None and lock.retain_until.year == datetime.now(UTC).year + 10
    again = close(h, dossier, h.admin, retention="10-nam")
    assert again.status_code == 409 and _error(again) == "DOSSIER-STATE-INVALID"
    upload_after = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("muon.pdf", b"%PDF-1.4 late", "application/pdf")},
        headers=h.archivist.headers,
    )
    assert upload_after.status_code == 409, upload_after.text


def test_readers_auditors_and_other_offices_cannot_close(harness: Harness) -> None:
    h = harness
    dossier, _, _ = dossier_with_two_documents(h)
    refused = close(h, dossier, h.reader)
    assert refused.status_code == 403 and _error(refused) == "AUTH-FORBIDDEN-ROLE"
    hidden = close(h, dossier, h.other_archivist)
    assert hidden.status_code == 404 and _error(hidden) == "DOSSIER-NOT-FOUND"
    assert (
        h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.other_archivist.headers).status_code
        == 404
    )
    with transaction(h.services.factory) as s:
        assert s.get(Dossier, dossier).state == DossierState.OPEN.value  # type: ignore[union-attr]


def test_documents_still_being_read_block_closing(harness: Harness) -> None:
    h = harness
    dossier = h.new_dossier()
    upload(h, dossier, "chua-doc.pdf")  # no worker has read it yet
    checklist = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.archivist.headers).json()
    assert checklist["blocked"] is True and checklist["reading"][0]["filename"] == "chua-doc.pdf"
    refused = close(h, dossier)
    assert refused.status_code == 409 and _error(refused) == "DOSSIER-CLOSING-BLOCKED"
    assert "chua-doc.pdf" in refused.json()["error"]["message"]


def test_a_draft_must_be_taken_out_and_stays_stored_when_it_is(harness: Harness) -> None:
    h = harness
    dossier, nq, _ = dossier_with_two_documents(h)
    draft = upload(h, dossier, "du-thao.pdf")
    read_all(h)
    set_document(h, draft, {"draft": "Dự thảo lần 2", "document_type": "NGHỊ QUYẾT"}, page_count=2)
    checklist = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.archivist.headers).json()
    assert [(i["document_id"], i["kind"]) for i in checklist["take_out"]] == [(draft, "draft")]
    refused = close(h, dossier)
    assert refused.status_code == 409 and _error(refused) == "DOSSIER-CLOSING-BLOCKED"
    assert "du-thao.pdf" in refused.json()["error"]["message"]
    wrong = close(h, dossier, take_out=[draft, nq])  # only what the checklist lists can be taken out here
    assert wrong.status_code == 422 and _error(wrong) == "DOSSIER-TAKE-OUT-INVALID"
    closed = close(h, dossier, take_out=[draft])
    assert closed.status_code == 200, closed.text
    assert closed.json()["taken_out"] == [draft] and closed.json()["page_total"] == 4  # the draft's pages are out
    kept = h.client.get(f"/api/v1/documents/{draft}", headers=h.archivist.headers)
    assert kept.status_code == 200  # archives never delete: the draft is still stored, outside the dossier
    with transaction(h.services.factory) as s:
        assert s.get(Document, draft).removed_from_dossier_at is not None  # type: ignore[union-attr]


def test_a_docx_and_its_pdf_are_duplicates_and_the_pdf_stays(harness: Harness) -> None:
    h = harness
    dossier, nq, _ = dossier_with_two_documents(h)
    copy = upload(h, dossier, "nghi-quyet-125.docx", tiny_docx("Nghị quyết 125"))
    read_all(h)
    set_document(h, copy, NQ_FIELDS, page_count=3, status="checked")
    checklist = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.archivist.headers).json()
    assert [(i["document_id"], i["kind"]) for i in checklist["take_out"]] == [(copy, "duplicate")]
    assert "nghi-quyet-125.pdf" in checklist["take_out"][0]["reason"]
    assert checklist["pages"] == 4  # the duplicate's pages are not counted twice
    assert close(h, dossier, take_out=[copy]).status_code == 200
    assert nq


def test_a_retention_below_its_documents_is_refused(harness: Harness) -> None:
    h = harness
    dossier, _, _ = dossier_with_two_documents(h)
    refused = close(h, dossier, retention="10-nam")  # it holds a nghị quyết: vĩnh viễn
    assert refused.status_code == 422 and _error(refused) == "DOS-RETENTION-BELOW-CONTENT"
    assert "160-CV/TW" in refused.json()["error"]["message"]
    invalid = close(h, dossier, retention="mãi mãi")
    assert invalid.status_code == 422 and _error(invalid) == "RETENTION-INVALID"


def test_a_secret_document_is_counted_never_named_for_who_may_not_read_it(harness: Harness) -> None:
    h = harness
    dossier, _, _ = dossier_with_two_documents(h)
    secret = upload(h, dossier, "mat-du-thao.pdf", actor=h.admin)
    read_all(h)
    set_document(h, secret, {"draft": "Dự thảo"}, secrecy_level=2, page_count=1)
    seen = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.archivist.headers)
    assert "mat-du-thao" not in seen.text
    body = seen.json()
    assert body["hidden"] == 1 and body["hidden_blocking"] == 1 and body["blocked"] is True
    refused = close(h, dossier)
    assert refused.status_code == 409 and "mat-du-thao" not in refused.text
    by_admin = h.client.get(f"/api/v1/dossiers/{dossier}/closing-checklist", headers=h.admin.headers).json()
    assert [i["document_id"] for i in by_admin["take_out"]] == [secret]


def test_a_closed_dossier_without_its_closing_records_is_a_finding(harness: Harness) -> None:
    h = harness
    dossier, _, _ = dossier_with_two_documents(h)
    now = datetime.now(UTC)
    with transaction(h.services.factory) as s:
        row = s.get(Dossier, dossier)
        assert row is not None
        assert closing_incomplete(s, row, [], now) == []  # open: nothing is due yet
        row.state = DossierState.CLOSED.value  # a dossier recorded closed before closing made its files
        found = closing_incomplete(s, row, [], now)
        assert [f.code for f in found] == ["DOS-CLOSING-INCOMPLETE"]
        assert "chứng từ kết thúc" in found[0].message and "mục lục văn bản" in found[0].message
        s.rollback()
    assert close(h, dossier).status_code == 200
    with transaction(h.services.factory) as s:
        row = s.scalar(select(Dossier).where(Dossier.id == dossier))
        assert row is not None and closing_incomplete(s, row, [], now) == []


def test_a_dossier_s_page_total_and_closing_details_are_shown_only_to_who_is_cleared_for_all_it_holds(
    harness: Harness,
) -> None:
    """The page total and the close event's details sum over every document: a reader not cleared for a secret one
    sees the dossier, its state and its steps, never a figure that betrays the document they cannot see."""
    h = harness
    dossier, nq, _ = dossier_with_two_documents(h)
    assert close(h, dossier).status_code == 200
    set_document(h, nq, secrecy_level=1)

    def seen(actor: Actor) -> tuple[object, list[dict[str, object]]]:
        out = h.client.get(f"/api/v1/dossiers/{dossier}", headers=actor.headers)
        steps = h.client.get(f"/api/v1/dossiers/{dossier}/history", headers=actor.headers)
        assert out.status_code == 200 and steps.status_code == 200, (out.text, steps.text)
        closed = [i for i in steps.json()["items"] if i["action"] == "dossier.close"]
        return out.json()["page_total"], closed

    total, steps = seen(h.reader)  # clearance 0
    assert total is None
    assert len(steps) == 1 and steps[0]["to_state"] == "closed" and steps[0]["details"] == {}
    total, steps = seen(h.admin)  # clearance 3
    assert total == 4
    assert steps[0]["details"]["page_total"] == 4
