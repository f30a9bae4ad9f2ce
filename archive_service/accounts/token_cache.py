"""The principal of an API token, remembered for a few seconds so that a request does not cost a catalog look-up.

Security: the cache only shortens how long a change takes to be seen, never whether it is. Entries are keyed by
the token's SHA-256 (the clear token is never kept), live at most ``Settings.token_cache_s`` seconds, and every
use case that revokes a token or changes a user (disable, role, office, clearance, office grant) empties the
cache of its catalog at once after its commit. Another process (a second ``serve``, the CLI) sees such a change
when its own entries expire: the TTL is the cross-process bound.

A look-up that started before an invalidation does not store its (possibly stale) answer: each invalidation
moves a generation counter, and ``put`` only keeps answers read under the current one.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

from archive_service.catalog.access import Principal

# Enough for every client of a busy office; past it the oldest half is dropped (a look-up costs one query).
MAX_ENTRIES: Final = 4096


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    expires: float


class PrincipalCache:
    """Token hash → principal, each for at most ``ttl_s`` seconds; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._generation = 0

    @property
    def generation(self) -> int:
        """Read before a catalog look-up and handed back to ``put``."""
        return self._generation

    def get(self, token_hash: str) -> Principal | None:
        """The principal while its entry is younger than its TTL, else None (and the entry is dropped)."""
        with self._lock:
            entry = self._entries.get(token_hash)
            if entry is None:
                return None
            if self._clock() >= entry.expires:
                del self._entries[token_hash]
                return None
            return entry.principal

    def put(self, token_hash: str, principal: Principal, *, ttl_s: float, generation: int) -> None:
        """Remember an answer read under ``generation``; nothing when the TTL is 0 or an invalidation came since."""
        if ttl_s <= 0:
            return
        with self._lock:
            if generation != self._generation:
                return
            if len(self._entries) >= MAX_ENTRIES:
                for key in list(self._entries)[: MAX_ENTRIES // 2]:
                    del self._entries[key]
            self._entries[token_hash] = _Entry(principal, self._clock() + ttl_s)

    def invalidate(self) -> None:
        """Forget every principal (a token revoked, a user changed): the next request reads the catalog."""
        with self._lock:
            self._generation += 1
            self._entries.clear()


# One cache per catalog (its session factory), so that two catalogs in one process (tests) never share answers.
_CACHES: weakref.WeakKeyDictionary[object, PrincipalCache] = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def cache_for(catalog: object) -> PrincipalCache:
    """The principal cache of a catalog, keyed by its session factory."""
    with _CACHES_LOCK:
        cache = _CACHES.get(catalog)
        if cache is None:
            cache = _CACHES[catalog] = PrincipalCache()
        return cache


@contextmanager
def invalidating(catalog: object) -> Iterator[None]:
    """Around a use case's transaction: empty the cache once it has ended (committed or not).

    Listed before ``transaction(...)`` in one ``with``, it exits after the commit, so no request can read the old
    state after the invalidation and keep it.
    """
    try:
        yield
    finally:
        cache_for(catalog).invalidate()
