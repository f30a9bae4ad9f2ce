"""A download that ends badly leaves nothing in the spool: no copy, no empty folder."""

from __future__ import annotations

from tests.conftest import Harness
from tests.samples import tiny_pdf


def _upload(h: Harness) -> int:
    dossier = h.new_dossier()
    files = [("files", ("bien-ban.pdf", tiny_pdf("Bien ban hoi nghi"), "application/pdf"))]
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _spool(h: Harness) -> list[str]:
    spool = h.services.settings.spool_dir
    return sorted(str(p.relative_to(spool)) for p in spool.rglob("*"))


def test_a_refused_range_removes_the_verified_copy_from_the_spool(harness: Harness) -> None:
    document_id = _upload(harness)
    headers = {**harness.archivist.headers, "Range": "bytes=999999-"}
    refused = harness.client.get(f"/api/v1/documents/{document_id}/content", headers=headers)
    assert refused.status_code == 416
    assert _spool(harness) == []
    whole = harness.client.get(f"/api/v1/documents/{document_id}/content", headers=harness.archivist.headers)
    assert whole.status_code == 200 and whole.content.startswith(b"%PDF")
    assert _spool(harness) == []


def test_a_download_refused_by_access_or_by_a_missing_derivative_leaves_no_folder(harness: Harness) -> None:
    document_id = _upload(harness)
    other = harness.client.get(f"/api/v1/documents/{document_id}/content", headers=harness.other_archivist.headers)
    assert other.status_code == 404
    missing = harness.client.get(f"/api/v1/documents/{document_id}/searchable-pdf", headers=harness.archivist.headers)
    assert missing.status_code == 404
    assert _spool(harness) == []
