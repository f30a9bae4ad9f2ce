"""Pages: the danh mục hồ sơ (file plans) by year, one plan's tree with its forms, its exports.

/danh-muc-ho-so (list, create) · /danh-muc-ho-so/{id} (tree, counts, add đề mục and hồ sơ, approve for admins,
"Mở hồ sơ" on each row) · /danh-muc-ho-so/{id}.pdf|docx|xlsx. Every action calls a use case of
``archive_service.fileplans.service``; a refused value or state (400, 409, 422) is shown on the plan's page with
its Vietnamese message, a refused access (403, 404) is the app's error page. Editing, removing and moving đề mục
and rows: ``routes_fileplan_edit``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from archive_service.catalog.models import Role
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep, file_response
from archive_service.errors import AppError
from archive_service.fileplans import service
from archive_service.services import Services
from archive_service.web import list_params
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.dates import parse_optional_date
from archive_service.web.fileplan_forms import (
    RETENTION_CHOICES,
    EntryForm,
    answer,
    on_page,
    plan_url,
    valid_form,
)
from archive_service.web.templating import render
from schemas.fileplans import EntryCreate, FilePlanApprove, FilePlanCreate, HeadingCreate, OpenFromEntry

router = APIRouter(include_in_schema=False)


@router.get("/danh-muc-ho-so")
def plans_page(request: Request, services: ServicesDep, user: WebUserDep, nam: str | None = None) -> Response:
    """Các danh mục hồ sơ theo năm; văn thư, quản trị lập danh mục mới."""
    year = list_params.year(nam)
    plans = service.list_plans(services, user.principal, year=year)
    return render(
        request,
        "fileplans.html",
        user=user,
        section="danh-muc",
        plans=plans,
        year=year,
        this_year=datetime.now(UTC).year,
        can_write=user.principal.role in {Role.ADMIN, Role.ARCHIVIST},
    )


@router.post("/danh-muc-ho-so")
def create_plan(
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    year: Annotated[str, Form()] = "",
    numbering: Annotated[str, Form()] = "plan",
    title: Annotated[str, Form()] = "",
) -> Response:
    """Lập danh mục hồ sơ năm của đơn vị."""
    values = {"year": int(year) if year.strip().isdigit() else year, "numbering": numbering, "title": title or None}
    plan = service.create_plan(services, user.principal, valid_form(FilePlanCreate, values), addr=addr)
    return RedirectResponse(plan_url(plan.id), status_code=303)


@router.get("/danh-muc-ho-so/{plan_id}.{fmt}")
def plan_file(
    plan_id: ObjectId, fmt: Literal["pdf", "docx", "xlsx"], services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Tải danh mục theo mẫu Phụ lục V.I Nghị định 30/2020."""
    return file_response(service.export(services, user.principal, plan_id, fmt, addr=addr))


def plan_view(
    request: Request, services: Services, user: WebUser, plan_id: int, error: AppError | None = None
) -> Response:
    """The plan's page; with ``error``, the refusal of one of its forms shown above the tree, in its status."""
    plan = service.get_plan(services, user.principal, plan_id)
    return render(
        request,
        "fileplan.html",
        user=user,
        section="danh-muc",
        plan=plan,
        can_write=service.can_change(services, user.principal, plan_id),
        can_approve=user.principal.role is Role.ADMIN and not plan.approved,
        retention_choices=RETENTION_CHOICES,
        error=error,
        status_code=error.status_code if error else 200,
    )


@router.get("/danh-muc-ho-so/{plan_id}")
def plan_page(request: Request, plan_id: ObjectId, services: ServicesDep, user: WebUserDep) -> Response:
    """Một danh mục: cây đề mục, các hồ sơ và hồ sơ đã mở, số lượng, biểu mẫu thêm, sửa, phê duyệt, tải về."""
    return plan_view(request, services, user, plan_id)


@router.post("/danh-muc-ho-so/{plan_id}/de-muc")
def add_heading(
    request: Request,
    plan_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    title: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    """Thêm đề mục lớn, hoặc đề mục nhỏ dưới một đề mục lớn."""
    values = {"title": title, "parent_id": int(parent_id) if parent_id.isdigit() else None}
    return answer(
        lambda: service.add_heading(services, user.principal, plan_id, valid_form(HeadingCreate, values), addr=addr),
        then=plan_url(plan_id),
        page=partial(plan_view, request, services, user, plan_id),
    )


@router.post("/danh-muc-ho-so/{plan_id}/ho-so")
def add_entry(
    request: Request,
    plan_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    form: Annotated[EntryForm, Depends()],
) -> Response:
    """Thêm một hồ sơ vào danh mục (số và ký hiệu để trống: đánh số tiếp theo)."""
    values = {**form.values(), "file_code": form.file_code.strip() or None}
    return answer(
        lambda: service.add_entry(services, user.principal, plan_id, valid_form(EntryCreate, values), addr=addr),
        then=plan_url(plan_id),
        page=partial(plan_view, request, services, user, plan_id),
    )


@router.post("/danh-muc-ho-so/{plan_id}/phe-duyet")
def approve(
    request: Request,
    plan_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    decision_number: Annotated[str, Form()] = "",
    decision_date: Annotated[str, Form()] = "",
    approver_name: Annotated[str, Form()] = "",
) -> Response:
    """Ghi nhận quyết định phê duyệt danh mục (quản trị)."""
    try:
        day = parse_optional_date(decision_date)
    except ValueError:
        day = None
    values = {"decision_number": decision_number, "decision_date": day, "approver_name": approver_name}
    return answer(
        lambda: service.approve(services, user.principal, plan_id, valid_form(FilePlanApprove, values), addr=addr),
        then=plan_url(plan_id),
        page=partial(plan_view, request, services, user, plan_id),
    )


@router.post("/danh-muc-ho-so/{plan_id}/dong/{entry_id}/mo-ho-so")
def open_dossier(
    request: Request,
    plan_id: ObjectId,
    entry_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    meeting_body: Annotated[str, Form()] = "",
) -> Response:
    """Mở hồ sơ từ một dòng của danh mục, rồi đến trang hồ sơ đó."""
    values = {"meeting_body": meeting_body or None}
    try:
        dossier = service.open_from_entry(
            services, user.principal, plan_id, entry_id, valid_form(OpenFromEntry, values), addr=addr
        )
    except AppError as exc:
        if not on_page(exc):
            raise
        return plan_view(request, services, user, plan_id, exc)
    return RedirectResponse(f"/ho-so/{dossier.id}", status_code=303)
