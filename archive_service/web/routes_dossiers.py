"""Pages: the dossiers (list, create, edit) and one dossier with its documents and findings."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Form, Query, Request
from pydantic import BaseModel, ValidationError
from starlette.responses import RedirectResponse, Response

from archive_service.catalog.dossier_list import DossierCriteria, DossierSort
from archive_service.catalog.models import DossierKind, MeetingBody, Office, Role
from archive_service.documents import service as document_service
from archive_service.dossiers import service as dossier_service
from archive_service.dossiers.document_sort import DocumentSort
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.web import list_params
from archive_service.web.auth import WebUser, WebUserDep
from archive_service.web.bulk_notices import DOCUMENT_SORTS, bulk_notice
from archive_service.web.csrf import FormUserDep
from archive_service.web.dates import parse_optional_date
from archive_service.web.templating import render
from schemas.api import DossierCreate, DossierUpdate

router = APIRouter(include_in_schema=False)

PAGE_SIZE: Final = 25
MEETING_BODIES: Final = frozenset(b.value for b in MeetingBody)
DOSSIER_KINDS: Final = frozenset(k.value for k in DossierKind)
DOSSIER_SORTS: Final = {
    DossierSort.MEETING_NEWEST: "Ngày họp, mới nhất trước",
    DossierSort.MEETING_OLDEST: "Ngày họp, cũ nhất trước",
    DossierSort.TITLE: "Tiêu đề (A–Z)",
    DossierSort.MOST_ERRORS: "Nhiều lỗi nhất trước",
    DossierSort.NEWEST_CREATED: "Mới tạo nhất trước",
}
FIELD_ERRORS: Final = {
    "title": "Nhập tiêu đề hồ sơ (tối đa 500 ký tự).",
    "meeting_body": "Chọn cơ quan họp: Ban Chấp hành, Ban Thường vụ hoặc Thường trực.",
    "meeting_number": "Số phiên họp tối đa 64 ký tự.",
    "meeting_date": "Ngày họp không hợp lệ (ngày/tháng/năm).",
    "retention": "Chọn thời hạn bảo quản.",
    "office_code": "Mã đơn vị không hợp lệ.",
    "kind": "Chọn loại hồ sơ: hồ sơ hội nghị (chọn cơ quan họp) hoặc hồ sơ công việc (không có cơ quan họp).",
    "file_code": "Số và ký hiệu hồ sơ tối đa 64 ký tự.",
    "former_name": "Người lập hồ sơ tối đa 255 ký tự.",
    "start_date": "Ngày bắt đầu không hợp lệ (ngày/tháng/năm).",
    "end_date": "Ngày kết thúc không hợp lệ, hoặc trước ngày bắt đầu.",
    "medium": "Chọn vật mang tin.",
    "page_total": "Số tờ/số trang là số nguyên từ 0.",
    "description": "Chú giải tối đa 4000 ký tự.",
    "usage_mode": "Chế độ sử dụng tối đa 64 ký tự.",
}


def _can_write(user: WebUser) -> bool:
    return user.principal.role in {Role.ADMIN, Role.ARCHIVIST}


@router.get("/ho-so")
def list_page(
    request: Request,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    q: Annotated[str, Query(max_length=500)] = "",
    don_vi: str | None = None,
    nam: str | None = None,
    co_quan: str | None = None,
    loai: str | None = None,
    loi: str | None = None,
    sap_xep: str | None = None,
    trang: str | None = None,
) -> Response:
    """Danh sách hồ sơ hội nghị: tìm theo tiêu đề, lọc, sắp xếp, số lỗi của từng hồ sơ.

    Every value is read leniently: one that is not valid falls back to its default (no filter, first page).
    """
    criteria = DossierCriteria(
        text=q.strip(),
        office_code=(don_vi or "").strip().upper()[:64] or None,
        year=list_params.year(nam),
        meeting_body=list_params.one_of(co_quan, MEETING_BODIES),
        kind=list_params.one_of(loai, DOSSIER_KINDS),
        with_errors=loi == "co",
        sort=list_params.choice(DossierSort, sap_xep, DossierSort.MEETING_NEWEST),
    )
    page = list_params.page_number(trang)
    listing = dossier_service.list_dossiers(
        services,
        user.principal,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        addr=addr,
        via="web",
        criteria=criteria,
    )
    params = {
        "q": criteria.text,
        "don_vi": criteria.office_code,
        "nam": criteria.year,
        "co_quan": criteria.meeting_body,
        "loai": criteria.kind,
        "loi": "co" if criteria.with_errors else None,
        "sap_xep": None if criteria.sort is DossierSort.MEETING_NEWEST else criteria.sort.value,
    }
    return render(
        request,
        "dossiers.html",
        user=user,
        section="ho-so",
        items=listing.items,
        total=listing.total,
        page=page,
        pages=max(1, -(-listing.total // PAGE_SIZE)),
        office_names=listing.office_names,
        counts=listing.counts,
        years=listing.years,
        offices=listing.offices,
        criteria=criteria,
        params=params,
        filtered=any(v for k, v in params.items() if k != "sap_xep"),
        sorts=DOSSIER_SORTS,
        can_write=_can_write(user),
    )


def _iso_or_as_typed(text: str) -> str | None:
    """A readable ngày/tháng/năm as ISO for the model; anything else as typed, for the model to refuse."""
    try:
        parsed = parse_optional_date(text)
    except ValueError:
        return text
    return parsed.isoformat() if parsed else None


def _form_values(
    title: str, meeting_body: str, meeting_number: str, meeting_date: str, retention: str, fields: DossierFields
) -> dict[str, Any]:
    work = fields.kind == "cong-viec"
    return {
        "title": title.strip(),
        "kind": fields.kind or "hoi-nghi",
        # A work dossier has no meeting: its meeting fields are dropped whatever the hidden inputs hold.
        "meeting_body": None if work else (meeting_body or None),
        "meeting_number": None if work else (meeting_number.strip() or None),
        "meeting_date": None if work else _iso_or_as_typed(meeting_date),
        "retention": retention or "vinh-vien",
        "file_code": fields.file_code.strip() or None,
        "former_name": fields.former_name.strip() or None,
        "start_date": _iso_or_as_typed(fields.start_date),
        "end_date": _iso_or_as_typed(fields.end_date),
        "medium": fields.medium or "dien-tu",
        "page_total": int(fields.page_total)
        if fields.page_total.strip().isdigit()
        else (fields.page_total.strip() or None),
        "description": fields.description.strip() or None,
        "usage_mode": fields.usage_mode.strip() or None,
    }


class DossierFields(BaseModel):
    """The form's NĐ 30 fields (kind, số và ký hiệu, người lập, dates, medium, pages, description, chế độ sử dụng)."""

    kind: str = "hoi-nghi"
    file_code: str = ""
    former_name: str = ""
    start_date: str = ""
    end_date: str = ""
    medium: str = "dien-tu"
    page_total: str = ""
    description: str = ""
    usage_mode: str = ""


DossierFieldsForm = Annotated[DossierFields, Form()]


def _whole_form_field(message: str) -> str:
    """The field a rule over the whole form (schemas.api.check_dossier_shape) names, to put its error beside."""
    if "end_date" in message:
        return "end_date"
    return "meeting_body" if "hồ sơ hội nghị" in message else "kind"


def _errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else _whole_form_field(str(err.get("msg", "")))
        out[name] = FIELD_ERRORS.get(name, "Giá trị không hợp lệ.")
    return out


def _form_page(
    request: Request,
    user: WebUser,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    dossier_id: int | None,
    offices: list[Office],
    status_code: int = 200,
    dossier_title: str = "",
) -> Response:
    return render(
        request,
        "dossier_form.html",
        user=user,
        section="ho-so",
        values=values,
        errors=errors,
        dossier_id=dossier_id,
        dossier_title=dossier_title,
        offices=offices,
        status_code=status_code,
    )


@router.get("/ho-so/moi")
def create_form(request: Request, services: ServicesDep, user: WebUserDep) -> Response:
    """Biểu mẫu tạo hồ sơ."""
    offices = dossier_service.offices_for_new(services, user.principal)
    values = {"kind": "hoi-nghi", "meeting_body": "BTV", "retention": "vinh-vien", "office_code": user.office_code}
    return _form_page(request, user, values=values, errors={}, dossier_id=None, offices=offices)


@router.post("/ho-so/moi")
def create(
    request: Request,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    title: Annotated[str, Form()] = "",
    meeting_body: Annotated[str, Form()] = "",
    meeting_number: Annotated[str, Form()] = "",
    meeting_date: Annotated[str, Form()] = "",
    retention: Annotated[str, Form()] = "",
    office_code: Annotated[str, Form()] = "",
    fields: DossierFieldsForm = DossierFields(),
) -> Response:
    """Tạo hồ sơ; lỗi nhập liệu hiện ngay trên biểu mẫu."""
    user.principal.require_role(Role.ADMIN, Role.ARCHIVIST)
    values = _form_values(title, meeting_body, meeting_number, meeting_date, retention, fields)
    if user.principal.role is Role.ADMIN and office_code:
        values["office_code"] = office_code
    try:
        data = DossierCreate.model_validate(values)
    except ValidationError as exc:
        return _form_page(
            request,
            user,
            values=values,
            errors=_errors(exc),
            dossier_id=None,
            offices=dossier_service.offices_for_new(services, user.principal),
            status_code=400,
        )
    dossier = dossier_service.create(services, user.principal, data, addr=addr)
    return RedirectResponse(f"/ho-so/{dossier.id}", status_code=303)


@router.get("/ho-so/{dossier_id}/sua")
def edit_form(request: Request, dossier_id: ObjectId, services: ServicesDep, user: WebUserDep) -> Response:
    """Biểu mẫu sửa thông tin hồ sơ."""
    dossier = dossier_service.for_edit(services, user.principal, dossier_id)
    values = {
        "title": dossier.title,
        "kind": dossier.kind,
        "meeting_body": dossier.meeting_body,
        "meeting_number": dossier.meeting_number,
        "meeting_date": dossier.meeting_date.isoformat() if dossier.meeting_date else "",
        "retention": dossier.retention,
        "file_code": dossier.file_code,
        "former_name": dossier.former_name,
        "start_date": dossier.start_date.isoformat() if dossier.start_date else "",
        "end_date": dossier.end_date.isoformat() if dossier.end_date else "",
        "medium": dossier.medium,
        "page_total": dossier.page_total,
        "description": dossier.description,
        "usage_mode": dossier.usage_mode,
    }
    return _form_page(
        request, user, values=values, errors={}, dossier_id=dossier_id, offices=[], dossier_title=dossier.title
    )


@router.post("/ho-so/{dossier_id}/sua")
def edit(
    request: Request,
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    title: Annotated[str, Form()] = "",
    meeting_body: Annotated[str, Form()] = "",
    meeting_number: Annotated[str, Form()] = "",
    meeting_date: Annotated[str, Form()] = "",
    retention: Annotated[str, Form()] = "",
    fields: DossierFieldsForm = DossierFields(),
) -> Response:
    """Lưu thông tin hồ sơ đã sửa."""
    values = _form_values(title, meeting_body, meeting_number, meeting_date, retention, fields)
    try:
        data = DossierUpdate.model_validate(values)
    except ValidationError as exc:
        return _form_page(
            request,
            user,
            values=values,
            errors=_errors(exc),
            dossier_id=dossier_id,
            offices=[],
            status_code=400,
            dossier_title=dossier_service.for_edit(services, user.principal, dossier_id).title,
        )
    dossier_service.update(services, user.principal, dossier_id, data, addr=addr)
    return RedirectResponse(f"/ho-so/{dossier_id}", status_code=303)


@router.get("/ho-so/{dossier_id}")
def dossier_page(
    request: Request,
    dossier_id: ObjectId,
    services: ServicesDep,
    user: WebUserDep,
    addr: ClientAddrDep,
    sap_xep: str | None = None,
    thong_bao: str | None = None,
    so: str | None = None,
) -> Response:
    """Một hồ sơ: các văn bản (sắp xếp, chọn nhiều), trạng thái kiểm tra, và các phát hiện về thành phần hồ sơ."""
    sort = list_params.choice(DocumentSort, sap_xep, DocumentSort.UPLOADED)
    page = dossier_service.page(services, user.principal, dossier_id, addr=addr, via="web", sort=sort)
    return render(
        request,
        "dossier.html",
        user=user,
        section="ho-so",
        dossier=page.dossier,
        office_name=page.office_name,
        docs=page.documents,
        total=page.total,
        counts=page.counts,
        own_findings=page.findings,
        grouped=page.grouped,
        superseded=page.superseded,
        move_targets=page.move_targets,
        cleared_for_whole=page.cleared,
        can_write=user.principal.can_write_office(page.dossier.office_id),
        sort=sort,
        sorts=DOCUMENT_SORTS,
        notice=bulk_notice(thong_bao, so),
    )


@router.get("/ho-so/{dossier_id}/tai-len")
def upload_page(
    request: Request,
    dossier_id: ObjectId,
    services: ServicesDep,
    user: WebUserDep,
    thay_cho: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
) -> Response:
    """Tải nhiều tệp vào hồ sơ (hoặc bản sửa của một văn bản), xem tiến độ và kết quả từng tệp."""
    target = document_service.upload_target(services, user.principal, dossier_id, version_of=thay_cho)
    return render(
        request,
        "upload.html",
        user=user,
        section="ho-so",
        dossier=target.dossier,
        replaces=target.replaces,
        max_mb=services.settings.max_upload_mb,
        max_files=services.settings.max_files_per_upload,
    )
