"""The archivists' web app: server-rendered pages in Vietnamese, a session cookie, CSRF on every form.

Pages: /dang-nhap, /dang-xuat (POST), /doi-mat-khau · /ho-so (list), /ho-so/moi, /ho-so/{id}, /ho-so/{id}/sua,
/ho-so/{id}/tai-len · /van-ban/{id}, /van-ban/{id}/ban-goc · /tim-kiem · /bao-cao,
/bao-cao/ho-so/{id}, /bao-cao/van-ban/{id} and their .csv/.json/.pdf downloads.
JSON for the upload page's script (session cookie, X-CSRF-Token): POST /web-api/ho-so/{id}/van-ban,
GET /web-api/van-ban/{id}/tien-do. Assets under /static.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from archive_service.web import (
    routes_account,
    routes_appraisals,
    routes_audit,
    routes_auth,
    routes_documents,
    routes_dossier_bulk,
    routes_dossiers,
    routes_fileplan_edit,
    routes_fileplans,
    routes_holds,
    routes_lifecycle,
    routes_pages,
    routes_queue,
    routes_record_files,
    routes_reports,
    routes_retention,
    routes_search,
    routes_search_saved,
    routes_transfers,
    routes_upload,
)
from archive_service.web.errors import install_web_error_pages
from archive_service.web.security import install_security_headers
from archive_service.web.templating import STATIC_DIR


def mount_web(app: FastAPI) -> None:
    """Add the web pages, their JSON helpers, static assets, error pages and headers to ``app``."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (
        routes_auth,
        routes_account,
        routes_dossiers,
        routes_dossier_bulk,
        routes_upload,
        routes_documents,
        routes_pages,
        routes_search,
        routes_search_saved,
        routes_reports,
        routes_audit,
        routes_appraisals,
        routes_holds,
        routes_record_files,
        routes_lifecycle,
        routes_retention,
        routes_fileplans,
        routes_fileplan_edit,
        routes_transfers,
        routes_queue,
    ):
        app.include_router(module.router)
    install_web_error_pages(app)
    install_security_headers(app)
