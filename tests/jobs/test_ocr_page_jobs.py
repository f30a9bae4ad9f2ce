"""A scan read by page jobs (issue 17): one OCR_PAGE job per page any worker takes, joined once into the same
reading one job would have made; a page read twice is kept once; destruction leaves no page reading behind."""

from __future__ import annotations

import threading
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import Document, Job, JobKind, JobState, OcrPage
from archive_service.documents.ocr_jobs import recognise_page
from archive_service.jobs.queue import claim_next
from archive_service.workers.jobs import run_job, run_pending_jobs
from indexers.parse import parse_file
from indexers.pdf_reader import PdfLimits, read_pdf
from schemas.parsed import ParsedDocument
from tests.conftest import Harness
from tests.corpus.session import need_tools, skip_unless
from tests.indexers.test_ocr_prepare import FONT
from tests.samples import pdf_of

PAGES = (
    ("BIÊN BẢN HỘI NGHỊ", "Ban Thường vụ Tỉnh ủy"),
    ("THÔNG BÁO KẾT LUẬN", "Văn phòng Tỉnh ủy"),
    ("NGHỊ QUYẾT", "về công tác lưu trữ"),
)


def _scan(path: Path, pages: int = 3) -> Path:
    """A three-page image-only PDF (a small page at 200 dpi, two lines each): what a scanner sends, quick to read."""
    skip_unless(FONT.exists(), "no TrueType serif (fonts-dejavu) is installed")
    font = ImageFont.truetype(str(FONT), 44)
    images = []
    for lines in PAGES[:pages]:
        image = Image.new("L", (1300, 500), 255)
        draw = ImageDraw.Draw(image)
        for k, text in enumerate(lines):
            draw.text((90, 110 + 120 * k), text, font=font, fill=0)
        images.append(image)
    images[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return path


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_tools("tesseract")
    return _scan(tmp_path_factory.mktemp("scan") / "ban-quet.pdf")


@pytest.fixture(scope="module")
def whole(scan: Path) -> ParsedDocument:
    """The same file read by one job, every page in one process (the thread pool of ``ocr_pdf_pages``)."""
    return parse_file(scan)


def _upload(h: Harness, scan: Path) -> int:
    dossier = h.new_dossier()
    response = h.client.post(
        f"/api/v1/dossiers/{dossier}/documents",
        files={"files": ("ban-quet.pdf", scan.read_bytes(), "application/pdf")},
        headers=h.archivist.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["items"][0]["document"]["id"])


def _jobs(h: Harness, doc_id: int, kind: JobKind, *states: JobState) -> list[Job]:
    with transaction(h.services.factory) as session:
        query = select(Job).where(Job.document_id == doc_id, Job.kind == kind.value)
        if states:
            query = query.where(Job.state.in_([s.value for s in states]))
        return list(session.scalars(query.order_by(Job.id)))


def _page_rows(h: Harness, doc_id: int, page: int | None = None) -> int:
    with transaction(h.services.factory) as session:
        query = select(func.count()).select_from(OcrPage).where(OcrPage.document_id == doc_id)
        if page is not None:
            query = query.where(OcrPage.page == page)
        return int(session.scalar(query) or 0)


def _claim(h: Harness, kind: JobKind) -> Job:
    """Claim the next job of ``kind``, running the others met on the way (the dossier's check)."""
    while True:
        job = claim_next(h.services)
        assert job is not None, f"no {kind} job queued"
        if job.kind == kind.value:
            return job
        run_job(h.services, job)


def _read_until_checked(h: Harness, doc_id: int) -> None:
    """Run jobs one by one (``run_pending_jobs``) until the document is read; its searchable PDF is not waited for."""
    for _ in range(50):
        with transaction(h.services.factory) as session:
            doc = session.get(Document, doc_id)
            assert doc is not None
            if doc.status in ("checked", "failed"):
                return
        assert run_pending_jobs(h.services, limit=1) == 1, "the queue ran dry before the document was read"
    raise AssertionError("the document was not read")


def test_a_scan_is_split_into_page_jobs_and_joined_once_into_the_whole_reading(
    harness: Harness, scan: Path, whole: ParsedDocument
) -> None:
    h = harness
    assert h.services.settings.ocr_page_jobs
    doc_id = _upload(h, scan)
    _read_until_checked(h, doc_id)

    pages = _jobs(h, doc_id, JobKind.OCR_PAGE)
    assert sorted(j.page for j in pages if j.page is not None) == [1, 2, 3]
    assert all(j.state == JobState.DONE.value for j in pages)
    assert len(_jobs(h, doc_id, JobKind.PROCESS_DOCUMENT)) == 2  # the first reading, then one join
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None
        assert doc.status == "checked" and doc.ocr is True and doc.page_count == 3
        assert doc.text == whole.text
        assert "THƯỜNG VỤ" in (doc.text or "").upper()
        # Each page's mean is kept to 0.1, the join weighs them by their words: the same mean within rounding.
        assert doc.ocr_confidence == pytest.approx(whole.ocr_confidence, abs=0.1)
    assert _page_rows(h, doc_id) == 0  # joined: the page readings are gone


def test_a_page_job_run_twice_stores_one_row_and_does_not_join_early(harness: Harness, scan: Path) -> None:
    h = harness
    doc_id = _upload(h, scan)
    run_job(h.services, _claim(h, JobKind.PROCESS_DOCUMENT))
    assert len(_jobs(h, doc_id, JobKind.OCR_PAGE, JobState.QUEUED)) == 3
    recognise_page(h.services, doc_id, 1)
    recognise_page(h.services, doc_id, 1)  # a retry, or a lease run out while the first was still working
    assert _page_rows(h, doc_id, 1) == 1 and _page_rows(h, doc_id) == 1
    assert _jobs(h, doc_id, JobKind.PROCESS_DOCUMENT, JobState.QUEUED) == []  # pages 2 and 3 are still to come


def test_the_join_fires_once_when_the_last_two_pages_finish_together(harness: Harness, scan: Path) -> None:
    h = harness
    doc_id = _upload(h, scan)
    run_job(h.services, _claim(h, JobKind.PROCESS_DOCUMENT))
    run_job(h.services, _claim(h, JobKind.OCR_PAGE))
    last_two = [_claim(h, JobKind.OCR_PAGE), _claim(h, JobKind.OCR_PAGE)]  # both running at once
    assert sorted(j.page for j in last_two if j.page is not None) == [2, 3]
    threads = [threading.Thread(target=run_job, args=(h.services, job)) for job in last_two]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(_jobs(h, doc_id, JobKind.OCR_PAGE, JobState.DONE)) == 3
    assert len(_jobs(h, doc_id, JobKind.PROCESS_DOCUMENT, JobState.QUEUED)) == 1
    assert _page_rows(h, doc_id) == 3


def test_with_page_jobs_off_one_job_reads_the_whole_scan(harness: Harness, scan: Path) -> None:
    h = harness
    h.services.settings.ocr_page_jobs = False
    doc_id = _upload(h, scan)
    _read_until_checked(h, doc_id)
    assert _jobs(h, doc_id, JobKind.OCR_PAGE) == []
    assert len(_jobs(h, doc_id, JobKind.PROCESS_DOCUMENT)) == 1
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.status == "checked" and doc.ocr is True


def test_a_one_page_scan_is_read_in_its_own_job_without_page_jobs(harness: Harness, tmp_path: Path) -> None:
    """Nothing to share among workers: splitting would only read the document twice and add two jobs."""
    need_tools("tesseract")
    h = harness
    assert h.services.settings.ocr_page_jobs
    doc_id = _upload(h, _scan(tmp_path / "mot-trang.pdf", pages=1))
    _read_until_checked(h, doc_id)
    assert _jobs(h, doc_id, JobKind.OCR_PAGE) == []
    assert len(_jobs(h, doc_id, JobKind.PROCESS_DOCUMENT)) == 1
    assert len(_jobs(h, doc_id, JobKind.MAKE_SEARCHABLE_PDF)) == 1  # on by default (ARCHIVE_SEARCHABLE_PDF)
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.status == "checked" and doc.ocr is True and doc.page_count == 1
        assert "BIÊN BẢN" in (doc.text or "").upper()


def test_without_searchable_pdfs_a_scan_is_read_and_no_derivative_is_queued(harness: Harness, tmp_path: Path) -> None:
    need_tools("tesseract")
    h = harness
    h.services.settings.searchable_pdf = False
    doc_id = _upload(h, _scan(tmp_path / "khong-pdfa.pdf", pages=1))
    _read_until_checked(h, doc_id)
    assert _jobs(h, doc_id, JobKind.MAKE_SEARCHABLE_PDF) == []
    with transaction(h.services.factory) as session:
        doc = session.get(Document, doc_id)
        assert doc is not None and doc.status == "checked" and doc.ocr is True


def test_destruction_removes_the_page_readings_not_joined_yet(harness: Harness) -> None:
    from tests.records.test_appraisal import _approved, _world

    w = _world(harness)
    with transaction(harness.services.factory) as session:
        sha256 = session.get(Document, w.own_doc).sha256  # type: ignore[union-attr]
        session.add(OcrPage(document_id=w.own_doc, page=1, sha256=sha256, result={"lines": {"1": []}}))
    appraisal = _approved(w)
    done = harness.client.post(
        f"/api/v1/appraisals/{appraisal}/destroy", json={"confirm": "15-QĐ/VPTU"}, headers=harness.admin.headers
    )
    assert done.status_code == 200, done.text
    assert _page_rows(harness, w.own_doc) == 0


# --- what a usable text layer is -----------------------------------------------------------------------------


def _scan_with_text_layer(path: Path, text: str, render_mode: int) -> Path:
    """A page image with text drawn over it in ``render_mode`` (3: invisible, as a scanner's own OCR lays it)."""
    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).text((20, 80), text, fill=0)
    pixels = zlib.compress(image.tobytes())
    content = f"q 595 0 0 842 0 0 cm /Im1 Do Q BT {render_mode} Tr /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width 400 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream",
    ]
    path.write_bytes(pdf_of(objects))
    return path


@pytest.mark.parametrize("render_mode", [0, 3])
def test_a_scan_with_a_text_layer_even_an_invisible_one_is_not_sent_to_ocr(tmp_path: Path, render_mode: int) -> None:
    path = _scan_with_text_layer(tmp_path / "scan-with-layer.pdf", "Bien ban hoi nghi Ban Thuong vu", render_mode)
    parsed = read_pdf(path, limits=PdfLimits(defer_ocr=True))
    assert parsed.ocr_pending == [] and parsed.ocr is False
    assert parsed.text == "Bien ban hoi nghi Ban Thuong vu"
