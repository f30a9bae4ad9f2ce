"""Pages of a document as images (the document page and the dossier's thumbnails), and its PDF inline.

Access, audit and the verified fetch are the use cases' (``documents.pages``); these only send the bytes.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Final

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.documents import pages
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.downloads import SpooledFileResponse, content_disposition
from archive_service.web.auth import WebUserDep

router = APIRouter(include_in_schema=False)

# The PDF shown by the browser's own viewer: nothing may load but the document itself (no script, style, font
# or connection of any origin); it may be framed by our own pages only.
INLINE_PDF_CSP: Final = (
    "default-src 'none'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
PLACEHOLDER: Final = "/static/trang-chua-co-anh.svg"  # a blank sheet, while a document has no page image yet

Width = Annotated[int | None, Query(ge=pages.MIN_WIDTH, le=pages.MAX_WIDTH)]


def _png(image: pages.PageImageFile) -> Response:
    return Response(image.data, media_type="image/png", headers={"ETag": f'"{image.etag}"'})


@router.get("/van-ban/{document_id}/trang/{number}.png")
async def page_image(
    document_id: ObjectId,
    number: ObjectId,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    rong: Width = None,
) -> Response:
    """Ảnh một trang của văn bản (``?rong=`` chiều rộng, điểm ảnh)."""
    image = await run_in_threadpool(
        partial(pages.page_image, services, user.principal, document_id, number, width=rong, addr=addr, via="web")
    )
    return _png(image)


@router.get("/van-ban/{document_id}/anh-nho.png")
async def thumbnail(document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Ảnh nhỏ trang đầu (danh sách văn bản của hồ sơ); trang trắng khi chưa có ảnh."""
    image = await run_in_threadpool(
        partial(pages.thumbnail, services, user.principal, document_id, addr=addr, via="web")
    )
    return RedirectResponse(PLACEHOLDER, status_code=303) if image is None else _png(image)


@router.get("/van-ban/{document_id}/xem")
async def inline_pdf(document_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Xem bản PDF ngay trong trình duyệt (bản gốc PDF, hoặc bản PDF chuyển từ DOCX)."""
    pdf = await run_in_threadpool(
        partial(pages.inline_pdf, services, user.principal, document_id, addr=addr, via="web")
    )
    headers = {
        "Content-Disposition": "inline" + content_disposition(pdf.filename).removeprefix("attachment"),
        "Content-Security-Policy": INLINE_PDF_CSP,
    }
    if pdf.etag:
        headers["ETag"] = f'"{pdf.etag}"'
    return SpooledFileResponse(pdf.path, media_type=pdf.media_type, headers=headers)
