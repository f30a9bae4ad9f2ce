"""Changing a document is one use case: the index hears of every change, and a move re-checks both dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, IndexOutbox, Job
from archive_service.services import Services
from tests.conftest import Harness
from tests.samples import tiny_pdf
from tests.services.use_case_site import open_site
from tests.web.conftest import Web


@pytest.fixture
def web(backend_kind: str, tmp_path: Path) -> Iterator[Web]:
    """The app over the embedded and the real backends, reached by the API and the web pages."""
    yield from open_site(backend_kind, tmp_path)


def _upload(h: Harness, dossier: int, name: str) -> int:
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": (name, tiny_pdf(name), "application/pdf")},
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _checks_queued(services: Services) -> set[int | None]:
    with transaction(services.factory) as s:
        return set(s.scalars(select(Job.dossier_id).where(Job.kind == "check-dossier", Job.state == "queued")))


def _outbox(services: Services, document_id: int) -> int:
    with transaction(services.factory) as s:
        return int(s.scalar(select(func.count()).where(IndexOutbox.document_id == document_id)) or 0)


def _updates(services: Services, document_id: int) -> list[dict[str, object] | None]:
    with transaction(services.factory) as s:
        rows = s.scalars(
            select(AuditEvent.details).where(
                AuditEvent.action == "document.update", AuditEvent.object_id == str(document_id)
            )
        )
        return list(rows)


def test_moving_a_document_to_another_dossier_queues_a_check_of_both(web: Web) -> None:
    h = web.harness
    source, target, bystander = h.new_dossier(), h.new_dossier(), h.new_dossier()
    doc = _upload(h, source, "bien-ban.pdf")
    assert _checks_queued(h.services) == set()

    moved = h.client.patch(f"/api/v1/documents/{doc}", json={"dossier_id": target}, headers=h.archivist.headers)

    assert moved.status_code == 200 and moved.json()["dossier_id"] == target
    assert _checks_queued(h.services) == {source, target}
    assert bystander not in _checks_queued(h.services)
    assert _updates(h.services, doc) == [{"dossier_id": [source, target]}]


def test_a_document_update_queues_its_index_entry(web: Web) -> None:
    h = web.harness
    doc = _upload(h, h.new_dossier(), "to-trinh.pdf")
    before = _outbox(h.services, doc)

    changed = h.client.patch(f"/api/v1/documents/{doc}", json={"secrecy_level": 1}, headers=h.archivist.headers)

    assert changed.status_code == 200 and changed.json()["secrecy_level"] == 1
    assert _outbox(h.services, doc) == before + 1
    assert _checks_queued(h.services) == set()  # the dossier holds the same documents: nothing to re-check


def test_a_document_update_that_changes_nothing_leaves_no_trace(web: Web) -> None:
    h = web.harness
    dossier = h.new_dossier()
    doc = _upload(h, dossier, "ket-luan.pdf")
    before = _outbox(h.services, doc)

    same = h.client.patch(
        f"/api/v1/documents/{doc}", json={"secrecy_level": 0, "dossier_id": dossier}, headers=h.archivist.headers
    )

    assert same.status_code == 200
    assert _outbox(h.services, doc) == before
    assert _updates(h.services, doc) == []
    assert _checks_queued(h.services) == set()


def test_a_move_into_another_offices_dossier_is_refused_and_queues_nothing(web: Web) -> None:
    h = web.harness
    source = h.new_dossier()
    elsewhere = h.new_dossier(h.admin, office_code="VPHU")
    doc = _upload(h, source, "thong-bao.pdf")
    before = _outbox(h.services, doc)

    refused = h.client.patch(f"/api/v1/documents/{doc}", json={"dossier_id": elsewhere}, headers=h.admin.headers)

    assert refused.status_code == 409 and refused.json()["error"]["code"] == "DOCUMENT-MOVE-OTHER-OFFICE"
    assert _outbox(h.services, doc) == before
    assert _checks_queued(h.services) == set()


def test_the_searchable_pdf_not_made_yet_is_404_and_leaves_no_download_event(web: Web) -> None:
    h = web.harness
    doc = _upload(h, h.new_dossier(), "quyet-dinh.pdf")
    missing = h.client.get(f"/api/v1/documents/{doc}/searchable-pdf", headers=h.archivist.headers)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "DERIVATIVE-NOT-READY"
    with transaction(h.services.factory) as s:
        events = s.scalar(
            select(func.count()).where(
                AuditEvent.action == "document.download-searchable", AuditEvent.object_id == str(doc)
            )
        )
    assert events == 0
