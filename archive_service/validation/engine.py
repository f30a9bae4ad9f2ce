"""Run the registered rules over one document and turn their hits into sorted findings.

Besides running the rules, the engine owns three judgements that no single rule can make:
- the profile, decided from every signal of the document (``profile.py``), so that one unreadable line does
  not turn a state document into a Party one;
- the date the document is judged by when its date is partial or unread: the span it can lie in is split at
  the days the regulations changed, the rules run on each part, and only the findings all parts agree on are
  kept (checks.md: "the year alone often settles the regime");
- the format guide (tables/regimes.yaml): 36-HD/VPTW up to 26/05/2026, 05-HD/VPTW from 27/05/2026; a document
  of 09/01–26/05/2026 may follow either, so it is judged by both and only what both raise is kept;
- how sure the reading is (``uncertainty.py``): an error resting on an unsure field, or on a scan, becomes
  a warning, and one READ-UNCERTAIN finding says what was unsure.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Final

from archive_service.validation import rules_authority, rules_components, rules_format  # noqa: F401  (registers)
from archive_service.validation.context import REGIME_66_START, REGIME_399_START, CheckContext, regime_on
from archive_service.validation.profile import detect_profile, is_legal_normative
from archive_service.validation.registry import REGISTRY, Hit, Rule, RuleInfo, Scope
from archive_service.validation.tables import TABLES
from archive_service.validation.uncertainty import READ_UNCERTAIN, cap_uncertain
from archive_service.vietnam_time import today_in_vietnam
from schemas.fields import DocumentFields
from schemas.findings import Finding, Location, Severity, severity_rank
from schemas.parsed import ParsedDocument

PROFILES: Final = ("auto", "party", "state")
HD36_START: Final = date(2018, 4, 3)  # Hướng dẫn 36-HD/VPTW
DISTRICTS_END: Final = date(2025, 7, 1)  # district level ends, commune đảng ủy move up a level
# The days on which what a rule says may change: a partial date is judged on each side of them.
CHANGES: Final = tuple(
    sorted({REGIME_66_START, HD36_START, DISTRICTS_END, REGIME_399_START, *TABLES.regimes.changes()})
)
HD11_NOTE: Final = " (văn bản trước 03/4/2018 theo Hướng dẫn 11-HD/VPTW năm 2004, chưa đối chiếu: chỉ cảnh báo)"


def _applies(info: RuleInfo, profile: str) -> bool:
    return info.profile == Scope.BOTH.value or info.profile == profile


def _to_finding(rule: Rule, hit: Hit, ctx: CheckContext) -> Finding:
    info = rule.info
    clause, message, hint = info.for_profile(ctx.profile)
    severity = info.severity
    reading = ctx.guide_rule(info.rule_id)
    if reading is not None:
        # The rule as the document's own guide words it: 05-HD/VPTW's clause and the severity its source gives.
        clause, severity = reading.clause, Severity(reading.severity)
    severity = hit.severity or severity
    clause = hit.clause or clause
    if info.hd36_layout and severity == Severity.ERROR and ctx.on < HD36_START:
        # Before 36-HD/VPTW the format was that of 11-HD/VPTW (2004), whose typography was not read.
        severity = Severity.WARNING
        clause += HD11_NOTE
    if hit.detail:
        message = f"{message.rstrip('.')} ({hit.detail})."
    hint = hit.hint or hint
    return Finding(code=info.code, severity=severity, message=message, hint=hint, clause=clause, location=hit.location)


def sort_key(finding: Finding) -> tuple[int, int, int, str]:
    loc = finding.location or Location()
    return (
        severity_rank(finding.severity),
        loc.page if loc.page is not None else 1_000_000,
        loc.line if loc.line is not None else 1_000_000,
        finding.code,
    )


def judged_dates(fields: DocumentFields, today: date) -> list[date | None]:
    """The days a document is judged on: its own date (``[None]``), else one day per part of its span.

    A partial date ("ngày … tháng … năm 2024") spans its year or month; an unread one is taken as a record
    under 36-HD/VPTW or later, up to the check date. The span is cut where the regulations changed.
    """
    if fields.issued_on is not None:
        return [None]
    year, month = fields.issued_year, fields.issued_month
    if year is not None and 1900 < year < 2200:
        valid_month = month if month is not None and 1 <= month <= 12 else None
        start = date(year, valid_month or 1, 1)
        last = valid_month or 12
        end = date(year, last, calendar.monthrange(year, last)[1])
    else:
        start, end = HD36_START, today
    if start <= today < end:
        end = today
    return [start, *(day for day in CHANGES if start < day <= end)]


def _run(ctx: CheckContext, *, format_checked: bool) -> list[tuple[Finding, RuleInfo]]:
    found: list[tuple[Finding, RuleInfo]] = []
    parsed = ctx.parsed
    for rule in REGISTRY.rules:
        info = rule.info
        if rule.kind != "document" or not _applies(info, ctx.profile):
            continue
        if not format_checked and info.code.startswith("FMT-"):
            continue  # a legal normative document: NĐ 30/2020 does not govern its format
        if info.needs_layout and parsed is None:
            continue  # only fields known: layout is skipped, not failed
        if info.since is not None and ctx.on < info.since:
            continue  # the document predates the rule's source
        if ctx.party and info.guides is not None and ctx.guide not in info.guides:
            continue  # a rule of the other format guide
        reading = ctx.guide_rule(info.rule_id)
        if reading is not None and not reading.applies:
            continue  # the document's guide allows what the rule forbids
        if parsed is not None and parsed.ocr and info.on_scan == "skip":
            continue  # a scan's typography (bold, italic, sizes, fonts, margins) is not readable from OCR
        found.extend((_to_finding(rule, hit, ctx), info) for hit in rule.func(ctx))
    return found


def _key(finding: Finding) -> tuple[str, int | None]:
    return finding.code, finding.location.line if finding.location else None


def _agreed(runs: list[list[tuple[Finding, RuleInfo]]]) -> list[tuple[Finding, RuleInfo]]:
    """The findings every run raised (same code, same line), each at the mildest severity it was given and with
    the clauses of every text that judged it (36-HD/VPTW and 05-HD/VPTW for a document of the window)."""
    first, *others = runs
    kept: list[tuple[Finding, RuleInfo]] = []
    for finding, info in first:
        matches = [next((f for f, _ in run if _key(f) == _key(finding)), None) for run in others]
        if any(m is None for m in matches):
            continue
        found = [finding, *(m for m in matches if m is not None)]
        mildest = max(found, key=lambda f: severity_rank(f.severity))
        clauses = list(dict.fromkeys(f.clause for f in found if f.clause))
        kept.append((mildest.model_copy(update={"clause": "; ".join(clauses)}), info))
    return kept


def _guides(day: date, profile: str) -> list[str]:
    """The format guides a document of ``day`` is judged by; a state document has one text, NĐ 30/2020."""
    guides = TABLES.regimes.guides_on(day)
    return guides if profile == Scope.PARTY.value else guides[:1]


def regime_label(fields: DocumentFields, profile: str) -> str:
    """The texts a document is judged by, in Vietnamese, for reports: "Quy định 399-QĐ/TW, Hướng dẫn 05-HD/VPTW"."""
    if profile == Scope.STATE.value:
        return "Nghị định 30/2020/NĐ-CP"
    day = fields.issued_on
    if day is None:
        return "theo ngày ban hành đọc được (chưa đủ ngày, tháng, năm: chỉ báo điều mọi quy định cùng xác định)"
    regime = TABLES.regimes.on(day)
    if regime is None:
        return "văn bản trước 06/02/2017: đối chiếu Hướng dẫn 36-HD/VPTW, kiểu chữ chỉ cảnh báo"
    label = f"Quy định {regime.authority}, Hướng dẫn {regime.guide}"
    if regime.also:
        label += " (chấp nhận cả Hướng dẫn " + ", ".join(regime.also) + ")"
    return label


def validate_document(
    parsed: ParsedDocument | None,
    fields: DocumentFields,
    *,
    profile: str = "auto",
    today: date | None = None,
) -> list[Finding]:
    """Check one document's format and issuing authority; findings sorted errors first, then by location."""
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    chosen = detect_profile(fields, parsed) if profile == "auto" else profile
    check_day = today or today_in_vietnam()  # the offices' date, not the server's time zone
    format_checked = not is_legal_normative(fields, chosen)
    runs = [
        _run(
            CheckContext(parsed=parsed, fields=fields, profile=chosen, today=check_day, judged_on=day, guide=guide),
            format_checked=format_checked,
        )
        for day in judged_dates(fields, check_day)
        for guide in _guides(day or fields.issued_on or check_day, chosen)
    ]
    findings = cap_uncertain(_agreed(runs), fields, parsed)
    return sorted(findings, key=sort_key)


__all__ = [
    "READ_UNCERTAIN",
    "detect_profile",
    "judged_dates",
    "regime_label",
    "regime_on",
    "sort_key",
    "validate_document",
]
