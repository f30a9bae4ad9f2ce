"""/api/v1/appraisals: dossiers past retention, appraisal (xác định giá trị), the council, the decision, destruction.

Every route parses, calls one use case of ``archive_service.appraisals`` and renders; the use cases check access
(another office's appraisal is 404, a role that may not act 403), refuse illegal steps (409) and audit.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from archive_service.appraisals import destruction, service
from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from schemas.api import ErrorBody
from schemas.appraisals import (
    AppraisalCreate,
    AppraisalDossierOut,
    AppraisalOut,
    CouncilIn,
    DecisionIn,
    DestroyIn,
    DestructionOut,
    ExpiredList,
    ExpiredOut,
    RecordFileOut,
)

router = APIRouter(prefix="/api/v1/appraisals", tags=["appraisals"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Vai trò hoặc đơn vị không được thực hiện"},
    404: {"model": ErrorBody, "description": "Không tìm thấy đợt xác định giá trị hoặc hồ sơ"},
    409: {"model": ErrorBody, "description": "Bước không hợp lệ, hồ sơ chưa hết hạn, đang đóng băng hoặc bị khóa"},
    422: {"model": ErrorBody, "description": "Thiếu thông tin hoặc số quyết định gõ lại không khớp"},
}


def appraisal_out(view: service.AppraisalView) -> AppraisalOut:
    a = view.appraisal
    return AppraisalOut(
        id=a.id,
        office_id=a.office_id,
        state=a.state,
        state_label=view.state_label,
        dossier_ids=[int(i) for i in a.dossier_ids],
        council_members=[str(m) for m in a.council_members] if a.council_members else None,
        council_date=a.council_date,
        council_opinion=a.council_opinion,
        decision_number=a.decision_number,
        decision_date=a.decision_date,
        approver_name=a.approver_name,
        created_at=a.created_at,
        approved_at=a.approved_at,
        destroyed_at=a.destroyed_at,
        dossiers=[
            AppraisalDossierOut(
                id=line.dossier.id,
                code=line.code,
                title=line.dossier.title,
                state=line.dossier.state,
                state_label=line.state_label,
                kept_until=line.kept_until,
                document_count=len(line.documents),
                hidden_documents=line.hidden,
            )
            for line in view.dossiers
        ],
        record_files=[RecordFileOut.model_validate(f) for f in view.files],
    )


@router.get("/expired", response_model=ExpiredList, responses=_ERRORS)
def list_expired(services: ServicesDep, principal: PrincipalDep) -> ExpiredList:
    """Hồ sơ đã hết thời hạn bảo quản (đã kết thúc hoặc ở lưu trữ cơ quan, không bị đóng băng) của các đơn vị
    người dùng được xem."""
    items = service.expired(services, principal)
    return ExpiredList(
        items=[
            ExpiredOut(
                dossier_id=e.dossier.id,
                office_id=e.dossier.office_id,
                title=e.dossier.title,
                code=e.dossier.file_code or f"HS-{e.dossier.id}",
                state=e.dossier.state,
                retention=e.retention.code,
                retention_label=e.retention.label,
                closed_at=e.dossier.closed_at,
                kept_until=e.kept_until,
            )
            for e in items
        ]
    )


@router.post("", status_code=201, response_model=AppraisalOut, responses=_ERRORS)
def propose(data: AppraisalCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep) -> AppraisalOut:
    """Đưa các hồ sơ hết thời hạn bảo quản ra xác định giá trị; lập danh mục tài liệu hết giá trị (PDF, DOCX)."""
    made = service.propose(services, principal, data.dossier_ids, addr=addr)
    return appraisal_out(service.view(services, principal, made.id, addr=addr, via="api"))


@router.get("/{appraisal_id}", response_model=AppraisalOut, responses=_ERRORS)
def get_appraisal(
    appraisal_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> AppraisalOut:
    """Một đợt xác định giá trị: hồ sơ, hội đồng, quyết định, các tệp (danh mục, biên bản hủy)."""
    return appraisal_out(service.view(services, principal, appraisal_id, addr=addr, via="api"))


@router.post("/{appraisal_id}/council", response_model=AppraisalOut, responses=_ERRORS)
def record_council(
    appraisal_id: ObjectId, data: CouncilIn, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> AppraisalOut:
    """Ghi thành viên, ngày họp và ý kiến của Hội đồng xác định giá trị tài liệu."""
    service.record_council(
        services, principal, appraisal_id, members=data.members, day=data.meeting_date, opinion=data.opinion, addr=addr
    )
    return appraisal_out(service.view(services, principal, appraisal_id, addr=addr, via="api"))


@router.post("/{appraisal_id}/approve", response_model=AppraisalOut, responses=_ERRORS)
def approve(
    appraisal_id: ObjectId, data: DecisionIn, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> AppraisalOut:
    """Ghi quyết định của người đứng đầu cơ quan (quản trị): hồ sơ giữ lại và hồ sơ được duyệt hủy."""
    service.approve(
        services,
        principal,
        appraisal_id,
        decision_number=data.decision_number,
        decision_date=data.decision_date,
        approver_name=data.approver_name,
        keep_ids=data.keep_ids,
        addr=addr,
    )
    return appraisal_out(service.view(services, principal, appraisal_id, addr=addr, via="api"))


@router.post("/{appraisal_id}/destroy", response_model=DestructionOut, responses=_ERRORS)
def destroy(
    appraisal_id: ObjectId, data: DestroyIn, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> DestructionOut:
    """Hủy tài liệu đã được duyệt hủy (quản trị; gõ lại số quyết định); giữ thông tin mô tả, lập biên bản hủy."""
    report = destruction.destroy(services, principal, appraisal_id, confirm=data.confirm, addr=addr)
    return DestructionOut(
        appraisal=appraisal_out(service.view(services, principal, appraisal_id, addr=addr, via="api")),
        destroyed_document_ids=report.destroyed_document_ids,
        kept_document_ids=report.kept_document_ids,
        deleted_blobs=report.deleted_blobs,
    )
