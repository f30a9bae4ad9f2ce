"""The search page's files and saved searches: /tim-kiem.csv, POST /tim-kiem/luu, POST /tim-kiem/da-luu/{id}/xoa.

A saved search is opened by its link to /tim-kiem with its words and filters, so it runs as any search of
the page does: scoped to the user as they are when they open it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep, file_response
from archive_service.reports.text import local_time
from archive_service.search.export import export_search
from archive_service.search.saved import delete_saved_search, save_search
from archive_service.web.auth import WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.search_form import WebSearch, WebSearchDep
from schemas.saved_search import SavedSearchIn

router = APIRouter(include_in_schema=False)


def _page_url(asked: WebSearch) -> str:
    query = urlencode({k: v for k, v in asked.params.items() if v not in (None, "")})
    return "/tim-kiem" + (f"?{query}" if query else "")


def _name(typed: str, asked: WebSearch) -> str:
    """The name typed, or the words searched, or the day it was saved: never an empty name."""
    name = " ".join(typed.split()) or asked.saved.q or f"Tìm kiếm ngày {local_time(datetime.now(UTC)):%d/%m/%Y}"
    return name[:200]


@router.get("/tim-kiem.csv")
async def search_csv(services: ServicesDep, user: WebUserDep, addr: ClientAddrDep, asked: WebSearchDep) -> Response:
    """Tải mọi kết quả của tìm kiếm đang xem thành tệp CSV (được ghi nhật ký)."""
    export = partial(export_search, services, user.principal, asked.query(), addr=addr, via="web")
    return file_response(await run_in_threadpool(export))


@router.post("/tim-kiem/luu")
def save(
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    asked: WebSearchDep,
    ten: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Lưu tìm kiếm đang xem (từ khóa và bộ lọc trong địa chỉ của biểu mẫu) dưới tên người dùng đặt."""
    save_search(
        services, user.principal, SavedSearchIn(name=_name(ten, asked), query=asked.saved), addr=addr, via="web"
    )
    return RedirectResponse(_page_url(asked) + "#tim-kiem-da-luu", status_code=303)


@router.post("/tim-kiem/da-luu/{saved_id}/xoa")
def delete(saved_id: ObjectId, services: ServicesDep, user: FormUserDep, addr: ClientAddrDep) -> Response:
    """Xóa một tìm kiếm đã lưu của mình (của người khác: 404 như không có)."""
    delete_saved_search(services, user.principal, saved_id, addr=addr, via="web")
    return RedirectResponse("/tim-kiem#tim-kiem-da-luu", status_code=303)
