"""What the danh mục hồ sơ's forms share (routes_fileplans, routes_fileplan_edit): reading a form into the use
case's body, the fields of a row, and the one way a form is answered — back to the plan when done, the refusal of a
value or a state on the form's own page, any other refusal (403, 404) as the app's error page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Form
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from archive_service.errors import AppError
from schemas.api import RETENTION_CODES

RETENTION_CHOICES: Final = RETENTION_CODES
# The refusals a form of the plan answers on the page itself: a form value (400, 422) or the plan's state (409).
ON_PAGE: Final = frozenset({400, 409, 422})


class FormInvalid(AppError):
    status_code = 400


def valid_form(model: Any, values: dict[str, Any]) -> Any:
    """The form as the use case's body, or a 400 page naming what is wrong."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        parts = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]]
        raise FormInvalid("REQUEST-INVALID", "Biểu mẫu chưa hợp lệ — " + "; ".join(parts)) from None


def on_page(exc: AppError) -> bool:
    """Whether a refusal is answered on the form's page (a value or a state refused) rather than as an error page
    (403 and 404 stay pages of their own: nothing of the plan is shown to someone who may not change it)."""
    return exc.status_code in ON_PAGE


def plan_url(plan_id: int, anchor: str = "") -> str:
    return f"/danh-muc-ho-so/{plan_id}" + (f"#{anchor}" if anchor else "")


def answer(run: Callable[[], object], *, then: str, page: Callable[[AppError], Response]) -> Response:
    """Run the form's use case: to ``then`` (303) when done; a refusal of a value or a state shown by ``page``
    with its message and status; any other refusal raised to the error page."""
    try:
        run()
    except AppError as exc:
        if not on_page(exc):
            raise
        return page(exc)
    return RedirectResponse(then, status_code=303)


@dataclass
class EntryForm:
    """The fields of a row of the plan (NĐ 30/2020 Phụ lục V.I: số và ký hiệu, tiêu đề, thời hạn bảo quản, người
    lập hồ sơ, ghi chú) with its loại and đề mục, as the add and edit forms send them."""

    title: Annotated[str, Form(max_length=2000)] = ""
    file_code: Annotated[str, Form(max_length=200)] = ""
    retention: Annotated[str, Form(max_length=100)] = ""
    former_name: Annotated[str, Form(max_length=1000)] = ""
    note: Annotated[str, Form(max_length=8000)] = ""
    kind: Annotated[str, Form(max_length=32)] = "cong-viec"
    heading_id: Annotated[str, Form(max_length=32)] = ""

    def values(self) -> dict[str, Any]:
        """The fields but the số và ký hiệu (which the add and edit forms read each their own way)."""
        return {
            "title": self.title,
            "retention": self.retention,
            "former_name": self.former_name.strip() or None,
            "note": self.note.strip() or None,
            "kind": self.kind,
            "heading_id": int(self.heading_id) if self.heading_id.isdigit() else None,
        }
