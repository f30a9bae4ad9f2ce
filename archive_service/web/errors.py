"""Errors on web pages are pages (in Vietnamese); the JSON API keeps its JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from archive_service.edge.errors import audit_refusal
from archive_service.errors import AppError
from archive_service.web.auth import LoginRequired, optional_web_user
from archive_service.web.lenient import names_nothing, without_bad_query
from archive_service.web.templating import render

JSON_PREFIXES: Final = ("/api/", "/web-api/", "/healthz", "/readyz", "/metrics", "/docs", "/openapi", "/redoc")

Handler = Callable[[Request, Any], Awaitable[Response]]

_TITLES: Final = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    413: "Tệp quá lớn",
    415: "Định dạng tệp không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    500: "Lỗi hệ thống",
    503: "Dịch vụ tạm thời không truy cập được",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(JSON_PREFIXES)


def error_page(request: Request, status: int, code: str, message: str, *, with_user: bool = True) -> Response:
    """The error as a page, with the navigation of the logged-in user when there is one."""
    user = None
    if with_user and status != 401:
        user = optional_web_user(request, request.app.state.services)
    return render(
        request,
        "error.html",
        user=user,
        status_code=status,
        title=_TITLES.get(status, "Có lỗi xảy ra"),
        code=code,
        message=message,
    )


def install_web_error_pages(app: FastAPI) -> None:
    """Wrap the API's handlers: web paths get an HTML page, API paths the JSON body as before."""
    json_app_error = cast(Handler, app.exception_handlers[AppError])
    json_validation = cast(Handler, app.exception_handlers[RequestValidationError])
    json_http = cast(Handler, app.exception_handlers[StarletteHTTPException])
    json_catalog_down = cast(Handler | None, app.exception_handlers.get(OperationalError))

    async def on_app_error(request: Request, exc: AppError) -> Response:
        if wants_json(request):
            return await json_app_error(request, exc)
        await audit_refusal(request, exc)
        return error_page(request, exc.status_code, exc.code, exc.message)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return await json_validation(request, exc)
        if names_nothing(exc):
            return error_page(request, 404, "NOT-FOUND", "Không tìm thấy đối tượng yêu cầu.")
        if (fallback := without_bad_query(request, exc)) is not None:
            return RedirectResponse(fallback, status_code=303)
        return error_page(request, 422, "REQUEST-INVALID", "Dữ liệu gửi lên không hợp lệ; hãy kiểm tra lại.")

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return await json_http(request, exc)
        messages = {404: "Không có trang này.", 405: "Phương thức không được hỗ trợ tại địa chỉ này."}
        return error_page(request, exc.status_code, "HTTP-ERROR", messages.get(exc.status_code, str(exc.detail)))

    async def on_catalog_down(request: Request, exc: OperationalError) -> Response:
        if wants_json(request) and json_catalog_down is not None:
            return await json_catalog_down(request, exc)
        message = "Cơ sở dữ liệu danh mục tạm thời không truy cập được; hãy thử lại sau ít phút."
        return error_page(request, 503, "CATALOG-UNAVAILABLE", message, with_user=False)

    async def on_login_required(_request: Request, exc: LoginRequired) -> Response:
        from urllib.parse import quote

        return RedirectResponse(f"/dang-nhap?next={quote(exc.next_path, safe='/')}", status_code=303)

    app.add_exception_handler(AppError, on_app_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(OperationalError, on_catalog_down)  # type: ignore[arg-type]
    app.add_exception_handler(LoginRequired, on_login_required)  # type: ignore[arg-type]
