"""/api/v1/search: full-text search with filters, facets and highlights, scoped to the caller."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from archive_service.edge.deps import MAX_ID, ClientAddrDep, PrincipalDep, ServicesDep
from archive_service.errors import AppError
from archive_service.search.service import search_for
from schemas.api import ErrorBody
from schemas.search import SearchQuery, SearchResult, SortOrder, ValidationStatus

router = APIRouter(prefix="/api/v1", tags=["search"])

MAX_RESULT_WINDOW = 10_000  # page × page_size: what an index serves without a scroll


@router.get(
    "/search",
    response_model=SearchResult,
    responses={
        401: {"model": ErrorBody},
        503: {"model": ErrorBody, "description": "Máy tìm kiếm không truy cập được hoặc gặp lỗi"},
    },
)
async def search(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    q: Annotated[str, Query(max_length=500, description='Từ khóa, có hoặc không dấu; "cụm từ"; số ký hiệu')] = "",
    document_type: str | None = None,
    issuer: str | None = None,
    issuer_code: str | None = None,
    office_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Chỉ văn bản của đơn vị này")] = None,
    dossier_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    year: Annotated[int | None, Query(ge=1930, le=2100)] = None,
    validation_status: ValidationStatus | None = None,
    finding_code: str | None = None,
    sort: SortOrder = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SearchResult:
    """Tìm văn bản theo nội dung, số ký hiệu, cơ quan ban hành, loại, năm; chỉ trong phạm vi được xem."""
    if page * page_size > MAX_RESULT_WINDOW:
        raise AppError(
            "SEARCH-PAGE-TOO-DEEP",
            f"Chỉ xem được {MAX_RESULT_WINDOW} kết quả đầu; hãy thu hẹp tìm kiếm bằng bộ lọc.",
            status_code=422,
        )
    query = SearchQuery(
        q=q,
        document_type=document_type,
        issuer=issuer,
        issuer_code=issuer_code,
        office_ids=[office_id] if office_id is not None else None,
        dossier_id=dossier_id,
        year=year,
        validation_status=validation_status,
        finding_code=finding_code,
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return await run_in_threadpool(partial(search_for, services, principal, query, addr=addr, via="api"))
