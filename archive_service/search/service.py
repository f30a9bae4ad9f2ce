"""The catalog's side of search: building index entries, draining the outbox, reindex, drift, queries.

The index is derived data: every entry is built from a catalog row, and ``reindex_all`` can rebuild
the whole index from the catalog at any time. ``search_for`` is the one search use case of the API and the
web page: it narrows the query to what the caller may see, audits it, and turns a failing search engine
into one refusal (503) that both edges show.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete, select, update

from archive_service.catalog import audit, links
from archive_service.catalog.access import Principal, readable_dossiers
from archive_service.catalog.db import transaction
from archive_service.catalog.dossier_list import removed_from
from archive_service.catalog.models import (
    Document,
    DocumentStatus,
    Dossier,
    DossierLink,
    FindingRow,
    IndexOutbox,
    Job,
    JobKind,
    JobState,
    Office,
)
from archive_service.config import SearchBackend
from archive_service.errors import AppError, ServiceUnavailable
from archive_service.jobs.enqueue import enqueue
from archive_service.services import Services
from indexers.search.base import SearchError, SearchUnavailable
from indexers.search.documents import build_search_document
from indexers.search.verify import IndexDrift, find_drift
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from schemas.search import SIGNATURE_FILTERS, SearchDocument, SearchQuery, SearchResult, SecrecyLevel, SignatureFilter

log = logging.getLogger(__name__)


def to_search_document(doc: Document, findings: list[Finding], dossier_ids: list[int]) -> SearchDocument:
    """The index entry of a catalog row: one flat document per file, with every dossier that holds it now."""
    checked = doc.status in (DocumentStatus.CHECKED.value, DocumentStatus.FAILED.value)
    return build_search_document(
        document_id=str(doc.id),
        office_id=doc.office_id,
        dossier_id=doc.dossier_id,
        dossier_ids=dossier_ids,
        filename=doc.original_filename,
        text=doc.text or "",
        fields=DocumentFields.model_validate(doc.fields or {}),
        findings=findings if checked else None,
        uploaded_at=doc.uploaded_at,
        secrecy=min(max(doc.secrecy_level, 0), 3),
        signatures=_signature_report(doc),
    )


def _signature_report(doc: Document) -> list[dict[str, Any]]:
    """The stored per-signature report of a catalog row (``parse_info["signatures"]``), [] when none."""
    report = (doc.parse_info or {}).get("signatures")
    return [entry for entry in report if isinstance(entry, dict)] if isinstance(report, list) else []


def _findings(services: Services, ids: list[int]) -> dict[int, list[Finding]]:
    found: dict[int, list[Finding]] = defaultdict(list)
    if not ids:
        return found
    with transaction(services.factory) as session:
        for row in session.scalars(select(FindingRow).where(FindingRow.document_id.in_(ids))):
            if row.document_id is not None:
                found[row.document_id].append(
                    Finding(
                        code=row.code,
                        severity=Severity(row.severity),
                        message=row.message,
                        hint=row.hint,
                        clause=row.clause,
                    )
                )
    return found


def _dossiers_holding(services: Services, ids: list[int]) -> dict[int, list[int]]:
    """Per document, the dossiers that hold it now: its own unless removed from it, and those it is linked into.

    One query for the batch, on the catalog's own definition (``links.memberships`` less ``removed_from``),
    so that the index filters a dossier exactly as its page lists it.
    """
    held: dict[int, list[int]] = defaultdict(list)
    if not ids:
        return held
    pairs = links.memberships().subquery("held_pairs")
    with transaction(services.factory) as session:
        rows = session.execute(
            select(pairs.c.document_id, pairs.c.dossier_id)
            .join(Document, Document.id == pairs.c.document_id)
            .where(pairs.c.document_id.in_(ids), pairs.c.dossier_id.is_not(None), ~removed_from(pairs.c.dossier_id))
            .order_by(pairs.c.document_id, pairs.c.dossier_id)
        ).all()
    for document_id, dossier_id in rows:
        held[int(document_id)].append(int(dossier_id))
    return held


def _index_changes(services: Services, doc_ids: list[int]) -> tuple[list[SearchDocument], list[str]]:
    """The entries to write for ``doc_ids`` (as the catalog has them now) and the ids to delete (gone)."""
    with transaction(services.factory) as session:
        docs = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))}
    found = _findings(services, list(docs))
    held = _dossiers_holding(services, list(docs))
    # A destroyed document (appraisals/destruction.py) keeps its row as a tombstone but leaves the index.
    live = {i: d for i, d in docs.items() if d.destroyed_at is None}
    upserts = [to_search_document(live[i], found.get(i, []), held.get(i, [])) for i in doc_ids if i in live]
    return upserts, [str(i) for i in doc_ids if i not in live]


def drain_outbox(services: Services, *, batch: int = 200) -> int:
    """Send pending index changes to the search engine; returns how many entries were applied.

    With the engine down, the entries stay (their attempt count and error are recorded) and the
    next call tries again: an upload never waits for, or fails because of, the index.
    """
    applied = 0
    while True:
        with transaction(services.factory) as session:
            rows = session.execute(
                select(IndexOutbox.id, IndexOutbox.document_id).order_by(IndexOutbox.id).limit(batch)
            ).all()
        if not rows:
            return applied
        outbox_ids = [r.id for r in rows]
        try:
            services.search.ensure_schema()
            if not services.search.schema_is_current():
                # Written to an index of an older layout, the changes would be refused or lost with it:
                # they wait for the rebuild (queued at start), which re-reads the catalog.
                log.info("search index has an older layout: %d change(s) wait for its rebuild", len(outbox_ids))
                return applied
            upserts, deletes = _index_changes(services, sorted({r.document_id for r in rows}))
            if upserts:
                services.search.upsert(upserts)
            if deletes:
                services.search.delete(deletes)
        except SearchError as exc:
            with transaction(services.factory) as session:
                session.execute(
                    update(IndexOutbox)
                    .where(IndexOutbox.id.in_(outbox_ids))
                    .values(attempts=IndexOutbox.attempts + 1, last_error=str(exc)[:2000])
                )
            if isinstance(exc, SearchUnavailable):
                log.warning("search index unavailable, %d change(s) wait in the outbox", len(outbox_ids))
                return applied
            raise
        with transaction(services.factory) as session:
            session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_(outbox_ids)))
        applied += len(outbox_ids)


def iter_search_documents(services: Services, *, chunk: int = 500) -> Iterator[SearchDocument]:
    """Every catalog document as an index entry, read in chunks (memory stays flat)."""
    last_id = 0
    while True:
        with transaction(services.factory) as session:
            docs = list(
                session.scalars(
                    select(Document)
                    .where(Document.id > last_id, Document.destroyed_at.is_(None))
                    .order_by(Document.id)
                    .limit(chunk)
                )
            )
        if not docs:
            return
        found = _findings(services, [d.id for d in docs])
        held = _dossiers_holding(services, [d.id for d in docs])
        for doc in docs:
            yield to_search_document(doc, found.get(doc.id, []), held.get(doc.id, []))
        last_id = docs[-1].id


def reindex_all(services: Services, *, batch_size: int = 500) -> int:
    """Build a fresh index from the catalog and swap it in.

    Outbox entries older than the start are covered by the new index. A change drained while the
    rebuild ran went to the old index, which the swap drops: every document changed since the start
    is queued again, so nothing is lost.
    """
    started = datetime.now(UTC) - timedelta(seconds=1)
    with transaction(services.factory) as session:
        high_water = session.scalar(select(IndexOutbox.id).order_by(IndexOutbox.id.desc()).limit(1)) or 0
    count = services.search.reindex(iter_search_documents(services), batch_size=batch_size)
    with transaction(services.factory) as session:
        session.execute(delete(IndexOutbox).where(IndexOutbox.id <= high_water))
        changed = set(session.scalars(select(Document.id).where(Document.updated_at >= started)))
        # A link changes no document row, yet files the document in one more dossier.
        changed.update(session.scalars(select(DossierLink.document_id).where(DossierLink.linked_at >= started)))
        session.add_all(IndexOutbox(document_id=doc_id, op="upsert") for doc_id in sorted(changed))
    return count


REBUILD_JOB: Final = JobKind.REBUILD_SEARCH_INDEX


def queue_rebuild_if_outdated(services: Services) -> bool:
    """Queue one rebuild of the search index when it was built by an older layout; True if one is queued.

    The index is derived data: a new mapping version is applied by rebuilding it from the catalog
    (``reindex_all``) in a worker, while the old index keeps answering until the swap.
    """
    if services.search.schema_is_current():
        return False
    with transaction(services.factory) as session:
        pending = session.scalar(
            select(Job.id).where(Job.kind == REBUILD_JOB, Job.state.in_((JobState.QUEUED, JobState.RUNNING))).limit(1)
        )
        if pending is None:
            enqueue(session, REBUILD_JOB)
            log.warning("search index has an older layout: a rebuild is queued")
    return True


def advise_search_backend(services: Services) -> str | None:
    """The advice to move to Elasticsearch when the embedded index holds more than it answers quickly.

    FTS5 scores every match of a query (bm25 has no top-k shortcut), so its latency grows with the
    catalog; past ``fts5_advised_max_documents`` (measured, README "Search at scale") the start-up log
    says so once. Returns the advice, or None when there is none to give.
    """
    settings = services.settings
    limit = settings.fts5_advised_max_documents
    if settings.search_backend is not SearchBackend.FTS5 or limit <= 0:
        return None
    indexed = services.search.count()
    if indexed <= limit:
        return None
    advice = (
        f"search index holds {indexed} documents, more than the {limit} the embedded FTS5 backend answers "
        "within 100 ms (p95): set ARCHIVE_SEARCH_BACKEND=elasticsearch (README, 'Search at scale')"
    )
    log.warning(advice)
    return advice


def warm_up(services: Services) -> None:
    """Load what the embedded index holds in memory for its facets, before the first user's search waits for it.

    ~0.15 s at 20,000 documents, ~0.7 s at 100,000 (README "Search at scale"), once per ``serve`` process at
    start. The search matches nothing (no office) and its answer is dropped: it shows nothing to anyone.
    Elasticsearch keeps its own: nothing to do there.
    """
    if services.settings.search_backend is SearchBackend.FTS5:
        services.search.search(SearchQuery(office_ids=[], facet_size=1, page_size=1))


def index_drift(services: Services) -> IndexDrift:
    """Documents missing from the index, stale in it, or indexed but gone from the catalog."""
    services.search.ensure_schema()
    expected = ((d.document_id, d.content_hash()) for d in iter_search_documents(services))
    return find_drift(expected, services.search.indexed_hashes())


def _offices_in_scope(principal: Principal, asked: list[int] | None) -> list[int] | None:
    """The offices a query may match: those asked for (None: any) that the caller may read.

    An office the caller may not read is dropped, so asking for it matches nothing, exactly as an office
    with no documents would.
    """
    if principal.sees_every_office:
        return asked
    if asked is None:
        return [principal.office_id]
    return [office_id for office_id in asked if office_id == principal.office_id]


def _engine_refusal(exc: SearchError) -> ServiceUnavailable:
    """What the caller is told when the search engine fails: 503 either way, with what they may do about it."""
    if isinstance(exc, SearchUnavailable):
        return ServiceUnavailable(
            "SEARCH-UNAVAILABLE",
            "Máy tìm kiếm tạm thời không truy cập được; văn bản vẫn được lưu bình thường. Hãy thử lại sau.",
        )
    log.error("search engine refused a query: %s", exc)
    return ServiceUnavailable(
        "SEARCH-FAILED",
        "Máy tìm kiếm gặp lỗi khi tìm; văn bản vẫn được lưu bình thường. Hãy thử lại sau, "
        "hoặc báo quản trị viên nếu lỗi còn lặp lại.",
    )


def check_period(query: SearchQuery) -> None:
    """SEARCH-BAD-PERIOD (422) when the issued-date period ends before it starts."""
    if query.issued_from and query.issued_to and query.issued_from > query.issued_to:
        raise AppError(
            "SEARCH-BAD-PERIOD",
            "Khoảng ngày ban hành không hợp lệ: ngày bắt đầu phải trước hoặc trùng ngày kết thúc.",
            status_code=422,
        )


SIGNATURE_FILTER_HELP: Final = (
    "signed (có chữ ký số), valid (chữ ký số hợp lệ), invalid (chữ ký số không hợp lệ), unchecked (có chữ ký "
    "số, chưa kiểm tra) hoặc unsigned (không có chữ ký số)"
)


def signature_filter(value: str | None) -> SignatureFilter | None:
    """The signature filter a caller typed, or SEARCH-BAD-SIGNATURE (422, in Vietnamese) for a value it has not."""
    if value is None or value == "":
        return None
    for known in SIGNATURE_FILTERS:
        if value == known:
            return known
    raise AppError(
        "SEARCH-BAD-SIGNATURE",
        f"Bộ lọc chữ ký số không hợp lệ; chỉ nhận {SIGNATURE_FILTER_HELP}.",
        status_code=422,
    )


def scoped(principal: Principal, query: SearchQuery) -> SearchQuery:
    """``query`` narrowed to what ``principal`` may see now: the offices they read, their clearance."""
    check_period(query)
    return query.model_copy(
        update={
            "office_ids": _offices_in_scope(principal, query.office_ids),
            "max_secrecy": SecrecyLevel(min(principal.clearance, 3)),
        }
    )


def run_scoped(services: Services, query: SearchQuery) -> SearchResult:
    """One page from the engine for an already scoped query; a failing engine is ServiceUnavailable."""
    try:
        return services.search.search(query)
    except SearchError as exc:
        raise _engine_refusal(exc) from exc


def asked_details(query: SearchQuery) -> dict[str, object]:
    """What the caller asked (words cut to 500 characters, filters), as the audit trail keeps it."""
    asked = query.model_dump(mode="json", exclude_defaults=True, exclude={"max_secrecy", "facet_size"})
    if isinstance(asked.get("q"), str):
        asked["q"] = asked["q"][:500]
    return asked


def search_for(
    services: Services, principal: Principal, query: SearchQuery, *, addr: str | None = None, via: str = "api"
) -> SearchResult:
    """Run a query as ``principal`` (only the offices and secrecy levels the caller may see); audited.

    ``query.office_ids`` is the office filter the caller asked for (None: every office they may see). The
    audit event keeps what was asked (the words and filters) and how many documents answered, never the hits
    themselves. A period that ends before it starts is SEARCH-BAD-PERIOD (422). A failing search engine is
    ServiceUnavailable (503): SEARCH-UNAVAILABLE when it cannot be reached, SEARCH-FAILED when it refused the
    query — never an empty result that looks like "nothing found".
    """
    result = run_scoped(services, scoped(principal, query))
    asked = asked_details(query)
    with transaction(services.factory) as session:
        audit.record(
            session,
            principal=principal,
            action="search.query",
            object_type="search",
            object_id=None,
            client_addr=addr,
            details={"via": via, "query": asked, "total": result.total},
            scoped=True,
        )
    return result


@dataclass(frozen=True)
class FacetLabels:
    """Names to show for the ids in a result's facets: offices, and the dossiers the caller may read."""

    office_names: dict[int, str]
    dossier_titles: dict[int, str]


def facet_labels(services: Services, principal: Principal, result: SearchResult) -> FacetLabels:
    """The labels of a result's office and dossier facets (a dossier the caller may not read keeps its number)."""
    dossier_ids = [int(v) for v, _ in result.facets.get("dossier_id", []) if str(v).isdigit()]
    with transaction(services.factory) as session:
        names = {o.id: o.name for o in session.scalars(select(Office))}
        titles: dict[int, str] = {}
        if dossier_ids:
            rows = session.execute(
                select(Dossier.id, Dossier.title).where(Dossier.id.in_(dossier_ids), readable_dossiers(principal))
            ).all()
            titles = {int(i): str(t) for i, t in rows}
    return FacetLabels(office_names=names, dossier_titles=titles)
