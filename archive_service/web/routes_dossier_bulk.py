"""Bulk actions on the documents ticked on a dossier page: download as ZIP, check again, move, remove from it.

Each is a POSTed form (CSRF-checked) naming document ids in ``van_ban``; the use cases act only on those the
dossier holds and the caller may read, check the caller's rights and audit. The page comes back with a notice
(post/redirect/get), except the ZIP, which is streamed from the spool and removed once sent.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from archive_service.dossiers import service as dossier_service
from archive_service.dossiers.selection import NothingSelected, parse_ids
from archive_service.dossiers.service import MoveTargetMissing
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.downloads import file_download
from archive_service.web.bulk_notices import CHECK_AGAIN, MOVED, NO_TARGET, NOTHING_SELECTED, REMOVED
from archive_service.web.csrf import FormUserDep

router = APIRouter(include_in_schema=False)

Selection = Annotated[list[str], Form()]


def _back(dossier_id: int, notice: str, count: int | None = None) -> RedirectResponse:
    suffix = f"&so={count}" if count is not None else ""
    return RedirectResponse(f"/ho-so/{dossier_id}?thong_bao={notice}{suffix}#van-ban-trong-ho-so", status_code=303)


@router.post("/ho-so/{dossier_id}/tai-zip")
async def download_zip(
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    van_ban: Selection = [],  # noqa: B006 — FastAPI copies a form default
) -> Response:
    """Tải bản gốc các văn bản đã chọn trong một tệp ZIP."""
    try:
        made = await run_in_threadpool(
            dossier_service.download_zip, services, user.principal, dossier_id, parse_ids(van_ban), addr=addr, via="web"
        )
    except NothingSelected:
        return _back(dossier_id, NOTHING_SELECTED)
    # Removed from the spool however the sending ends (a background task runs only after a whole answer).
    return file_download(made.path, media_type="application/zip", filename=made.filename)


@router.post("/ho-so/{dossier_id}/kiem-tra-lai")
async def check_again(
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    van_ban: Selection = [],  # noqa: B006
) -> Response:
    """Đọc và kiểm tra lại các văn bản đã chọn (văn thư của đơn vị, quản trị)."""
    ids = parse_ids(van_ban)
    queued = await run_in_threadpool(
        dossier_service.check_again, services, user.principal, dossier_id, ids, addr=addr, via="web"
    )
    return _back(dossier_id, CHECK_AGAIN, queued) if ids else _back(dossier_id, NOTHING_SELECTED)


@router.post("/ho-so/{dossier_id}/go-khoi-ho-so")
async def remove(
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    van_ban: Selection = [],  # noqa: B006
) -> Response:
    """Gỡ các văn bản đã chọn khỏi hồ sơ; bản gốc vẫn được lưu trong kho."""
    ids = parse_ids(van_ban)
    removed = await run_in_threadpool(
        dossier_service.remove_from_dossier, services, user.principal, dossier_id, ids, addr=addr, via="web"
    )
    return _back(dossier_id, REMOVED, removed) if ids else _back(dossier_id, NOTHING_SELECTED)


@router.post("/ho-so/{dossier_id}/chuyen-ho-so")
async def move(
    dossier_id: ObjectId,
    services: ServicesDep,
    user: FormUserDep,
    addr: ClientAddrDep,
    van_ban: Selection = [],  # noqa: B006
    ho_so_dich: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Chuyển các văn bản đã chọn sang một hồ sơ khác của cùng đơn vị."""
    ids = parse_ids(van_ban)
    target = ho_so_dich.strip()
    target_id = int(target) if target.isdigit() and 0 < int(target) < 2**63 else None
    try:
        moved = await run_in_threadpool(
            dossier_service.move_to_dossier, services, user.principal, dossier_id, ids, target_id, addr=addr, via="web"
        )
    except MoveTargetMissing:
        return _back(dossier_id, NO_TARGET)
    return _back(dossier_id, MOVED, moved) if moved else _back(dossier_id, NOTHING_SELECTED)
