"""Every error leaves the API as ``{"error": {"code", "label", "message"}}``: a code, its words, a message."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive_service.catalog import audit
from archive_service.errors import AppError
from schemas.code_labels import code_label

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: ("REQUEST-INVALID", "Dữ liệu gửi lên không đọc được (JSON sai cú pháp hoặc lồng quá sâu)."),
    401: ("AUTH-REQUIRED", "Cần đăng nhập hoặc mã truy cập (token)."),
    403: ("AUTH-FORBIDDEN", "Bạn không có quyền thực hiện thao tác này."),
    404: ("NOT-FOUND", "Không tìm thấy địa chỉ yêu cầu."),
    405: ("METHOD-NOT-ALLOWED", "Phương thức không được hỗ trợ tại địa chỉ này."),
    413: ("REQUEST-TOO-LARGE", "Yêu cầu quá lớn."),
}


def error_response(status: int, code: str, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = {"error": {"code": code, "label": code_label(code), "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


async def audit_refusal(request: Request, exc: AppError) -> None:
    """Write the audit event of a refused access (an existing object the caller may not read or change)."""
    if exc.refusal is None:
        return
    await run_in_threadpool(
        audit.record_refusal,
        request.app.state.services.factory,
        exc.refusal,
        code=exc.code,
        status=exc.status_code,
        method=request.method,
        path=request.url.path,
        client_addr=request.client.host if request.client else None,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Map application, validation, HTTP and backend errors to the one JSON error shape."""

    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        await audit_refusal(request, exc)
        return error_response(exc.status_code, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err.get("loc", ("",))[0] == "path" for err in exc.errors()):
            # A path id that is not a number names nothing, like one beyond 64 bits: 404, not invalid data.
            return error_response(404, "NOT-FOUND", "Không tìm thấy đối tượng yêu cầu.")
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
            parts.append(f"{where}: {err.get('msg', '')}")
        return error_response(422, "REQUEST-INVALID", "Dữ liệu gửi lên không hợp lệ — " + "; ".join(parts))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_CODES.get(exc.status_code, ("HTTP-ERROR", str(exc.detail)))
        return error_response(exc.status_code, code, message)

    @app.exception_handler(OperationalError)
    async def _catalog_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("catalog unavailable: %s", exc.orig)
        return error_response(503, "CATALOG-UNAVAILABLE", "Cơ sở dữ liệu danh mục tạm thời không truy cập được.")
