"""/healthz (the process is alive) and /readyz (every backend answers)."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from archive_service.catalog import db
from archive_service.edge.deps import ServicesDep
from archive_service.errors import AppError
from archive_service.jobs.service import queue_counts
from schemas.api import QueueCounts, ReadyReport

router = APIRouter(tags=["health"])

CHECKS: Final = ("catalog", "blobs", "search")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=ReadyReport,
    responses={503: {"model": ReadyReport}, 422: {"description": "Tham số require không hợp lệ"}},
)
async def readyz(
    services: ServicesDep,
    require: Annotated[
        str | None,
        Query(
            description=(
                "Các phần phải trả lời thì mới sẵn sàng, cách nhau bởi dấu phẩy (catalog, blobs, search); mặc định "
                "cả ba. Bộ cân bằng tải dùng `catalog,blobs`: khi chỉ Elasticsearch ngừng, tải lên vẫn nhận (hàng "
                "đợi chỉ mục chờ nó) nên không cần rút máy chủ khỏi dịch vụ."
            )
        ),
    ] = None,
) -> JSONResponse:
    """Every backend is reachable: catalog, blob store, search index; with the job queue's counts (the backlog is
    information, not unreadiness; numbers only, since this answers anyone). ``require`` narrows which must answer
    for a 200; every check is still reported."""
    required = _required(require)

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
    ready = all(checks[name] == "ok" for name in required)
    queue = await run_in_threadpool(_queue) if checks["catalog"] == "ok" else None
    report = ReadyReport(status="ok" if ok else "degraded", checks=checks, queue=queue)
    return JSONResponse(report.model_dump(), status_code=200 if ready else 503)


def _required(require: str | None) -> tuple[str, ...]:
    """The checks a 200 needs: all of them, or those named (an unknown name is a 422, never ignored)."""
    if require is None:
        return CHECKS
    names = tuple(dict.fromkeys(n.strip() for n in require.split(",") if n.strip()))
    unknown = [n for n in names if n not in CHECKS]
    if unknown or not names:
        raise AppError(
            "READYZ-REQUIRE-INVALID",
            f"Tham số require chỉ nhận {', '.join(CHECKS)} (cách nhau bởi dấu phẩy); không biết: {', '.join(unknown)}",
            status_code=422,
        )
    return names
