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


RuleFunc = Callable[["CheckContext"], Sequence[Hit]]


class RuleInfo(BaseModel):
    """What the catalogue shows about one rule: for the docs and the UI."""

    rule_id: str  # e.g. "E25" or "AUTH-14": the ID in format-rules.md / authority-rules.md
    code: str  # catalogue code, e.g. "FMT-DATE-LEADING-ZERO"
    severity: Severity
    clause: str
    message: str
    hint: str
    tags: list[str]  # provenance: V, V-ex, S, K, M, U
    profile: str  # party | state | both
    needs_layout: bool
    hd36_layout: bool  # typography of 36-HD/VPTW only: lenient under the 2026 regime
    since: date | None = None  # the rule judges documents dated from this day (its source's start)
    note: str | None = None  # why the severity is lenient (UNCERTAIN source), shown in the catalogue
    on_scan: str = "run"  # OCR'd scans: "run", or "skip" for what OCR cannot see (typography, a lone "*")


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

_TAGS: Final = {"V", "V-ex", "S", "K", "M", "U"}


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
