"""Log in and log out; a user who must change their password is sent to /doi-mat-khau first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from archive_service.accounts import service
from archive_service.edge.deps import ClientAddrDep, ServicesDep
from archive_service.web import auth
from archive_service.web.auth import OptionalWebUserDep, password_page, safe_next
from archive_service.web.csrf import (
    LOGIN_COOKIE,
    FormUserDep,
    check_login_token,
    new_login_token,
    set_login_cookie,
)
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(user: OptionalWebUserDep) -> RedirectResponse:
    return RedirectResponse("/ho-so" if user else "/dang-nhap", status_code=303)


def _login_page(
    request: Request,
    services: ServicesDep,
    *,
    next_path: str,
    error: str | None = None,
    username: str = "",
    status_code: int = 200,
) -> Response:
    token = new_login_token()
    response = render(
        request,
        "login.html",
        user=None,
        next_path=next_path,
        error=error,
        username=username,
        login_token=token,
        status_code=status_code,
    )
    set_login_cookie(response, services.settings, token)
    return response


@router.get("/dang-nhap")
def login_form(
    request: Request,
    services: ServicesDep,
    user: OptionalWebUserDep,
    next_path: Annotated[str | None, Query(alias="next")] = None,
) -> Response:
    """Trang đăng nhập."""
    if user is not None:
        target = password_page(safe_next(next_path)) if user.must_change_password else safe_next(next_path)
        return RedirectResponse(target, status_code=303)
    return _login_page(request, services, next_path=safe_next(next_path))


@router.post("/dang-nhap")
def login(
    request: Request,
    services: ServicesDep,
    addr: ClientAddrDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "/ho-so",
) -> Response:
    """Kiểm tra tên đăng nhập và mật khẩu, mở phiên làm việc."""
    check_login_token(request, csrf_token)
    try:
        opened = service.sign_in(services, username=username, password=password, addr=addr)
    except (service.LoginLocked, service.LoginFailed) as exc:
        return _login_page(
            request,
            services,
            next_path=safe_next(next_path),
            error=exc.message,
            username=username,
            status_code=exc.status_code,
        )
    target = password_page(safe_next(next_path)) if opened.must_change_password else safe_next(next_path)
    response = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(response, services.settings, opened.cookie)
    response.delete_cookie(LOGIN_COOKIE, path="/dang-nhap")
    return response


@router.post("/dang-xuat")
def logout(user: FormUserDep, services: ServicesDep, addr: ClientAddrDep) -> Response:
    """Đóng phiên làm việc."""
    service.sign_out(services, user, addr=addr)
    response = RedirectResponse("/dang-nhap", status_code=303)
    auth.clear_session_cookie(response, services.settings)
    return response
