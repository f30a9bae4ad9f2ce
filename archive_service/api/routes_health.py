"""/healthz (the process is alive) and /readyz (every backend answers)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from archive_service.catalog import db
from archive_service.edge.deps import ServicesDep
from archive_service.errors import AppError
from archive_service.jobs.service import queue_counts
from schemas.api import QueueCounts, ReadyReport

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyReport, responses={503: {"model": ReadyReport}})
async def readyz(services: ServicesDep) -> JSONResponse:
    """Every backend is reachable: catalog, blob store, search index; with the job queue's counts (the backlog is
    information, not unreadiness; numbers only, since this answers anyone)."""

    def _probe() -> dict[str, str]:
        checks: dict[str, str] = {}
        try:
            db.ping(services.engine)
            checks["catalog"] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
            checks["catalog"] = f"lỗi: {type(exc).__name__}"
        try:
            services.blobs.ping()
            checks["blobs"] = "ok"
        except AppError as exc:
            checks["blobs"] = f"lỗi: {exc.code}"
        checks["search"] = "ok" if services.search.ping() else "lỗi: không truy cập được"
        return checks

    def _queue() -> QueueCounts | None:
        try:
            return queue_counts(services)
        except Exception:  # noqa: BLE001 - the catalog's own check already says whether it answers
            return None

    checks = await run_in_threadpool(_probe)
    ok = all(v == "ok" for v in checks.values())
    queue = await run_in_threadpool(_queue) if checks["catalog"] == "ok" else None
    report = ReadyReport(status="ok" if ok else "degraded", checks=checks, queue=queue)
    return JSONResponse(report.model_dump(), status_code=200 if ok else 503)
