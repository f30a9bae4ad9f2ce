"""The state machine of a dossier: every step, from every state, by every role (records/lifecycle.py).

A step is allowed only from its source states, by its roles, in the caller's own office (admins anywhere), and
never while a hold is on the dossier; each allowed move stamps the state and writes its audit event.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog import accounts
from archive_service.catalog.access import Principal
from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Dossier, DossierState, Hold, Role
from archive_service.errors import Conflict, Forbidden
from archive_service.records import lifecycle
from archive_service.services import Services, open_services
from tests.conftest import make_settings

EXPECTED_PATHS = {
    # The issue's diagram (NĐ 30/2020 Điều 29–31; 29-HD/VPTW), step by step.
    ("close", "open", "closed"),
    ("keep", "closed", "kept-by-unit"),
    ("transfer-office", "closed", "office-archive"),
    ("transfer-office", "kept-by-unit", "office-archive"),
    ("transfer-historical", "office-archive", "historical-archive"),
    ("appraise", "closed", "under-appraisal"),
    ("appraise", "office-archive", "under-appraisal"),
    ("keep-after-appraisal", "under-appraisal", "office-archive"),
    ("approve-destruction", "under-appraisal", "destruction-approved"),
    ("destroy", "destruction-approved", "destroyed"),
}
HEAD_ONLY = {"keep-after-appraisal", "approve-destruction", "destroy"}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    services = open_services(make_settings("embedded", Path(tmp_path_factory.mktemp("lifecycle"))))
    yield services
    services.close()


def _principal(session: Session, role: Role, office: str) -> Principal:
    office_row = accounts.get_or_create_office(session, code=office)
    username = f"{role.value}-{office.lower()}"
    user = accounts.find_user(session, username) or accounts.create_user(
        session, username=username, role=role, office=office_row
    )
    return Principal(user_id=user.id, username=username, role=role, office_id=office_row.id)


def _dossier(session: Session, owner: Principal, state: str) -> Dossier:
    dossier = Dossier(
        office_id=owner.office_id, title="Hồ sơ công việc", kind="cong-viec", state=state, created_by=owner.user_id
    )
    session.add(dossier)
    session.flush()
    return dossier


def test_the_steps_are_exactly_the_issue_s_paths() -> None:
    found = {(s.name, src.value, s.target.value) for s in lifecycle.STEPS.values() for src in s.sources}
    assert found == EXPECTED_PATHS
    assert set(lifecycle.STATE_LABELS) == {s.value for s in DossierState}


@pytest.mark.parametrize(
    ("step", "state", "role"),
    list(product(sorted(lifecycle.STEPS), [s.value for s in DossierState], list(Role))),
)
def test_each_step_from_each_state_by_each_role(catalog: Services, step: str, state: str, role: Role) -> None:
    with transaction(catalog.factory) as session:
        owner = _principal(session, Role.ARCHIVIST, "VPTU")
        caller = _principal(session, role, "VPTU")
        dossier = _dossier(session, owner, state)
        legal = any(s == step and src == state for s, src, _ in EXPECTED_PATHS)
        role_ok = role is Role.ADMIN or (role is Role.ARCHIVIST and step not in HEAD_ONLY)
        if not role_ok:
            with pytest.raises(Forbidden) as refused:
                lifecycle.move(session, caller, dossier, step, addr="test")
            assert refused.value.code == "AUTH-FORBIDDEN-ROLE"
        elif not legal:
            with pytest.raises(Conflict) as refused_state:
                lifecycle.move(session, caller, dossier, step, addr="test")
            assert refused_state.value.code == "DOSSIER-STATE-INVALID"
            assert dossier.state == state
        else:
            lifecycle.move(session, caller, dossier, step, addr="test")
            assert dossier.state == lifecycle.STEPS[step].target.value
            event = session.scalars(
                select(AuditEvent).where(AuditEvent.object_type == "dossier", AuditEvent.object_id == str(dossier.id))
            ).one()
            assert event.action == f"dossier.{step}"
            assert event.details == {"from": state, "to": dossier.state}
            assert event.user_id == caller.user_id
        session.rollback()


def test_an_archivist_of_another_office_cannot_move_a_dossier(catalog: Services) -> None:
    with transaction(catalog.factory) as session:
        owner = _principal(session, Role.ARCHIVIST, "VPTU")
        stranger = _principal(session, Role.ARCHIVIST, "VPHU")
        dossier = _dossier(session, owner, "open")
        with pytest.raises(Forbidden) as refused:
            lifecycle.move(session, stranger, dossier, "close", addr=None)
        assert refused.value.code == "AUTH-FORBIDDEN-OFFICE"
        assert lifecycle.allowed_steps(dossier, stranger) == []
        assert [s.name for s in lifecycle.allowed_steps(dossier, owner)] == ["close"]
        session.rollback()


@pytest.mark.parametrize("on", ["dossier", "document"])
def test_no_step_while_a_hold_is_on_the_dossier_and_every_step_again_once_lifted(catalog: Services, on: str) -> None:
    from archive_service.catalog.models import Document, utcnow

    with transaction(catalog.factory) as session:
        owner = _principal(session, Role.ARCHIVIST, "VPTU")
        admin = _principal(session, Role.ADMIN, "VPTU")
        dossier = _dossier(session, owner, "closed")
        doc = Document(
            office_id=owner.office_id,
            dossier_id=dossier.id,
            sha256="a" * 64,
            size=1,
            media_type="application/pdf",
            original_filename="a.pdf",
            storage_key="k",
            uploaded_by=owner.user_id,
        )
        session.add(doc)
        session.flush()
        hold = Hold(
            office_id=owner.office_id,
            reason="Thanh tra đang xem xét",
            placed_by=admin.user_id,
            dossier_id=dossier.id if on == "dossier" else None,
            document_ids=[doc.id] if on == "document" else None,
        )
        session.add(hold)
        session.flush()
        for step in ("keep", "transfer-office", "appraise"):
            with pytest.raises(Conflict) as refused:
                lifecycle.move(session, owner, dossier, step, addr=None)
            assert refused.value.code == "RECORD-FROZEN"
            assert "Thanh tra đang xem xét" in refused.value.message
        hold.lifted_at = utcnow()
        session.flush()
        lifecycle.move(session, owner, dossier, "transfer-office", addr=None)
        assert dossier.state == "office-archive"
        session.rollback()


def test_a_closed_dossier_s_contents_cannot_change(catalog: Services) -> None:
    with transaction(catalog.factory) as session:
        owner = _principal(session, Role.ARCHIVIST, "VPTU")
        open_one = _dossier(session, owner, "open")
        lifecycle.refuse_unless_open(session, open_one)
        for state in [s.value for s in DossierState if s is not DossierState.OPEN]:
            closed = _dossier(session, owner, state)
            with pytest.raises(Conflict) as refused:
                lifecycle.refuse_unless_open(session, closed)
            assert refused.value.code == "DOSSIER-CLOSED"
            assert lifecycle.STATE_LABELS[state] in refused.value.message
        session.rollback()
