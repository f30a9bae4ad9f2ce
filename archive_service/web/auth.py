"""Browser sessions on the HTTP side: the cookie, the caller of a web request, where to go after login.

What a session is, and the limits on password guessing, are in ``archive_service.accounts.sessions``; signing
in and out are use cases of ``accounts.service``. Behind a reverse proxy the client address must be the
browser's (uvicorn ``--proxy-headers`` with ``--forwarded-allow-ips``), or every user shares the proxy's
address and its limit.

A user whose password was set by someone else (the first admin, a reset) must choose their own before
any other page opens: ``web_user`` sends them to /doi-mat-khau.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Depends, Request, Response

from archive_service.accounts import service
from archive_service.accounts.sessions import SESSION_LIFETIME
from archive_service.accounts.sessions import WebUser as WebUser  # the type every page handler names
from archive_service.config import Settings
from archive_service.edge.deps import ServicesDep
from archive_service.errors import Forbidden, Unauthorized

SESSION_COOKIE: Final = "archive_session"
SESSION_COOKIE_SECURE: Final = "__Host-archive_session"  # production: Secure, Path=/, no Domain
PASSWORD_PAGE: Final = "/doi-mat-khau"
# What a user who must change their password may still reach.
_PASSWORD_CHANGE_PATHS: Final = frozenset({PASSWORD_PAGE, "/dang-xuat"})


class LoginRequired(Exception):
    """A web page was asked for without a valid session: answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PasswordChangeRequired(LoginRequired):
    """A page was asked for by a user who must first change their password.

    Answered like ``LoginRequired`` (a redirect to the login page with ``next``); the login page sees the
    session and sends the user on to /doi-mat-khau, which returns them to ``next`` once the password is set.
    """


def cookie_name(settings: Settings) -> str:
    return SESSION_COOKIE_SECURE if settings.production else SESSION_COOKIE


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.production,
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.production,
    )


def _from_cookie(request: Request, services: ServicesDep) -> WebUser | None:
    token = request.cookies.get(cookie_name(services.settings))
    if not token:
        return None
    return service.web_user(services, token)


def optional_web_user(request: Request, services: ServicesDep) -> WebUser | None:
    """The logged-in user, or None."""
    return _from_cookie(request, services)


def web_user(request: Request, services: ServicesDep) -> WebUser:
    """The logged-in user of a page; without one the browser is sent to the login page.

    A user who must change their password is sent to /doi-mat-khau first (logging out stays open).
    """
    user = _from_cookie(request, services)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if user is None:
        raise LoginRequired(target)
    if user.must_change_password and request.url.path not in _PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired(target)
    return user


def web_api_user(request: Request, services: ServicesDep) -> WebUser:
    """The logged-in user of a web JSON call; 401 without one, 403 until a required password change."""
    user = _from_cookie(request, services)
    if user is None:
        raise Unauthorized("AUTH-SESSION-REQUIRED", "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.")
    if user.must_change_password:
        raise Forbidden("AUTH-PASSWORD-CHANGE-REQUIRED", "Hãy đổi mật khẩu (trang Đổi mật khẩu) trước khi tiếp tục.")
    return user


OptionalWebUserDep = Annotated[WebUser | None, Depends(optional_web_user)]
WebUserDep = Annotated[WebUser, Depends(web_user)]
WebApiUserDep = Annotated[WebUser, Depends(web_api_user)]


def safe_next(value: str | None) -> str:
    """A same-site path to go to after login (never another site: no scheme, no "//")."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ho-so"


def password_page(next_path: str) -> str:
    """The change-password page, returning to ``next_path`` (a same-site path) afterwards."""
    from urllib.parse import quote

    target = safe_next(next_path)
    if target.startswith(PASSWORD_PAGE):
        return PASSWORD_PAGE
    return f"{PASSWORD_PAGE}?next={quote(target, safe='/')}"
