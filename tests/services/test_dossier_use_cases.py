"""Editing a dossier is one use case: the API and the web form leave the same jobs and the same audit event."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import AuditEvent, Job
from archive_service.services import Services
from tests.services.use_case_site import open_site
from tests.web.conftest import Web


@pytest.fixture
def web(backend_kind: str, tmp_path: Path) -> Iterator[Web]:
    """The app over the embedded and the real backends, reached by the API and the web pages."""
    yield from open_site(backend_kind, tmp_path)


EDIT = {
    "title": "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15",
    "meeting_body": "BCH",
    "meeting_number": "15",
    "meeting_date": "2024-04-02",
    "retention": "50-nam",
}


def _jobs(services: Services, dossier_id: int) -> list[tuple[str, int | None, str]]:
    with transaction(services.factory) as s:
        rows = s.execute(
            select(Job.kind, Job.document_id, Job.state).where(Job.dossier_id == dossier_id).order_by(Job.id)
        )
        return [(str(kind), doc, str(state)) for kind, doc, state in rows]


def _update_events(services: Services, dossier_id: int) -> list[dict[str, object] | None]:
    with transaction(services.factory) as s:
        rows = s.scalars(
            select(AuditEvent.details).where(
                AuditEvent.action == "dossier.update", AuditEvent.object_id == str(dossier_id)
            )
        )
        return list(rows)


def test_the_web_edit_and_the_api_edit_of_a_dossier_queue_the_same_jobs(web: Web) -> None:
    h = web.harness
    by_api, by_web = h.new_dossier(), h.new_dossier()
    assert _jobs(h.services, by_api) == _jobs(h.services, by_web) == []

    response = h.client.patch(f"/api/v1/dossiers/{by_api}", json=EDIT, headers=h.archivist.headers)
    assert response.status_code == 200, response.text
    client = web.login("vanthu")
    form = {**EDIT, "meeting_date": "02/04/2024", "csrf_token": web.csrf(client, f"/ho-so/{by_web}/sua")}
    response = client.post(f"/ho-so/{by_web}/sua", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text

    assert _jobs(h.services, by_api) == _jobs(h.services, by_web) == [("check-dossier", None, "queued")]
    assert _update_events(h.services, by_api) == _update_events(h.services, by_web) == [EDIT]


def test_editing_a_dossier_twice_before_its_check_runs_queues_one_check(web: Web) -> None:
    h = web.harness
    dossier = h.new_dossier()
    for number in ("15", "16"):
        response = h.client.patch(
            f"/api/v1/dossiers/{dossier}", json={"meeting_number": number}, headers=h.archivist.headers
        )
        assert response.status_code == 200, response.text
    assert _jobs(h.services, dossier) == [("check-dossier", None, "queued")]


def test_a_dossier_edit_refused_to_a_reader_on_the_web_queues_nothing(web: Web) -> None:
    h = web.harness
    dossier = h.new_dossier()
    client = web.login("doc")
    form = {**EDIT, "meeting_date": "02/04/2024", "csrf_token": web.csrf(client)}
    response = client.post(f"/ho-so/{dossier}/sua", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert _jobs(h.services, dossier) == []
    assert _update_events(h.services, dossier) == []
