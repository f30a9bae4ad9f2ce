"""Page download: a file the records' life produced (mục lục văn bản, chứng từ kết thúc, biên bản …)."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.downloads import file_download
from archive_service.records import files
from archive_service.web.auth import WebUserDep

router = APIRouter(include_in_schema=False)


@router.get("/tep-luu-tru/{file_id}")
async def download(file_id: ObjectId, services: ServicesDep, user: WebUserDep, addr: ClientAddrDep) -> Response:
    """Tải tệp lưu trữ đúng từng byte (SHA-256 được kiểm tra trước khi gửi)."""
    got = await run_in_threadpool(
        partial(files.download_record_file, services, user.principal, file_id, addr=addr, via="web")
    )
    return file_download(got.path, media_type=got.media_type, filename=got.filename, etag=got.etag)
