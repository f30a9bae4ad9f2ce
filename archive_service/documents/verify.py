"""Drift between the catalog and the blob store (missing, corrupt and orphaned blobs), and documents stuck in
processing with no live job to finish them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from archive_service.catalog.blob_refs import referenced_blobs
from archive_service.catalog.db import transaction
from archive_service.jobs.recovery import stuck_documents
from archive_service.services import Services
from archive_service.storage.base import BlobLocked, sha256_of_key


@dataclass
class Drift:
    checked_rows: int = 0
    checked_blobs: int = 0
    missing: list[tuple[int, str]] = field(default_factory=list)  # (document id, key): row without blob
    corrupt: list[tuple[int, str]] = field(default_factory=list)  # blob no longer hashes to its key
    orphans: list[str] = field(default_factory=list)  # blob no row references
    removed_orphans: list[str] = field(default_factory=list)
    locked_orphans: list[str] = field(default_factory=list)  # under Object Lock: kept until its retention ends
    stuck: list[tuple[int, datetime]] = field(default_factory=list)  # (document id, since): processing, no live job

    @property
    def clean(self) -> bool:
        return not (self.missing or self.corrupt or self.stuck or (set(self.orphans) - set(self.removed_orphans)))


def verify(
    services: Services,
    *,
    deep: bool = True,
    repair: bool = False,
    orphan_grace: timedelta = timedelta(hours=1),
    progress: Callable[[int], None] | None = None,
) -> Drift:
    """Check every row's blob (and its SHA-256 when ``deep``); find blobs no row references.

    With ``repair``, orphans whose upload is older than ``orphan_grace`` are deleted: a blob
    younger than that may belong to an upload whose row is being committed right now.
    """
    drift = Drift()
    referenced: set[str] = set()
    with transaction(services.factory) as session:
        drift.stuck = stuck_documents(session, lease=timedelta(seconds=services.settings.job_lease_s))
        rows = [(int(owner), str(key), str(sha)) for owner, key, sha, *_ in session.execute(referenced_blobs())]
    for doc_id, key, sha in rows:
        referenced.add(key)
        drift.checked_rows += 1
        info = services.blobs.stat(key)
        if info is None:
            drift.missing.append((doc_id, key))
        elif deep and not services.blobs.verify(key, sha256=sha):
            drift.corrupt.append((doc_id, key))
        if progress:
            progress(1)
    cutoff = datetime.now(UTC) - orphan_grace
    for key in services.blobs.iter_keys():
        drift.checked_blobs += 1
        if key in referenced:
            continue
        drift.orphans.append(key)
        if repair and sha256_of_key(key) is not None and _blob_time(services, key) <= cutoff:
            try:
                services.blobs.delete(key)
            except BlobLocked:
                drift.locked_orphans.append(key)
                continue
            drift.removed_orphans.append(key)
    return drift


def _blob_time(services: Services, key: str) -> datetime:
    """When the blob was written; 'now' when the store cannot tell (so it is never taken as old)."""
    info = services.blobs.stat(key)
    if info is None or info.modified_at is None:
        return datetime.now(UTC)
    return info.modified_at
