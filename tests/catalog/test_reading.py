"""``catalog.db.reading``: reads without a transaction of their own (autocommit), on SQLite and PostgreSQL —
each statement stands alone (no BEGIN, no COMMIT), and what was committed before is seen."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from archive_service.catalog import accounts
from archive_service.catalog.db import reading, transaction
from archive_service.catalog.models import Office
from archive_service.services import Services, open_services
from tests.conftest import make_settings, release_real_backends


@pytest.fixture
def catalog(backend_kind: str, tmp_path: Path) -> Iterator[Services]:
    services = open_services(make_settings(backend_kind, tmp_path))
    yield services
    release_real_backends(services)


def test_a_reading_session_sees_what_was_committed_and_holds_no_transaction(catalog: Services) -> None:
    with transaction(catalog.factory) as session:
        accounts.get_or_create_office(session, code="VPTU", name="Văn phòng Tỉnh ủy")
    with reading(catalog.factory) as session:
        assert session.scalar(select(Office.name).where(Office.code == "VPTU")) == "Văn phòng Tỉnh ủy"
        raw = session.connection().connection.dbapi_connection
        if catalog.factory.kw["bind"].dialect.name == "postgresql":
            assert raw.info.transaction_status.name == "IDLE"  # the SELECT committed by itself
            first = session.scalar(text("SELECT clock_timestamp()::text || '|' || now()::text"))
            time.sleep(0.01)
            second = session.scalar(text("SELECT now()::text"))
            assert str(first).split("|")[1] != second  # each statement its own transaction
        else:
            assert raw.isolation_level is None  # sqlite3's autocommit: no BEGIN is ever sent
    with transaction(catalog.factory) as session:  # the pooled connection went back to transactions
        raw = session.connection().connection.dbapi_connection
        session.scalar(select(Office.id))
        if catalog.factory.kw["bind"].dialect.name == "postgresql":
            assert raw.info.transaction_status.name == "INTRANS"
        else:
            assert raw.isolation_level is not None
