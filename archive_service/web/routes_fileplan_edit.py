"""Pages: change the tree of a danh mục hồ sơ — edit, remove and move its đề mục and rows (NĐ 30/2020 Điều 28).

/danh-muc-ho-so/{id}/dong/{row}/sua (a row's fields, GET form and POST) · …/dong/{row}/xoa ·
…/dong/{row}/di-chuyen · /danh-muc-ho-so/{id}/de-muc/{heading}/sua · …/de-muc/{heading}/xoa ·
…/de-muc/{heading}/di-chuyen. Each calls one use case (``fileplans.service``, ``fileplans.reorder``), which checks
access and audits; a refused value or state — a số và ký hiệu already taken, a row a dossier was opened from, a
đề mục that still holds rows — comes back on the form's page with its message, never as a 500.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.errors import AppError, NotFound
from archive_service.fileplans import reorder, service
from archive_service.services import Services
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.fileplan_forms import RETENTION_CHOICES, EntryForm, FormInvalid, answer, plan_url, valid_form
from archive_service.web.routes_fileplans import plan_view
from archive_service.web.templating import render
from schemas.fileplans import EntryOut, EntryUpdate, FilePlanOut, HeadingOut, HeadingUpdate

router = APIRouter(include_in_schema=False)

_DIRECTIONS: Final[dict[str, reorder.Direction]] = {"len": "up", "xuong": "down"}


def _headings(plan: FilePlanOut) -> list[HeadingOut]:
    return [h for top in plan.headings for h in (top, *top.headings)]


def _entry(plan: FilePlanOut, entry_id: int) -> EntryOut:
    for entry in [*plan.entries, *(e for h in _headings(plan) for e in h.entries)]:
        if entry.id == entry_id:
            return entry
    raise NotFound("FILE-PLAN-ENTRY-NOT-FOUND", f"Danh mục không có hồ sơ (dòng) số {entry_id}.")


def _heading(plan: FilePlanOut, heading_id: int) -> HeadingOut:
    for heading in _headings(plan):
        if heading.id == heading_id:
            return heading
    raise NotFound("FILE-PLAN-HEADING-NOT-FOUND", f"Danh mục không có đề mục số {heading_id}.")


def _heading_choices(plan: FilePlanOut) -> list[tuple[int, str]]:
    """(id, "I. Tổng hợp" or "I.1. Kế hoạch") for the select of a row's đề mục."""
    out: list[tuple[int, str]] = []
    for top in plan.headings:
        out.append((top.id, f"{top.number}. {top.title}"))
        out.extend((sub.id, f"{top.number}.{sub.number}. {sub.title}") for sub in top.headings)
    return out


def _entry_page(
    request: Request,
    services: Services,
    user: WebUser,
    plan_id: int,
    entry_id: int,
    *,
    error: AppError | None = None,
    typed: dict[str, Any] | None = None,
) -> Response:
    plan = service.get_writable_plan(services, user.principal, plan_id)
    entry = _entry(plan, entry_id)
    return render(
        request,
        "fileplan_entry_edit.html",
        user=user,
        section="danh-muc",
        plan=plan,
        entry=entry,
        values=typed if typed is not None else entry.model_dump(),
        headings=_heading_choices(plan),
        retention_choices=RETENTION_CHOICES,
        error=error,
        status_code=error.status_code if error else 200,
    )


def _heading_page(
    request: Request,
    services: Services,
    user: WebUser,
    plan_id: int,
    heading_id: int,
    *,
    error: AppError | None = None,
    typed: str | None = None,
) -> Response:
    plan = service.get_writable_plan(services, user.principal, plan_id)
    heading = _heading(plan, heading_id)
    return render(
        request,
        "fileplan_heading_edit.html",
        user=user,
        section="danh-muc",
        plan=plan,
        heading=heading,
        title_value=heading.title if typed is None else typed,
        error=error,
        status_code=error.status_code if error else 200,
    )


@router.get("/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua")
def entry_form(
    request: Request, plan_id: ObjectId, entry_id: ObjectId, services: ServicesDep, user: WebUserDep
) -> Response:
    """Sửa một dòng: số và ký hiệu, tiêu đề, thời hạn, người lập, ghi chú, loại, đề mục; hoặc xóa dòng."""
    return _entry_page(request, services, user, plan_id, entry_id)


@router.post("/danh-muc-ho-so/{plan_id}/dong/{entry_id}/sua")
def edit_entry(
    request: Request,
    plan_id: ObjectId,
    entry_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    form: Annotated[EntryForm, Depends()],
) -> Response:
    """Lưu dòng đã sửa (số và ký hiệu để trống: giữ nguyên); giá trị bị từ chối hiện lại trên biểu mẫu."""
    values = form.values()
    if form.file_code.strip():
        values["file_code"] = form.file_code.strip()
    typed = {**values, "file_code": form.file_code}
    return answer(
        lambda: service.update_entry(
            services, user.principal, plan_id, entry_id, valid_form(EntryUpdate, values), addr=addr
        ),
        then=plan_url(plan_id, f"dong-{entry_id}"),
        page=lambda exc: _entry_page(request, services, user, plan_id, entry_id, error=exc, typed=typed),
    )


@router.post("/danh-muc-ho-so/{plan_id}/dong/{entry_id}/xoa")
def remove_entry(
    request: Request,
    plan_id: ObjectId,
    entry_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
) -> Response:
    """Xóa dòng khỏi danh mục; dòng đã mở hồ sơ thì không xóa được (lời nhắn hiện trên trang)."""
    return answer(
        lambda: service.remove_entry(services, user.principal, plan_id, entry_id, addr=addr),
        then=plan_url(plan_id),
        page=lambda exc: _entry_page(request, services, user, plan_id, entry_id, error=exc),
    )


@router.post("/danh-muc-ho-so/{plan_id}/dong/{entry_id}/di-chuyen")
def move_entry(
    request: Request,
    plan_id: ObjectId,
    entry_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    huong: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Chuyển dòng lên hoặc xuống một bậc trong đề mục của nó."""
    return answer(
        lambda: reorder.move_entry(
            services, user.principal, plan_id, entry_id, _direction(services, user, plan_id, huong), addr=addr
        ),
        then=plan_url(plan_id, f"dong-{entry_id}"),
        page=partial(plan_view, request, services, user, plan_id),
    )


@router.get("/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua")
def heading_form(
    request: Request, plan_id: ObjectId, heading_id: ObjectId, services: ServicesDep, user: WebUserDep
) -> Response:
    """Sửa tên một đề mục, hoặc xóa đề mục không còn hồ sơ, đề mục nhỏ."""
    return _heading_page(request, services, user, plan_id, heading_id)


@router.post("/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/sua")
def edit_heading(
    request: Request,
    plan_id: ObjectId,
    heading_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    title: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Lưu tên đề mục; tên trống hoặc quá dài hiện lại trên biểu mẫu."""
    return answer(
        lambda: service.update_heading(
            services, user.principal, plan_id, heading_id, valid_form(HeadingUpdate, {"title": title}), addr=addr
        ),
        then=plan_url(plan_id, f"de-muc-{heading_id}"),
        page=lambda exc: _heading_page(request, services, user, plan_id, heading_id, error=exc, typed=title),
    )


@router.post("/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/xoa")
def remove_heading(
    request: Request,
    plan_id: ObjectId,
    heading_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
) -> Response:
    """Xóa đề mục trống; đề mục còn hồ sơ hoặc đề mục nhỏ thì không xóa được (lời nhắn hiện trên trang)."""
    return answer(
        lambda: service.remove_heading(services, user.principal, plan_id, heading_id, addr=addr),
        then=plan_url(plan_id),
        page=lambda exc: _heading_page(request, services, user, plan_id, heading_id, error=exc),
    )


@router.post("/danh-muc-ho-so/{plan_id}/de-muc/{heading_id}/di-chuyen")
def move_heading(
    request: Request,
    plan_id: ObjectId,
    heading_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    huong: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """Chuyển đề mục lên hoặc xuống một bậc giữa các đề mục cùng cấp."""
    return answer(
        lambda: reorder.move_heading(
            services, user.principal, plan_id, heading_id, _direction(services, user, plan_id, huong), addr=addr
        ),
        then=plan_url(plan_id, f"de-muc-{heading_id}"),
        page=partial(plan_view, request, services, user, plan_id),
    )


def _direction(services: Services, user: WebUser, plan_id: int, huong: str) -> reorder.Direction:
    """ "len" (up) or "xuong" (down), the form's two buttons; anything else is 400 — after the caller's access was
    checked, so that who may not change the plan learns nothing more from a bad value."""
    direction = _DIRECTIONS.get(huong)
    if direction is None:
        service.get_writable_plan(services, user.principal, plan_id)
        raise FormInvalid("REQUEST-INVALID", "Biểu mẫu chưa hợp lệ — hướng chuyển phải là “lên” hoặc “xuống”.")
    return direction
