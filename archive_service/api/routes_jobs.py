"""/api/v1/jobs: the job queue's backlog, for admins (numbers and ids only)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from archive_service.edge.deps import PrincipalDep, ServicesDep
from archive_service.jobs import service
from schemas.api import ErrorBody, JobSummary

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody, "description": "Chỉ quản trị"},
}


@router.get("/summary", response_model=JobSummary, responses=_ERRORS)
async def summary(services: ServicesDep, principal: PrincipalDep) -> JobSummary:
    """Hàng đợi công việc: số việc chờ, đang xử lý, lỗi theo loại; tốc độ xử lý; các tiến trình xử lý đang chạy."""
    return await run_in_threadpool(partial(service.job_summary, services, principal))
