"""CSRF protection: every state-changing request carries its session's token (form field or header).

Login has no session yet, so its form uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Final

from fastapi import Depends, Form, Request, Response

from archive_service.config import Settings
from archive_service.errors import Forbidden
from archive_service.web.auth import WebApiUserDep, WebUser, WebUserDep

FORM_FIELD: Final = "csrf_token"
HEADER: Final = "X-CSRF-Token"
LOGIN_COOKIE: Final = "archive_login_csrf"


class CsrfRejected(Forbidden):
    pass


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def _reject() -> CsrfRejected:
    return CsrfRejected(
        "CSRF-INVALID",
        "Phiên làm việc của biểu mẫu không hợp lệ hoặc đã hết hạn; hãy tải lại trang và thử lại.",
    )


def form_csrf(user: WebUserDep, csrf_token: Annotated[str, Form()] = "") -> WebUser:
    """The web user of a POSTed form whose CSRF token matches the session's."""
    if not tokens_match(user.csrf_token, csrf_token):
        raise _reject()
    return user


def header_csrf(request: Request, user: WebApiUserDep) -> WebUser:
    """The web user of a script call (upload) whose X-CSRF-Token header matches the session's."""
    if not tokens_match(user.csrf_token, request.headers.get(HEADER)):
        raise _reject()
    return user


FormUserDep = Annotated[WebUser, Depends(form_csrf)]
HeaderUserDep = Annotated[WebUser, Depends(header_csrf)]


def new_login_token() -> str:
    """A fresh double-submit token for the login form."""
    return secrets.token_urlsafe(32)


def set_login_cookie(response: Response, settings: Settings, token: str) -> None:
    """The login form's token, also set as a short-lived cookie the form must match."""
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=settings.production,
        path="/dang-nhap",
    )


def check_login_token(request: Request, given: str) -> None:
    if not tokens_match(request.cookies.get(LOGIN_COOKIE, ""), given):
        raise _reject()
