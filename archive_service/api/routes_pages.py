"""/api/v1/documents/{id}/pages: a document's pages as images (access and audit as for the document)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from archive_service.documents import pages
from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from schemas.api import ErrorBody
from schemas.pages import PageList, PageOut

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    404: {"model": ErrorBody, "description": "Không tìm thấy văn bản (hoặc không có quyền xem), hoặc trang đó"},
}
Width = Annotated[
    int | None,
    Query(ge=pages.MIN_WIDTH, le=pages.MAX_WIDTH, description="Chiều rộng ảnh (điểm ảnh); không lớn hơn ảnh đã lưu"),
]


@router.get("/{document_id}/pages", response_model=PageList, responses=_ERRORS)
def list_pages(document_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> PageList:
    """Số trang và kích thước từng trang đã được dựng thành ảnh (trạng thái: ready, pending, failed, none)."""
    found = pages.list_pages(services, principal, document_id, addr=addr, via="api")
    return PageList(
        document_id=found.document_id,
        state=found.state,
        count=len(found.pages),
        pages=[
            PageOut(
                number=p.number,
                width=p.width_px,
                height=p.height_px,
                width_pt=p.width_pt,
                height_pt=p.height_pt,
                url=f"/api/v1/documents/{document_id}/pages/{p.number}.png",
            )
            for p in found.pages
        ],
    )


@router.get(
    "/{document_id}/pages/{number}.png",
    response_class=Response,
    responses={**_ERRORS, 200: {"content": {"image/png": {}}}, 422: {"model": ErrorBody}},
)
async def page_image(
    document_id: ObjectId,
    number: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    width: Width = None,
) -> Response:
    """Ảnh PNG của một trang (``?width=`` thu nhỏ, từ 48 đến 2400 điểm ảnh, không phóng to quá ảnh đã lưu)."""
    image = await run_in_threadpool(
        partial(pages.page_image, services, principal, document_id, number, width=width, addr=addr, via="api")
    )
    return Response(image.data, media_type="image/png", headers={"ETag": f'"{image.etag}"'})
