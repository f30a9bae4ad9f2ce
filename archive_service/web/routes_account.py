"""/doi-mat-khau: any logged-in user changes their own password (and must, after an admin has set it).

A wrong current password counts as a failed login of that user from that address (the same limits as the
login form), so a session left open on a shared computer cannot be used to guess the password.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from archive_service.accounts import service
from archive_service.accounts.validation import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from archive_service.edge.deps import ClientAddrDep, ServicesDep
from archive_service.errors import AppError
from archive_service.web.auth import PASSWORD_PAGE, WebUser, WebUserDep, safe_next
from archive_service.web.csrf import FormUserDep
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)

# Which field an error code is about, for aria-invalid on the form.
_FIELD_OF: Final = {
    "PASSWORD-WRONG": "current_password",
    "PASSWORD-LOCKED": "current_password",
    "PASSWORD-MISMATCH": "new_password_repeat",
}


def _after(next_path: str | None) -> str:
    target = safe_next(next_path)
    return "/ho-so" if target.startswith(PASSWORD_PAGE) else target


def _form(
    request: Request, user: WebUser, *, next_path: str, error: str | None = None, code: str = "", status_code: int = 200
) -> Response:
    return render(
        request,
        "password.html",
        user=user,
        next_path=next_path,
        error=error,
        error_field=_FIELD_OF.get(code, "new_password") if error else None,
        min_length=MIN_PASSWORD_LENGTH,
        status_code=status_code,
    )


@router.get(PASSWORD_PAGE)
def password_form(
    request: Request, user: WebUserDep, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """Biểu mẫu đổi mật khẩu."""
    return _form(request, user, next_path=_after(next_path))


@router.post(PASSWORD_PAGE)
def change_password(
    request: Request,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    current_password: Annotated[str, Form(max_length=MAX_PASSWORD_LENGTH)] = "",
    new_password: Annotated[str, Form(max_length=4 * MAX_PASSWORD_LENGTH)] = "",
    new_password_repeat: Annotated[str, Form(max_length=4 * MAX_PASSWORD_LENGTH)] = "",
    next_path: Annotated[str, Form(alias="next")] = "/ho-so",
) -> Response:
    """Đổi mật khẩu: kiểm tra mật khẩu hiện tại, đặt mật khẩu mới, đóng các phiên khác."""
    target = _after(next_path)
    try:
        service.change_own_password(
            services,
            user.principal,
            current=current_password,
            new=new_password,
            repeat=new_password_repeat,
            keep_session_id=user.session_id,
            addr=addr,
            via="web",
        )
    except AppError as exc:
        return _form(request, user, next_path=target, error=exc.message, code=exc.code, status_code=exc.status_code)
    return RedirectResponse(target, status_code=303)
