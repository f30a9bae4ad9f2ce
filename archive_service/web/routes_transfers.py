"""Page: /nop-luu — nộp lưu (NĐ 30/2020 Điều 30–31): the transfers the user may see, the form that makes a bag of
chosen dossiers (written to the server's export folder), its ZIP download, and the confirmation with the receiving
side's receipt (receipt.json), after which the dossiers move on."""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.downloads import file_download
from archive_service.errors import AppError
from archive_service.transfers import service
from archive_service.web.auth import WebUserDep
from archive_service.web.csrf import FormUserDep
from archive_service.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_RECEIPT_BYTES: Final = 1024 * 1024


@router.get("/nop-luu")
def transfers_page(request: Request, services: ServicesDep, user: WebUserDep) -> Response:
    """Các đợt nộp lưu; văn thư và quản trị lập gói nộp lưu, tải gói, xác nhận bằng biên nhận của bên nhận."""
    return render(
        request,
        "transfers.html",
        user=user,
        section="nop-luu",
        items=service.list_transfers(services, user.principal),
        candidates=service.candidates(services, user.principal),
        state_labels=service.STATE_LABELS,
        target_labels=service.TARGET_LABELS,
    )


@router.post("/nop-luu")
def create(
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    ho_so: Annotated[list[int] | None, Form()] = None,
    noi_nhan: Annotated[str, Form(max_length=32)] = "office-archive",
) -> Response:
    """Lập gói nộp lưu của các hồ sơ đã chọn."""
    result = service.export_transfer(
        services,
        user.principal,
        ho_so or [],
        target=noi_nhan,
        out_dir=services.settings.resolved_transfer_dir,
        addr=addr,
    )
    return RedirectResponse(f"/nop-luu#dot-{result.transfer.id}", status_code=303)


@router.get("/nop-luu/{transfer_id}/tai-ve.zip")
def download(transfer_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Tải gói nộp lưu (ZIP)."""
    path = service.bag_zip(services, user.principal, transfer_id, addr=addr)
    return file_download(path, media_type="application/zip", filename=path.name)


@router.post("/nop-luu/{transfer_id}/xac-nhan")
async def confirm(
    transfer_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    bien_nhan: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Xác nhận đợt nộp lưu bằng biên nhận (receipt.json) của bên nhận."""
    user.principal.require_role(*service.RECEIVER_ROLES)
    raw = await bien_nhan.read(MAX_RECEIPT_BYTES + 1) if bien_nhan is not None else b""
    receipt: Any = None
    try:
        receipt = json.loads(raw.decode("utf-8")) if raw and len(raw) <= MAX_RECEIPT_BYTES else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        receipt = None
    if not isinstance(receipt, dict):
        raise AppError(
            "TRANSFER-RECEIPT-INVALID", "Hãy chọn tệp biên nhận receipt.json do bên nhận gửi lại.", status_code=422
        )
    service.confirm_transfer(services, user.principal, transfer_id, receipt, addr=addr)
    return RedirectResponse(f"/nop-luu#dot-{transfer_id}", status_code=303)
