"""A new index layout after an upgrade: changes wait, one rebuild is queued, the workers apply it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch
from sqlalchemy import func, select

from archive_service.catalog.db import transaction
from archive_service.catalog.models import IndexOutbox, Job
from archive_service.search.service import REBUILD_JOB, drain_outbox, queue_rebuild_if_outdated
from archive_service.workers.jobs import run_pending_jobs
from indexers.search.elastic import ElasticsearchSearchIndex, schema_version
from tests.conftest import Harness, build_harness, make_settings
from tests.samples import tiny_pdf


@pytest.fixture
def real_harness(tmp_path: Path) -> Iterator[Harness]:
    yield from build_harness(make_settings("real", tmp_path))


def _count(h: Harness, model: type[IndexOutbox] | type[Job], *where: object) -> int:
    with transaction(h.services.factory) as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


def _upload(h: Harness, dossier: int, name: str, text: str) -> None:
    files = {"files": (name, tiny_pdf(text), "application/pdf")}
    response = h.client.post(f"/api/v1/dossiers/{dossier}/documents", files=files, headers=h.archivist.headers)
    assert response.status_code == 201, response.text


def _hits(h: Harness, q: str) -> int:
    response = h.client.get("/api/v1/search", params={"q": q}, headers=h.archivist.headers)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


@pytest.mark.real
def test_an_index_of_an_older_layout_is_rebuilt_once_by_the_workers(real_harness: Harness) -> None:
    h = real_harness
    settings = h.services.settings
    dossier = h.new_dossier()
    _upload(h, dossier, "truoc.pdf", "Bien ban hoi nghi truoc nang cap")
    run_pending_jobs(h.services)
    drain_outbox(h.services)
    assert _hits(h, "nang cap") == 1

    # What an upgrade finds: the alias on an index of the previous mapping version.
    client = Elasticsearch(settings.es_url)
    old = f"{settings.es_index_prefix}-v{schema_version() - 1}-20250101000000000000"
    client.indices.create(index=old, mappings={"dynamic": "strict", "properties": {"document_id": {"type": "keyword"}}})
    current = list(client.indices.get_alias(name=settings.es_index_prefix).body)
    client.indices.update_aliases(
        actions=[
            *({"remove": {"index": i, "alias": settings.es_index_prefix}} for i in current),
            {"add": {"index": old, "alias": settings.es_index_prefix, "is_write_index": True}},
        ]
    )
    h.services.search = ElasticsearchSearchIndex(client, prefix=settings.es_index_prefix, refresh=True)
    assert not h.services.search.schema_is_current()

    # A change made now waits in the outbox: the old mapping would refuse it.
    _upload(h, dossier, "sau.pdf", "Bien ban hoi nghi sau nang cap")
    run_pending_jobs(h.services)
    assert drain_outbox(h.services) == 0 and _count(h, IndexOutbox) > 0

    assert queue_rebuild_if_outdated(h.services) and queue_rebuild_if_outdated(h.services)
    assert _count(h, Job, Job.kind == REBUILD_JOB) == 1  # queued once, however many processes start

    run_pending_jobs(h.services)
    drain_outbox(h.services)
    assert h.services.search.schema_is_current()
    assert not client.indices.exists(index=old)
    assert _count(h, Job, Job.kind == REBUILD_JOB, Job.state == "done") == 1
    assert _hits(h, "nang cap") == 2 and _count(h, IndexOutbox) == 0
    assert not queue_rebuild_if_outdated(h.services)
    client.close()
