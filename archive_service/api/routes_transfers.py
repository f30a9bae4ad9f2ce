"""/api/v1/transfers: nộp lưu — make a bag, list and read transfers, confirm with a receipt, receive a bag.

``POST /api/v1/transfers`` writes the bag into the server's export folder (``ARCHIVE_TRANSFER_DIR``, default
data_dir/transfers) and answers with the transfer and that path; ``GET …/{id}/bag.zip`` downloads it as one ZIP.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.edge.downloads import file_download
from archive_service.edge.uploads import spool_request
from archive_service.transfers import service
from archive_service.transfers.service import TransferView
from schemas.api import ErrorBody
from schemas.transfers import TransferCreate, TransferList, TransferOut

router = APIRouter(prefix="/api/v1/transfers", tags=["transfers"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    403: {"model": ErrorBody, "description": "Vai trò hoặc đơn vị không được phép"},
    404: {"model": ErrorBody, "description": "Không tìm thấy hồ sơ hoặc đợt nộp lưu"},
    409: {"model": ErrorBody, "description": "Trạng thái không cho phép, hồ sơ bị đóng băng, biên nhận không khớp"},
    422: {"model": ErrorBody, "description": "Yêu cầu hoặc gói nộp lưu không hợp lệ"},
}


def transfer_out(view: TransferView, *, bag_path: str | None = None) -> TransferOut:
    return TransferOut(
        id=view.id,
        office_code=view.office_code,
        target=view.target,
        target_label=service.TARGET_LABELS.get(view.target, view.target),
        state=view.state,
        state_label=service.STATE_LABELS.get(view.state, view.state),
        dossier_ids=view.dossier_ids,
        file_codes=view.file_codes,
        bag_name=view.bag_name,
        bag_digest=view.bag_digest,
        created_at=view.created_at,
        confirmed_at=view.confirmed_at,
        receipt=view.receipt,
        bag_path=bag_path,
    )


@router.post("", status_code=201, response_model=TransferOut, responses=_ERRORS)
def create_transfer(
    data: TransferCreate, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> TransferOut:
    """Lập gói nộp lưu (BagIt) của các hồ sơ vào thư mục xuất của máy chủ; hồ sơ chỉ chuyển trạng thái khi bên
    nhận xác nhận."""
    result = service.export_transfer(
        services,
        principal,
        data.dossier_ids,
        target=data.target,
        out_dir=services.settings.resolved_transfer_dir,
        addr=addr,
    )
    return transfer_out(result.transfer, bag_path=str(result.bag_path))


@router.get("", response_model=TransferList, responses=_ERRORS)
def list_transfers(services: ServicesDep, principal: PrincipalDep) -> TransferList:
    """Các đợt nộp lưu (gửi đi và nhận về) của đơn vị người dùng được xem, mới nhất trước."""
    return TransferList(items=[transfer_out(v) for v in service.list_transfers(services, principal)])


@router.get("/{transfer_id}", response_model=TransferOut, responses=_ERRORS)
def get_transfer(transfer_id: ObjectId, services: ServicesDep, principal: PrincipalDep) -> TransferOut:
    """Một đợt nộp lưu."""
    return transfer_out(service.get_transfer(services, principal, transfer_id))


@router.get("/{transfer_id}/bag.zip", responses=_ERRORS)
def download_bag(
    transfer_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> Response:
    """Tải gói nộp lưu dưới dạng một tệp ZIP."""
    path = service.bag_zip(services, principal, transfer_id, addr=addr)
    return file_download(path, media_type="application/zip", filename=path.name)


@router.post("/{transfer_id}/confirm", response_model=TransferOut, responses=_ERRORS)
def confirm_transfer(
    transfer_id: ObjectId, receipt: dict[str, Any], services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> TransferOut:
    """Xác nhận bằng biên nhận (receipt.json) của bên nhận: hồ sơ chuyển sang trạng thái đã nộp lưu."""
    return transfer_out(service.confirm_transfer(services, principal, transfer_id, receipt, addr=addr))


@router.post("/{transfer_id}/cancel", response_model=TransferOut, responses=_ERRORS)
def cancel_transfer(
    transfer_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> TransferOut:
    """Hủy một đợt nộp lưu đã gửi mà bên nhận không xác nhận (hồ sơ giữ nguyên trạng thái)."""
    return transfer_out(service.cancel_transfer(services, principal, transfer_id, addr=addr))


@router.post("/import", responses=_ERRORS)
async def import_bag(
    request: Request, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> dict[str, Any]:
    """Nhận một gói nộp lưu (tệp ZIP, trường ``file``) vào kho này; trả về biên nhận (receipt) cho bên gửi."""
    principal.require_role(*service.RECEIVER_ROLES)
    spooler = await spool_request(request, services.settings, max_files=1, field_name="file")
    try:
        result = await run_in_threadpool(service.import_zip, services, principal, spooler.files[0].path, addr=addr)
    finally:
        spooler.cleanup()
    return result.receipt
