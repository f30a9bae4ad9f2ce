"""Dependencies as Annotated aliases: handlers declare what they need, not how to get it.

Also the little the API and the web pages share in sending an answer (a file a use case made).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator
from starlette.responses import Response

from archive_service.accounts import service as accounts
from archive_service.catalog.access import Principal
from archive_service.edge.downloads import content_disposition
from archive_service.errors import NotFound, Unauthorized
from archive_service.reports.files import FileDownload
from archive_service.services import Services

_bearer = HTTPBearer(auto_error=False, description="API token: `Authorization: Bearer arch_…`")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_principal(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller of an /api/v1 request, from its bearer token."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized("AUTH-REQUIRED", "Cần mã truy cập (token) trong tiêu đề Authorization: Bearer.")
    return accounts.token_principal(services, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def client_addr(request: Request) -> str | None:
    return request.client.host if request.client else None


ClientAddrDep = Annotated[str | None, Depends(client_addr)]


MAX_ID = 2**63 - 1  # the catalog's ids are 64-bit: a larger number names nothing (404, never a 500)


def _object_id(value: int) -> int:
    if value < 1 or value > MAX_ID:
        raise NotFound("NOT-FOUND", "Không tìm thấy đối tượng yêu cầu.")
    return value


ObjectId = Annotated[int, AfterValidator(_object_id)]


def file_response(file: FileDownload) -> Response:
    """A use case's file as a download under its own (Vietnamese) name."""
    headers = {"Content-Disposition": content_disposition(file.filename)}
    return Response(file.body, media_type=file.media_type, headers=headers)
