"""/api/v1/file-plans: the danh mục hồ sơ of an office and year (NĐ 30/2020 Điều 28–29, Phụ lục V.I).

Build it whole (POST with its ``headings`` tree: an import) or row by row, approve it (admins), export it
(``/export?format=pdf|docx|xlsx``), open a dossier from a row (``/entries/{entry_id}/open``). A dossier outside
the plan: ``POST /api/v1/dossiers/ad-hoc`` with the five fields of Điều 29.1.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep, file_response
from archive_service.fileplans import service
from archive_service.fileplans.service import ExportFormat
from schemas.api import DossierOut, ErrorBody
from schemas.fileplans import (
    AdHocDossier,
    EntryCreate,
    EntryUpdate,
    FilePlanApprove,
    FilePlanCreate,
    FilePlanList,
    FilePlanOut,
    FilePlanUpdate,
    HeadingCreate,
    HeadingUpdate,
    OpenFromEntry,
)

router = APIRouter(tags=["file-plans"])
PREFIX = "/api/v1/file-plans"

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Không có quyền với danh mục của đơn vị này"},
    404: {"model": ErrorBody, "description": "Không tìm thấy danh mục, đề mục hoặc dòng"},
    409: {"model": ErrorBody, "description": "Trùng năm, trùng số và ký hiệu, dòng đã mở hồ sơ, đã phê duyệt"},
    422: {"model": ErrorBody, "description": "Thông tin không hợp lệ"},
}


@router.post(PREFIX, status_code=201, response_model=FilePlanOut, responses=_ERRORS)
def create_plan(
    data: FilePlanCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Lập danh mục hồ sơ năm của đơn vị, trống hoặc cả cây đề mục và hồ sơ (nhập một lần)."""
    return service.create_plan(services, principal, data, addr=addr)


@router.get(PREFIX, response_model=FilePlanList, responses=_ERRORS)
def list_plans(
    services: ServicesDep, principal: PrincipalDep, year: Annotated[int | None, Query(ge=1900, le=2200)] = None
) -> FilePlanList:
    """Các danh mục hồ sơ người dùng được xem, năm mới nhất trước."""
    return FilePlanList(items=service.list_plans(services, principal, year=year))


@router.get(PREFIX + "/{plan_id}", response_model=FilePlanOut, responses=_ERRORS)
def get_plan(plan_id: ObjectId, services: ServicesDep, principal: PrincipalDep) -> FilePlanOut:
    """Một danh mục: cây đề mục, các hồ sơ, số lượng, hồ sơ đã mở từ từng dòng."""
    return service.get_plan(services, principal, plan_id)


@router.patch(PREFIX + "/{plan_id}", response_model=FilePlanOut, responses=_ERRORS)
def update_plan(
    plan_id: ObjectId, data: FilePlanUpdate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Sửa tên danh mục hoặc cách đánh số hồ sơ."""
    return service.update_plan(services, principal, plan_id, data, addr=addr)


@router.post(PREFIX + "/{plan_id}/headings", status_code=201, response_model=FilePlanOut, responses=_ERRORS)
def add_heading(
    plan_id: ObjectId, data: HeadingCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Thêm đề mục lớn, hoặc đề mục nhỏ (parent_id) dưới một đề mục lớn."""
    return service.add_heading(services, principal, plan_id, data, addr=addr)


@router.patch(PREFIX + "/{plan_id}/headings/{heading_id}", response_model=FilePlanOut, responses=_ERRORS)
def update_heading(
    plan_id: ObjectId,
    heading_id: ObjectId,
    data: HeadingUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> FilePlanOut:
    """Đổi tên hoặc thứ tự một đề mục."""
    return service.update_heading(services, principal, plan_id, heading_id, data, addr=addr)


@router.delete(PREFIX + "/{plan_id}/headings/{heading_id}", response_model=FilePlanOut, responses=_ERRORS)
def remove_heading(
    plan_id: ObjectId, heading_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Xóa một đề mục trống."""
    return service.remove_heading(services, principal, plan_id, heading_id, addr=addr)


@router.post(PREFIX + "/{plan_id}/entries", status_code=201, response_model=FilePlanOut, responses=_ERRORS)
def add_entry(
    plan_id: ObjectId, data: EntryCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Thêm một hồ sơ vào danh mục (cả khi danh mục đã được phê duyệt)."""
    return service.add_entry(services, principal, plan_id, data, addr=addr)


@router.patch(PREFIX + "/{plan_id}/entries/{entry_id}", response_model=FilePlanOut, responses=_ERRORS)
def update_entry(
    plan_id: ObjectId,
    entry_id: ObjectId,
    data: EntryUpdate,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> FilePlanOut:
    """Sửa, chuyển đề mục hoặc đổi thứ tự một hồ sơ của danh mục."""
    return service.update_entry(services, principal, plan_id, entry_id, data, addr=addr)


@router.delete(PREFIX + "/{plan_id}/entries/{entry_id}", response_model=FilePlanOut, responses=_ERRORS)
def remove_entry(
    plan_id: ObjectId, entry_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Xóa một hồ sơ chưa được mở khỏi danh mục."""
    return service.remove_entry(services, principal, plan_id, entry_id, addr=addr)


@router.post(PREFIX + "/{plan_id}/approve", response_model=FilePlanOut, responses=_ERRORS)
def approve(
    plan_id: ObjectId, data: FilePlanApprove, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FilePlanOut:
    """Ghi nhận quyết định phê duyệt danh mục của người đứng đầu cơ quan (chỉ quản trị)."""
    return service.approve(services, principal, plan_id, data, addr=addr)


@router.get(
    PREFIX + "/{plan_id}/export",
    responses={**_ERRORS, 200: {"content": {t: {} for t in service.MEDIA_TYPES.values()}}},
    response_class=Response,
)
def export(
    plan_id: ObjectId,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
    format: Annotated[ExportFormat, Query(description="pdf | docx | xlsx")] = "pdf",  # noqa: A002
) -> Response:
    """Tải danh mục hồ sơ theo mẫu Phụ lục V.I Nghị định 30/2020 (PDF, DOCX hoặc XLSX)."""
    return file_response(service.export(services, principal, plan_id, format, addr=addr))


@router.post(
    PREFIX + "/{plan_id}/entries/{entry_id}/open", status_code=201, response_model=DossierOut, responses=_ERRORS
)
def open_from_entry(
    plan_id: ObjectId,
    entry_id: ObjectId,
    data: OpenFromEntry,
    services: ServicesDep,
    principal: PrincipalDep,
    addr: ClientAddrDep,
) -> DossierOut:
    """Mở hồ sơ từ một dòng của danh mục (mỗi dòng một hồ sơ trong năm)."""
    return service.open_from_entry(services, principal, plan_id, entry_id, data, addr=addr)


@router.post("/api/v1/dossiers/ad-hoc", status_code=201, response_model=DossierOut, responses=_ERRORS)
def open_ad_hoc(data: AdHocDossier, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> DossierOut:
    """Lập hồ sơ ngoài danh mục với đủ năm thông tin của Điều 29.1 Nghị định 30/2020."""
    return service.open_ad_hoc(services, principal, data, addr=addr)
