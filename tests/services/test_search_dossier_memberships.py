"""Search by dossier finds what the dossier holds now: linked documents too, removed and moved ones no longer.

The archivist links, removes and moves documents (API and the dossier page's bulk forms); the workers bring
the index up to date; the dossier filter and the dossier facet of the search then agree with the dossier page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Document
from archive_service.search.service import drain_outbox, index_drift, reindex_all
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf
from tests.web.conftest import Web, set_password


@pytest.fixture
def web(backend_kind: str, tmp_path: Path) -> Iterator[Web]:
    """The app over the embedded and the real backends; the archivist may also sign in to the web pages."""
    for harness in build_harness(make_settings(backend_kind, tmp_path)):
        set_password(harness.services, "vanthu")
        yield Web(harness=harness, client=harness.client)


def _upload(h: Harness, dossier: int, name: str, text: str) -> int:
    files = {"files": (name, tiny_pdf(text), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _work(h: Harness) -> None:
    run_pending_jobs(h.services)
    drain_outbox(h.services)


def _search(h: Harness, **params: object) -> dict[str, Any]:
    response = h.client.get("/api/v1/search", params={"q": "nghi quyet", **params}, headers=h.archivist.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _found(h: Harness, dossier: int) -> set[str]:
    return {hit["filename"] for hit in _search(h, dossier_id=dossier)["hits"]}


def _bulk(client: TestClient, dossier: int, action: str, ids: list[int], **fields: str) -> None:
    """Submit the dossier page's own bulk form with ``ids`` ticked."""
    page = f"/ho-so/{dossier}"
    html = client.get(page).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html.split('id="chon-van-ban"', 1)[-1])
    assert token, "no CSRF token on the dossier page"
    data: dict[str, object] = {"csrf_token": token.group(1), "van_ban": [str(i) for i in ids], **fields}
    response = client.post(f"{page}/{action}", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


def test_the_dossier_filter_and_facet_follow_links_removals_and_moves(web: Web) -> None:
    h = web.harness
    first = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 11")
    second = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 12")
    third = h.new_dossier(title="Hội nghị Ban Chấp hành lần thứ 5")
    shared = _upload(h, first, "dung-chung.pdf", "Nghi quyet ve cong tac can bo")
    removed = _upload(h, first, "go-bo.pdf", "Nghi quyet ve tai chinh")
    moved = _upload(h, second, "chuyen-di.pdf", "Nghi quyet ve dao tao")
    _work(h)
    assert _found(h, first) == {"dung-chung.pdf", "go-bo.pdf"}
    assert _found(h, second) == {"chuyen-di.pdf"}

    link = {"document_id": shared}
    linked = h.client.post(f"/api/v1/dossiers/{second}/links", json=link, headers=h.archivist.headers)
    assert linked.status_code == 200 and linked.json()["linked"] is True, linked.text
    archivist = web.login("vanthu")
    _bulk(archivist, first, "go-khoi-ho-so", [removed])
    _bulk(archivist, second, "chuyen-ho-so", [moved], ho_so_dich=str(third))
    _work(h)

    assert _found(h, first) == {"dung-chung.pdf"}
    assert _found(h, second) == {"dung-chung.pdf"}
    assert _found(h, third) == {"chuyen-di.pdf"}
    every = _search(h)
    assert every["total"] == 3  # the removed document is still found by its words, in no dossier
    assert {int(v): n for v, n in every["facets"]["dossier_id"]} == {first: 1, second: 1, third: 1}
    by_name = {hit["filename"]: hit for hit in every["hits"]}
    assert by_name["dung-chung.pdf"]["dossier_id"] == first
    assert by_name["dung-chung.pdf"]["dossier_ids"] == sorted([first, second])
    assert by_name["go-bo.pdf"]["dossier_ids"] == []
    exported = h.client.get("/api/v1/search/export", params={"q": "nghi quyet"}, headers=h.archivist.headers)
    assert exported.status_code == 200, exported.text
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    dossiers_of = {row[-1]: row[rows[0].index("Hồ sơ số")] for row in rows[1:]}
    assert dossiers_of == {str(shared): f"{first}; {second}", str(removed): "", str(moved): str(third)}


def test_a_link_made_while_the_search_engine_was_behind_is_applied_by_a_full_rebuild(web: Web) -> None:
    h = web.harness
    first = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 11")
    second = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 12")
    doc = _upload(h, first, "ket-luan.pdf", "Nghi quyet ket luan hoi nghi")
    _work(h)
    linked = h.client.post(f"/api/v1/dossiers/{second}/links", json={"document_id": doc}, headers=h.archivist.headers)
    assert linked.status_code == 200, linked.text

    assert str(doc) in index_drift(h.services).stale  # the index still files it in one dossier only
    reindex_all(h.services)
    assert _found(h, second) == {"ket-luan.pdf"}
    assert index_drift(h.services).clean


def test_uploading_a_removed_file_again_into_its_dossier_puts_it_back_audited(web: Web) -> None:
    h = web.harness
    dossier = h.new_dossier(title="Hội nghị Ban Thường vụ lần thứ 11")
    doc = _upload(h, dossier, "to-trinh.pdf", "Nghi quyet to trinh nhan su")
    _work(h)
    _bulk(web.login("vanthu"), dossier, "go-khoi-ho-so", [doc])
    _work(h)
    assert _found(h, dossier) == set()
    assert h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.archivist.headers).json()["document_count"] == 0

    files = {"files": ("to-trinh (ban moi).pdf", tiny_pdf("Nghi quyet to trinh nhan su"), "application/pdf")}
    again = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert again.status_code == 201, again.text
    item = again.json()["items"][0]
    assert item["duplicate"] is False and item["document"]["id"] == doc  # the same document, no second copy
    assert item["reattached"] is True  # the upload page says it was put back
    assert h.client.get(f"/api/v1/dossiers/{dossier}", headers=h.archivist.headers).json()["document_count"] == 1
    _work(h)
    assert _found(h, dossier) == {"to-trinh.pdf"}
    with transaction(h.services.factory) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "document.reattach")).all()
        assert [(e.object_id, e.details["dossier_id"]) for e in events] == [(str(doc), dossier)]  # type: ignore[index]
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_uploading_a_file_the_dossier_still_holds_is_still_a_duplicate(web: Web) -> None:
    h = web.harness
    dossier = h.new_dossier()
    doc = _upload(h, dossier, "bao-cao.pdf", "Nghi quyet bao cao")
    files = {"files": ("bao-cao.pdf", tiny_pdf("Nghi quyet bao cao"), "application/pdf")}
    again = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert again.status_code == 200, again.text
    item = again.json()["items"][0]
    assert item["duplicate"] is True and item["document"]["id"] == doc
    assert item["duplicate_of"]["in_this_dossier"] is True
