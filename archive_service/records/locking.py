"""WORM on closing: a closed dossier's bytes are locked in the blob store for as long as it must be kept.

NĐ 30/2020 Điều 29 (a closed dossier is kept whole and unchanged) and the retention it carries (Điều 29.2, counted
from closing; 160-CV/TW): the originals the dossier holds, their derivatives (searchable PDF), their page images
and the dossier's record files (mục lục văn bản, chứng từ kết thúc, …) get

- COMPLIANCE retention until ``closed_at + retention years`` for a dossier kept for a term — no credential, the
  store's administrator included, can delete them or shorten the date before then;
- a legal hold for a permanent dossier (vĩnh viễn): COMPLIANCE needs an end date and can never be lifted, while a
  permanent dossier has no end and leaves this service when the historical archive takes it; a legal hold has no
  end date and is lifted only by a deliberate, audited act (``release_dossier``).

Locks are never shortened (the store keeps the later date), so locking twice is harmless: a use case calls
``lock_dossier`` last, after its other work, and a retried close simply locks again. Nothing is locked when the
date is already past (a dossier closed long ago, recorded late).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.dossier_list import held_by
from archive_service.catalog.models import Derivative, Document, Dossier, PageImage, RecordFile
from archive_service.records import retention as ret
from archive_service.storage.base import BlobMissing, BlobStore


@dataclass(frozen=True)
class LockTerms:
    """How long: COMPLIANCE retention until an instant, or a legal hold (permanent)."""

    until: datetime | None
    legal_hold: bool

    def expired(self, now: datetime) -> bool:
        return not self.legal_hold and (self.until is None or self.until <= now)


@dataclass
class LockResult:
    """What ``lock_dossier`` did: the terms, how many blobs were locked, which keys were missing from the store."""

    terms: LockTerms
    locked: int = 0
    missing: list[str] = field(default_factory=list)
    expired: bool = False  # the retention had already run out: nothing locked
    worm_guaranteed: bool = False  # the store itself enforces the lock (S3 Object Lock), not only this program

    def details(self) -> dict[str, object]:
        """For the audit event of the use case that locked (close, transfer, appraisal)."""
        return {
            "locked_blobs": self.locked,
            "locked_until": self.terms.until.isoformat() if self.terms.until else None,
            "legal_hold": self.terms.legal_hold,
            "lock_expired": self.expired,
            "missing_blobs": self.missing,
            "worm_guaranteed": self.worm_guaranteed,
        }


def terms_for(dossiers: Iterable[Dossier]) -> LockTerms:
    """The strongest lock the dossiers call for: a legal hold if one is permanent, else the latest end of term.

    Only a closed dossier is locked: its retention counts from ``closed_at`` (an open one is a caller's error).
    """
    until: datetime | None = None
    for dossier in dossiers:
        if dossier.closed_at is None:
            raise ValueError(f"dossier {dossier.id} is not closed: nothing to count its retention from")
        retention = ret.parse(dossier.retention)
        if retention.permanent:
            return LockTerms(until=None, legal_hold=True)
        assert retention.years is not None
        end = ret.add_years_dt(_aware(dossier.closed_at), retention.years)
        if until is None or end > until:
            until = end
    return LockTerms(until=until, legal_hold=False)


def dossier_keys(session: Session, dossier: Dossier) -> list[str]:
    """Every blob key that belongs to the dossier: originals it holds (own and linked, not removed, not destroyed),
    their derivatives and page images, and its record files."""
    doc_ids = select(Document.id).where(held_by(dossier.id), Document.destroyed_at.is_(None))
    keys: list[str] = []
    keys += session.scalars(select(Document.storage_key).where(Document.id.in_(doc_ids)).order_by(Document.id))
    keys += session.scalars(
        select(Derivative.storage_key).where(Derivative.document_id.in_(doc_ids)).order_by(Derivative.id)
    )
    keys += session.scalars(
        select(PageImage.storage_key).where(PageImage.document_id.in_(doc_ids)).order_by(PageImage.id)
    )
    keys += session.scalars(
        select(RecordFile.storage_key)
        .where(RecordFile.owner_type == "dossier", RecordFile.owner_id == dossier.id)
        .order_by(RecordFile.id)
    )
    return list(dict.fromkeys(keys))  # one blob may serve twice (same bytes): lock it once


def lock_keys(blobs: BlobStore, keys: Iterable[str], terms: LockTerms, *, now: datetime | None = None) -> LockResult:
    """Lock each key on the terms (nothing when they have already run out); a key missing from the store is
    reported, not fatal — ``verify`` is the tool that finds and explains missing originals."""
    moment = _aware(now or datetime.now(UTC))
    result = LockResult(terms=terms, worm_guaranteed=blobs.worm_guaranteed)
    if terms.expired(moment):
        result.expired = True
        return result
    for key in keys:
        try:
            blobs.lock(key, until=terms.until, legal_hold=terms.legal_hold)
        except BlobMissing:
            result.missing.append(key)
            continue
        result.locked += 1
    return result


def lock_dossier(session: Session, blobs: BlobStore, dossier: Dossier, *, now: datetime | None = None) -> LockResult:
    """Lock everything the closed dossier holds until ``closed_at`` + retention (or a legal hold when permanent)
    and stamp ``locked_until`` / ``legal_hold`` on it (the date even when it has passed: it says when the lock
    ended)."""
    terms = terms_for([dossier])
    result = lock_keys(blobs, dossier_keys(session, dossier), terms, now=now)
    dossier.locked_until = terms.until
    dossier.legal_hold = terms.legal_hold and not result.expired
    session.flush()
    return result


def lock_record_files(
    session: Session,
    blobs: BlobStore,
    files: Iterable[RecordFile],
    dossiers: Iterable[Dossier],
    *,
    now: datetime | None = None,
) -> LockResult:
    """Lock files made after closing (a transfer's mục lục and biên bản, an appraisal's danh mục and biên bản hủy)
    for as long as the dossiers they speak of: a legal hold if one is permanent, else the latest end of term."""
    del session  # the same signature as lock_dossier: callers pass what they hold
    return lock_keys(blobs, [f.storage_key for f in files], terms_for(dossiers), now=now)


def release_dossier(session: Session, blobs: BlobStore, dossier: Dossier) -> int:
    """Lift the legal hold of a permanent dossier's blobs (the historical archive has taken it); the caller audits
    this act. COMPLIANCE retention, if any, stays: it cannot be lifted. Returns how many blobs were released."""
    released = 0
    for key in dossier_keys(session, dossier):
        try:
            blobs.release_hold(key)
        except BlobMissing:
            continue
        released += 1
    dossier.legal_hold = False
    session.flush()
    return released


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
