"""Streaming helpers shared by the backends: memory stays flat whatever the size of the source."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

from schemas.search import SearchDocument

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, pulled from ``items`` as they are needed."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def last_per_id(docs: Sequence[SearchDocument]) -> list[SearchDocument]:
    """One document per document_id, the last one given winning (an upsert of a batch with repeats)."""
    return list({doc.document_id: doc for doc in docs}.values())
