"""The catalog's copy: ``pg_dump --format=custom`` of its schema, or a SQLite online backup.

Both are consistent while the service runs. On PostgreSQL the dump is taken from a snapshot exported by a
REPEATABLE READ transaction (``pg_dump --snapshot``), and the caller's ``read`` runs in that same transaction:
the list of blobs it makes is exactly what the dump references, no row more or less. On SQLite ``read`` runs
on the copy itself.

The password never reaches a command line (``ps`` shows it to every account) nor a message: the child gets it
in ``PGPASSWORD``, and the URL it is handed is the libpq form without it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final, TypeVar

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from archive_service.backup.errors import BackupRefused
from archive_service.backup.manifest import CatalogEntry, write_private
from archive_service.catalog.db import alembic_config

T = TypeVar("T")

PG_FILE: Final = "catalog.pgdump"
SQLITE_FILE: Final = "catalog.sqlite3"
TOOL_TIMEOUT_S: Final = 6 * 3600.0
# The tables whose rows make a catalog "not empty": a restore onto them would mix two archives.
RECORD_TABLES: Final = ("documents", "dossiers")


def libpq_url(url: URL) -> tuple[str, str | None]:
    """The URL pg_dump and pg_restore take (``postgresql://`` without SQLAlchemy's ``+psycopg`` and without the
    password), and the password apart for ``PGPASSWORD``."""
    bare = URL.create(
        "postgresql", username=url.username, host=url.host, port=url.port, database=url.database, query=url.query
    )
    return bare.render_as_string(hide_password=False), url.password


def _child_env(password: str | None) -> dict[str, str]:
    """The child's environment: ours without the service's own secrets, plus the password for libpq."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARCHIVE_")}
    if password:
        env["PGPASSWORD"] = password
    return env


def _run(tool: str, args: list[str], password: str | None) -> str:
    """Run a PostgreSQL tool; its failure refuses with the tool's own words (which carry no password)."""
    try:
        done = subprocess.run(
            [tool, *args],
            env=_child_env(password),
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as exc:
        raise BackupRefused(
            "BACKUP-TOOL-MISSING",
            f"Không tìm thấy chương trình {tool} (gói postgresql-client, cùng phiên bản chính với máy chủ "
            "hoặc mới hơn).",
        ) from exc
    if done.returncode != 0:
        said = done.stderr.strip().replace(password, "***") if password else done.stderr.strip()
        raise BackupRefused("BACKUP-TOOL-FAILED", f"{tool} thất bại (mã {done.returncode}): {said[-1500:]}")
    return done.stdout


def _revision(conn: Connection) -> str:
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


def dump_catalog(engine: Engine, folder: Path, read: Callable[[Connection], T]) -> tuple[CatalogEntry, T]:
    """Copy the catalog into ``folder`` (a 0600 file) and run ``read`` on exactly the state copied."""
    if engine.dialect.name == "postgresql":
        return _dump_postgres(engine, folder, read)
    if engine.dialect.name == "sqlite":
        return _dump_sqlite(engine, folder, read)
    raise BackupRefused("BACKUP-CATALOG-KIND", f"Không sao lưu được danh mục loại {engine.dialect.name}.")


def _dump_postgres(engine: Engine, folder: Path, read: Callable[[Connection], T]) -> tuple[CatalogEntry, T]:
    url, password = libpq_url(engine.url)
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            schema = str(conn.execute(text("SELECT current_schema()")).scalar_one())
            revision = _revision(conn)
            result = read(conn)
            target = folder / PG_FILE
            write_private(target, b"")  # 0600 before pg_dump fills it
            _run(
                "pg_dump",
                [
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--schema={schema}",
                    f"--file={target}",
                    f"--dbname={url}",
                ],
                password,
            )
    return CatalogEntry(kind="postgresql", revision=revision, schema_name=schema, path=PG_FILE), result


def _dump_sqlite(engine: Engine, folder: Path, read: Callable[[Connection], T]) -> tuple[CatalogEntry, T]:
    target = folder / SQLITE_FILE
    write_private(target, b"")
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent copy while writers go on
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
    finally:
        raw.close()
    reader = create_engine(f"sqlite:///{target}")
    try:
        with reader.connect() as conn:
            revision = _revision(conn)
            result = read(conn)
    finally:
        reader.dispose()
    return CatalogEntry(kind="sqlite", revision=revision, path=SQLITE_FILE), result


def known_revision(engine: Engine, revision: str) -> bool:
    """Whether this version's migrations know ``revision`` (a backup made by a newer version is refused)."""
    try:
        return ScriptDirectory.from_config(alembic_config(engine)).get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or malformed revision
        return False


def target_schema(engine: Engine) -> str | None:
    """The PostgreSQL schema the URL's search path names, existing or not (None on SQLite)."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        current = conn.execute(text("SELECT current_schema()")).scalar_one_or_none()
        if current:
            return str(current)
        first = str(conn.execute(text("SHOW search_path")).scalar_one()).split(",")[0].strip()
    return first.strip('"')


def catalog_tables(engine: Engine) -> list[str]:
    """The tables of the catalog's schema (PostgreSQL) or file (SQLite)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
            )
        else:
            rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        return sorted(str(r[0]) for r in rows)


def catalog_holds_records(engine: Engine, tables: list[str]) -> bool:
    with engine.connect() as conn:
        return any(
            conn.execute(text(f"SELECT 1 FROM {name} LIMIT 1")).first() is not None  # fixed names, never input
            for name in RECORD_TABLES
            if name in tables
        )


def catalog_revision(engine: Engine, tables: list[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    with engine.connect() as conn:
        return _revision(conn)


def restore_catalog(engine: Engine, folder: Path, entry: CatalogEntry, *, replace_tables: bool) -> None:
    """Put the dumped catalog in place of the empty one the settings name.

    PostgreSQL: ``pg_restore --no-owner --no-privileges`` in one transaction (all or nothing); the schema's own
    CREATE is left out when the schema exists (an empty ``public``), and ``replace_tables`` (a migrated catalog
    without records) drops the dump's tables first. SQLite: the online backup API, page by page, into the file.
    """
    source = folder / entry.path
    if entry.kind == "sqlite":
        engine.dispose()
        copy = sqlite3.connect(source)
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            copy.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()
            copy.close()
        engine.dispose()
        return
    url, password = libpq_url(engine.url)
    schema = entry.schema_name or "public"
    exists = target_schema_exists(engine, schema)
    listing = _run("pg_restore", ["--list", str(source)], password)
    kept = "\n".join(_keep_entry(line, schema, exists) for line in listing.splitlines()) + "\n"
    # The list goes to a private temporary file, never into the backup folder (whose files the manifest lists).
    with tempfile.NamedTemporaryFile("w", prefix="archive-restore-", suffix=".list", encoding="utf-8") as list_file:
        list_file.write(kept)
        list_file.flush()
        args = [
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--use-list={list_file.name}",
            f"--dbname={url}",
        ]
        if replace_tables:
            args[0:0] = ["--clean", "--if-exists"]
        _run("pg_restore", [*args, str(source)], password)
    engine.dispose()


_SCHEMA_ENTRY: Final = re.compile(r"^\d+;\s+\d+\s+\d+\s+(SCHEMA|COMMENT)\s+-\s+(SCHEMA\s+)?(?P<name>\S+)\s")


def _keep_entry(line: str, schema: str, exists: bool) -> str:
    """A line of ``pg_restore --list``, commented out when it would create (or comment on) a schema that exists."""
    match = _SCHEMA_ENTRY.match(line)
    if exists and match and match.group("name") == schema:
        return ";" + line
    return line


def target_schema_exists(engine: Engine, schema: str) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(
                text("SELECT 1 FROM information_schema.schemata WHERE schema_name = :s"), {"s": schema}
            ).first()
            is not None
        )
