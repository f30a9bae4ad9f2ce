"""Page: the job queue for admins (hàng đợi xử lý) — the backlog per kind, throughput, workers, jobs in hand."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import ServicesDep
from archive_service.jobs import service
from archive_service.web.auth import WebUserDep
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/quan-tri/hang-doi")
async def queue_page(request: Request, services: ServicesDep, user: WebUserDep) -> Response:
    """Hàng đợi xử lý: việc chờ, đang xử lý, lỗi theo loại; tốc độ; các tiến trình xử lý đang chạy."""
    summary = await run_in_threadpool(service.job_summary, services, user.principal)
    return render(request, "queue.html", user=user, section="hang-doi", summary=summary, kinds=service.KIND_LABELS)
