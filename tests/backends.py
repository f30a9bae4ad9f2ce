"""Where the real backends are: read from the environment that ``deploy/services.sh env`` prints.

Without them a test that needs one is skipped with the reason — except when
ARCHIVE_TEST_REQUIRE_REAL=1 (as in .ci/run), where a missing backend fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from archive_service.storage.base import BlobStoreUnavailable
from archive_service.storage.s3 import S3BlobStore
from tests.corpus.session import skip_or_fail

REPO = Path(__file__).resolve().parent.parent


def _need(var: str) -> str:
    value = os.environ.get(var)
    if value:
        return value
    skip_or_fail(f"{var} is not set: start the real services with deploy/services.sh up and export its env")


def postgres_url() -> str:
    return _need("ARCHIVE_TEST_PG_URL")


@dataclass(frozen=True)
class S3Config:
    endpoint: str
    access_key: str
    secret_key: str

    def new_bucket_name(self) -> str:
        return f"test-{uuid.uuid4().hex[:16]}"


def s3_config() -> S3Config:
    return S3Config(
        endpoint=_need("ARCHIVE_TEST_S3_ENDPOINT"),
        access_key=_need("ARCHIVE_TEST_S3_ACCESS_KEY"),
        secret_key=_need("ARCHIVE_TEST_S3_SECRET_KEY"),
    )


def elasticsearch_url() -> str:
    return _need("ARCHIVE_TEST_ES_URL")


def fresh_postgres(url: str) -> str:
    """A URL on a new, empty schema of its own (search_path), so tests never share tables."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def drop_postgres_schema(url: str) -> None:
    """Remove the schema a ``fresh_postgres`` URL points at."""
    if "search_path%3D" not in url:
        return
    base, schema = url.split("?", 1)[0], url.rsplit("search_path%3D", 1)[1]
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def services_script(*args: str) -> None:
    """Run deploy/services.sh (used by fault tests to stop and start a real server)."""
    subprocess.run(["bash", str(REPO / "deploy" / "services.sh"), *args], check=True, timeout=300)


def drop_es_indices(url: str, prefix: str) -> None:
    """Remove a test's indices (``prefix*``) from the real Elasticsearch."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(url)
    client.indices.delete(index=f"{prefix}*", ignore_unavailable=True, allow_no_indices=True)
    client.close()


def drop_bucket(store: S3BlobStore) -> None:
    """Empty and remove a test's bucket (on SeaweedFS a bucket holds volumes until it is removed)."""
    import contextlib

    from minio.error import S3Error

    from archive_service.storage.base import BlobLocked

    try:
        for key in list(store.iter_keys()):
            # A legal hold (a permanent dossier) is lifted and the blob goes; one under COMPLIANCE retention cannot
            # go before its date, so it and its bucket stay (the test server is disposable; one volume a bucket).
            with contextlib.suppress(BlobLocked):
                if store.lock_info(key).legal_hold:
                    store.release_hold(key)
                store.delete(key)
        store.client.remove_bucket(store.bucket)
    except (S3Error, BlobStoreUnavailable):
        pass


def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1 (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
