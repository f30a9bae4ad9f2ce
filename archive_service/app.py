"""The FastAPI application: routes, error shape, background workers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from archive_service.accounts import service as account_service
from archive_service.api import (
    routes_accounts,
    routes_appraisals,
    routes_audit,
    routes_check,
    routes_documents,
    routes_dossiers,
    routes_fileplans,
    routes_health,
    routes_holds,
    routes_jobs,
    routes_lifecycle,
    routes_pages,
    routes_record_files,
    routes_reports,
    routes_retention,
    routes_search,
    routes_transfers,
)
from archive_service.config import Settings, get_settings
from archive_service.edge.errors import install_error_handlers
from archive_service.metrics import multiproc as metrics_processes
from archive_service.metrics import routes as metrics_routes
from archive_service.metrics.http import RequestMetrics
from archive_service.search.service import advise_search_backend, queue_rebuild_if_outdated, warm_up
from archive_service.services import Services, open_services
from archive_service.web import mount_web
from archive_service.web.api_docs import install_api_docs
from archive_service.workers.jobs import WorkerPool
from indexers.search.base import SearchError

log = logging.getLogger(__name__)


def app_from_environment() -> FastAPI:
    """One of ``serve --processes N``'s processes: the settings from the environment, the catalog already migrated
    by the command that started them."""
    settings = get_settings()
    return create_app(settings, services=open_services(settings, migrate=False))


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """The app on the given settings (or the environment's); migrates the catalog on start."""
    settings = settings or get_settings()
    services = services or open_services(settings, migrate=True)
    pool = WorkerPool(services, threads=settings.workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            queue_rebuild_if_outdated(services)  # a new index layout: the workers rebuild it
            advise_search_backend(services)  # past what FTS5 answers quickly: say so in the log
            warm_up(services)  # the embedded index's facet values, loaded before a user's search needs them
        except SearchError as exc:  # the engine may be down: checked again at the next start
            log.warning("search index layout not checked: %s", exc)
        account_service.prepare_sign_in()  # no sign-in pays for it, none is slower than another
        pool.start()
        try:
            yield
        finally:
            pool.stop()
            metrics_processes.process_exit()

    app = FastAPI(
        title="archive-service",
        description=("Lưu trữ hồ sơ hội nghị cấp ủy, kiểm tra thể thức và thẩm quyền ban hành văn bản của Đảng."),
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from the installation by archive_service.web.api_docs (no CDN)
        redoc_url=None,
        openapi_url=None,
    )
    app.state.services = services
    app.state.workers = pool
    app.state.wake_workers = pool.wake
    install_error_handlers(app)
    app.add_middleware(RequestMetrics)  # each request counted and timed by its route template (/metrics)
    app.include_router(routes_health.router)
    app.include_router(metrics_routes.router)
    app.include_router(routes_fileplans.router)  # before dossiers: /api/v1/dossiers/ad-hoc
    app.include_router(routes_dossiers.router)
    app.include_router(routes_documents.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_search.router)
    app.include_router(routes_check.router)
    app.include_router(routes_reports.router)
    app.include_router(routes_audit.router)
    app.include_router(routes_accounts.router)
    app.include_router(routes_appraisals.router)
    app.include_router(routes_holds.router)
    app.include_router(routes_jobs.router)
    app.include_router(routes_lifecycle.router)
    app.include_router(routes_record_files.router)
    app.include_router(routes_retention.router)
    app.include_router(routes_transfers.router)
    install_api_docs(app)  # before mount_web: /static/swagger-ui is matched before /static
    mount_web(app)
    return app
