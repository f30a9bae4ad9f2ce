"""Pages: the retention schedule (/thoi-han-bao-quan, a group's history and the admin's edit form) and the
reminders (/nhac-viec). Each handler parses, calls one use case of ``archive_service.retention`` and renders."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import RedirectResponse, Response

from archive_service.catalog.models import Role
from archive_service.edge.deps import ClientAddrDep, ServicesDep
from archive_service.errors import AppError
from archive_service.retention import reminders, service
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.templating import render
from schemas.retention import RetentionGroupEdit
from schemas.retention_schedule import CONFIDENCE_LABELS

router = APIRouter(include_in_schema=False)

GroupCode = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[A-Z][A-Z0-9-]+$")]
OfficeCode = Annotated[str | None, Query(max_length=64)]


@router.get("/thoi-han-bao-quan")
def schedule_page(request: Request, services: ServicesDep, user: WebUserDep, don_vi: OfficeCode = None) -> Response:
    """Bảng thời hạn bảo quản đang áp dụng; giá trị đề xuất được đánh dấu."""
    schedule = service.read_schedule(services, user.principal, office_code=don_vi or None)
    return render(request, "retention.html", user=user, section="thoi-han", schedule=schedule)


def _group_page(
    request: Request,
    services: ServicesDep,
    user: WebUser,
    code: str,
    office: str | None,
    *,
    error: str | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    schedule = service.read_schedule(services, user.principal, office_code=office)
    group = next((g for g in schedule.groups if g.code == code), None)
    if group is None:
        raise service.GroupNotFound(code)
    history = service.group_history(services, user.principal, code, office_code=office)
    return render(
        request,
        "retention_group.html",
        user=user,
        section="thoi-han",
        schedule=schedule,
        group=group,
        history=history,
        can_edit=user.principal.role is Role.ADMIN,
        confidences=list(CONFIDENCE_LABELS.items()),
        error=error,
        saved=saved,
        status_code=status_code,
    )


@router.get("/thoi-han-bao-quan/{group_code}")
def group_page(
    request: Request,
    services: ServicesDep,
    user: WebUserDep,
    group_code: GroupCode,
    don_vi: OfficeCode = None,
    da_luu: Annotated[int, Query(ge=0, le=1)] = 0,
) -> Response:
    """Một nhóm: giá trị đang áp dụng, lịch sử các phiên bản, và (quản trị) biểu mẫu sửa."""
    return _group_page(request, services, user, group_code, don_vi or None, saved=bool(da_luu))


@router.post("/thoi-han-bao-quan/{group_code}")
def edit_group(
    request: Request,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    group_code: GroupCode,
    retention: Annotated[str, Form(max_length=32)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    source: Annotated[str, Form(max_length=500)] = "",
    confidence: Annotated[str, Form(max_length=16)] = "",
    office: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Lưu phiên bản mới của một nhóm (quản trị)."""
    user.principal.require_role(Role.ADMIN)
    try:
        data = RetentionGroupEdit.model_validate(
            {
                "retention": retention.strip() or "?",
                "title": title.strip() or None,
                "source": source.strip() or None,
                "confidence": confidence or None,
                "office": office.strip() or None,
            }
        )
        service.edit_group(services, user.principal, group_code, data, addr=addr)
    except AppError as exc:
        return _group_page(
            request, services, user, group_code, office or None, error=exc.message, status_code=exc.status_code
        )
    except ValueError:  # pydantic: a title or source too short, an unknown confidence
        return _group_page(
            request,
            services,
            user,
            group_code,
            office or None,
            error="Tên nhóm cần ít nhất 3 ký tự, căn cứ ít nhất 10 ký tự; độ tin cậy chọn trong danh sách.",
            status_code=422,
        )
    suffix = f"&don_vi={quote(office.strip())}" if office.strip() else ""
    return RedirectResponse(f"/thoi-han-bao-quan/{group_code}?da_luu=1{suffix}", status_code=303)


@router.get("/nhac-viec")
def reminders_page(request: Request, services: ServicesDep, user: WebUserDep, don_vi: OfficeCode = None) -> Response:
    """Nhắc việc: hồ sơ đến hạn, quá hạn nộp lưu, giữ lại quá hạn, hết thời hạn bảo quản."""
    found = reminders.reminders(services, user.principal, office_code=don_vi or None)
    return render(request, "reminders.html", user=user, section="nhac-viec", reminders=found)
