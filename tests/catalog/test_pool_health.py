"""The catalog's pool on the real PostgreSQL hands out only live connections, without a query to find out:
a connection the server closed while it sat in the pool (a restart, ``pg_terminate_backend``) is replaced."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from archive_service.catalog.db import make_engine
from tests.backends import drop_postgres_schema, fresh_postgres, postgres_url
from tests.corpus.session import skip_unless


@pytest.fixture
def engine() -> Iterator[Engine]:
    skip_unless(bool(os.environ.get("ARCHIVE_TEST_PG_URL")), "ARCHIVE_TEST_PG_URL is not set: no real PostgreSQL")
    url = fresh_postgres(postgres_url())
    made = make_engine(url)
    yield made
    made.dispose()
    drop_postgres_schema(url)


def _pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_the_server_closed_in_the_pool_is_replaced_not_handed_out(engine: Engine) -> None:
    first = _pid(engine)
    assert _pid(engine) == first  # a live pooled connection is used again
    admin = create_engine(postgres_url())
    with admin.begin() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first}).scalar_one()
    admin.dispose()
    time.sleep(0.2)  # the server's goodbye reaches the socket
    second = _pid(engine)  # no error: the dead connection was not handed out
    assert second != first


def test_a_connection_whose_server_restarted_is_replaced_in_every_slot(engine: Engine) -> None:
    held = [engine.connect() for _ in range(3)]
    pids = {int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in held}
    for conn in held:
        conn.close()  # back to the pool
    admin = create_engine(postgres_url())
    with admin.begin() as conn:
        for pid in pids:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    admin.dispose()
    time.sleep(0.2)
    again = [engine.connect() for _ in range(3)]
    try:
        fresh = {int(c.execute(text("SELECT pg_backend_pid()")).scalar_one()) for c in again}
    finally:
        for conn in again:
            conn.close()
    assert not fresh & pids
