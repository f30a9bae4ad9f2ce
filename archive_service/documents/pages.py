"""Page images: each page of a document rendered to a PNG once (a derivative beside the original), served
scaled on request, with the findings of the document drawn as boxes where their lines are.

The job (``render_page_images``) runs off the request path after the document has been read: a PDF is rendered
as it is, a DOCX is first converted to PDF by LibreOffice (that rendition is kept as a derivative too, and shown
inline as "the PDF" of a DOCX). The read use cases check access like every read of the document (a page of a
document the caller may not read is 404, exactly like a missing one) and audit it as a view.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from archive_service.catalog import documents
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import Derivative, Document, Job, JobKind, PageImage
from archive_service.documents.files import Download, discard, fetch_verified
from archive_service.documents.service import audit_event
from archive_service.errors import NotFound
from archive_service.services import Services
from archive_service.storage.base import hash_file
from indexers.errors import ParseError
from indexers.page_images import Box, boxes_from_points, docx_to_pdf, render_pages_isolated

PDF: Final = "application/pdf"
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_RENDITION: Final = "pdf-rendition"  # the Derivative kind of a DOCX converted to PDF
MIN_WIDTH: Final = 48  # ?width= bounds: a thumbnail at the least, never more than the stored image
MAX_WIDTH: Final = 2400
THUMBNAIL_WIDTH: Final = 96


# --- the job ---------------------------------------------------------------------------------------------


def render_page_images(services: Services, document_id: int) -> None:
    """Render every page of a stored document to a PNG, with the boxes of its lines; replaces earlier ones.

    ParseError when the file cannot be rendered (the document page then shows its text preview); the original
    is only read.
    """
    with transaction(services.factory) as session:
        doc = session.get(Document, document_id)
        if doc is None:
            return
        key, sha256, media_type = doc.storage_key, doc.sha256, doc.media_type
        text, info = doc.text or "", dict(doc.parse_info or {})
    settings = services.settings
    with tempfile.TemporaryDirectory(dir=settings.spool_dir) as tmp:
        folder = Path(tmp)
        original = folder / "original"
        services.blobs.fetch(key, original, sha256=sha256)
        rendition: Derivative | None = None
        if media_type == PDF:
            pdf = original
        elif media_type == DOCX:
            pdf = docx_to_pdf(original, folder / "rendition.pdf", timeout_s=settings.parse_timeout_s)
            rendition = _store_derivative(services, pdf, document_id=document_id)
        else:
            raise ParseError("PARSE-UNSUPPORTED", "Chỉ tạo được ảnh trang cho tệp PDF và DOCX.")
        point_boxes: list[list[float] | None] = list(info.get("line_boxes") or [])
        texts = _line_texts(text, info.get("line_offsets"))
        locate = [(i, t) for i, t in enumerate(texts) if t.strip() and (i >= len(point_boxes) or not point_boxes[i])]
        pages = render_pages_isolated(
            pdf,
            folder / "pages",
            locate=locate,
            timeout_s=settings.parse_timeout_s,
            memory_mb=settings.parse_memory_mb,
        )
        placed = boxes_from_points(point_boxes, {p.number: (p.width_pt, p.height_pt) for p in pages})
        rows = []
        for page in pages:
            digest, size = hash_file(page.path)
            stored = services.blobs.put(
                page.path, sha256=digest, size=size, media_type="image/png", filename=f"page-{page.number}.png"
            )
            boxes = {**page.line_boxes, **placed.get(page.number, {})}
            rows.append(
                PageImage(
                    document_id=document_id,
                    number=page.number,
                    width_px=page.width_px,
                    height_px=page.height_px,
                    width_pt=page.width_pt,
                    height_pt=page.height_pt,
                    sha256=digest,
                    size=size,
                    storage_key=stored.key,
                    line_boxes={str(i): list(b) for i, b in sorted(boxes.items())},
                )
            )
    with transaction(services.factory) as session:
        session.execute(delete(PageImage).where(PageImage.document_id == document_id))
        if rendition is not None:
            session.execute(
                delete(Derivative).where(Derivative.document_id == document_id, Derivative.kind == PDF_RENDITION)
            )
            session.add(rendition)
        session.add_all(rows)


def _store_derivative(services: Services, pdf: Path, *, document_id: int) -> Derivative:
    """Put the PDF rendition of a DOCX in the blob store; its catalog row, to be added with the pages."""
    digest, size = hash_file(pdf)
    stored = services.blobs.put(pdf, sha256=digest, size=size, media_type=PDF, filename="rendition.pdf")
    return Derivative(
        document_id=document_id, kind=PDF_RENDITION, sha256=digest, size=size, media_type=PDF, storage_key=stored.key
    )


def _line_texts(text: str, offsets: object) -> list[str]:
    """The text of each parsed line: cut at the stored offsets (a line may hold a soft line break)."""
    if not isinstance(offsets, list) or not offsets:
        return text.split("\n")
    ends = [*offsets[1:], len(text) + 1]
    return [text[int(a) : int(b) - 1] for a, b in zip(offsets, ends, strict=True)]


# --- reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSize:
    number: int
    width_px: int
    height_px: int
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class PageSet:
    """A document's page images: ``state`` is ready, pending (being made), failed (the text preview stands in)
    or none (not asked for: a document stored before page images existed, until its job runs)."""

    document_id: int
    state: str
    pages: list[PageSize]


def _state(session: Session, document_id: int, has_pages: bool) -> str:
    if has_pages:
        return "ready"
    job = session.scalar(
        select(Job)
        .where(Job.document_id == document_id, Job.kind == JobKind.RENDER_PAGES.value)
        .order_by(Job.id.desc())
        .limit(1)
    )
    if job is None:
        return "none"
    return "failed" if job.state in ("failed", "done") else "pending"


def _rows(session: Session, document_id: int) -> list[PageImage]:
    query = select(PageImage).where(PageImage.document_id == document_id).order_by(PageImage.number)
    return list(session.scalars(query))


def _size(row: PageImage) -> PageSize:
    return PageSize(row.number, row.width_px, row.height_px, row.width_pt, row.height_pt)


def list_pages(services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str) -> PageSet:
    """How many pages a readable document has as images, and their sizes; audited as a view."""
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        rows = _rows(session, doc.id)
        audit_event(session, principal, "document.view", doc, addr, {"via": via, "what": "pages"})
        return PageSet(document_id=doc.id, state=_state(session, doc.id, bool(rows)), pages=[_size(r) for r in rows])


@dataclass(frozen=True)
class PageImageFile:
    """A page as PNG bytes, at the width asked for (never wider than stored)."""

    data: bytes
    width_px: int
    height_px: int
    etag: str


def page_image(
    services: Services,
    principal: Principal,
    document_id: int,
    number: int,
    *,
    width: int | None,
    addr: str | None,
    via: str,
) -> PageImageFile:
    """One page of a readable document as PNG (scaled down to ``width``); audited as a view of that page.

    NotFound: PAGES-NOT-READY when no page image has been made, PAGE-NOT-FOUND for a page it does not have.
    """
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        row = session.scalar(select(PageImage).where(PageImage.document_id == doc.id, PageImage.number == number))
        if row is None:
            if session.scalar(select(PageImage.id).where(PageImage.document_id == doc.id).limit(1)) is None:
                raise NotFound("PAGES-NOT-READY", "Văn bản này chưa có ảnh trang (đang tạo hoặc không tạo được).")
            raise NotFound("PAGE-NOT-FOUND", f"Văn bản số {doc.id} không có trang {number}.")
    image = _fetch_scaled(services, row, width)
    with transaction(services.factory) as session:
        details: dict[str, object] = {"via": via, "page": number}
        if width is not None:
            details["width"] = width
        audit_event(session, principal, "document.view", doc, addr, details)
    return image


def thumbnail(
    services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str
) -> PageImageFile | None:
    """The first page of a readable document, small (for lists); None while it has no page image."""
    try:
        return page_image(services, principal, document_id, 1, width=THUMBNAIL_WIDTH, addr=addr, via=via)
    except NotFound as exc:
        if exc.code == "PAGES-NOT-READY":
            return None
        raise


def _fetch_scaled(services: Services, row: PageImage, width: int | None) -> PageImageFile:
    """The stored PNG (its SHA-256 checked), scaled down when ``width`` is smaller than it."""
    path = fetch_verified(services, key=row.storage_key, sha256=row.sha256, name="page.png")
    try:
        data = path.read_bytes()
    finally:
        discard(path)
    if width is None or width >= row.width_px:
        return PageImageFile(data=data, width_px=row.width_px, height_px=row.height_px, etag=row.sha256)
    height = max(1, round(row.height_px * width / row.width_px))
    with Image.open(io.BytesIO(data)) as image:
        scaled = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    scaled.save(out, "PNG")
    return PageImageFile(data=out.getvalue(), width_px=width, height_px=height, etag=f"{row.sha256}-{width}")


# --- the document page -----------------------------------------------------------------------------------


@dataclass
class FindingBox:
    """A finding drawn on a page: its number in the page's list (1-based), severity and box in image pixels."""

    finding: int
    severity: str
    x: int
    y: int
    width: int
    height: int
    label: str = ""  # the numbers written beside the box: every finding on that line, on the first box only


@dataclass
class PreviewPage:
    number: int
    width_px: int
    height_px: int
    boxes: list[FindingBox] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"trang-{self.number}"


@dataclass(frozen=True)
class PagePreview:
    """The page images of the document page, and for each finding (in order) the page it is on, if known."""

    state: str
    pages: list[PreviewPage]
    finding_pages: list[int | None]


def preview(
    services: Services, principal: Principal, document_id: int, findings: list[tuple[str, dict[str, Any] | None]]
) -> PagePreview:
    """The page images of a readable document with each finding (severity, location) boxed on its line.

    Not audited on its own: the document page that shows it records the view (``documents.service.page``).
    """
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        rows = _rows(session, doc.id)
        state = _state(session, doc.id, bool(rows))
    pages = [PreviewPage(r.number, r.width_px, r.height_px) for r in rows]
    lines = [{int(k): v for k, v in (r.line_boxes or {}).items()} for r in rows]
    finding_pages: list[int | None] = []
    for index, (severity, location) in enumerate(findings, start=1):
        where = _place(location or {}, lines)
        if where is None:
            finding_pages.append(None)
            continue
        at, box = where
        page = pages[at]
        finding_pages.append(page.number)
        if box is not None:
            x0, y0, x1, y1 = (float(v) for v in box)
            page.boxes.append(
                FindingBox(
                    finding=index,
                    severity=severity,
                    x=round(x0 * page.width_px),
                    y=round(y0 * page.height_px),
                    width=max(1, round((x1 - x0) * page.width_px)),
                    height=max(1, round((y1 - y0) * page.height_px)),
                )
            )
    for page in pages:
        _label(page.boxes)
    return PagePreview(state=state, pages=pages, finding_pages=finding_pages)


def _label(boxes: list[FindingBox]) -> None:
    """Findings on the same line share one label ("1, 2") so that their numbers do not print over each other."""
    first: dict[tuple[int, int, int, int], FindingBox] = {}
    for box in boxes:
        spot = (box.x, box.y, box.width, box.height)
        if spot in first:
            first[spot].label += f", {box.finding}"
        else:
            box.label = str(box.finding)
            first[spot] = box


def _place(location: dict[str, Any], lines: list[dict[int, Box]]) -> tuple[int, Box | None] | None:
    """(index of the page, box) of a finding's line; (page, None) when only its page is known; else None."""
    line, page = location.get("line"), location.get("page")
    if isinstance(line, int):
        for at, boxes in enumerate(lines):
            if line in boxes:
                return at, boxes[line]
    if isinstance(page, int) and 1 <= page <= len(lines):
        return page - 1, None
    return None


# --- the PDF, inline -------------------------------------------------------------------------------------


def inline_pdf(services: Services, principal: Principal, document_id: int, *, addr: str | None, via: str) -> Download:
    """The PDF to show in the browser: the original of a PDF, the LibreOffice rendition of a DOCX; audited.

    NotFound (PDF-NOT-READY) for a DOCX whose rendition has not been made (or could not be).
    """
    with transaction(services.factory) as session:
        doc = documents.get_readable(session, principal=principal, document_id=document_id)
        made = None if doc.media_type == PDF else documents.derivative(session, document_id=doc.id, kind=PDF_RENDITION)
        if doc.media_type != PDF and made is None:
            raise NotFound("PDF-NOT-READY", "Văn bản này chưa có bản PDF để xem (đang tạo hoặc không tạo được).")
    if made is None:
        path = fetch_verified(services, key=doc.storage_key, sha256=doc.sha256, name="original.pdf")
        name, etag = doc.original_filename, doc.sha256
    else:
        path = fetch_verified(services, key=made.storage_key, sha256=made.sha256, name="rendition.pdf")
        name, etag = doc.original_filename.rsplit(".", 1)[0] + ".pdf", made.sha256
    try:
        with transaction(services.factory) as session:
            details = {"via": via, "inline": True, "rendition": made is not None}
            audit_event(session, principal, "document.download", doc, addr, details)
    except BaseException:
        discard(path)
        raise
    return Download(path=path, media_type=PDF, filename=name, etag=etag)
