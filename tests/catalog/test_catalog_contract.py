"""One contract for the catalog on SQLite and on PostgreSQL: migrations, constraints, access rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from archive_service.catalog import accounts, db
from archive_service.catalog.access import readable_documents
from archive_service.catalog.models import ApiToken, Base, Document, Dossier, Role, utcnow
from archive_service.errors import Unauthorized
from archive_service.services import Services, open_services
from tests.conftest import make_settings, release_real_backends


@pytest.fixture(params=["embedded", "real"], ids=["sqlite", "postgresql"])
def catalog(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    services = open_services(make_settings(str(request.param), tmp_path))
    yield services
    release_real_backends(services)


def test_migrations_create_every_table_and_rerun_as_a_no_op(catalog: Services) -> None:
    db.upgrade(catalog.engine)
    tables = set(inspect(catalog.engine).get_table_names())
    assert {"offices", "users", "api_tokens", "dossiers", "documents", "findings", "audit_events"} <= tables
    assert {"jobs", "index_outbox", "alembic_version"} <= tables


def test_the_migrations_match_the_models(catalog: Services) -> None:
    with catalog.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def _office_user_dossier(catalog: Services, office: str = "VPTU") -> tuple[int, int, int]:
    with db.transaction(catalog.factory) as s:
        o = accounts.get_or_create_office(s, code=office)
        u = accounts.create_user(s, username=f"u-{office}", role=Role.ARCHIVIST, office=o)
        d = Dossier(office_id=o.id, title="Hội nghị", meeting_body="BCH", created_by=u.id)
        s.add(d)
        s.flush()
        return o.id, u.id, d.id


def _doc(office_id: int, user_id: int, dossier_id: int, sha: str, secrecy: int = 0) -> Document:
    return Document(
        office_id=office_id,
        dossier_id=dossier_id,
        sha256=sha,
        size=1,
        media_type="application/pdf",
        original_filename="a.pdf",
        storage_key=f"sha256/{sha[:2]}/{sha}",
        uploaded_by=user_id,
        secrecy_level=secrecy,
    )


def test_one_office_cannot_hold_the_same_bytes_twice(catalog: Services) -> None:
    o, u, d = _office_user_dossier(catalog)
    with db.transaction(catalog.factory) as s:
        s.add(_doc(o, u, d, "a" * 64))
    with pytest.raises(IntegrityError), db.transaction(catalog.factory) as s:
        s.add(_doc(o, u, d, "a" * 64))


def test_tokens_are_stored_hashed_and_a_revoked_token_is_refused(catalog: Services) -> None:
    with db.transaction(catalog.factory) as s:
        office = accounts.get_or_create_office(s, code="VPTU")
        user = accounts.create_user(s, username="vanthu", role=Role.ARCHIVIST, office=office)
        token = accounts.issue_token(s, user=user)
    with db.transaction(catalog.factory) as s:
        stored = s.scalars(select(ApiToken.token_hash)).all()
        assert token not in stored and accounts.hash_token(token) in stored
        assert accounts.authenticate_token(s, token).username == "vanthu"
        s.execute(ApiToken.__table__.update().values(revoked_at=utcnow()))
    with pytest.raises(Unauthorized), db.transaction(catalog.factory) as s:
        accounts.authenticate_token(s, token)


def test_a_reader_sees_only_the_own_office_and_cleared_secrecy(catalog: Services) -> None:
    o1, u1, d1 = _office_user_dossier(catalog, "VPTU")
    o2, u2, d2 = _office_user_dossier(catalog, "VPHU")
    with db.transaction(catalog.factory) as s:
        s.add_all(
            [
                _doc(o1, u1, d1, "1" * 64),
                _doc(o1, u1, d1, "2" * 64, secrecy=1),
                _doc(o2, u2, d2, "3" * 64),
            ]
        )
        office = accounts.get_or_create_office(s, code="VPTU")
        reader = accounts.principal_of(accounts.create_user(s, username="r", role=Role.READER, office=office))
        cleared = accounts.principal_of(
            accounts.create_user(s, username="c", role=Role.READER, office=office, clearance=1)
        )
    with db.transaction(catalog.factory) as s:
        seen = set(s.scalars(select(Document.sha256).where(readable_documents(reader))))
        assert seen == {"1" * 64}
        seen = set(s.scalars(select(Document.sha256).where(readable_documents(cleared))))
        assert seen == {"1" * 64, "2" * 64}
