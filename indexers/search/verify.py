"""Drift between the catalog (the system of record) and the search index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, Field


class IndexDrift(BaseModel):
    """Documents missing from the index, indexed from older content, or indexed but gone from the catalog."""

    missing: list[str] = Field(default_factory=list)
    stale: list[str] = Field(default_factory=list)
    orphaned: list[str] = Field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when the index matches the catalog exactly."""
        return not (self.missing or self.stale or self.orphaned)


def find_drift(expected: Iterable[tuple[str, str]], indexed: Mapping[str, str]) -> IndexDrift:
    """Compare (document_id, content_hash) pairs from the catalog with ``SearchIndex.indexed_hashes()``."""
    drift = IndexDrift()
    seen: set[str] = set()
    for document_id, content_hash in expected:
        seen.add(document_id)
        stored = indexed.get(document_id)
        if stored is None:
            drift.missing.append(document_id)
        elif stored != content_hash:
            drift.stale.append(document_id)
    drift.orphaned = sorted(set(indexed) - seen)
    drift.missing.sort()
    drift.stale.sort()
    return drift
