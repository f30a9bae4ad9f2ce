"""The schedule in force for an office: the shipped groups, each overridden by the latest edit an admin made.

An edit is a ``RetentionRule`` row (a new version; the one before it is superseded, never deleted). For one group,
the office's own current edit wins over a current edit for every office, which wins over the shipped file
(schemas/retention_schedule.yaml). What a group matches never changes by an edit: only its title, retention,
source and confidence do.

A document's retention is that of the first group it matches, in the file's order; a dossier's may never be below
the highest of its documents' (160-CV/TW: "thời hạn bảo quản của hồ sơ là thời hạn của văn bản có thời hạn cao
nhất").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier, RetentionRule
from archive_service.retention.values import Retention, parse
from schemas.fields import DocumentFields
from schemas.retention_schedule import GroupMatch, ScheduleGroup, shipped_schedule


@dataclass(frozen=True)
class EffectiveGroup:
    """A group as it holds for one office: the shipped row or the edit that overrides it."""

    code: str
    title: str
    retention: str
    source: str
    confidence: str
    matches: GroupMatch
    version: int  # 0: the shipped value; n: the n-th edit of this group
    scope_office_id: int | None  # the office whose own edit this is; None: shipped or for every office
    edited_by: int | None
    edited_at: datetime | None

    @property
    def value(self) -> Retention:
        return parse(self.retention)

    @property
    def edited(self) -> bool:
        return self.version > 0

    @property
    def proposal(self) -> bool:
        return self.confidence == "proposal"


@dataclass(frozen=True)
class Schedule:
    """The schedule in force for an office, with the shipped file's version, basis and note."""

    version: int
    valid_from: date
    legal_basis: str
    note: str
    groups: tuple[EffectiveGroup, ...]

    def group(self, code: str) -> EffectiveGroup | None:
        return next((g for g in self.groups if g.code == code), None)

    @property
    def proposals(self) -> int:
        return sum(1 for g in self.groups if g.proposal)


def _shipped(group: ScheduleGroup) -> EffectiveGroup:
    return EffectiveGroup(
        code=group.code,
        title=group.title,
        retention=group.retention,
        source=group.source,
        confidence=group.confidence,
        matches=group.matches,
        version=0,
        scope_office_id=None,
        edited_by=None,
        edited_at=None,
    )


def _edited(group: ScheduleGroup, rule: RetentionRule) -> EffectiveGroup:
    return EffectiveGroup(
        code=group.code,
        title=rule.title,
        retention=rule.retention,
        source=rule.source,
        confidence=rule.confidence,
        matches=group.matches,
        version=rule.version,
        scope_office_id=rule.office_id,
        edited_by=rule.edited_by,
        edited_at=rule.edited_at,
    )


def current_rules(session: Session, office_id: int | None) -> dict[str, RetentionRule]:
    """The edits in force for an office (its own over those for every office), one per group code."""
    scope: ColumnElement[bool] = RetentionRule.office_id.is_(None)
    if office_id is not None:
        scope = or_(scope, RetentionRule.office_id == office_id)
    rows = session.scalars(
        select(RetentionRule).where(scope, RetentionRule.superseded_at.is_(None)).order_by(RetentionRule.version)
    )
    chosen: dict[str, RetentionRule] = {}
    for row in rows:
        held = chosen.get(row.group_code)
        # The office's own edit wins over one for every office; within a scope the latest version wins.
        if held is None or (row.office_id is not None) >= (held.office_id is not None):
            chosen[row.group_code] = row
    return chosen


def effective_schedule(session: Session, office_id: int | None) -> Schedule:
    """The schedule in force for ``office_id`` (None: the one for every office)."""
    return build_schedule(current_rules(session, office_id))


def build_schedule(rules: dict[str, RetentionRule]) -> Schedule:
    """The shipped schedule with ``rules`` (by group code) in place of the groups they edit."""
    shipped = shipped_schedule()
    groups = tuple(_edited(g, rules[g.code]) if g.code in rules else _shipped(g) for g in shipped.groups)
    return Schedule(shipped.version, shipped.valid_from, shipped.legal_basis, shipped.note, groups)


def _fold(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip().casefold()


def _search(pattern: str | None, text: str | None) -> bool:
    return pattern is None or re.search(pattern, unicodedata.normalize("NFC", text or ""), re.IGNORECASE) is not None


def _matches_document(match: GroupMatch, fields: DocumentFields, dossier: Dossier | None) -> bool:
    if match.for_dossiers:
        return False
    if match.in_dossier_kind is not None and (dossier is None or dossier.kind != match.in_dossier_kind):
        return False
    code = _fold(fields.type_code)
    if code:
        typed = code in {_fold(c) for c in match.type_codes}
    else:  # no ký hiệu loại read (a state công văn, a damaged header): the tên loại decides
        name = _fold(fields.document_type)
        typed = bool(name) and any(name.startswith(_fold(t)) for t in match.document_types)
    return typed and _search(match.summary_pattern, fields.summary)


def document_retention(
    schedule: Schedule, fields: DocumentFields, dossier: Dossier | None = None
) -> tuple[Retention, EffectiveGroup] | None:
    """The retention the schedule gives a document, and the group it comes from; None when no group matches.

    ``dossier`` is the dossier the document is filed in: some groups hold only there (a biên bản of a cấp ủy's
    hội nghị is kept with its conference dossier).
    """
    for group in schedule.groups:
        if _matches_document(group.matches, fields, dossier):
            return group.value, group
    return None


def dossier_group(schedule: Schedule, dossier: Dossier) -> EffectiveGroup | None:
    """The group the dossier itself falls in (its proposed retention when it is opened), or None."""
    for group in schedule.groups:
        match = group.matches
        if match.dossier_kind is None or match.dossier_kind != dossier.kind:
            continue
        if match.meeting_bodies and dossier.meeting_body not in match.meeting_bodies:
            continue
        if match.title_pattern is not None and not _search(match.title_pattern, dossier.title):
            continue
        return group
    return None


@dataclass(frozen=True)
class DocumentRetention:
    """One document's retention by the schedule and the group that gives it."""

    document: Document
    retention: Retention
    group: EffectiveGroup


def documents_retention(schedule: Schedule, dossier: Dossier, documents: Iterable[Document]) -> list[DocumentRetention]:
    """Each read document the schedule places, in the order given (a document with no fields or group is left out)."""
    placed: list[DocumentRetention] = []
    for doc in documents:
        if doc.fields is None:
            continue
        found = document_retention(schedule, DocumentFields.model_validate(doc.fields), dossier)
        if found is not None:
            placed.append(DocumentRetention(doc, found[0], found[1]))
    return placed


def minimum_retention(session: Session, dossier: Dossier, documents: Iterable[Document]) -> Retention | None:
    """The lowest retention the dossier may have: the highest of its documents' by the schedule in force for its
    office (160-CV/TW). None when no document falls in a group (nothing to compare with)."""
    placed = documents_retention(effective_schedule(session, dossier.office_id), dossier, documents)
    return max((p.retention for p in placed), default=None)
