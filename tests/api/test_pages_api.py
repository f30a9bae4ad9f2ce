"""GET /api/v1/documents/{id}/pages and …/pages/{n}.png: page images made once by the workers, served scaled,
readable exactly by who may read the document, each read audited."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Derivative, Job, JobKind, PageImage
from archive_service.documents.verify import verify
from archive_service.workers.jobs import run_pending_jobs
from tests.conftest import Harness, build_harness, make_settings
from tests.corpus.generator import DocSpec, write_docx
from tests.corpus.session import need_tools
from tests.samples import tiny_pdf
from tests.web.helpers import PLANTED_NUMBER_LINE

pytestmark = [pytest.mark.slow, pytest.mark.page_images]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(h: Harness, dossier: int, name: str, data: bytes, media_type: str) -> int:
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents", files={"files": (name, data, media_type)}, headers=h.archivist.headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _planted_docx(tmp_path: Path) -> bytes:
    path = tmp_path / "nghi-quyet-12.docx"
    write_docx(dataclasses.replace(DocSpec(), number="12", number_line=PLANTED_NUMBER_LINE), path)
    return path.read_bytes()


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image


def test_a_docx_gets_page_images_once_with_their_sizes_and_scaled_on_request(harness: Harness, tmp_path: Path) -> None:
    need_tools("soffice")
    h = harness
    doc = _upload(h, h.new_dossier(), "nghi-quyet-12.docx", _planted_docx(tmp_path), DOCX)
    pending = h.client.get(f"/api/v1/documents/{doc}/pages", headers=h.reader.headers).json()
    assert pending["state"] == "none" and pending["count"] == 0  # not read yet: nothing asked for
    run_pending_jobs(h.services)

    listed = h.client.get(f"/api/v1/documents/{doc}/pages", headers=h.reader.headers)
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["state"] == "ready" and body["count"] == 1
    page = body["pages"][0]
    assert (page["number"], page["width"], page["height"]) == (1, 1241, 1754)
    assert round(page["width_pt"]) == 595 and round(page["height_pt"]) == 842

    full = h.client.get(page["url"], headers=h.reader.headers)
    assert full.status_code == 200 and full.headers["content-type"] == "image/png"
    assert _png(full.content).size == (1241, 1754)
    small = h.client.get(f"{page['url']}?width=300", headers=h.reader.headers)
    assert _png(small.content).size == (300, 424)
    wider = h.client.get(f"{page['url']}?width=2000", headers=h.reader.headers)
    assert _png(wider.content).size == (1241, 1754)  # never enlarged past the stored image
    for width in ("5000", "10", "abc"):
        refused = h.client.get(f"{page['url']}?width={width}", headers=h.reader.headers)
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "REQUEST-INVALID"
    beyond = h.client.get(f"/api/v1/documents/{doc}/pages/2.png", headers=h.reader.headers)
    assert beyond.status_code == 404 and beyond.json()["error"]["code"] == "PAGE-NOT-FOUND"

    with transaction(h.services.factory) as s:
        rows = s.scalars(select(PageImage).where(PageImage.document_id == doc)).all()
        rendition = s.scalars(select(Derivative).where(Derivative.document_id == doc)).one()
        views = [
            e.details
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "document.view"))
            if e.object_id == str(doc)
        ]
    assert len(rows) == 1 and rows[0].line_boxes  # the lines' boxes are stored with the page
    assert rendition.kind == "pdf-rendition" and rendition.media_type == "application/pdf"
    assert {"via": "api", "page": 1, "width": 300} in views and {"via": "api", "what": "pages"} in views
    drift = verify(h.services)
    assert drift.clean and not drift.orphans  # the page images and the rendition are referenced blobs


def test_a_secret_documents_pages_are_404_to_an_uncleared_reader_like_a_missing_one(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    doc = _upload(h, h.new_dossier(), "bien-ban.pdf", tiny_pdf("Bien ban mat"), "application/pdf")
    run_pending_jobs(h.services)
    assert h.client.get(f"/api/v1/documents/{doc}/pages/1.png", headers=h.reader.headers).status_code == 200
    assert h.client.patch(f"/api/v1/documents/{doc}", json={"secrecy_level": 1}, headers=h.admin.headers).is_success

    for path in (f"/api/v1/documents/{doc}/pages", f"/api/v1/documents/{doc}/pages/1.png?width=100"):
        hidden = h.client.get(path, headers=h.reader.headers)
        missing = h.client.get(path.replace(f"/{doc}/", "/987654/"), headers=h.reader.headers)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "DOCUMENT-NOT-FOUND"
        other_office = h.client.get(path, headers=h.other_archivist.headers)
        assert other_office.status_code == 404
    assert h.client.get(f"/api/v1/documents/{doc}/pages/1.png", headers=h.admin.headers).status_code == 200


def test_a_text_pdf_is_rendered_from_the_original_with_no_rendition(harness: Harness) -> None:
    h = harness
    doc = _upload(h, h.new_dossier(), "bien-ban.pdf", tiny_pdf("Bien ban hoi nghi"), "application/pdf")
    run_pending_jobs(h.services)
    body = h.client.get(f"/api/v1/documents/{doc}/pages", headers=h.reader.headers).json()
    assert body["state"] == "ready" and [p["width"] for p in body["pages"]] == [1240]
    with transaction(h.services.factory) as s:
        (row,) = s.scalars(select(PageImage).where(PageImage.document_id == doc)).all()
        assert s.scalars(select(Derivative).where(Derivative.document_id == doc)).all() == []
        jobs = s.scalars(select(Job).where(Job.document_id == doc, Job.kind == JobKind.RENDER_PAGES.value)).all()
    assert row.line_boxes == {"0": row.line_boxes["0"]} and len(jobs) == 1  # its one line, boxed from the parse
    x0, y0, x1, y1 = row.line_boxes["0"]
    assert 0.1 < x0 < x1 < 0.6 and 0.1 < y0 < y1 < 0.2  # at 72 pt from the left, 122 pt from the top


def test_with_page_images_off_no_page_is_rendered_and_the_text_view_stays(tmp_path: Path) -> None:
    for h in build_harness(make_settings("embedded", tmp_path, page_images=False)):
        doc = _upload(h, h.new_dossier(), "bien-ban.pdf", tiny_pdf("Bien ban hoi nghi"), "application/pdf")
        run_pending_jobs(h.services)
        body = h.client.get(f"/api/v1/documents/{doc}/pages", headers=h.reader.headers).json()
        assert body["state"] == "none" and body["count"] == 0
        with transaction(h.services.factory) as s:
            assert s.scalars(select(Job).where(Job.kind == JobKind.RENDER_PAGES.value)).all() == []
        assert h.client.get(f"/api/v1/documents/{doc}", headers=h.reader.headers).json()["status"] == "checked"
