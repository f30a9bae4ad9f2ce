"""/api/v1/record-files: download a file the records' life produced (mục lục, chứng từ, biên bản …)."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from archive_service.edge.deps import ClientAddrDep, ObjectId, PrincipalDep, ServicesDep
from archive_service.edge.downloads import file_download
from archive_service.records import files
from schemas.api import ErrorBody

router = APIRouter(prefix="/api/v1/record-files", tags=["records"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Thiếu hoặc sai mã truy cập"},
    404: {"model": ErrorBody, "description": "Không tìm thấy tệp lưu trữ (hoặc không có quyền xem)"},
}


@router.get(
    "/{file_id}",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {media: {} for media in files.MEDIA.values()}}},
)
async def download_record_file(
    file_id: ObjectId, services: ServicesDep, principal: PrincipalDep, addr: ClientAddrDep
) -> FileResponse:
    """Tải tệp lưu trữ (mục lục văn bản, chứng từ kết thúc, biên bản…), đúng từng byte (kiểm tra SHA-256)."""
    got = await run_in_threadpool(
        partial(files.download_record_file, services, principal, file_id, addr=addr, via="api")
    )
    return file_download(got.path, media_type=got.media_type, filename=got.filename, etag=got.etag)
