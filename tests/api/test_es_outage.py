"""The real Elasticsearch stops: uploads still succeed, the outbox keeps the changes, and drains after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import IndexOutbox
from archive_service.search.service import drain_outbox
from archive_service.workers.jobs import run_pending_jobs
from tests.backends import services_script
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf

pytestmark = pytest.mark.outage  # stops a backend every other test uses: runs alone


@pytest.fixture
def real_harness(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("real", tmp_path))


def _pending(h: Harness) -> int:
    with transaction(h.services.factory) as s:
        return int(s.scalar(select(func.count()).select_from(IndexOutbox)) or 0)


def _upload(h: Harness, dossier: int, name: str, text: str) -> int:
    files = {"files": (name, tiny_pdf(text), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


@pytest.mark.slow
def test_uploads_succeed_while_elasticsearch_is_down_and_the_outbox_drains_when_it_is_back(
    real_harness: Harness,
) -> None:
    h = real_harness
    dossier = h.new_dossier()
    first = _upload(h, dossier, "truoc.pdf", "Bien ban truoc su co")
    run_pending_jobs(h.services)
    drain_outbox(h.services)
    assert _pending(h) == 0
    services_script("down", "es")
    try:
        second = _upload(h, dossier, "trong-su-co.pdf", "Bien ban trong su co")
        run_pending_jobs(h.services)
        assert drain_outbox(h.services) == 0
        assert _pending(h) > 0
        with transaction(h.services.factory) as s:
            attempts = s.scalars(select(IndexOutbox.attempts)).all()
        assert all(a >= 1 for a in attempts)
        down = h.client.get("/api/v1/search", params={"q": "bien ban"}, headers=h.archivist.headers)
        assert down.status_code == 503 and down.json()["error"]["code"] == "SEARCH-UNAVAILABLE"
        ready = h.client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["search"] != "ok"
        # A load balancer asking only for what uploads need keeps this server in service meanwhile.
        assert h.client.get("/readyz", params={"require": "catalog,blobs"}).status_code == 200
    finally:
        services_script("up", "es")
    assert drain_outbox(h.services) > 0
    assert _pending(h) == 0
    hits = h.client.get("/api/v1/search", params={"q": "bien ban"}, headers=h.archivist.headers).json()["hits"]
    assert {str(first), str(second)} <= {hit["document_id"] for hit in hits}
