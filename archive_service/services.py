"""The backends a process works with, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog import db
from archive_service.config import Settings
from archive_service.search_backends import make_search_index
from archive_service.storage import make_blob_store
from archive_service.storage.base import BlobStore
from indexers.search.base import SearchIndex


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
    return Services(
        settings=settings,
        engine=engine,
        factory=db.session_factory(engine),
        blobs=make_blob_store(settings),
        search=make_search_index(settings),
    )
