"""The API token's principal is remembered briefly, and never past a revocation, a user change or its TTL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from archive_service.accounts import service as accounts_service
from archive_service.accounts.token_cache import PrincipalCache, cache_for
from archive_service.catalog.access import Principal
from archive_service.catalog.accounts import hash_token
from archive_service.catalog.db import transaction
from archive_service.catalog.models import ApiToken, Role, User
from tests.conftest import Actor, Harness, build_harness, make_settings


def _get(h: Harness, actor: Actor) -> Any:
    return h.client.get("/api/v1/dossiers", headers=actor.headers)


def _token_id(h: Harness, actor: Actor) -> int:
    with transaction(h.services.factory) as s:
        return s.scalars(select(ApiToken.id).where(ApiToken.token_hash == hash_token(actor.token))).one()


def _user_id(h: Harness, actor: Actor) -> int:
    with transaction(h.services.factory) as s:
        return s.scalars(select(User.id).where(User.username == actor.username)).one()


def test_a_revoked_token_is_refused_on_the_next_request_in_the_same_process(harness: Harness) -> None:
    assert _get(harness, harness.archivist).status_code == 200  # now cached
    assert cache_for(harness.services.factory).get(hash_token(harness.archivist.token)) is not None
    token_id = _token_id(harness, harness.archivist)
    user_id = _user_id(harness, harness.archivist)
    revoked = harness.client.delete(f"/api/v1/users/{user_id}/tokens/{token_id}", headers=harness.admin.headers)
    assert revoked.status_code == 200, revoked.text
    refused = _get(harness, harness.archivist)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "AUTH-INVALID-TOKEN"


def test_a_disabled_user_or_a_lowered_clearance_is_seen_on_the_next_request(harness: Harness) -> None:
    admin = harness.admin
    reader_id = _user_id(harness, harness.reader)
    assert _get(harness, harness.reader).status_code == 200
    raised = harness.client.patch(f"/api/v1/users/{reader_id}", json={"clearance": 2}, headers=admin.headers)
    assert raised.status_code == 200, raised.text
    principal = accounts_service.token_principal(harness.services, harness.reader.token)
    assert principal.clearance == 2  # the change is read, not the cached clearance 0
    lowered = harness.client.patch(f"/api/v1/users/{reader_id}", json={"role": "auditor"}, headers=admin.headers)
    assert lowered.status_code == 200, lowered.text
    assert accounts_service.token_principal(harness.services, harness.reader.token).role is Role.AUDITOR
    disabled = harness.client.patch(f"/api/v1/users/{reader_id}", json={"active": False}, headers=admin.headers)
    assert disabled.status_code == 200, disabled.text
    assert _get(harness, harness.reader).status_code == 401


def test_a_change_made_behind_the_process_is_seen_once_the_ttl_has_passed(tmp_path: Path) -> None:
    """Another process (here: a write straight to the catalog) is bounded by the TTL, here 0: never cached."""
    settings = make_settings("embedded", tmp_path).model_copy(update={"token_cache_s": 0.0})
    for h in build_harness(settings):
        assert _get(h, h.archivist).status_code == 200
        assert cache_for(h.services.factory).get(hash_token(h.archivist.token)) is None
        with transaction(h.services.factory) as s:
            s.execute(update(User).where(User.username == h.archivist.username).values(active=False))
        assert _get(h, h.archivist).status_code == 401


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


_PRINCIPAL = Principal(user_id=7, username="vanthu", role=Role.ARCHIVIST, office_id=1, all_offices=False, clearance=0)


def test_a_cached_principal_never_outlives_its_ttl() -> None:
    clock = _Clock()
    cache = PrincipalCache(clock)
    cache.put("h", _PRINCIPAL, ttl_s=2.0, generation=cache.generation)
    assert cache.get("h") == _PRINCIPAL
    clock.now += 1.999
    assert cache.get("h") == _PRINCIPAL
    clock.now += 0.001
    assert cache.get("h") is None


def test_an_answer_read_before_an_invalidation_is_not_kept() -> None:
    cache = PrincipalCache(_Clock())
    generation = cache.generation  # a look-up starts
    cache.invalidate()  # a revocation commits meanwhile
    cache.put("h", _PRINCIPAL, ttl_s=60.0, generation=generation)
    assert cache.get("h") is None
