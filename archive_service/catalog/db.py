"""Engine and sessions for the catalog, and migrations with Alembic."""

from __future__ import annotations

import select
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from archive_service.private_files import FILE_MODE, create_private_file, make_private_dir, restrict

_MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for SQLite (WAL, foreign keys on) or PostgreSQL."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            private_sqlite_file(Path(path))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    engine = create_engine(url, pool_size=10, max_overflow=10, pool_recycle=POOL_RECYCLE_S)
    event.listen(engine, "checkout", refuse_if_closed_by_server)
    return engine


# A pooled connection is replaced after half an hour: firewalls and proxies that drop idle connections silently
# (no FIN, nothing to read) are usually slower than that.
POOL_RECYCLE_S = 1800


def refuse_if_closed_by_server(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """Hand out a pooled PostgreSQL connection only if the server has not closed it — without a round trip.

    ``pool_pre_ping`` sent a query before every transaction (a round trip of every request). A server that closes a
    connection (a restart, ``pg_terminate_backend``, ``idle_session_timeout``) sends an error and FIN, so its
    socket turns readable; an idle connection in the pool is otherwise never sent anything. A readable socket (or
    a connection psycopg already knows to be broken) is therefore refused: the pool discards it and takes
    another (``DisconnectionError``). The rare harmless message (a notice) costs only a reconnect.
    """
    try:
        if dbapi_conn.closed or dbapi_conn.broken:
            raise DisconnectionError("the catalog connection is closed")
        readable, _w, _x = select.select([dbapi_conn.pgconn.socket], [], [], 0)
    except DisconnectionError:
        raise
    except Exception as exc:  # psycopg.Error, OSError, ValueError: a socket that cannot even be asked
        raise DisconnectionError(f"the catalog connection cannot be checked: {exc}") from exc
    if readable:
        raise DisconnectionError("the catalog server closed this connection (or is closing it)")


def private_sqlite_file(path: Path) -> None:
    """The catalog file (it holds password and token hashes) readable by the service account only.

    SQLite gives its -wal and -shm files the mode of the database file, so creating that one 0600
    before the first connection keeps all three private; older ones are tightened here too.
    """
    if not path.parent.exists():  # an existing folder is the operator's (the data folder is made private apart)
        make_private_dir(path.parent)
    create_private_file(path)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            restrict(sidecar, FILE_MODE)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the catalog schema to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(engine), revision)


def ping(engine: Engine) -> None:
    """Raise if the catalog cannot answer a query."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with factory() as session, session.begin():
        yield session


@contextmanager
def reading(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reads that need no snapshot of their own: each statement stands alone (autocommit).

    No BEGIN and no COMMIT: two round trips fewer than ``transaction``. Only for checks that the transaction acting
    on them makes again (an upload's look at its dossier before the bytes come); never for a write, and never where
    two reads must agree with each other.
    """
    bind = factory.kw["bind"]
    with Session(bind=bind.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False) as session:
        yield session
