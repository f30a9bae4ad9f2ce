"""Web JSON twins for the upload page: store files with the session cookie, and poll their checks.

The upload reuses the streaming spooler and ``documents.service.upload`` (the one way a file is stored);
only the authentication differs (session cookie and X-CSRF-Token header instead of a bearer token).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from archive_service.documents import service as document_service
from archive_service.dossiers import service as dossier_service
from archive_service.edge.deps import ClientAddrDep, ObjectId, ServicesDep
from archive_service.edge.uploads import receive_and_store
from archive_service.reports.labels import status_label, validation_label
from archive_service.services import Services
from archive_service.web.auth import WebApiUserDep
from archive_service.web.csrf import HeaderUserDep
from schemas.api import LinkRequest, LinkResult, UploadResult

router = APIRouter(prefix="/web-api", include_in_schema=False)


class DocumentProgress(BaseModel):
    """What the upload page shows for one file while it is parsed and checked."""

    id: int
    filename: str
    status: str
    status_label: str
    done: bool
    validation_status: str
    validation_label: str
    errors: int
    warnings: int
    infos: int
    url: str


@router.post("/ho-so/{dossier_id}/van-ban", status_code=201, response_model=UploadResult)
async def upload(
    dossier_id: ObjectId,
    request: Request,
    response: Response,
    services: ServicesDep,
    user: HeaderUserDep,
    addr: ClientAddrDep,
) -> UploadResult:
    """Tải một hoặc nhiều tệp (trường ``files``; ``electronic=true`` khi ô "văn bản điện tử" được đánh dấu) vào hồ
    sơ, như POST /api/v1/dossiers/{id}/documents."""
    outcome = await receive_and_store(
        request, services=services, principal=user.principal, dossier_id=dossier_id, client_addr=addr
    )
    if outcome.nothing_new:
        response.status_code = 200
    return UploadResult(items=outcome.items)


def _progress(services: Services, user: WebApiUserDep, document_id: int, addr: str | None) -> DocumentProgress:
    state = document_service.progress(services, user.principal, document_id, addr=addr, via="upload-result")
    doc = state.document
    return DocumentProgress(
        id=doc.id,
        filename=doc.original_filename,
        status=doc.status,
        status_label=status_label(doc.status),
        done=state.done,
        validation_status=doc.validation_status,
        validation_label=validation_label(doc.validation_status),
        errors=state.counts["error"],
        warnings=state.counts["warning"],
        infos=state.counts["info"],
        url=f"/van-ban/{doc.id}",
    )


@router.get("/van-ban/{document_id}/tien-do", response_model=DocumentProgress)
async def progress(
    document_id: ObjectId, services: ServicesDep, user: WebApiUserDep, addr: ClientAddrDep
) -> DocumentProgress:
    """Trạng thái xử lý và kết quả kiểm tra của một văn bản vừa tải lên."""
    return await run_in_threadpool(_progress, services, user, document_id, addr)


@router.post("/ho-so/{dossier_id}/lien-ket", response_model=LinkResult)
def link(
    dossier_id: ObjectId, data: LinkRequest, services: ServicesDep, user: HeaderUserDep, addr: ClientAddrDep
) -> LinkResult:
    """Đưa văn bản đã có trong kho (tệp trùng nội dung) vào hồ sơ này, như POST /api/v1/dossiers/{id}/links."""
    return dossier_service.link_document(services, user.principal, dossier_id, data.document_id, addr=addr, via="web")


class SessionToken(BaseModel):
    """The CSRF token of the caller's current session."""

    csrf_token: str


@router.get("/phien", response_model=SessionToken)
def session_token(user: WebApiUserDep) -> SessionToken:
    """Mã chống giả mạo của phiên hiện tại: trang tải lên lấy lại sau khi người dùng đăng nhập lại ở thẻ khác.

    The upload page keeps its chosen files across an expired session; once the user has logged in again
    (another tab), it needs the new session's token to send them. Same-origin only (no CORS), like the
    token every page already carries in its <meta>.
    """
    return SessionToken(csrf_token=user.csrf_token)
