"""The real S3 server stops in the middle of work: uploads answer 503 and store nothing, then recover."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document
from tests.backends import services_script
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf

pytestmark = pytest.mark.outage  # stops a backend every other test uses: runs alone


@pytest.fixture
def real_harness(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("real", tmp_path))


def _count(h: Harness) -> int:
    with transaction(h.services.factory) as s:
        return int(s.scalar(select(func.count()).select_from(Document)) or 0)


def test_an_upload_during_an_s3_outage_answers_503_and_leaves_no_row(real_harness: Harness) -> None:
    h = real_harness
    dossier = h.new_dossier()
    files = {"files": ("truoc.pdf", tiny_pdf("before"), "application/pdf")}
    assert (
        h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers).status_code
        == 201
    )
    services_script("down", "s3")
    try:
        files = {"files": ("trong-luc-loi.pdf", tiny_pdf("during"), "application/pdf")}
        response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "STORAGE-UNAVAILABLE"
        assert "S3" in error["message"]
        assert _count(h) == 1
        ready = h.client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["blobs"] != "ok"
    finally:
        services_script("up", "s3")
    files = {"files": ("sau.pdf", tiny_pdf("after"), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    assert _count(h) == 2
    assert h.client.get("/readyz").status_code == 200
