"""The backends a process works with, built once from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog import db
from archive_service.config import Settings
from archive_service.search_backends import make_search_index
from archive_service.storage import make_blob_store
from archive_service.storage.base import BlobStore
from indexers.search.base import SearchError, SearchIndex

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    blobs: BlobStore
    search: SearchIndex

    def close(self) -> None:
        self.engine.dispose()


def open_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Connect the catalog (migrating it when asked) and the blob store."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.resolved_database_url)
    if migrate:
        db.upgrade(engine)
    search = make_search_index(settings)
    try:
        search.ensure_schema()
    except SearchError as exc:  # the engine may be down: uploads go on, the outbox waits for it
        log.warning("search index not ready at start: %s", exc)
    return Services(
        settings=settings,
        engine=engine,
        factory=db.session_factory(engine),
        blobs=make_blob_store(settings),
        search=search,
    )
