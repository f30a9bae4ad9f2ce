"""A cluster's shards and replicas reach every index the service makes (first index and rebuilds)."""

from __future__ import annotations

import uuid

import pytest

from indexers.search.elastic import ElasticsearchSearchIndex
from tests.search.conftest import EsSession


def _index_settings(es: EsSession, alias: str) -> dict[str, str]:
    (name,) = es.client.indices.get_alias(name=alias).body
    return dict(es.client.indices.get_settings(index=name).body[name]["settings"]["index"])


@pytest.mark.real
def test_the_first_index_and_a_rebuild_take_the_configured_shards_and_replicas(es_session: EsSession) -> None:
    prefix = f"{es_session.prefix}-{uuid.uuid4().hex[:8]}"
    index = ElasticsearchSearchIndex(es_session.client, prefix=prefix, refresh=True, shards=2, replicas=0)
    index.ensure_schema()
    first = _index_settings(es_session, prefix)
    assert (first["number_of_shards"], first["number_of_replicas"]) == ("2", "0")
    assert "auto_expand_replicas" not in first
    index.reindex([])
    rebuilt = _index_settings(es_session, prefix)
    assert rebuilt["number_of_shards"] == "2" and rebuilt["provided_name"] != first["provided_name"]


@pytest.mark.real
def test_without_settings_a_single_node_keeps_one_shard_and_expanding_replicas(es_session: EsSession) -> None:
    prefix = f"{es_session.prefix}-{uuid.uuid4().hex[:8]}"
    ElasticsearchSearchIndex(es_session.client, prefix=prefix).ensure_schema()
    settings = _index_settings(es_session, prefix)
    assert settings["number_of_shards"] == "1" and settings["auto_expand_replicas"] == "0-1"
