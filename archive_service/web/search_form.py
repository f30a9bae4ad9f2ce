"""The search page's query string ↔ a ``SearchQuery`` and a ``SavedQuery``: one reading for the page, its CSV
and the saved searches, so that a saved search opens exactly the page it was saved from.

Dates are typed ngày/tháng/năm. A date that is no date, or a period that ends before it starts, is shown
as a message beside the form and left out of the search, rather than answered with an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final

from fastapi import Depends, Query

from archive_service.edge.deps import MAX_ID
from archive_service.web.dates import parse_optional_date
from schemas.saved_search import SavedQuery
from schemas.search import SearchQuery, SignatureFilter, SortOrder, ValidationStatus

# URL parameter → SavedQuery field (the page's Vietnamese names; the API's English ones)
PARAM_FIELDS: Final = {
    "q": "q",
    "loai": "document_type",
    "co_quan": "issuer",
    "don_vi": "office_id",
    "nam": "year",
    "ket_qua": "validation_status",
    "ma_loi": "finding_code",
    "ho_so": "dossier_id",
    "chu_ky": "signature",
}
FILTER_PARAMS: Final = (
    "loai",
    "co_quan",
    "don_vi",
    "nam",
    "ket_qua",
    "ma_loi",
    "ho_so",
    "chu_ky",
    "tu_ngay",
    "den_ngay",
)
# The signature filter's choices as the form offers them (values are the API's, like ``ket_qua``'s).
SIGNATURE_CHOICES: Final[dict[SignatureFilter, str]] = {
    "signed": "Có",
    "valid": "Hợp lệ",
    "invalid": "Không hợp lệ",
    "unchecked": "Chưa kiểm tra",
    "unsigned": "Không có",
}
BAD_DATE: Final = "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/03/2024. Bộ lọc ngày chưa được áp dụng."
BAD_PERIOD: Final = "Ngày bắt đầu phải trước hoặc trùng ngày kết thúc. Bộ lọc ngày chưa được áp dụng."


@dataclass(frozen=True)
class WebSearch:
    """What the page was asked: the saved form of the search, the page's own values, and a date problem if any."""

    saved: SavedQuery
    params: dict[str, Any]  # the query string's values as typed, for links and hidden fields (no page)
    searched: bool  # words or a filter were given (else the page only shows its form)
    date_error: str | None

    def query(self, *, page: int = 1, page_size: int = 20) -> SearchQuery:
        return self.saved.search_query(page=page, page_size=page_size)


def _period(tu_ngay: str | None, den_ngay: str | None) -> tuple[date | None, date | None, str | None]:
    try:
        start, end = parse_optional_date(tu_ngay), parse_optional_date(den_ngay)
    except ValueError:
        return None, None, BAD_DATE
    if start and end and start > end:
        return None, None, BAD_PERIOD
    return start, end, None


def web_search(
    q: Annotated[str, Query(max_length=500)] = "",
    loai: Annotated[str | None, Query(max_length=200)] = None,
    co_quan: Annotated[str | None, Query(max_length=300)] = None,
    don_vi: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    nam: Annotated[int | None, Query(ge=1930, le=2100)] = None,
    ket_qua: ValidationStatus | None = None,
    ma_loi: Annotated[str | None, Query(max_length=64)] = None,
    ho_so: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    chu_ky: SignatureFilter | None = None,
    tu_ngay: Annotated[str | None, Query(max_length=32)] = None,
    den_ngay: Annotated[str | None, Query(max_length=32)] = None,
    sap_xep: SortOrder = "relevance",
) -> WebSearch:
    """The search the page's query string asks for."""
    start, end, date_error = _period(tu_ngay, den_ngay)
    saved = SavedQuery(
        q=q.strip(),
        document_type=loai or None,
        issuer=co_quan or None,
        office_id=don_vi,
        year=nam,
        validation_status=ket_qua,
        finding_code=ma_loi or None,
        dossier_id=ho_so,
        signature=chu_ky,
        issued_from=start,
        issued_to=end,
        sort=sap_xep,
    )
    params: dict[str, Any] = {
        "q": q,
        "loai": loai,
        "co_quan": co_quan,
        "don_vi": don_vi,
        "nam": nam,
        "ket_qua": ket_qua,
        "ma_loi": ma_loi,
        "ho_so": ho_so,
        "chu_ky": chu_ky,
        "tu_ngay": (tu_ngay or "").strip() or None,
        "den_ngay": (den_ngay or "").strip() or None,
        "sap_xep": None if sap_xep == "relevance" else sap_xep,
    }
    searched = any(v not in (None, "") for k, v in params.items() if k != "sap_xep")
    return WebSearch(saved=saved, params=params, searched=searched, date_error=date_error)


WebSearchDep = Annotated[WebSearch, Depends(web_search)]


def page_params(saved: SavedQuery) -> dict[str, Any]:
    """The page's query string values of a saved search (its link opens the page it was saved from)."""
    params: dict[str, Any] = {param: getattr(saved, name) for param, name in PARAM_FIELDS.items()}
    params["tu_ngay"] = saved.issued_from.strftime("%d/%m/%Y") if saved.issued_from else None
    params["den_ngay"] = saved.issued_to.strftime("%d/%m/%Y") if saved.issued_to else None
    params["sap_xep"] = None if saved.sort == "relevance" else saved.sort
    return params
