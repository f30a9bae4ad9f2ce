"""Score what the service read and found on a document against what a person saw (its Label).

Three measures, kept apart because they mean different things:
- printed fields: right or not, after folding what does not change the value (NFC, tone style, case,
  spaces, the "Số:" prefix);
- handwritten values (a number or day written by hand into a printed blank): read right, honestly unread
  (no value: unreadable, or left blank with number_blank / date_blank), or WRONG — a wrong value is worse than
  none, so it is never averaged in;
- error findings that contradict the labels ("false errors"): a component reported missing that a person saw,
  any error on a document judged by the wrong profile, an unreadable-file error on a document a person read;
  every error on a correct-by-construction document. Other errors on real documents are listed for a person.

The analysis is ``archive_service.documents.processing.analyse_file``, the path shared by the workers and
``archive-service check``: the figures are what the service does, not what a test harness does.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from archive_service.documents.processing import analyse_file
from indexers.textnorm import canonical
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from tests.realdocs.labels import LABELLED_FIELDS, Label

# The printed month and year of a date whose day was handwritten: the part a reader must get right.
MONTH_YEAR: Final = "issued_month_year"
PRINTED_FIELDS: Final = (*LABELLED_FIELDS, MONTH_YEAR)
HIGH_CONFIDENCE: Final = 0.9

# A finding that says a component is absent, and the component (labels.json "present") it speaks of.
MISSING_COMPONENT: Final = {
    "FMT-TITLE-MISSING": "title",
    "FMT-ISSUER-MISSING": "issuer",
    "FMT-NUMBER-MISSING": "number_line",
    "FMT-DATE-MISSING": "date_line",
    "FMT-RECIPIENTS-MISSING": "recipients_block",
    # "the last recipient is not the archive line": on a document with its archive line, the recipients
    # were cut short (issue 11, example 4).
    "FMT-RECIPIENTS-ARCHIVE-LINE": "archive_line",
}
# Codes a later catalogue may add for the other components: FMT-<part>-MISSING.
_MISSING_PART: Final = {
    "TYPE": "document_type_line",
    "TYPE-NAME": "document_type_line",
    "DOCUMENT-TYPE": "document_type_line",
    "SUMMARY": "summary",
    "SIGNATURE": "signature_block",
    "SIGNER": "signature_block",
    "SIGN": "signature_block",
    "ARCHIVE": "archive_line",
    "ARCHIVE-LINE": "archive_line",
}

_SO_PREFIX: Final = re.compile(r"^số\s*(:?)\s*")
_AROUND_SEPARATORS: Final = re.compile(r"\s*([/\-–])\s*")
_NUMBER_IN_LINE: Final = re.compile(r"^(số:?) [^/\-–]*")


def missing_component(code: str) -> str | None:
    """The component a "missing" finding speaks of, or None for any other code."""
    if code in MISSING_COMPONENT:
        return MISSING_COMPONENT[code]
    match = re.fullmatch(r"FMT-(.+)-MISSING", code)
    return _MISSING_PART.get(match.group(1)) if match else None


def normalise(name: str, value: object) -> str | None:
    """The value as compared: NFC and tone style, case and spaces folded; blank is None.

    ``number`` loses a "Số"/"Số:" prefix; ``number_line`` keeps its colon (a colon is a finding) but not the
    spaces after "Số" or around "/" and "-"; the en dash stays distinct from the hyphen (it is a finding too).
    """
    if value is None:
        return None
    text = canonical(str(value)).casefold()
    if name == "number":
        text = _SO_PREFIX.sub("", text)
    if name in ("number_line", "type_code", "issuer_code"):
        text = _AROUND_SEPARATORS.sub(r"\1", text)
    if name == "number_line":
        text = _SO_PREFIX.sub(r"số\1 ", text)
    return text or None


def number_line_skeleton(value: str | None) -> str | None:
    """A number line without its number: the printed part of "Số:   /TTr-UBND" when the number is handwritten."""
    text = normalise("number_line", value)
    return None if text is None else _NUMBER_IN_LINE.sub(r"\1 ", text)


def confidence(found: DocumentFields, name: str) -> float:
    """How sure the reader said it was of a field (a missing key is 1.0: read directly)."""
    return found.confidence.get(name, 1.0)


@dataclass
class Outcome:
    """What the service made of one document: fields, the profile it judged by, findings, and the time."""

    label: Label
    fields: DocumentFields | None
    profile: str
    findings: list[Finding]
    seconds: float


def analyse(path: Path, label: Label, *, timeout_s: float = 300.0) -> Outcome:
    """Run the service's own analysis (sandboxed parse → extract → validate) on one file, timed."""
    started = time.perf_counter()
    analysis = analyse_file(path, timeout_s=timeout_s)
    seconds = time.perf_counter() - started
    return Outcome(label, analysis.fields, analysis.profile, analysis.findings, seconds)


def _found_value(outcome: Outcome, name: str) -> object:
    found = outcome.fields
    if name == "profile":
        return outcome.profile  # the profile the document was judged by, as check --json prints it
    if found is None:
        return None
    value = getattr(found, name)
    return value.isoformat() if name == "issued_on" and value is not None else value


def _printed_right(name: str, label: Label, got: object) -> bool:
    want = label.fields.get(name)
    if name == "number_line" and "number" in label.handwritten:
        return number_line_skeleton(want) == number_line_skeleton(None if got is None else str(got))
    if name == "signing_form" and label.signing_form_lines:
        # labels.json gives the first authority line; the generator's truth joins them all: both are faithful.
        accepted = {normalise(name, label.signing_form_lines[0]), normalise(name, " ".join(label.signing_form_lines))}
        return normalise(name, got) in accepted
    return normalise(name, want) == normalise(name, got)


def _month_year(outcome: Outcome) -> str | None:
    found = outcome.fields
    if found is None:
        return None
    if found.issued_on is not None:
        return f"{found.issued_on:%Y-%m}"
    if found.issued_year is not None and found.issued_month is not None:
        return f"{found.issued_year:04d}-{found.issued_month:02d}"
    return None


@dataclass(frozen=True)
class Handwritten:
    """One handwritten value: what a person saw, what the reader said, how sure it was, and the verdict."""

    file: str
    field: str
    want: str | None
    got: str | None
    confidence: float
    verdict: str  # "right" | "unread" | "WRONG"


@dataclass(frozen=True)
class ErrorFinding:
    """An error finding with the reason it contradicts the labels (or why a person should look at it)."""

    file: str
    code: str
    message: str
    reason: str


def _handwritten(outcome: Outcome, name: str) -> Handwritten:
    label = outcome.label
    want = label.fields.get(name)
    raw = _found_value(outcome, name)
    got = None if raw is None else str(raw)
    found = outcome.fields
    # Unread: no value (the reader said the blank was empty, number_blank / date_blank, or could not read it).
    # A value given beside a blank flag is still shown to people, so a wrong one is WRONG.
    if normalise(name, got) == normalise(name, want):
        verdict = "right"
    elif normalise(name, got) is None:
        verdict = "unread"
    else:
        verdict = "WRONG"
    sure = confidence(found, name) if found is not None and got is not None else 0.0
    return Handwritten(label.name, name, want, got, sure, verdict)


def classify_errors(outcome: Outcome) -> tuple[list[ErrorFinding], list[ErrorFinding]]:
    """(false errors, errors for a person to judge) among the error findings on one document."""
    label = outcome.label
    false: list[ErrorFinding] = []
    judge: list[ErrorFinding] = []
    for finding in outcome.findings:
        if finding.severity is not Severity.ERROR:
            continue
        component = missing_component(finding.code)
        if component is not None and component in label.present:
            reason = f"labels: {component} present"
        elif outcome.profile != label.profile:
            reason = f"judged as {outcome.profile}, labels: {label.profile}"
        elif finding.code.startswith("PARSE-"):
            reason = "a person read this file"
        elif label.correct:
            reason = "correct by construction"
        else:
            reason = "scan: rests on OCR?" if label.scanned else "text PDF: real or not?"
            judge.append(ErrorFinding(label.name, finding.code, finding.message, reason))
            continue
        false.append(ErrorFinding(label.name, finding.code, finding.message, reason))
    return false, judge


@dataclass
class SetScore:
    """The figures of one set of documents (generated DOCX, generated PDF, real text PDFs, real scans)."""

    name: str
    documents: int = 0
    seconds: float = 0.0
    right: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    handwritten: list[Handwritten] = field(default_factory=list)
    false_errors: list[ErrorFinding] = field(default_factory=list)
    to_judge: list[ErrorFinding] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        label = outcome.label
        self.documents += 1
        self.seconds += outcome.seconds
        for name in LABELLED_FIELDS:
            if name in label.handwritten:
                self.handwritten.append(_handwritten(outcome, name))
                continue
            got = _found_value(outcome, name)
            self._count(name, _printed_right(name, label, got), label.name, label.fields.get(name), got)
        issued = label.fields.get("issued_on")
        if "issued_on" in label.handwritten and issued:
            got = _month_year(outcome)
            self._count(MONTH_YEAR, got == issued[:7], label.name, issued[:7], got)
        false, judge = classify_errors(outcome)
        self.false_errors.extend(false)
        self.to_judge.extend(judge)

    def _count(self, name: str, right: bool, file: str, want: object, got: object) -> None:
        self.total[name] = self.total.get(name, 0) + 1
        if right:
            self.right[name] = self.right.get(name, 0) + 1
        else:
            self.misses.append(f"{file}: {name}: expected {want!r}, got {got!r}")

    @property
    def printed_right(self) -> int:
        return sum(self.right.values())

    @property
    def printed_total(self) -> int:
        return sum(self.total.values())

    @property
    def printed_accuracy(self) -> float:
        return self.printed_right / self.printed_total if self.printed_total else 0.0

    def handwritten_count(self, verdict: str) -> int:
        return sum(1 for h in self.handwritten if h.verdict == verdict)

    def wrong_with_high_confidence(self) -> list[Handwritten]:
        return [h for h in self.handwritten if h.verdict == "WRONG" and h.confidence >= HIGH_CONFIDENCE]

    @property
    def seconds_per_document(self) -> float:
        return self.seconds / self.documents if self.documents else 0.0
