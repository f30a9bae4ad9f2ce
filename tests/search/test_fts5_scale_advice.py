"""Start-up advice to move to Elasticsearch once the embedded index holds more than FTS5 answers quickly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from archive_service.search.service import advise_search_backend, warm_up
from archive_service.services import Services, open_services
from indexers.search.fts5 import Fts5SearchIndex
from tests.conftest import make_settings
from tests.search.corpus import CORPUS


def _services(tmp_path: Path, limit: int) -> Iterator[Services]:
    services = open_services(make_settings("embedded", tmp_path, fts5_advised_max_documents=limit))
    services.search.upsert(CORPUS[:3])
    yield services
    services.close()


@pytest.fixture
def services(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Services]:
    yield from _services(tmp_path, int(request.param))


@pytest.mark.parametrize("services", [2], indirect=True)
def test_past_the_advised_size_start_up_advises_elasticsearch(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="archive_service.search.service"):
        advice = advise_search_backend(services)
    assert advice is not None
    assert "3 documents" in advice and "elasticsearch" in advice
    assert advice in caplog.text


@pytest.mark.parametrize("services", [3, 0], indirect=True)
def test_within_the_advised_size_or_switched_off_nothing_is_said(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="archive_service.search.service"):
        assert advise_search_backend(services) is None
    assert "Search at scale" not in caplog.text


@pytest.mark.parametrize("services", [0], indirect=True)
def test_start_up_loads_the_embedded_index_s_facet_values_before_a_search_needs_them(services: Services) -> None:
    index = services.search
    assert isinstance(index, Fts5SearchIndex)
    assert index._facet_values._held is None  # noqa: SLF001 - nothing searched yet
    warm_up(services)
    held = index._facet_values._held  # noqa: SLF001
    assert held is not None and held.loaded == len(CORPUS[:3])
