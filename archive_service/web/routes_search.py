"""Page: search — query box, filters, facets with counts, highlighted snippets, pages."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import MAX_ID, ClientAddrDep, ServicesDep
from archive_service.errors import ServiceUnavailable
from archive_service.reports.labels import VALIDATION_LABELS
from archive_service.search.service import FacetLabels, facet_labels, search_for
from archive_service.services import Services
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.templating import render
from schemas.search import SearchHit, SearchQuery, SearchResult, SortOrder, ValidationStatus

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 20

# facet field → (URL parameter, Vietnamese heading)
FACETS: Final = {
    "document_type": ("loai", "Loại văn bản"),
    "issuer": ("co_quan", "Cơ quan ban hành"),
    "office_id": ("don_vi", "Đơn vị"),
    "year": ("nam", "Năm"),
    "validation_status": ("ket_qua", "Kết quả kiểm tra"),
    "finding_codes": ("ma_loi", "Mã lỗi"),
    "dossier_id": ("ho_so", "Hồ sơ"),
}
_TAGS: Final = re.compile(r"</?mark>")
SORTS: Final = {"relevance": "Phù hợp nhất", "-issued_on": "Mới ban hành trước", "issued_on": "Cũ trước"}


@dataclass(frozen=True)
class HitView:
    """A hit as the page shows it: the trích yếu with its matches marked, then the text snippets."""

    hit: SearchHit
    summary_html: str | None  # safe HTML (escaped by the search backend), or None: show hit.summary
    snippets: list[str]  # safe HTML, already with "…" where the text was cut


def _hit_view(hit: SearchHit) -> HitView:
    """Show the marked trích yếu in place of the plain one rather than twice."""
    summary_html = None
    snippets: list[str] = []
    for marked in hit.highlights:
        plain = html.unescape(_TAGS.sub("", marked)).strip()
        if summary_html is None and hit.summary and plain == hit.summary.strip():
            summary_html = marked
        else:
            snippets.append(marked)
    return HitView(hit=hit, summary_html=summary_html, snippets=snippets)


@dataclass(frozen=True)
class FacetView:
    field: str
    param: str
    heading: str
    buckets: list[tuple[str, str, int, bool]]  # value, label, count, selected


def _facet_views(result: SearchResult, params: dict[str, Any], labels: FacetLabels) -> list[FacetView]:
    views = []
    for name, buckets in result.facets.items():
        if name not in FACETS or not buckets:
            continue
        param, heading = FACETS[name]
        rows = []
        for value, count in buckets:
            label = str(value)
            if name == "office_id" and isinstance(value, int | str) and str(value).isdigit():
                label = labels.office_names.get(int(value), label)
            elif name == "validation_status":
                label = VALIDATION_LABELS.get(str(value), label)
            elif name == "dossier_id":
                label = labels.dossier_titles.get(int(value), f"Hồ sơ số {value}") if str(value).isdigit() else label
            rows.append((str(value), label, count, str(params.get(param) or "") == str(value)))
        views.append(FacetView(name, param, heading, rows))
    return views


def _run(
    services: Services, user: WebUser, query: SearchQuery, addr: str | None
) -> tuple[SearchResult | None, FacetLabels, ServiceUnavailable | None]:
    """The result and its labels, or the refusal to show in their place (the search engine failed)."""
    try:
        result = search_for(services, user.principal, query, addr=addr, via="web")
    except ServiceUnavailable as exc:
        return None, FacetLabels({}, {}), exc
    return result, facet_labels(services, user.principal, result), None


@router.get("/tim-kiem")
async def search_page(
    request: Request,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    q: Annotated[str, Query(max_length=500)] = "",
    loai: str | None = None,
    co_quan: str | None = None,
    don_vi: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    nam: Annotated[int | None, Query(ge=1930, le=2100)] = None,
    ket_qua: ValidationStatus | None = None,
    ma_loi: Annotated[str | None, Query(max_length=64)] = None,
    ho_so: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    sap_xep: SortOrder = "relevance",
    trang: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    """Tìm văn bản: có dấu hoặc không dấu, theo số ký hiệu, với bộ lọc và phân trang.

    When the search engine fails the page says so with the status the API answers (503), never "0 kết quả".
    """
    params: dict[str, Any] = {
        "q": q,
        "loai": loai,
        "co_quan": co_quan,
        "don_vi": don_vi,
        "nam": nam,
        "ket_qua": ket_qua,
        "ma_loi": ma_loi,
        "ho_so": ho_so,
        "sap_xep": None if sap_xep == "relevance" else sap_xep,
    }
    searched = any(v not in (None, "") for k, v in params.items() if k != "sap_xep")
    result: SearchResult | None = None
    labels = FacetLabels({}, {})
    failure: ServiceUnavailable | None = None
    if searched:
        query = SearchQuery(
            q=q.strip(),
            document_type=loai or None,
            issuer=co_quan or None,
            office_ids=[don_vi] if don_vi is not None else None,
            year=nam,
            validation_status=ket_qua,
            finding_code=ma_loi or None,
            dossier_id=ho_so,
            sort=sap_xep,
            page=trang,
            page_size=PAGE_SIZE,
        )
        result, labels, failure = await run_in_threadpool(partial(_run, services, user, query, addr))
    total = result.total if result else 0
    return render(
        request,
        "search.html",
        user=user,
        section="tim-kiem",
        params=params,
        q=q,
        sort=sap_xep,
        sorts=SORTS,
        searched=searched,
        result=result,
        hits=[_hit_view(h) for h in result.hits] if result else [],
        failure=failure,
        facets=_facet_views(result, params, labels) if result else [],
        office_names=labels.office_names,
        page=trang,
        pages=max(1, min(500, -(-total // PAGE_SIZE))),
        status_code=failure.status_code if failure else 200,
    )
