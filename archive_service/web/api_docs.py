"""The API documentation (/docs, Swagger UI) and its schema (/openapi.json), served from the installation.

FastAPI's own page loads Swagger UI from a CDN with an inline script: the Content-Security-Policy
blocks both, and an office network may not reach the CDN at all. Here the Swagger UI files come from
the ``swagger-ui-bundle-v2`` package under /static/swagger-ui/ and the start-up code is
/static/api-docs.js. In production the schema describes every route, so both need a login: a web
session for the page, a web session or an API token for the schema. In development they are open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from swagger_ui_bundle import swagger_ui_path

from archive_service.edge.deps import ServicesDep, get_principal
from archive_service.errors import NotFound
from archive_service.web.auth import LoginRequired, optional_web_user

DOCS_PATH: Final = "/docs"
OPENAPI_PATH: Final = "/openapi.json"
ASSETS_PATH: Final = "/static/swagger-ui"
# The only files of the Swagger UI distribution the page needs (its index.html has an inline script).
_ASSETS: Final = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
_PAGE: Final = f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>archive-service — tài liệu API</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{OPENAPI_PATH}"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

_bearer = HTTPBearer(auto_error=False)
router = APIRouter(include_in_schema=False)


def _page_reader(request: Request, services: ServicesDep) -> None:
    """In production, only a logged-in user sees the docs; others go to the login page and come back."""
    if services.settings.production and optional_web_user(request, services) is None:
        raise LoginRequired(DOCS_PATH)


def _schema_reader(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """In production the schema needs the page's web session or an API token (401 JSON without)."""
    if services.settings.production and optional_web_user(request, services) is None:
        get_principal(services, credentials)


@router.get(DOCS_PATH, response_class=HTMLResponse, dependencies=[Depends(_page_reader)])
def docs_page() -> HTMLResponse:
    return HTMLResponse(_PAGE)


@router.get(OPENAPI_PATH, dependencies=[Depends(_schema_reader)])
def openapi_schema(request: Request) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get(ASSETS_PATH + "/{name}")
def swagger_asset(name: str) -> FileResponse:
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise NotFound("NOT-FOUND", "Không có tệp này.")
    return FileResponse(Path(str(swagger_ui_path)) / name, media_type=media_type)


def install_api_docs(app: FastAPI) -> None:
    """Add the docs routes; call before ``mount_web`` so that /static/swagger-ui is matched before /static."""
    app.include_router(router)
