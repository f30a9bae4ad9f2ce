"""Pages: xác định giá trị tài liệu (/xac-dinh-gia-tri) — the dossiers past retention, the appraisals, one appraisal
with its council form, the admin's decision form and the destroy form that asks for the decision number again.

Each POST is a CSRF-checked form calling one use case of ``archive_service.appraisals``, then post/redirect/get;
a refusal (403, 404, 409, 422) is the error page with its Vietnamese message.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from archive_service.appraisals import destruction, service
from archive_service.dossiers.selection import parse_ids
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.errors import AppError
from archive_service.web.auth import WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.dates import parse_date
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)

Ticked = Annotated[list[str], Form()]
Short = Annotated[str, Form(max_length=255)]
Long = Annotated[str, Form(max_length=5000)]


def _day(text: str, what: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        message = f"{what} không hợp lệ: hãy ghi ngày/tháng/năm, ví dụ 05/03/2026."
        raise AppError("REQUEST-INVALID", message, status_code=422) from exc


def _back(appraisal_id: int) -> RedirectResponse:
    return RedirectResponse(f"/xac-dinh-gia-tri/{appraisal_id}", status_code=303)


@router.get("/xac-dinh-gia-tri")
def appraisals_page(request: Request, services: ServicesDep, user: WebUserDep) -> Response:
    """Hồ sơ hết thời hạn bảo quản và các đợt xác định giá trị tài liệu."""
    seen = service.overview(services, user.principal)
    return render(
        request,
        "appraisals.html",
        user=user,
        section="xac-dinh-gia-tri",
        expired=seen.expired,
        appraisals=seen.appraisals,
        may_propose=seen.may_propose,
        state_labels=service.STATE_LABELS,
    )


@router.post("/xac-dinh-gia-tri")
async def propose(
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    ho_so: Ticked = [],  # noqa: B006 — FastAPI copies a form default
) -> Response:
    """Đưa các hồ sơ đã chọn ra hội đồng xác định giá trị."""
    made = await run_in_threadpool(service.propose, services, user.principal, parse_ids(ho_so), addr=addr)
    return _back(made.id)


@router.get("/xac-dinh-gia-tri/{appraisal_id}")
def appraisal_page(
    request: Request, appraisal_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep
) -> Response:
    """Một đợt xác định giá trị: hồ sơ, hội đồng, quyết định, hủy."""
    view = service.view(services, user.principal, appraisal_id, addr=addr, via="web")
    return render(request, "appraisal.html", user=user, section="xac-dinh-gia-tri", view=view, a=view.appraisal)


@router.post("/xac-dinh-gia-tri/{appraisal_id}/hoi-dong")
async def council(
    appraisal_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    thanh_vien: Long = "",
    ngay: Short = "",
    y_kien: Long = "",
) -> Response:
    """Ghi ý kiến của Hội đồng xác định giá trị tài liệu."""
    day = _day(ngay, "Ngày họp hội đồng")
    members = [line for line in thanh_vien.splitlines() if line.strip()]
    await run_in_threadpool(
        lambda: service.record_council(
            services, user.principal, appraisal_id, members=members, day=day, opinion=y_kien, addr=addr
        )
    )
    return _back(appraisal_id)


@router.post("/xac-dinh-gia-tri/{appraisal_id}/quyet-dinh")
async def decide(
    appraisal_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    so: Short = "",
    ngay: Short = "",
    nguoi_ky: Short = "",
    giu_lai: Ticked = [],  # noqa: B006
) -> Response:
    """Ghi quyết định của người đứng đầu cơ quan (quản trị)."""
    day = _day(ngay, "Ngày quyết định")
    keep = parse_ids(giu_lai)
    await run_in_threadpool(
        lambda: service.approve(
            services,
            user.principal,
            appraisal_id,
            decision_number=so,
            decision_date=day,
            approver_name=nguoi_ky,
            keep_ids=keep,
            addr=addr,
        )
    )
    return _back(appraisal_id)


@router.post("/xac-dinh-gia-tri/{appraisal_id}/huy")
async def destroy(
    appraisal_id: ObjectId, services: ServicesDep, user: FormUserDep, addr: ClientAddrDep, xac_nhan: Short = ""
) -> Response:
    """Hủy tài liệu đã được duyệt hủy: gõ lại số quyết định để xác nhận."""
    await run_in_threadpool(
        lambda: destruction.destroy(services, user.principal, appraisal_id, confirm=xac_nhan, addr=addr)
    )
    return _back(appraisal_id)
