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

from archive_service.edge.deps import ClientAddrDep, ServicesDep
from archive_service.errors import ServiceUnavailable
from archive_service.reports.labels import VALIDATION_LABELS
from archive_service.search.saved import list_saved_searches
from archive_service.search.service import FacetLabels, facet_labels, search_for
from archive_service.services import Services
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.search_form import SIGNATURE_CHOICES, WebSearchDep, page_params
from archive_service.web.templating import render
from schemas.code_labels import code_label
from schemas.search import SearchHit, SearchQuery, SearchResult
from schemas.signature_state import STATE_LABELS, SignatureState

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 20

# facet field → (URL parameter, Vietnamese heading)
FACETS: Final = {
    "document_type": ("loai", "Loại văn bản"),
    "issuer": ("co_quan", "Cơ quan ban hành"),
    "office_id": ("don_vi", "Đơn vị"),
    "year": ("nam", "Năm"),
    "validation_status": ("ket_qua", "Kết quả kiểm tra"),
    "finding_codes": ("ma_loi", "Loại lỗi"),
    "dossier_id": ("ho_so", "Hồ sơ"),
    "signature_state": ("chu_ky", "Chữ ký số"),  # the facet's values are the filter's (valid, invalid, …)
}
_TAGS: Final = re.compile(r"</?mark>")
SORTS: Final = {
    "relevance": "Phù hợp nhất",
    "-issued_on": "Ngày ban hành: mới trước",
    "issued_on": "Ngày ban hành: cũ trước",
    "-uploaded_at": "Ngày tải lên: mới trước",
    "uploaded_at": "Ngày tải lên: cũ trước",
}

# Shown beside a hit whose document has a signature (its state only: the signer is on the document's page).
HIT_SIGNATURE_LABELS: Final = {s.value: label for s, label in STATE_LABELS.items() if s != SignatureState.UNSIGNED}


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
            elif name == "signature_state" and str(value) in {s.value for s in SignatureState}:
                label = STATE_LABELS[SignatureState(str(value))]
            elif name == "finding_codes":
                label = code_label(str(value))  # the template adds the code itself, small
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
    asked: WebSearchDep,
    trang: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    """Tìm văn bản: có dấu hoặc không dấu, theo số ký hiệu, với bộ lọc, khoảng ngày ban hành và phân trang.

    When the search engine fails the page says so with the status the API answers (503), never "0 kết quả".
    """
    result: SearchResult | None = None
    labels = FacetLabels({}, {})
    failure: ServiceUnavailable | None = None
    if asked.searched:
        query = asked.query(page=trang, page_size=PAGE_SIZE)
        result, labels, failure = await run_in_threadpool(partial(_run, services, user, query, addr))
    kept = await run_in_threadpool(partial(list_saved_searches, services, user.principal))
    total = result.total if result else 0
    params = asked.params
    return render(
        request,
        "search.html",
        user=user,
        section="tim-kiem",
        params=params,
        q=params["q"],
        sort=asked.saved.sort,
        sorts=SORTS,
        signature_choices=SIGNATURE_CHOICES,
        signature_labels=HIT_SIGNATURE_LABELS,
        searched=asked.searched,
        date_error=asked.date_error,
        saved_searches=[(s, page_params(s.query)) for s in kept],
        result=result,
        hits=[_hit_view(h) for h in result.hits] if result else [],
        failure=failure,
        facets=_facet_views(result, params, labels) if result else [],
        office_names=labels.office_names,
        page=trang,
        pages=max(1, min(500, -(-total // PAGE_SIZE))),
        status_code=failure.status_code if failure else 200,
    )
