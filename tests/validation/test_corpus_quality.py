"""Quality bar: no false error on correct documents, every planted error found; P/R per code printed (-s).

Two corpora: the factory documents of ``cases.py`` (always), and the DOCX files of the generated corpus
(``tests/corpus/generator.py``) read back through the real parser and extractor, when both exist.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from archive_service.validation import rule_catalogue, validate_document
from indexers.extract import extract_fields
from indexers.parse import parse_file
from tests.corpus import generator as gen
from tests.corpus.session import need_tools
from tests.validation.cases import CASES, STATE
from tests.validation.factory import TODAY, document, state_document
from tests.validation.quality import Sample, false_errors, render, score

DOC_CODES = sorted({r.code for r in rule_catalogue() if not r.code.startswith("DOS-")})
# Scanned and OCR'd for the no-false-error check: one per level of issuer and the state profile. OCR of the
# whole corpus takes minutes; its field accuracy on scans is measured by tests/indexers/test_field_accuracy.py.
SCANNED_KEYS = frozenset({"01-nq-btv", "14-tb-vptu", "19-nq-hu", "24-nq-xa", "29-qd-ubnd-state"})


def _factory_samples() -> list[Sample]:
    samples = [
        Sample("default party", set(), validate_document(*document(), today=TODAY)),
        Sample("default state", set(), validate_document(*state_document(), today=TODAY)),
    ]
    for case in CASES:
        build = state_document if case.profile == STATE else document
        for label, overrides, expected in (
            ("trigger", case.trigger, {case.code}),
            ("near", case.near_miss, set()),
        ):
            parsed, fields = build(**overrides)
            findings = validate_document(parsed if case.layout else None, fields, today=TODAY)
            others = {f.code for f in findings} - {case.code}
            samples.append(Sample(f"{case.name} ({label})", expected, findings, tolerated=others))
    return samples


def test_factory_cases_have_full_precision_and_recall() -> None:
    samples = _factory_samples()
    table = score(samples, DOC_CODES)
    print("\n" + render(table, "Factory documents (planted trigger and near-miss per case)"))  # noqa: T201 (the table is the output, shown by pytest -s)
    assert false_errors(samples[:2]) == []  # the two correct documents
    assert all(sc.recall == 1.0 and sc.precision == 1.0 for sc in table.values())


# ---- the generated corpus -----------------------------------------------------------------------------


def _variants() -> list[tuple[str, Any, set[str], set[str]]]:
    """(name, spec, planted codes, tolerated collateral codes) — one planted error per variant."""
    specs = {s.key: s for s in gen.default_corpus()}
    btv, bch, vp, btc, hu = (specs[k] for k in ("01-nq-btv", "02-nq-bch", "14-tb-vptu", "15-hd-btctu", "19-nq-hu"))
    ubkt = replace(
        vp,
        issuer_lines=("ỦY BAN KIỂM TRA",),
        issuer_code="UBKTTU",
        signing_form_lines=("T/M BAN THƯỜNG VỤ",),
        signer_title="BÍ THƯ",
    )
    return [
        (
            "title lower case",
            replace(btv, title="Đảng Cộng sản Việt Nam"),
            {"FMT-TITLE-MISSING"},
            {"FMT-TITLE-STYLE"},
        ),
        ("title not bold", replace(btv, title_bold=False), {"FMT-TITLE-STYLE"}, set()),
        (
            "Tiêu ngữ in a Party header",
            replace(btv, draft="Độc lập - Tự do - Hạnh phúc"),
            {"FMT-MIXED-PROFILE"},
            {"FMT-DRAFT-MARK"},
        ),
        (
            "no issuing body",
            replace(btv, issuer_lines=()),
            {"FMT-ISSUER-MISSING"},
            {"FMT-STAR-MISSING", "AUTH-SYMBOL-ISSUER-MISMATCH"},
        ),
        ("no star", replace(btv, star=False), {"FMT-STAR-MISSING"}, set()),
        ("no number line", replace(btv, number_line=""), {"FMT-NUMBER-MISSING"}, set()),
        ("colon after Số", replace(btv, number_line="Số: 125-NQ/TU"), {"FMT-NUMBER-COLON"}, set()),
        (
            "state order symbol",
            replace(btv, number_line="Số 125/NQ-TU"),
            {"FMT-NUMBER-SYNTAX"},
            {"FMT-TYPE-ABBR-UNKNOWN", "AUTH-SYMBOL-ISSUER-MISMATCH", "FMT-TYPE-ABBR-MISMATCH"},
        ),
        ("number 5", replace(btv, number="5"), {"FMT-NUMBER-LEADING-ZERO"}, set()),
        ("KH on a Nghị quyết", replace(btv, type_code="KH"), {"FMT-TYPE-ABBR-MISMATCH"}, set()),
        (
            "QyĐ in a Party document",
            replace(btv, type_code="QyĐ", document_type="QUY ĐỊNH"),
            {"FMT-TYPE-ABBR-UNKNOWN"},
            set(),
        ),
        ("no date line", replace(btv, date_line=""), {"FMT-DATE-MISSING"}, set()),
        (
            "numeric date",
            replace(btv, date_line="Thanh Hóa, 05/3/2024"),
            {"FMT-DATE-SYNTAX"},
            {"FMT-DATE-MISSING"},
        ),
        (
            "day 5",
            replace(btv, date_line="Thanh Hóa, ngày 5 tháng 3 năm 2024"),
            {"FMT-DATE-LEADING-ZERO"},
            set(),
        ),
        (
            "30 February",
            replace(btv, date_line="Thanh Hóa, ngày 30 tháng 02 năm 2024"),
            {"FMT-DATE-INVALID"},
            {"FMT-DATE-SYNTAX", "FMT-DATE-MISSING"},
        ),
        ("future date", replace(btv, issued_on=date(2027, 3, 5)), {"FMT-DATE-INVALID"}, {"FMT-DATE-STYLE"}),
        ("date upright", replace(btv, date_italic=False), {"FMT-DATE-STYLE"}, set()),
        ("tên loại 13 pt", replace(btv, doc_type_size_pt=13), {"FMT-TYPE-NAME-STYLE"}, set()),
        ("Arial", replace(btv, font_family="Arial"), {"FMT-FONT"}, set()),
        ("body 12 pt", replace(btv, body_size_pt=12), {"FMT-BODY-SIZE"}, {"FMT-DATE-STYLE"}),
        ("Letter paper", replace(btv, page_width_mm=215.9, page_height_mm=279.4), {"FMT-PAGE-SIZE"}, set()),
        ("left margin 25", replace(btv, margin_left_mm=25), {"FMT-MARGINS"}, set()),
        ("draft mark", replace(btv, draft="Dự thảo lần 2"), {"FMT-DRAFT-MARK"}, set()),
        (
            "TM. with a dot",
            replace(btv, signing_form_lines=("TM. BAN THƯỜNG VỤ",)),
            {"FMT-SIGN-FORM-STATE-STYLE"},
            set(),
        ),
        ("BÍ THƯ TỈNH ỦY", replace(btv, signer_title="BÍ THƯ TỈNH ỦY"), {"FMT-SIGNER-TITLE-ORG"}, set()),
        (
            "TS. before the name",
            replace(btv, signer_name="TS. Nguyễn Văn Hùng"),
            {"FMT-SIGNER-ACADEMIC-TITLE"},
            set(),
        ),
        ("no nơi nhận", replace(btv, noi_nhan_label="", recipients=()), {"FMT-RECIPIENTS-MISSING"}, set()),
        (
            "Lưu: VT",
            replace(btv, recipients=("Như trên,", "Lưu: VT, TH.")),
            {"FMT-RECIPIENTS-ARCHIVE-LINE"},
            set(),
        ),
        (
            "BCH issues a Chỉ thị",
            replace(bch, type_code="CT", document_type="CHỈ THỊ"),
            {"AUTH-TYPE-NOT-ALLOWED"},
            set(),
        ),
        (
            "K/T BÍ THƯ",
            replace(btv, signing_form_lines=("K/T BÍ THƯ",), signer_title="PHÓ BÍ THƯ"),
            {"AUTH-SIGN-KT-COLLECTIVE"},
            set(),
        ),
        (
            "T/M VĂN PHÒNG",
            replace(vp, signing_form_lines=("T/M VĂN PHÒNG",)),
            {"AUTH-SIGN-TM-ADVISORY"},
            set(),
        ),
        (
            "deputy without K/T",
            replace(vp, signer_title="PHÓ CHÁNH VĂN PHÒNG"),
            {"AUTH-SIGN-DEPUTY-NO-KT"},
            set(),
        ),
        (
            "K/T of another head",
            replace(btc, signing_form_lines=("K/T CHÁNH VĂN PHÒNG",)),
            {"AUTH-SIGN-KT-HEAD-MISMATCH"},
            set(),
        ),
        ("UBKT signed T/M BAN THƯỜNG VỤ", ubkt, {"AUTH-SIGN-ENTITY-MISMATCH"}, set()),
        (
            "T/M signed by the Chánh Văn phòng",
            replace(btv, signer_title="CHÁNH VĂN PHÒNG"),
            {"AUTH-SIGNER-NOT-LEADER"},
            set(),
        ),
        (
            "Nghị quyết signed T/L",
            replace(btv, signing_form_lines=("T/L BAN THƯỜNG VỤ",), signer_title="CHÁNH VĂN PHÒNG"),
            {"AUTH-TL-NOT-DELEGABLE"},
            set(),
        ),
        (
            "VPTU code on a Tỉnh ủy header",
            replace(btv, issuer_code="VPTU"),
            {"AUTH-SYMBOL-ISSUER-MISMATCH"},
            set(),
        ),
        (
            "Huyện ủy after 01/07/2025",
            replace(hu, issued_on=date(2025, 8, 1)),
            {"AUTH-ISSUER-DEFUNCT"},
            set(),
        ),
    ]


def _check(items: list[tuple[str, Any, set[str], set[str]]], paths: list[Path]) -> list[Sample]:
    samples = []
    for (name, _spec, expected, tolerated), path in zip(items, paths, strict=True):
        parsed = parse_file(path)
        findings = validate_document(parsed, extract_fields(parsed), today=TODAY)
        samples.append(Sample(name, expected, findings, tolerated=tolerated))
    return samples


@pytest.fixture(scope="module")
def written(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[tuple[str, Any, set[str], set[str]]], list[Path]]:
    """The correct corpus and the planted variants, written as DOCX."""
    folder: Path = tmp_path_factory.mktemp("corpus")
    items = [(s.key, s, set(), set()) for s in gen.default_corpus()] + _variants()
    paths = []
    for i, (_name, spec, _expected, _tolerated) in enumerate(items):
        path = folder / f"{i:02d}.docx"
        gen.write_docx(spec, path)
        paths.append(path)
    return items, paths


@pytest.fixture(scope="module")
def generated(written: tuple[list[tuple[str, Any, set[str], set[str]]], list[Path]]) -> list[Sample]:
    return _check(*written)


@pytest.fixture(scope="module")
def generated_pdf(written: tuple[list[tuple[str, Any, set[str], set[str]]], list[Path]]) -> list[Sample]:
    need_tools("soffice")
    items, paths = written
    pdfs = gen.docx_to_pdf(paths, paths[0].parent / "pdf")
    return _check(items, pdfs)


def _assert_quality(samples: list[Sample], title: str) -> None:
    table = score(samples, DOC_CODES)
    print("\n" + render(table, title))  # noqa: T201 (the table is the output, shown by pytest -s)
    assert false_errors(samples) == []
    missed = [
        f"{s.name}: {sorted(s.expected - {f.code for f in s.findings})}"
        for s in samples
        if s.expected - {f.code for f in s.findings}
    ]
    assert missed == []
    planted = {c for s in samples for c in s.expected}
    assert all(table[c].recall == 1.0 for c in planted)


def test_generated_docx_no_false_error_and_every_planted_error_found(generated: list[Sample]) -> None:
    _assert_quality(generated, "Generated corpus, DOCX through parse_file + extract_fields")


@pytest.mark.slow
def test_generated_pdf_no_false_error_and_every_planted_error_found(generated_pdf: list[Sample]) -> None:
    _assert_quality(generated_pdf, "Generated corpus, PDF (LibreOffice) through parse_file + extract_fields")


@pytest.mark.slow
def test_no_error_on_scans_of_the_correct_corpus(
    written: tuple[list[tuple[str, Any, set[str], set[str]]], list[Path]],
) -> None:
    need_tools("soffice", "tesseract")
    items, paths = written
    correct = [(item, path) for item, path in zip(items, paths, strict=True) if item[0] in SCANNED_KEYS]
    assert len(correct) == len(SCANNED_KEYS)
    pdfs = gen.docx_to_pdf([p for _, p in correct], paths[0].parent / "scan-src")
    scans = [gen.pdf_to_scan(p, p.parent.parent / "scan" / p.name, seed=i) for i, p in enumerate(pdfs)]
    samples = _check([item for item, _ in correct], scans)
    assert false_errors(samples) == []
