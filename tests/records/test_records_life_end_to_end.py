"""The issue's "done when", end to end over HTTP on both backends (and, on PostgreSQL + SeaweedFS, with the
store's own admin credentials): an office plans its year, forms and closes dossiers, exports a transfer bag that
``bagit`` validates and another instance imports, and appraises and destroys an expired dossier keeping its
tombstone — while a closed dossier's locked original cannot be deleted by anyone.

The one step not taken over HTTP is closing the expired dossier: it is closed "in 2015" through the closing use
case's clock (service layer only), since no test can wait out five years of retention.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bagit
import pytest
from minio import Minio
from minio.error import S3Error
from sqlalchemy import select

from archive_service.audit.labels import ACTION_LABELS
from archive_service.catalog import accounts
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document, Dossier
from archive_service.records import service as records
from archive_service.storage.s3 import S3BlobStore
from archive_service.workers.jobs import run_pending_jobs
from tests.backends import s3_config
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf

PLAN: dict[str, Any] = {
    "year": 2026,
    "headings": [
        {
            "title": "Hội nghị của cấp ủy",
            "entries": [
                {
                    "file_code": "01.VPTU",
                    "title": "Hồ sơ Hội nghị Ban Thường vụ Tỉnh ủy tháng 3 năm 2026",
                    "retention": "vinh-vien",
                    "former_name": "Nguyễn Thị Lan",
                    "kind": "hoi-nghi",
                }
            ],
            "headings": [
                {
                    "title": "Công tác văn phòng",
                    "entries": [
                        {"file_code": "02.VPTU", "title": "Hồ sơ tổng hợp báo cáo tháng", "retention": "10-nam"}
                    ],
                }
            ],
        }
    ],
}
APPROVAL = {"decision_number": "01-QĐ/VPTU", "decision_date": "2026-01-05", "approver_name": "Trần Văn Chánh"}


@pytest.fixture
def receiving(backend_kind: str, tmp_path: Path) -> Iterator[Harness]:
    """The Party committee's archive: another instance with its own catalog, blob store and index."""
    made = build_harness(make_settings(backend_kind, tmp_path / "receiving"))
    yield next(made)
    next(made, None)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _upload(h: Harness, dossier_id: int, name: str, text: str) -> int:
    files = [("files", (name, tiny_pdf(text), "application/pdf"))]
    body = _ok(h.client.post(f"/api/v1/dossiers/{dossier_id}/documents", files=files, headers=h.archivist.headers), 201)
    run_pending_jobs(h.services)
    return int(body["items"][0]["document"]["id"])


def _doc(h: Harness, doc_id: int) -> Document:
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None
        session.expunge(doc)
        return doc


def _state(h: Harness, dossier_id: int) -> str:
    return str(_ok(h.client.get(f"/api/v1/dossiers/{dossier_id}", headers=h.archivist.headers))["state"])


def _zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _admin_cannot_delete(h: Harness, key: str) -> None:
    """With the S3 server's own admin identity, a versioned delete of the locked original is refused."""
    store = h.services.blobs
    assert isinstance(store, S3BlobStore)
    cfg = s3_config()
    raw = Minio(cfg.endpoint, access_key=cfg.access_key, secret_key=cfg.secret_key, secure=False)
    versions = [o.version_id for o in raw.list_objects(store.bucket, prefix=key, include_version=True)]
    assert versions and all(versions)
    for version in versions:
        with pytest.raises(S3Error):
            raw.remove_object(store.bucket, key, version_id=version)
    assert store.stat(key) is not None


def test_an_office_plans_closes_transfers_appraises_and_destroys(harness: Harness, receiving: Harness) -> None:
    h = harness
    # 1. The year's file plan: built, approved by the head (an admin records it), exported.
    plan = _ok(h.client.post("/api/v1/file-plans", json=PLAN, headers=h.archivist.headers), 201)
    _ok(h.client.post(f"/api/v1/file-plans/{plan['id']}/approve", json=APPROVAL, headers=h.admin.headers))
    export = h.client.get(f"/api/v1/file-plans/{plan['id']}/export?format=pdf", headers=h.archivist.headers)
    assert export.status_code == 200 and export.content.startswith(b"%PDF")
    meeting_row = plan["headings"][0]["entries"][0]

    # 2. A conference dossier opened from its row, formed and closed (permanent: mục lục văn bản + chứng từ).
    opened = _ok(
        h.client.post(
            f"/api/v1/file-plans/{plan['id']}/entries/{meeting_row['id']}/open",
            json={"meeting_body": "BTV", "meeting_date": "2026-03-05"},
            headers=h.archivist.headers,
        ),
        201,
    )
    kept = int(opened["id"])
    assert (opened["file_code"], opened["retention"], opened["state"]) == ("01.VPTU", "vinh-vien", "open")
    minutes = _upload(h, kept, "Biên bản hội nghị.pdf", "Bien ban hoi nghi Ban Thuong vu thang 3")
    _upload(h, kept, "Kết luận hội nghị.pdf", "Ket luan hoi nghi Ban Thuong vu thang 3")
    checklist = _ok(h.client.get(f"/api/v1/dossiers/{kept}/closing-checklist", headers=h.archivist.headers))
    assert (checklist["held"], checklist["pages"], checklist["blocked"]) == (2, 2, False)
    closed = _ok(
        h.client.post(f"/api/v1/dossiers/{kept}/close", json={"retention": "vinh-vien"}, headers=h.archivist.headers)
    )
    kinds = {f["kind"] for f in closed["files"]}
    assert {"muc-luc-van-ban", "chung-tu-ket-thuc"} <= kinds
    assert _state(h, kept) == "closed"
    locked = _doc(h, minutes)
    assert h.services.blobs.lock_info(locked.storage_key).legal_hold  # permanent: a legal hold
    # Closed means closed: no new document, no removal.
    late = h.client.post(
        f"/api/v1/dossiers/{kept}/documents",
        files=[("files", ("Muộn.pdf", tiny_pdf("muon"), "application/pdf"))],
        headers=h.archivist.headers,
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "DOSSIER-CLOSED"

    # 3. Its transfer bag validates, the receiving instance imports it, and only its receipt moves the dossier.
    sent = _ok(h.client.post("/api/v1/transfers", json={"dossier_ids": [kept]}, headers=h.archivist.headers), 201)
    bag_dir = Path(sent["bag_path"])
    bagit.Bag(str(bag_dir)).validate()
    assert _state(h, kept) == "closed"
    receipt = _ok(
        receiving.client.post(
            "/api/v1/transfers/import",
            files={"file": (f"{bag_dir.name}.zip", _zip(bag_dir), "application/zip")},
            headers=receiving.archivist.headers,
        )
    )
    assert receipt["bag_digest"] == sent["bag_digest"]
    with transaction(receiving.services.factory) as session:
        arrived = session.scalars(select(Dossier)).one()
        assert (arrived.file_code, arrived.state) == ("01.VPTU", "office-archive")
        shas = set(session.scalars(select(Document.sha256)))
    assert locked.sha256 in shas
    _ok(h.client.post(f"/api/v1/transfers/{sent['id']}/confirm", json=receipt, headers=h.archivist.headers))
    assert _state(h, kept) == "office-archive"

    # 4. A work dossier kept 5 years, closed in 2015: past retention, appraised, approved, destroyed.
    adhoc = {
        "title": "Hồ sơ tổng hợp báo cáo tháng năm 2015",
        "file_code": "15.VPTU",
        "retention": "5-nam",
        "former_name": "Lê Văn Bình",
        "start_date": "2015-01-05",
    }
    expired = int(_ok(h.client.post("/api/v1/dossiers/ad-hoc", json=adhoc, headers=h.archivist.headers), 201)["id"])
    gone = _upload(h, expired, "Báo cáo tháng 1.pdf", "Bao cao thang mot nam 2015 cua Van phong")
    with transaction(h.services.factory) as session:
        archivist = accounts.principal_of(accounts.get_user(session, "vanthu"))
    records.close_dossier(
        h.services,
        archivist,
        expired,
        retention="5-nam",
        take_out=None,
        addr="test",
        now=datetime(2015, 12, 31, tzinfo=UTC),
    )
    listed = _ok(h.client.get("/api/v1/appraisals/expired", headers=h.archivist.headers))
    assert [d["dossier_id"] for d in listed["items"]] == [expired]  # the permanent one never expires
    appraisal = _ok(
        h.client.post("/api/v1/appraisals", json={"dossier_ids": [expired]}, headers=h.archivist.headers), 201
    )
    url = f"/api/v1/appraisals/{appraisal['id']}"
    council = {"members": ["Trần Văn Chánh", "Lê Thị Hà"], "meeting_date": "2026-11-20", "opinion": "Hết giá trị."}
    _ok(h.client.post(f"{url}/council", json=council, headers=h.archivist.headers))
    decision = {"decision_number": "20-QĐ/VPTU", "decision_date": "2026-11-25", "approver_name": "Trần Văn Chánh"}
    _ok(h.client.post(f"{url}/approve", json=decision, headers=h.admin.headers))
    wrong = h.client.post(f"{url}/destroy", json={"confirm": "21-QĐ/VPTU"}, headers=h.admin.headers)
    assert wrong.status_code == 422  # never one click: the decision number typed again
    destroyed = _ok(h.client.post(f"{url}/destroy", json={"confirm": "20-QĐ/VPTU"}, headers=h.admin.headers))
    assert destroyed["destroyed_document_ids"] == [gone]

    tombstone = _doc(h, gone)
    assert tombstone.destroyed_at is not None and tombstone.sha256 and tombstone.original_filename
    assert h.services.blobs.stat(tombstone.storage_key) is None
    assert _state(h, expired) == "destroyed"
    download = h.client.get(f"/api/v1/documents/{gone}/content", headers=h.archivist.headers)
    assert download.status_code == 410 and download.json()["error"]["code"] == "DOCUMENT-DESTROYED"
    # The same bytes received again later are a new document (the tombstone keeps the old one's record).
    again = _upload(h, h.new_dossier(), "Báo cáo tháng 1.pdf", "Bao cao thang mot nam 2015 cua Van phong")
    assert again != gone and _doc(h, again).sha256 == tombstone.sha256 and _doc(h, again).destroyed_at is None
    assert h.services.blobs.stat(_doc(h, again).storage_key) is not None
    assert _doc(h, gone).destroyed_at is not None
    files = _ok(h.client.get(f"/api/v1/appraisals/{appraisal['id']}", headers=h.admin.headers))["record_files"]
    assert {f["kind"] for f in files} >= {"danh-muc-het-gia-tri", "bien-ban-huy"}, files

    # 5. The permanent dossier's original is still there, still locked; on S3 not even the admin deletes it.
    assert h.services.blobs.stat(locked.storage_key) is not None
    if isinstance(h.services.blobs, S3BlobStore):
        _admin_cannot_delete(h, locked.storage_key)

    # 6. The trail tells the whole life in words an auditor reads: every action it holds has its Vietnamese name.
    expected = {
        "sender": {
            "file-plan.approve",
            "dossier.close",
            "transfer.export",
            "dossier.transfer-office",
            "appraisal.destroy",
        },
        "receiver": {"transfer.import"},
    }
    for name, instance in (("sender", h), ("receiver", receiving)):
        with transaction(instance.services.factory) as session:
            actions = set(session.scalars(select(AuditEvent.action)))
        assert expected[name] <= actions, actions
        assert not {a for a in actions if a not in ACTION_LABELS}, actions
