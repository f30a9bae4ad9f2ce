"""The backends a process works with, built once from the settings."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive_service.catalog import db
from archive_service.config import BlobBackend, SearchBackend, Settings
from archive_service.private_files import PRIVATE_UMASK, log_tightened, make_private_dir, tighten_tree
from archive_service.storage import make_blob_store
from archive_service.storage.base import BlobStore
from archive_service.storage.spool_sweep import sweep_spool
from indexers.search.base import SearchError, SearchIndex

log = logging.getLogger(__name__)


def make_search_index(settings: Settings) -> SearchIndex:
    """The search backend the settings name (FTS5 in its own SQLite file, or Elasticsearch)."""
    if settings.search_backend is SearchBackend.ELASTICSEARCH:
        from elasticsearch import Elasticsearch

        from indexers.search.elastic import ElasticsearchSearchIndex

        client = Elasticsearch(
            settings.es_url,
            request_timeout=30,
            retry_on_timeout=False,
            max_retries=1,
            **es_credentials(settings),
        )
        return ElasticsearchSearchIndex(
            client,
            prefix=settings.es_index_prefix,
            refresh=settings.search_refresh,
            shards=settings.es_shards,
            replicas=settings.es_replicas,
        )
    from indexers.search.fts5 import Fts5SearchIndex

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Fts5SearchIndex(settings.data_dir / "search.sqlite3")


def es_credentials(settings: Settings) -> dict[str, Any]:
    """The Elasticsearch client's authentication and TLS options from the settings (none by default)."""
    options: dict[str, Any] = {}
    if settings.es_api_key:
        options["api_key"] = settings.es_api_key
    elif settings.es_username:
        options["basic_auth"] = (settings.es_username, settings.es_password)
    if settings.es_ca_certs is not None:
        options["ca_certs"] = str(settings.es_ca_certs)
    return options


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
    """Sweep the spool of what dead processes left, make the data folder private, connect the catalog (migrating
    it when asked) and the blob store."""
    sweep_spool(settings.spool_root)
    secure_data_dir(settings)
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


def secure_data_dir(settings: Settings) -> None:
    """Everything this process writes from now on is the service account's alone (umask 077).

    Folders left by an older version with modes open to other accounts are tightened first (and
    logged), then the data, blob and spool folders are made 0700.
    """
    os.umask(PRIVATE_UMASK)
    roots: list[Path] = [settings.data_dir]
    if settings.blob_backend is BlobBackend.LOCAL:
        roots.append(settings.resolved_blob_dir)
    for root in roots:
        log_tightened(root, tighten_tree(root))
    for folder in (*roots, settings.spool_root, settings.spool_dir):
        make_private_dir(folder)
