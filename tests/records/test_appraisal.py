"""Appraisal and destruction (29-HD/VPTW; NĐ 30 Phụ lục VI): only dossiers past retention, through the council and
the head's decision, never in one click; the bytes go, the rows stay as tombstones, the biên bản hủy is kept."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pypdfium2
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, Dossier, Hold, RecordFile, Role, Transfer
from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness, add_user
from tests.samples import tiny_pdf

LONG_AGO = datetime(2010, 3, 1, tzinfo=UTC)  # closed then, kept 10 years: past retention since 2020
RECENT = datetime.now(UTC) - timedelta(days=30)


def _upload(h: Harness, actor: Actor, dossier_id: int, name: str, text: str) -> int:
    files = {"files": (name, tiny_pdf(text), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=actor.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _close_in_db(h: Harness, dossier_id: int, *, closed_at: datetime, retention: str, code: str) -> None:
    """A dossier closed in the past, as if it had lived its life (closing itself is helper C's, tested there)."""
    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        dossier.state = "office-archive"
        dossier.closed_at = closed_at
        dossier.retention = retention
        dossier.file_code = code


@dataclass
class World:
    h: Harness
    expired: int  # dossier past retention (closed 2010, 10 years)
    current: int  # dossier still kept (closed a month ago, 10 years)
    own_doc: int  # in the expired dossier only
    shared_doc: int  # in the expired dossier; the same bytes are another office's document too
    other_doc: int  # the other office's document with the shared bytes
    kept_doc: int  # in the current dossier
    last_doc: int  # in the expired dossier, its blob deleted last


def _world(h: Harness) -> World:
    expired = h.new_dossier(title="Hội nghị Ban Thường vụ năm 2009")
    current = h.new_dossier(title="Hội nghị Ban Thường vụ năm 2026")
    other = h.new_dossier(h.other_archivist, title="Hội nghị Huyện ủy")
    own_doc = _upload(h, h.archivist, expired, "bien-ban-2009.pdf", "Bien ban hoi nghi nam hai nghin le chin")
    shared_doc = _upload(h, h.archivist, expired, "thong-bao.pdf", "Thong bao ket luan dung chung")
    other_doc = _upload(h, h.other_archivist, other, "thong-bao-huyen.pdf", "Thong bao ket luan dung chung")
    kept_doc = _upload(h, h.archivist, current, "bien-ban-2026.pdf", "Bien ban hoi nghi nam nay")
    last_doc = _upload(h, h.archivist, expired, "ket-luan-2009.pdf", "Ket luan hoi nghi cuoi cung")
    run_pending_jobs(h.services)
    drain_outbox(h.services)
    _close_in_db(h, expired, closed_at=LONG_AGO, retention="10-nam", code="07.VPTU")
    _close_in_db(h, current, closed_at=RECENT, retention="10-nam", code="08.VPTU")
    return World(h, expired, current, own_doc, shared_doc, other_doc, kept_doc, last_doc)


def _doc(h: Harness, doc_id: int) -> Document:
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None
        return doc


def _state(h: Harness, dossier_id: int) -> str:
    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        return dossier.state


def _error(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == code, response.text  # type: ignore[attr-defined]


COUNCIL = {"members": ["Nguyễn Văn An (Chủ tịch)", "Lê Thị Bình"], "meeting_date": "2026-11-20", "opinion": "Hủy."}
DECISION = {"decision_number": "15-QĐ/VPTU", "decision_date": "2026-11-25", "approver_name": "Trần Văn Cường"}


def _approved(w: World) -> int:
    """An appraisal of the expired dossier, with its council and the decision to destroy it."""
    h = w.h
    made = h.client.post("/api/v1/appraisals", json={"dossier_ids": [w.expired]}, headers=h.archivist.headers)
    assert made.status_code == 201, made.text
    appraisal = int(made.json()["id"])
    council = h.client.post(f"/api/v1/appraisals/{appraisal}/council", json=COUNCIL, headers=h.archivist.headers)
    assert council.status_code == 200, council.text
    decided = h.client.post(f"/api/v1/appraisals/{appraisal}/approve", json=DECISION, headers=h.admin.headers)
    assert decided.status_code == 200, decided.text
    return appraisal


def _pdf_text(data: bytes) -> str:
    pdf = pypdfium2.PdfDocument(io.BytesIO(data))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def test_an_expired_dossier_is_appraised_approved_and_destroyed_keeping_its_tombstone(harness: Harness) -> None:
    w = _world(harness)
    h = w.h
    blobs = h.services.blobs
    own_key, shared_key = _doc(h, w.own_doc).storage_key, _doc(h, w.shared_doc).storage_key
    assert _doc(h, w.other_doc).storage_key == shared_key

    listed = h.client.get("/api/v1/appraisals/expired", headers=h.archivist.headers)
    assert listed.status_code == 200
    assert [i["dossier_id"] for i in listed.json()["items"]] == [w.expired]
    assert listed.json()["items"][0]["kept_until"] == "2020-03-01"
    other = h.client.get("/api/v1/appraisals/expired", headers=h.other_archivist.headers)
    assert other.json()["items"] == []

    made = h.client.post("/api/v1/appraisals", json={"dossier_ids": [w.expired]}, headers=h.archivist.headers)
    assert made.status_code == 201, made.text
    appraisal = made.json()
    assert _state(h, w.expired) == "under-appraisal"
    assert {f["kind"] for f in appraisal["record_files"]} == {"danh-muc-het-gia-tri"}
    assert {f["media_type"] for f in appraisal["record_files"]} == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    url = f"/api/v1/appraisals/{appraisal['id']}"
    _error(h.client.post(f"{url}/approve", json=DECISION, headers=h.admin.headers), 409, "APPRAISAL-NO-COUNCIL")
    assert h.client.post(f"{url}/council", json=COUNCIL, headers=h.archivist.headers).status_code == 200
    _error(h.client.post(f"{url}/approve", json=DECISION, headers=h.archivist.headers), 403, "AUTH-FORBIDDEN-ROLE")
    assert h.client.post(f"{url}/approve", json=DECISION, headers=h.admin.headers).status_code == 200
    assert _state(h, w.expired) == "destruction-approved"

    _error(
        h.client.post(f"{url}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=h.archivist.headers),
        403,
        "AUTH-FORBIDDEN-ROLE",
    )
    _error(
        h.client.post(f"{url}/destroy", json={"confirm": "16-QĐ/VPTU"}, headers=h.admin.headers),
        422,
        "APPRAISAL-CONFIRM-MISMATCH",
    )
    assert blobs.stat(own_key) is not None  # a wrong confirmation destroys nothing
    done = h.client.post(f"{url}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=h.admin.headers)
    assert done.status_code == 200, done.text
    assert sorted(done.json()["destroyed_document_ids"]) == sorted([w.own_doc, w.shared_doc, w.last_doc])
    assert _state(h, w.expired) == "destroyed"
    assert _state(h, w.current) == "office-archive"

    # The bytes are gone; the blob another office's document still uses stays.
    assert blobs.stat(own_key) is None
    assert blobs.stat(shared_key) is not None
    assert (
        h.client.get(f"/api/v1/documents/{w.other_doc}/content", headers=h.other_archivist.headers).status_code == 200
    )

    # The tombstone: the row and its metadata, the decision named; no bytes (410), nothing in search.
    read = h.client.get(f"/api/v1/documents/{w.own_doc}", headers=h.archivist.headers)
    assert read.status_code == 200
    body = read.json()
    assert body["destroyed_at"] is not None and body["sha256"] == _doc(h, w.own_doc).sha256
    assert body["original_filename"] == "bien-ban-2009.pdf"
    assert "Quyết định số 15-QĐ/VPTU" in body["destruction_notice"]
    _error(
        h.client.get(f"/api/v1/documents/{w.own_doc}/content", headers=h.archivist.headers), 410, "DOCUMENT-DESTROYED"
    )
    assert _doc(h, w.own_doc).text is None
    drain_outbox(h.services)
    found = h.client.get("/api/v1/search", params={"q": "hai nghin le chin"}, headers=h.admin.headers)
    assert found.status_code == 200 and found.json()["total"] == 0
    still = h.client.get("/api/v1/search", params={"q": "nam nay"}, headers=h.admin.headers)
    assert still.json()["total"] == 1

    # The biên bản hủy: stored, locked permanently, listing the dossier and the files with their SHA-256.
    view = h.client.get(url, headers=h.admin.headers).json()
    assert view["state"] == "destroyed"
    record = next(
        f for f in view["record_files"] if f["kind"] == "bien-ban-huy" and f["media_type"] == "application/pdf"
    )
    pdf = h.client.get(f"/api/v1/record-files/{record['id']}", headers=h.admin.headers)
    assert pdf.status_code == 200, pdf.text
    text = _pdf_text(pdf.content)
    assert "BIÊN BẢN HỦY" in text and "07.VPTU" in text and "15-QĐ/VPTU" in text
    assert _doc(h, w.own_doc).sha256[:20] in text.replace("\r", "").replace("\n", "")
    assert blobs.lock_info(record_key(h, record["id"])).locked

    _error(
        h.client.post(f"{url}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=h.admin.headers),
        409,
        "APPRAISAL-STATE-INVALID",
    )
    with transaction(h.services.factory) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "appraisal.destroy")))
    assert len(events) == 1 and events[0].details is not None
    assert sorted(events[0].details["document_ids"]) == sorted([w.own_doc, w.shared_doc, w.last_doc])


def record_key(h: Harness, file_id: int) -> str:
    with transaction(h.services.factory) as session:
        row = session.get(RecordFile, file_id)
        assert row is not None
        return row.storage_key


def test_only_expired_dossiers_of_a_readable_office_go_before_the_council_by_a_keeper(harness: Harness) -> None:
    w = _world(harness)
    h = w.h
    auditor = add_user(h.services, "kiemtra", Role.AUDITOR, "VPTU")
    body = {"dossier_ids": [w.expired]}
    for actor in (h.reader, auditor):
        _error(h.client.post("/api/v1/appraisals", json=body, headers=actor.headers), 403, "AUTH-FORBIDDEN-ROLE")
    _error(h.client.post("/api/v1/appraisals", json=body, headers=h.other_archivist.headers), 404, "DOSSIER-NOT-FOUND")
    not_yet = h.client.post("/api/v1/appraisals", json={"dossier_ids": [w.current]}, headers=h.archivist.headers)
    _error(not_yet, 409, "APPRAISAL-NOT-EXPIRED")
    assert "còn thời hạn bảo quản" in not_yet.json()["error"]["message"]
    _error(
        h.client.post("/api/v1/appraisals", json={"dossier_ids": []}, headers=h.archivist.headers),
        422,
        "APPRAISAL-EMPTY",
    )
    assert _state(h, w.expired) == "office-archive" and _state(h, w.current) == "office-archive"

    appraisal = _approved(w)
    # Another office's archivist does not learn it exists; readers and auditors read it but cannot act.
    _error(
        h.client.get(f"/api/v1/appraisals/{appraisal}", headers=h.other_archivist.headers), 404, "APPRAISAL-NOT-FOUND"
    )
    assert h.client.get(f"/api/v1/appraisals/{appraisal}", headers=h.reader.headers).status_code == 200
    for actor in (h.reader, auditor):
        refused = h.client.post(
            f"/api/v1/appraisals/{appraisal}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=actor.headers
        )
        _error(refused, 403, "AUTH-FORBIDDEN-ROLE")
    _error(h.client.get("/api/v1/appraisals/9223372036854775808", headers=h.admin.headers), 404, "NOT-FOUND")


def test_a_council_may_keep_a_dossier_back_from_destruction(harness: Harness) -> None:
    w = _world(harness)
    h = w.h
    made = h.client.post("/api/v1/appraisals", json={"dossier_ids": [w.expired]}, headers=h.archivist.headers).json()
    url = f"/api/v1/appraisals/{made['id']}"
    h.client.post(f"{url}/council", json=COUNCIL, headers=h.archivist.headers)
    kept = h.client.post(f"{url}/approve", json={**DECISION, "keep_ids": [w.expired]}, headers=h.admin.headers)
    assert kept.status_code == 200, kept.text
    assert _state(h, w.expired) == "office-archive"
    _error(
        h.client.post(f"{url}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=h.admin.headers),
        409,
        "APPRAISAL-NOTHING-TO-DESTROY",
    )
    assert h.services.blobs.stat(_doc(h, w.own_doc).storage_key) is not None


def _nothing_destroyed(w: World) -> None:
    h = w.h
    assert _state(h, w.expired) == "destruction-approved"
    for doc_id in (w.own_doc, w.shared_doc, w.last_doc):
        doc = _doc(h, doc_id)
        assert doc.destroyed_at is None and doc.text
        assert h.services.blobs.stat(doc.storage_key) is not None


def test_nothing_is_destroyed_while_a_freeze_a_pending_transfer_or_an_object_lock_holds(harness: Harness) -> None:
    w = _world(harness)
    h = w.h
    appraisal = _approved(w)
    url = f"/api/v1/appraisals/{appraisal}/destroy"
    confirm = {"confirm": "15-QĐ/VPTU"}
    with transaction(h.services.factory) as session:
        dossier = session.get(Dossier, w.expired)
        assert dossier is not None
        admin_id = session.scalar(select(AuditEvent.user_id).where(AuditEvent.action == "appraisal.approve"))
        assert admin_id is not None
        freeze = Hold(office_id=dossier.office_id, document_ids=[w.shared_doc], reason="Thanh tra", placed_by=admin_id)
        transfer = Transfer(
            office_id=dossier.office_id,
            target="historical-archive",
            dossier_ids=[w.expired],
            bag_name="bag",
            bag_digest="0" * 64,
            created_by=admin_id,
        )
        session.add_all([freeze, transfer])
    _error(h.client.post(url, json=confirm, headers=h.admin.headers), 409, "RECORD-FROZEN")
    _nothing_destroyed(w)
    with transaction(h.services.factory) as session:
        session.get(Hold, freeze.id).lifted_at = datetime.now(UTC)  # type: ignore[union-attr]
    _error(h.client.post(url, json=confirm, headers=h.admin.headers), 409, "APPRAISAL-TRANSFER-PENDING")
    _nothing_destroyed(w)
    with transaction(h.services.factory) as session:
        session.get(Transfer, transfer.id).state = "cancelled"  # type: ignore[union-attr]

    # One locked blob refuses the whole destruction before the first delete (all or nothing).
    h.services.blobs.lock(
        _doc(h, w.last_doc).storage_key, until=datetime.now(UTC) + timedelta(minutes=2), legal_hold=False
    )
    _error(h.client.post(url, json=confirm, headers=h.admin.headers), 409, "STORAGE-LOCKED")
    _nothing_destroyed(w)
