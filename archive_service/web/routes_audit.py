"""Page: the audit trail (nhật ký truy cập) for auditors and admins, with filters and a CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from archive_service.audit import service
from archive_service.audit.labels import ACTION_LABELS
from archive_service.edge.deps import ClientAddrDep, ServicesDep, file_response
from archive_service.web.auth import WebUserDep
from archive_service.web.dates import parse_optional_date
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 100


def _day(text: str | None, *, end: bool) -> datetime | None:
    try:
        day: date | None = parse_optional_date(text)
    except ValueError as exc:
        raise service.bad_date() from exc
    return service.day_end(day) if end else service.day_start(day)


Text = Annotated[str | None, Query(max_length=64)]


@dataclass(frozen=True)
class TrailQuery:
    """The filter the page's form asks for, and the form's values (for its links)."""

    filter: service.AuditFilter
    params: dict[str, str | None]


def _trail_query(
    nguoi_dung: Text = None,
    don_vi: Text = None,
    doi_tuong: Text = None,
    ma_doi_tuong: Text = None,
    hanh_dong: Text = None,
    tu_ngay: Text = None,
    den_ngay: Text = None,
) -> TrailQuery:
    f = service.AuditFilter(
        username=nguoi_dung or None,
        office_code=don_vi or None,
        object_type=doi_tuong or None,
        object_id=ma_doi_tuong or None,
        action=hanh_dong or None,
        since=_day(tu_ngay, end=False),
        until=_day(den_ngay, end=True),
    )
    params = {
        "nguoi_dung": nguoi_dung,
        "don_vi": don_vi,
        "doi_tuong": doi_tuong,
        "ma_doi_tuong": ma_doi_tuong,
        "hanh_dong": hanh_dong,
        "tu_ngay": tu_ngay,
        "den_ngay": den_ngay,
    }
    return TrailQuery(f, params)


TrailQueryDep = Annotated[TrailQuery, Depends(_trail_query)]


@router.get("/nhat-ky")
def audit_page(
    request: Request,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    asked: TrailQueryDep,
    trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Nhật ký truy cập: ai xem, tải, sửa gì, khi nào, từ đâu."""
    items, total = service.read_trail(
        services, user.principal, asked.filter, limit=PAGE_SIZE, offset=(trang - 1) * PAGE_SIZE, addr=addr, via="web"
    )
    return render(
        request,
        "audit.html",
        user=user,
        section="nhat-ky",
        items=items,
        total=total,
        page=trang,
        pages=max(1, -(-total // PAGE_SIZE)),
        params=asked.params,
        actions=sorted(ACTION_LABELS.items(), key=lambda kv: kv[1]),
    )


@router.get("/nhat-ky.csv")
def audit_csv(services: ServicesDep, user: WebUserDep, addr: ClientAddrDep, asked: TrailQueryDep) -> Response:
    """Tải nhật ký (theo bộ lọc) dưới dạng CSV."""
    return file_response(service.export_trail(services, user.principal, asked.filter, addr=addr, via="web"))
