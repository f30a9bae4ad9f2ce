"""The search page's period, upload order, saved searches and CSV export, over HTTP (API and web page).

A saved search keeps words and filters only: run again it is scoped to its owner as they are then, so it never
returns a document they may not read; another user's saved search is 404 as a missing one. The CSV export is
scoped and audited like the search, and its cells are written so that a spreadsheet never runs them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent
from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Actor, Harness, build_harness, make_settings
from tests.web.conftest import csrf_of, log_in, set_password
from tests.web.helpers import correct_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLD_NAME = "=1+1 bao-cao-2023.docx"  # a file name a spreadsheet would run as a formula
NEW_NAME = "nghi-quyet-2024.docx"


@dataclass
class Archive:
    h: Harness
    old_id: str  # issued 01/06/2023, uploaded first
    new_id: str  # issued 05/03/2024, uploaded second, then marked Mật


@pytest.fixture
def archive(backend_kind: str, tmp_path: Path) -> Iterator[Archive]:
    for h in build_harness(make_settings(backend_kind, tmp_path)):
        for name in ("admin", "vanthu", "doc", "vanthu-huyen"):
            set_password(h.services, name)
        old = correct_docx(
            tmp_path,
            OLD_NAME,
            number="30",
            type_code="BC",
            document_type="BÁO CÁO",
            issued_on=date(2023, 6, 1),
            summary="về kết quả công tác xây dựng tổ chức cơ sở đảng năm 2023",
        )
        new = correct_docx(tmp_path, NEW_NAME)
        dossier = h.new_dossier()
        ids = []
        for path in (old, new):
            files = {"files": (path.name, path.read_bytes(), DOCX)}
            response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
            assert response.status_code == 201, response.text
            ids.append(str(response.json()["items"][0]["document"]["id"]))
        run_pending_jobs(h.services)
        drain_outbox(h.services)
        yield Archive(h, ids[0], ids[1])


def _mark_secret(a: Archive) -> None:
    response = a.h.client.patch(f"/api/v1/documents/{a.new_id}", json={"secrecy_level": 1}, headers=a.h.admin.headers)
    assert response.status_code == 200, response.text
    run_pending_jobs(a.h.services)
    drain_outbox(a.h.services)


def _ids(a: Archive, actor: Actor, **params: object) -> list[str]:
    response = a.h.client.get("/api/v1/search", params=params, headers=actor.headers)
    assert response.status_code == 200, response.text
    return [hit["document_id"] for hit in response.json()["hits"]]


def test_the_issued_date_period_keeps_only_documents_issued_within_it(archive: Archive) -> None:
    a, reader = archive, archive.h.reader
    assert _ids(a, reader, issued_from="2024-01-01") == [a.new_id]
    assert _ids(a, reader, issued_to="2023-12-31") == [a.old_id]
    assert _ids(a, reader, issued_from="2023-06-01", issued_to="2023-06-01") == [a.old_id]
    refused = a.h.client.get(
        "/api/v1/search", params={"issued_from": "2024-02-01", "issued_to": "2024-01-01"}, headers=reader.headers
    )
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "SEARCH-BAD-PERIOD"


def test_results_sort_by_upload_date_and_by_issue_date(archive: Archive) -> None:
    a, reader = archive, archive.h.reader
    assert _ids(a, reader, q="tổ chức cơ sở đảng", sort="-uploaded_at") == [a.new_id, a.old_id]
    assert _ids(a, reader, q="tổ chức cơ sở đảng", sort="uploaded_at") == [a.old_id, a.new_id]
    assert _ids(a, reader, q="tổ chức cơ sở đảng", sort="issued_on") == [a.old_id, a.new_id]


def test_a_saved_search_never_returns_a_document_its_owner_may_not_read(archive: Archive) -> None:
    a = archive
    body = {"name": "Văn bản từ 2023", "query": {"issued_from": "2023-01-01", "sort": "-uploaded_at"}}
    saved = a.h.client.post("/api/v1/search/saved", json=body, headers=a.h.reader.headers)
    assert saved.status_code == 201, saved.text
    saved_id = saved.json()["id"]
    results = f"/api/v1/search/saved/{saved_id}/results"
    before = a.h.client.get(results, headers=a.h.reader.headers).json()
    assert [h["document_id"] for h in before["hits"]] == [a.new_id, a.old_id]

    _mark_secret(a)  # the reader (no clearance) may no longer read it; the saved search does not remember it
    after = a.h.client.get(results, headers=a.h.reader.headers)
    assert [h["document_id"] for h in after.json()["hits"]] == [a.old_id] and after.json()["total"] == 1
    assert NEW_NAME not in after.text
    admins = a.h.client.post("/api/v1/search/saved", json=body, headers=a.h.admin.headers).json()
    shown = a.h.client.get(f"/api/v1/search/saved/{admins['id']}/results", headers=a.h.admin.headers).json()
    assert [h["document_id"] for h in shown["hits"]] == [a.new_id, a.old_id]


def test_a_saved_search_is_its_owners_alone(archive: Archive) -> None:
    h = archive.h
    saved = h.client.post(
        "/api/v1/search/saved", json={"name": "Của tôi", "query": {"q": "nghị quyết"}}, headers=h.reader.headers
    )
    saved_id = saved.json()["id"]
    assert [s["name"] for s in h.client.get("/api/v1/search/saved", headers=h.reader.headers).json()] == ["Của tôi"]
    assert h.client.get("/api/v1/search/saved", headers=h.admin.headers).json() == []
    for method, path in (
        ("GET", f"/api/v1/search/saved/{saved_id}"),
        ("GET", f"/api/v1/search/saved/{saved_id}/results"),
        ("DELETE", f"/api/v1/search/saved/{saved_id}"),
    ):
        other = h.client.request(method, path, headers=h.admin.headers)
        assert other.status_code == 404 and other.json()["error"]["code"] == "SEARCH-SAVED-NOT-FOUND", path
    assert h.client.delete(f"/api/v1/search/saved/{saved_id}", headers=h.reader.headers).status_code == 204
    assert h.client.get(f"/api/v1/search/saved/{saved_id}", headers=h.reader.headers).status_code == 404
    blank = h.client.post("/api/v1/search/saved", json={"name": "  ", "query": {}}, headers=h.reader.headers)
    assert blank.status_code == 422


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_results_export_as_csv_scoped_safe_and_audited(archive: Archive) -> None:
    a = archive
    _mark_secret(a)
    response = a.h.client.get("/api/v1/search/export", params={"q": "đảng"}, headers=a.h.reader.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "ket-qua-tim-kiem.csv" in response.headers["content-disposition"]
    rows = _csv_rows(response.content)
    assert rows[0][:3] == ["STT", "Số và ký hiệu", "Loại văn bản"]
    assert [r[-1] for r in rows[1:]] == [a.old_id]  # the Mật document is not exported to the reader
    assert "'" + OLD_NAME in rows[1]  # the formula is written as text
    assert rows[1][5] == "01/06/2023"
    admin_rows = _csv_rows(
        a.h.client.get("/api/v1/search/export", params={"q": "đảng"}, headers=a.h.admin.headers).content
    )
    assert sorted(r[-1] for r in admin_rows[1:]) == sorted([a.old_id, a.new_id])
    with transaction(a.h.services.factory) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "search.export")).all()
        assert [e.details["rows"] for e in events if e.details] == [1, 2]
        assert all(e.details and e.details["query"] == {"q": "đảng"} for e in events)


def _login(h: Harness, username: str) -> TestClient:
    return log_in(h.client, username)


def test_the_search_page_filters_by_period_saves_the_search_and_exports_it(archive: Archive) -> None:
    a = archive
    reader = _login(a.h, "doc")
    page = reader.get("/tim-kiem", params={"tu_ngay": "01/01/2024"})
    assert "Tìm thấy 1 văn bản" in page.text and NEW_NAME in page.text and "bao-cao-2023" not in page.text
    typo = reader.get("/tim-kiem", params={"q": "đảng", "tu_ngay": "31/02/2024"})
    assert typo.status_code == 200 and "Ngày không hợp lệ" in typo.text and "Tìm thấy 2 văn bản" in typo.text
    newest = reader.get("/tim-kiem", params={"q": "đảng", "sap_xep": "-uploaded_at"}).text
    assert newest.index(NEW_NAME) < newest.index("bao-cao-2023")

    csrf = csrf_of(page.text)
    saved = reader.post(
        "/tim-kiem/luu?tu_ngay=01/01/2024", data={"ten": "Từ đầu năm 2024", "csrf_token": csrf}, follow_redirects=False
    )
    assert saved.status_code == 303 and saved.headers["location"].startswith("/tim-kiem?tu_ngay=01%2F01%2F2024")
    listed = reader.get("/tim-kiem").text
    assert "Từ đầu năm 2024" in listed and "tu_ngay=01%2F01%2F2024" in listed
    exported = reader.get("/tim-kiem.csv", params={"tu_ngay": "01/01/2024"})
    assert [r[-1] for r in _csv_rows(exported.content)[1:]] == [a.new_id]

    saved_id = a.h.client.get("/api/v1/search/saved", headers=a.h.reader.headers).json()[0]["id"]
    forged = _login(a.h, "admin").post(f"/tim-kiem/da-luu/{saved_id}/xoa", data={"csrf_token": "x"})
    assert forged.status_code == 403
    other = _login(a.h, "admin")
    theirs = other.post(f"/tim-kiem/da-luu/{saved_id}/xoa", data={"csrf_token": csrf_of(other.get("/tim-kiem").text)})
    assert theirs.status_code == 404
    gone = reader.post(f"/tim-kiem/da-luu/{saved_id}/xoa", data={"csrf_token": csrf}, follow_redirects=False)
    assert gone.status_code == 303 and "Từ đầu năm 2024" not in reader.get("/tim-kiem").text
