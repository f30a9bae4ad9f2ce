"""Real Party documents of 12/2025–09/2026 judged by their own format guide (issue 13).

``party2026/`` holds the text of five issued documents (Tỉnh ủy Lào Cai, its Đảng ủy UBND tỉnh, the Bộ Chính
trị, the Ban Chấp hành Trung ương) as pdftotext or tesseract gave it; party2026/README.md says where each comes
from and what a person reads in it. Each is read the way a text-only reader would (one line per non-empty line,
no style, no geometry), then judged on 03/12/2026: 05-HD/VPTW for the documents of 07–09/2026, 36-HD/VPTW for
the one of 12/2025.

The table below is what a person reads. Where the service gets a document wrong today, the case carries an
``xfail(strict=True)`` naming the cause, so that a fix turns into an XPASS (remove the mark) and a document
that regresses fails. A false error on a real document is a defect: none is accepted without its reason here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final

import pytest

from archive_service.validation import validate_document
from indexers.extract import extract_fields
from indexers.textnorm import canonical
from schemas.fields import DocumentFields
from schemas.findings import Finding, Severity
from schemas.parsed import ParsedDocument, TextLine

FIXTURES: Final = Path(__file__).parent / "party2026"
CHECKED_ON: Final = date(2026, 12, 3)
HD05: Final = "05-HD/VPTW"
HD36: Final = "36-HD/VPTW"
# The OCR files mark each page "===== Trang N =====": the page a line is on, not a line of the document.
PAGE_MARK: Final = re.compile(r"^===== Trang (\d+) =====$")

# Why a case fails today; each names whose code it is (reader: indexers/extract*.py; rule: validation).
READER_OCR_ONE_SPACE: Final = (
    'reader: tesseract joins the số and the date columns with one space ("Số 75-KL/TW Hà Nội, ngày …"): the '
    'number line swallows the date line and the place becomes "KL/TW Hà Nội" (split at 5 spaces, both are read)'
)
READER_SIGNATURE_ON_LABEL: Final = (
    'reader: tesseract puts the signing form on the "Nơi nhận:" line ("Nơi nhận: T/M BỘ CHÍNH TRỊ"): no nơi nhận '
    "entry and no signature are read (with the label alone on its line, every entry is)"
)
READER_SIGNATURE_BESIDE: Final = (
    'reader: pdftotext sets the signature block beside the nơi nhận ("Nơi nhận:   T/M BAN THƯỜNG VỤ", '
    '"- Như trên (t/h);   PHÓ BÍ THƯ"): with a second column on their lines no nơi nhận entry is read, nor the '
    "signer's title and name (without the right column, every entry is)"
)
READER_LABEL_MISREAD: Final = (
    'reader: tesseract read "Nơi nhận:" as "Nơi nhân:", with the signing form on the same line: the nơi nhận is '
    "not found (FMT-RECIPIENTS-MISSING, a warning on a scan)"
)


@dataclass(frozen=True)
class RealDoc:
    """What a person reads in one fixture, and which checks fail on it today (check → cause)."""

    file: str
    scanned: bool  # the text is tesseract's reading of a scan (else pdftotext's of a text layer)
    guide: str  # the format guide of the document's own date
    number_line: str  # as printed, spaces collapsed
    types: tuple[str, ...]  # the tên loại as printed, then any other spelling of the same type
    issued_on: date | None  # None: the day is left blank for the e-signature stamp
    year_month: tuple[int, int]
    entry_end: str  # how each nơi nhận entry but the last ("- Lưu …") ends
    known: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.file.removesuffix(".txt")


DOCS: Final = (
    RealDoc(
        "CV-2449-CV-DU-2026-09-07.txt",
        scanned=False,
        guide=HD05,
        number_line="Số 2449 -CV/ĐU",
        types=("CÔNG VĂN",),
        issued_on=date(2026, 9, 7),
        year_month=(2026, 9),
        entry_end=";",
        known={},
    ),
    RealDoc(
        "CTr-104-CTr-TU-2026-08-30.txt",
        scanned=False,
        guide=HD05,
        number_line="Số -CTr/TU",
        types=("CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH"),
        issued_on=None,
        year_month=(2026, 8),
        entry_end=";",
        known={},
    ),
    RealDoc(
        "CTr-31-CTr-TW-2026-07-28.txt",
        scanned=True,
        guide=HD05,
        number_line="Số 31-CTr/TW",
        types=("CHƯƠNG TRÌNH HÀNH ĐỘNG", "CHƯƠNG TRÌNH"),
        issued_on=date(2026, 7, 28),
        year_month=(2026, 7),
        entry_end=";",
        known={},
    ),
    RealDoc(
        "KL-75-KL-TW-2026-07-28.txt",
        scanned=True,
        guide=HD05,
        number_line="Số 75-KL/TW",
        types=("KẾT LUẬN",),
        issued_on=date(2026, 7, 28),
        year_month=(2026, 7),
        entry_end=";",
        known={},
    ),
    RealDoc(
        "NQ-34-NQ-TU-2025-12-27.txt",
        scanned=True,
        guide=HD36,
        number_line="Số 34 -NQ/TU",
        types=("NGHỊ QUYẾT",),
        issued_on=date(2025, 12, 27),
        year_month=(2025, 12),
        entry_end=",",
        known={},
    ),
)
BY_NAME: Final = {doc.name: doc for doc in DOCS}


def cases(check: str, docs: tuple[RealDoc, ...] = DOCS) -> list[object]:
    """One case per document, failing-as-expected where the document's ``known`` names this check."""
    return [
        pytest.param(
            doc,
            id=doc.name,
            marks=[pytest.mark.xfail(strict=True, reason=doc.known[check])] if check in doc.known else [],
        )
        for doc in docs
    ]


def read_as_text(path: Path, *, scanned: bool) -> ParsedDocument:
    """A text-only reading: one TextLine per non-empty line, as written, with no style and no position."""
    lines: list[TextLine] = []
    page = 1
    for raw in path.read_text(encoding="utf-8").splitlines():
        mark = PAGE_MARK.match(raw.strip())
        if mark is not None:
            page = int(mark.group(1))
        elif raw.strip():
            lines.append(TextLine(text=raw.rstrip(), index=len(lines), page=page))
    pages = max((line.page for line in lines), default=1)
    return ParsedDocument(media_type="application/pdf", page_count=pages, lines=lines, ocr=scanned)


@cache
def judged(name: str) -> tuple[ParsedDocument, DocumentFields, tuple[Finding, ...]]:
    doc = BY_NAME[name]
    parsed = read_as_text(FIXTURES / doc.file, scanned=doc.scanned)
    fields = extract_fields(parsed)
    return parsed, fields, tuple(validate_document(parsed, fields, today=CHECKED_ON))


def shown(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [
        f"{f.severity.value} {f.code} [{f.clause}] line {f.location.line if f.location else None}" for f in findings
    ]


def label_line(parsed: ParsedDocument) -> int:
    """Index of the "Nơi nhận:" line (tesseract may misread the tone: "Nơi nhân:")."""
    return next(line.index for line in parsed.lines if canonical(line.text).strip().lower().startswith("nơi nh"))


def test_every_fixture_is_in_the_table_and_every_row_has_its_fixture() -> None:
    assert sorted(p.name for p in FIXTURES.glob("*.txt")) == sorted(doc.file for doc in DOCS)
    assert {doc.guide for doc in DOCS} == {HD05, HD36}  # both regimes are exercised


@pytest.mark.parametrize("doc", cases("number_line"))
def test_the_number_line_is_read_as_printed(doc: RealDoc) -> None:
    _, fields, _ = judged(doc.name)
    assert fields.number_line == doc.number_line


@pytest.mark.parametrize("doc", cases("type"))
def test_the_type_name_is_read(doc: RealDoc) -> None:
    _, fields, _ = judged(doc.name)
    assert fields.document_type in doc.types


@pytest.mark.parametrize("doc", cases("date"))
def test_the_date_is_read_and_a_day_left_for_the_stamp_stays_unread(doc: RealDoc) -> None:
    _, fields, _ = judged(doc.name)
    assert fields.issued_on == doc.issued_on
    assert (fields.issued_year, fields.issued_month) == doc.year_month
    assert fields.date_blank is (doc.issued_on is None)


@pytest.mark.parametrize("doc", cases("no_error"))
def test_a_real_issued_document_gets_no_error(doc: RealDoc) -> None:
    _, _, findings = judged(doc.name)
    assert shown([f for f in findings if f.severity == Severity.ERROR]) == []


@pytest.mark.parametrize("doc", cases("recipients_read"))
def test_the_recipients_are_read_with_the_ending_of_their_time(doc: RealDoc) -> None:
    _, fields, _ = judged(doc.name)
    *entries, archive = fields.recipients or [""]
    assert entries, fields.recipients
    assert all(entry.endswith(doc.entry_end) for entry in entries), fields.recipients
    assert archive.startswith("Lưu") and archive.endswith("."), fields.recipients


@pytest.mark.parametrize("doc", cases("recipients_punct"))
def test_recipients_punctuated_as_their_guide_says_raise_no_punctuation_finding(doc: RealDoc) -> None:
    """2026 entries end ";" (05-HD I.9.2.5), the 12/2025 ones "," (36-HD): neither is a finding on the nơi nhận."""
    parsed, _, findings = judged(doc.name)
    start = label_line(parsed)
    on_recipients = [
        f
        for f in findings
        if f.code == "FMT-RECIPIENTS-PUNCT" and (f.location is None or (f.location.line or 0) >= start)
    ]
    assert shown(on_recipients) == []


@pytest.mark.parametrize("doc", cases("own_guide"))
def test_every_finding_that_names_a_guide_names_the_guide_of_the_documents_date(doc: RealDoc) -> None:
    _, _, findings = judged(doc.name)
    other = HD36 if doc.guide == HD05 else HD05
    wrong = [f for f in findings if "-HD/VPTW" in f.clause and (doc.guide not in f.clause or other in f.clause)]
    assert shown(wrong) == []


def test_a_number_and_day_left_blank_for_the_signature_stamp_are_a_note_not_an_error() -> None:
    doc = BY_NAME["CTr-104-CTr-TU-2026-08-30"]
    _, fields, findings = judged(doc.name)
    assert (fields.number, fields.number_blank, fields.date_blank) == (None, True, True)
    assert [f.code for f in findings if f.severity == Severity.ERROR] == []
    assert any(f.code == "READ-UNCERTAIN" and f.severity == Severity.INFO for f in findings), shown(findings)


@pytest.mark.parametrize("doc", cases("spaced_number", (BY_NAME["CV-2449-CV-DU-2026-09-07"],)))
def test_a_number_typed_into_the_blank_with_a_space_before_the_hyphen_is_at_most_a_note(doc: RealDoc) -> None:
    _, fields, findings = judged(doc.name)
    number_at = fields.locations["number_line"].line
    on_number = [f for f in findings if f.location is not None and f.location.line == number_at]
    assert [f for f in on_number if f.severity != Severity.INFO] == [], shown(on_number)


def test_kinh_gui_entries_ending_with_a_comma_in_a_2026_cong_van_are_warned_under_05_hd() -> None:
    """A true finding on a real document: 05-HD I.9.2.5 wants ";" after each Kính gửi entry, the 2449-CV has ","."""
    parsed, _, findings = judged("CV-2449-CV-DU-2026-09-07")
    kinh_gui = next(line.index for line in parsed.lines if "Kính gửi:" in line.text)
    punct = [f for f in findings if f.code == "FMT-RECIPIENTS-PUNCT"]
    assert [(f.severity, f.clause, f.location.line if f.location else None) for f in punct] == [
        (Severity.WARNING, f"{HD05} mục I.9.2.5", kinh_gui)
    ]
