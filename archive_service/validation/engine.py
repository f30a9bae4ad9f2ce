"""Run the registered rules over one document and turn their hits into sorted findings."""

from __future__ import annotations

from datetime import date
from typing import Final

from archive_service.validation import rules_authority, rules_format  # noqa: F401  (registers the rules)
from archive_service.validation.context import QUOC_HIEU, CheckContext, regime_on
from archive_service.validation.registry import REGISTRY, Hit, Rule, RuleInfo, Scope
from indexers.textnorm import canonical
from schemas.fields import DocumentFields, Profile
from schemas.findings import Finding, Location, Severity
from schemas.parsed import ParsedDocument

SEVERITY_ORDER: Final = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
PROFILES: Final = ("auto", "party", "state")
HD36_START: Final = date(2018, 4, 3)  # Hướng dẫn 36-HD/VPTW
HD05_NOTE: Final = " (văn bản từ 09/01/2026: Hướng dẫn 05-HD/VPTW chưa được đối chiếu, chỉ cảnh báo)"
HD11_NOTE: Final = " (văn bản trước 03/4/2018 theo Hướng dẫn 11-HD/VPTW năm 2004, chưa đối chiếu: chỉ cảnh báo)"


def detect_profile(fields: DocumentFields, parsed: ParsedDocument | None = None) -> str:
    """Party or state: from the extracted profile, else from the title line or the number line."""
    if fields.profile != Profile.UNKNOWN:
        return fields.profile.value
    title = canonical(fields.title or "").upper()
    if title == "ĐẢNG CỘNG SẢN VIỆT NAM":
        return Profile.PARTY.value
    if QUOC_HIEU.search(title):
        return Profile.STATE.value
    if parsed is not None:
        for line in parsed.lines[:12]:
            text = canonical(line.rendered_text).upper()
            if text == "ĐẢNG CỘNG SẢN VIỆT NAM":
                return Profile.PARTY.value
            if QUOC_HIEU.search(text):
                return Profile.STATE.value
    number = canonical(fields.number_line or "")
    if number.startswith("Số:") and "/" in number and "-" in number.split("/", 1)[1]:
        return Profile.STATE.value
    return Profile.PARTY.value  # the service is for Party offices


def _applies(info: RuleInfo, profile: str) -> bool:
    return info.profile == Scope.BOTH.value or info.profile == profile


def _to_finding(rule: Rule, hit: Hit, ctx: CheckContext) -> Finding:
    info = rule.info
    severity = hit.severity or info.severity
    clause = hit.clause or info.clause
    if info.hd36_layout and severity == Severity.ERROR:
        if ctx.regime == "399":
            # Format rules of 36-HD/VPTW on a 2026 document: its successor was not read (authority-rules §1).
            severity = Severity.WARNING
            clause += HD05_NOTE
        elif ctx.on < HD36_START:
            # Before 36-HD/VPTW the format was that of 11-HD/VPTW (2004), whose typography was not read.
            severity = Severity.WARNING
            clause += HD11_NOTE
    message = info.message
    if hit.detail:
        message = f"{message.rstrip('.')} ({hit.detail})."
    return Finding(
        code=info.code,
        severity=severity,
        message=message,
        hint=info.hint,
        clause=clause,
        location=hit.location,
    )


def sort_key(finding: Finding) -> tuple[int, int, int, str]:
    loc = finding.location or Location()
    return (
        SEVERITY_ORDER[finding.severity],
        loc.page if loc.page is not None else 1_000_000,
        loc.line if loc.line is not None else 1_000_000,
        finding.code,
    )


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
    ctx = CheckContext(parsed=parsed, fields=fields, profile=chosen, today=today or date.today())
    findings: list[Finding] = []
    for rule in REGISTRY.rules:
        info = rule.info
        if rule.kind != "document" or not _applies(info, chosen):
            continue
        if info.needs_layout and parsed is None:
            continue  # only fields known: layout is skipped, not failed
        if info.since is not None and ctx.on < info.since:
            continue  # the document predates the rule's source
        if parsed is not None and parsed.ocr and info.on_scan == "skip":
            continue  # a scan's typography (bold, italic, sizes, fonts, margins) is not readable from OCR
        findings.extend(_to_finding(rule, hit, ctx) for hit in rule.func(ctx))
    return sorted(findings, key=sort_key)


__all__ = ["detect_profile", "regime_on", "sort_key", "validate_document"]
