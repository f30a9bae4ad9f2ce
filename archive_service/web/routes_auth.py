"""Log in and log out; a user who must change their password is sent to /doi-mat-khau first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from archive_service.accounts.validation import fold_username
from archive_service.api.deps import ClientAddrDep, ServicesDep
from archive_service.catalog import accounts, audit
from archive_service.catalog.db import transaction
from archive_service.web import auth
from archive_service.web.auth import LoginLock, OptionalWebUserDep, password_page, safe_next
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


def _lock_message(lock: LoginLock) -> str:
    minutes = lock.minutes_left()
    if lock.scope == "client":
        return f"Có quá nhiều lần đăng nhập sai từ máy này; hãy thử lại sau {minutes} phút."
    return f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút."


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
    name = fold_username(username)
    with transaction(services.factory) as session:
        lock = auth.login_lock(session, username=name, client_addr=addr)
        user = None if lock else auth.check_password(session, username=name, password=password)
        if user is None:
            audit.record(  # a refusal during a lock is recorded apart: it does not make the lock longer
                session,
                principal=None,
                action=auth.LOGIN_LOCKED if lock else auth.LOGIN_FAILED,
                object_type="user",
                object_id=name or None,
                client_addr=addr,
                details={"lock": lock.scope} if lock else None,
            )
            token = None
        else:
            token = auth.start_session(session, user=user)
            audit.record(
                session,
                principal=accounts.principal_of(user),
                action="auth.login",
                object_type="user",
                object_id=user.id,
                client_addr=addr,
                office_id=user.office_id,
            )
        must_change = user is not None and user.must_change_password
    if lock is not None:
        return _login_page(
            request,
            services,
            next_path=safe_next(next_path),
            error=_lock_message(lock),
            username=username,
            status_code=429,
        )
    if token is None:
        return _login_page(
            request,
            services,
            next_path=safe_next(next_path),
            error="Tên đăng nhập hoặc mật khẩu không đúng.",
            username=username,
            status_code=400,
        )
    target = password_page(safe_next(next_path)) if must_change else safe_next(next_path)
    response = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(response, services.settings, token)
    response.delete_cookie(LOGIN_COOKIE, path="/dang-nhap")
    return response


@router.post("/dang-xuat")
def logout(user: FormUserDep, services: ServicesDep, addr: ClientAddrDep) -> Response:
    """Đóng phiên làm việc."""
    with transaction(services.factory) as session:
        auth.end_session(session, session_id=user.session_id)
        audit.record(
            session,
            principal=user.principal,
            action="auth.logout",
            object_type="user",
            object_id=user.principal.user_id,
            client_addr=addr,
            office_id=user.principal.office_id,
        )
    response = RedirectResponse("/dang-nhap", status_code=303)
    auth.clear_session_cookie(response, services.settings)
    return response
