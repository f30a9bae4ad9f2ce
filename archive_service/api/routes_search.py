"""/api/v1/search: full-text search with filters, facets and highlights, scoped to the caller; its CSV export
and the caller's saved searches."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import MAX_ID, ClientAddrDep, ObjectId, PrincipalDep, ServicesDep, file_response
from archive_service.errors import AppError
from archive_service.search import saved
from archive_service.search.export import export_search
from archive_service.search.service import SIGNATURE_FILTER_HELP, search_for, signature_filter
from schemas.api import ErrorBody
from schemas.saved_search import SavedSearchIn, SavedSearchOut
from schemas.search import SIGNATURE_FILTERS, SearchQuery, SearchResult, SortOrder, ValidationStatus

router = APIRouter(prefix="/api/v1", tags=["search"])

MAX_RESULT_WINDOW = 10_000  # page × page_size: what an index serves without a scroll
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
    503: {"model": ErrorBody, "description": "Máy tìm kiếm không truy cập được hoặc gặp lỗi"},
}


def _asked(
    q: Annotated[str, Query(max_length=500, description='Từ khóa, có hoặc không dấu; "cụm từ"; số ký hiệu')] = "",
    document_type: str | None = None,
    issuer: str | None = None,
    issuer_code: str | None = None,
    office_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Chỉ văn bản của đơn vị này")] = None,
    dossier_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    year: Annotated[int | None, Query(ge=1930, le=2100)] = None,
    validation_status: ValidationStatus | None = None,
    finding_code: str | None = None,
    signature: Annotated[
        str | None,
        Query(
            max_length=16,
            description=f"Chữ ký số của văn bản: {SIGNATURE_FILTER_HELP}",
            json_schema_extra={"enum": list(SIGNATURE_FILTERS)},
        ),
    ] = None,
    issued_from: Annotated[date | None, Query(description="Ban hành từ ngày (YYYY-MM-DD), kể cả ngày này")] = None,
    issued_to: Annotated[date | None, Query(description="Ban hành đến ngày (YYYY-MM-DD), kể cả ngày này")] = None,
    sort: SortOrder = "relevance",
) -> SearchQuery:
    """The words, filters and order of a search, as the query string gives them (one page: set by the route)."""
    return SearchQuery(
        q=q,
        document_type=document_type,
        issuer=issuer,
        issuer_code=issuer_code,
        office_ids=[office_id] if office_id is not None else None,
        dossier_id=dossier_id,
        year=year,
        validation_status=validation_status,
        finding_code=finding_code,
        signature=signature_filter(signature),
        issued_from=issued_from,
        issued_to=issued_to,
        sort=sort,
    )


AskedDep = Annotated[SearchQuery, Depends(_asked)]
Page = Annotated[int, Query(ge=1, le=10_000)]
PageSize = Annotated[int, Query(ge=1, le=200)]


def _window(page: int, page_size: int) -> None:
    if page * page_size > MAX_RESULT_WINDOW:
        raise AppError(
            "SEARCH-PAGE-TOO-DEEP",
            f"Chỉ xem được {MAX_RESULT_WINDOW} kết quả đầu; hãy thu hẹp tìm kiếm bằng bộ lọc.",
            status_code=422,
        )


@router.get("/search", response_model=SearchResult, responses=_ERRORS)
async def search(
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    asked: AskedDep,
    page: Page = 1,
    page_size: PageSize = 20,
) -> SearchResult:
    """Tìm văn bản theo nội dung, số ký hiệu, cơ quan ban hành, loại, năm, khoảng ngày ban hành, chữ ký số
    (`signature`); chỉ trong phạm vi được xem. Sắp xếp: phù hợp nhất, ngày ban hành (`issued_on`, `-issued_on`),
    ngày tải lên (`uploaded_at`, `-uploaded_at`)."""
    _window(page, page_size)
    query = asked.model_copy(update={"page": page, "page_size": page_size})
    return await run_in_threadpool(partial(search_for, services, principal, query, addr=addr, via="api"))


@router.get(
    "/search/export",
    responses={**_ERRORS, 200: {"content": {"text/csv": {}}, "description": "ket-qua-tim-kiem.csv"}},
    response_class=Response,
)
async def export(services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep, asked: AskedDep) -> Response:
    """Mọi kết quả của một tìm kiếm (tối đa 10 000) thành tệp CSV; việc xuất được ghi nhật ký."""
    file = await run_in_threadpool(partial(export_search, services, principal, asked, addr=addr, via="api"))
    return file_response(file)


@router.get("/search/saved", response_model=list[SavedSearchOut], responses=_ERRORS)
def list_saved(services: ServicesDep, principal: PrincipalDep) -> list[SavedSearchOut]:
    """Các tìm kiếm bạn đã lưu, mới nhất trước."""
    return saved.list_saved_searches(services, principal)


@router.post("/search/saved", status_code=201, response_model=SavedSearchOut, responses=_ERRORS)
def create_saved(
    body: SavedSearchIn, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> SavedSearchOut:
    """Lưu một tìm kiếm (từ khóa và bộ lọc, không lưu kết quả) dưới một tên."""
    return saved.save_search(services, principal, body, addr=addr, via="api")


@router.get("/search/saved/{saved_id}", response_model=SavedSearchOut, responses=_ERRORS)
def get_saved(saved_id: ObjectId, services: ServicesDep, principal: PrincipalDep) -> SavedSearchOut:
    """Một tìm kiếm đã lưu của bạn."""
    return saved.get_saved_search(services, principal, saved_id)


@router.delete("/search/saved/{saved_id}", status_code=204, response_class=Response, responses=_ERRORS)
def delete_saved(saved_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> Response:
    """Xóa một tìm kiếm đã lưu của bạn."""
    saved.delete_saved_search(services, principal, saved_id, addr=addr, via="api")
    return Response(status_code=204)


@router.get("/search/saved/{saved_id}/results", response_model=SearchResult, responses=_ERRORS)
async def run_saved(
    saved_id: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    page: Page = 1,
    page_size: PageSize = 20,
) -> SearchResult:
    """Chạy lại một tìm kiếm đã lưu, trong phạm vi bạn được xem lúc này."""
    _window(page, page_size)
    run = partial(saved.run_saved_search, services, principal, saved_id, page=page, page_size=page_size, addr=addr)
    return await run_in_threadpool(run)
