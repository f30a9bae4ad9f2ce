"""The rule registry: every check is a small function registered with its catalogue code and metadata.

A rule receives the ``CheckContext`` of one document and returns ``Hit`` values; the engine turns each
hit into a ``Finding`` carrying the rule's code, severity, clause, Vietnamese message and hint.
Several rules may share one catalogue code (``FMT-DATE-LEADING-ZERO`` covers E25–E27); each rule
states its own clause and the provenance tags of its source (see ``shared/domain/checks.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel

from archive_service.validation.tables import GuideRule
from schemas.findings import Location, Severity

if TYPE_CHECKING:
    from archive_service.validation.context import CheckContext


class Scope(StrEnum):
    """Which profile a rule applies to."""

    PARTY = "party"
    STATE = "state"
    BOTH = "both"


@dataclass(frozen=True)
class Hit:
    """One place where a rule found something wrong.

    ``detail`` is appended to the rule's message; ``severity`` and ``clause`` override the rule's own
    when the verdict depends on a table cell (e.g. a [V] cell of the authority matrix is an error,
    a [K] cell only a warning).
    """

    location: Location | None = None
    detail: str | None = None
    severity: Severity | None = None
    clause: str | None = None
    hint: str | None = None  # the fix for this document ("Ghi "Số 05-NQ/TU"."), in place of the rule's general hint


RuleFunc = Callable[["CheckContext"], Sequence[Hit]]


class RuleInfo(BaseModel):
    """What the catalogue shows about one rule: for the docs and the UI."""

    rule_id: str  # e.g. "E25" or "AUTH-14": the ID in format-rules.md / authority-rules.md
    code: str  # catalogue code, e.g. "FMT-DATE-LEADING-ZERO"
    severity: Severity
    clause: str
    message: str
    hint: str
    tags: list[str]  # provenance: V, V-ex, V-copy, S, K, M, U
    profile: str  # party | state | both
    needs_layout: bool
    hd36_layout: bool  # typography of 36-HD/VPTW: lenient before it (11-HD/VPTW, 2004, not read)
    since: date | None = None  # the rule judges documents dated from this day (its source's start)
    note: str | None = None  # why the severity is lenient (UNCERTAIN source), shown in the catalogue
    on_scan: str = "run"  # OCR'd scans: "run", or "skip" for what OCR cannot see (typography, a lone "*")
    # NĐ 30/2020 wording of a rule that also applies to state documents: its clause, message and hint there.
    state_clause: str | None = None
    state_message: str | None = None
    state_hint: str | None = None
    rests_on: list[str] = []  # the DocumentFields the verdict depends on: an unsure reading caps it at warning
    # The format guides the rule judges by (None: every guide; a rule of one guide only names it, e.g. the
    # recipients' punctuation of 36-HD/VPTW and of 05-HD/VPTW are two rules).
    guides: list[str] | None = None
    # How the rule reads under a guide other than its own wording's (tables/guide_05.yaml), for the catalogue.
    under: dict[str, GuideRule] = {}

    def for_profile(self, profile: str) -> tuple[str, str, str]:
        """Clause, message and hint in the terms of the document's own profile (state wording for NĐ 30)."""
        if profile == Scope.STATE.value:
            return (
                self.state_clause or self.clause,
                self.state_message or self.message,
                self.state_hint or self.hint,
            )
        return self.clause, self.message, self.hint


@dataclass(frozen=True)
class Rule:
    info: RuleInfo
    func: RuleFunc
    kind: str = "document"  # document | dossier


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)

    def add(self, rule: Rule) -> None:
        if any(r.info.rule_id == rule.info.rule_id and r.info.code == rule.info.code for r in self.rules):
            raise ValueError(f"rule {rule.info.rule_id} ({rule.info.code}) registered twice")
        self.rules.append(rule)


REGISTRY: Final = Registry()

_TAGS: Final = {"V", "V-ex", "V-copy", "S", "K", "M", "U"}

DATE_FIELDS: Final = ("issued_on", "date_line")
NUMBER_FIELDS: Final = ("number", "number_line")
# Which fields a code's verdict rests on, by code prefix (the longest prefix wins).
RESTS_ON: Final[dict[str, tuple[str, ...]]] = {
    "FMT-TITLE": ("title",),
    "FMT-MIXED-PROFILE": ("title",),
    "FMT-ISSUER": ("issuer",),
    "FMT-STAR": ("issuer",),
    "FMT-NUMBER": NUMBER_FIELDS,
    "FMT-TYPE-ABBR": (*NUMBER_FIELDS, "type_code", "document_type"),
    "FMT-TYPE-NAME": ("document_type",),
    "FMT-DATE": DATE_FIELDS,
    "FMT-DRAFT": (*NUMBER_FIELDS, *DATE_FIELDS),
    "FMT-SIGN": ("signing_form",),
    "FMT-SIGNER": ("signer_title", "signer_name"),
    "FMT-RECIPIENTS": ("recipients", "addressees"),
    "FMT-SUMMARY": ("summary", "document_type"),
    "FMT-PLACE": ("place", "date_line", "issuer", "parent_issuer", *DATE_FIELDS),
    "FMT-URGENCY": ("urgency",),
    "FMT-DRAFTER": ("drafter_mark",),
    "FMT-CONTACT": ("contact",),
    "FMT-SIGN-COLLECTIVE": ("issuer", "parent_issuer", "signing_form", "signer_title"),
    "AUTH-MINUTES": ("document_type", "signing_form"),
    "AUTH-TYPE": ("issuer", "parent_issuer", "document_type", "signing_form", *DATE_FIELDS),
    "AUTH-SIGN": ("issuer", "signing_form", "signer_title"),
    "AUTH-SIGNER": ("issuer", "signing_form", "signer_title"),
    "AUTH-TL": ("issuer", "signing_form", "document_type"),
    "AUTH-SYMBOL": ("issuer", "parent_issuer", "issuer_code", *NUMBER_FIELDS),
    "AUTH-ISSUER": ("issuer", "parent_issuer", *DATE_FIELDS),
}


def rests_on_for(code: str) -> list[str]:
    """The fields a code's verdict depends on (see ``RESTS_ON``); none for layout and page rules."""
    prefixes = [p for p in RESTS_ON if code.startswith(p)]
    return list(RESTS_ON[max(prefixes, key=len)]) if prefixes else []


def rule(
    *,
    rule_id: str,
    code: str,
    severity: Severity,
    clause: str,
    message: str,
    hint: str,
    tags: Sequence[str],
    profile: Scope = Scope.PARTY,
    needs_layout: bool = False,
    hd36_layout: bool = False,
    since: date | None = None,
    note: str | None = None,
    on_scan: str = "run",
    state_clause: str | None = None,
    state_message: str | None = None,
    state_hint: str | None = None,
    guides: Sequence[str] | None = None,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a document rule under its stable catalogue code."""
    if on_scan not in ("run", "skip"):
        raise ValueError(f"rule {rule_id}: on_scan must be run or skip")
    unknown = set(tags) - _TAGS
    if unknown:
        raise ValueError(f"rule {rule_id}: unknown provenance tags {sorted(unknown)}")

    def deco(func: RuleFunc) -> RuleFunc:
        info = RuleInfo(
            rule_id=rule_id,
            code=code,
            severity=severity,
            clause=clause,
            message=message,
            hint=hint,
            tags=list(tags),
            profile=profile.value,
            needs_layout=needs_layout,
            hd36_layout=hd36_layout,
            since=since,
            note=note,
            on_scan=on_scan,
            state_clause=state_clause,
            state_message=state_message,
            state_hint=state_hint,
            rests_on=rests_on_for(code),
            guides=list(guides) if guides is not None else None,
        )
        REGISTRY.add(Rule(info=info, func=func))
        return func

    return deco


def dossier_rule_info(
    *,
    rule_id: str,
    code: str,
    severity: Severity,
    clause: str,
    message: str,
    hint: str,
    tags: Sequence[str],
    note: str | None = None,
) -> RuleInfo:
    """Describe a dossier rule for the catalogue (dossier rules run in ``dossier.py``)."""
    return RuleInfo(
        rule_id=rule_id,
        code=code,
        severity=severity,
        clause=clause,
        message=message,
        hint=hint,
        tags=list(tags),
        profile=Scope.PARTY.value,
        needs_layout=False,
        hd36_layout=False,
        note=note,
    )
