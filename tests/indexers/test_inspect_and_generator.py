"""inspect_file's JSON summary, the generator's planted errors, and the OCRmyPDF derivative."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from indexers.errors import ParseError
from indexers.extract import extract_fields
from indexers.inspect import inspect_file
from indexers.ocr import make_searchable_pdf
from indexers.parse import parse_file
from tests.corpus.generator import DocSpec, default_corpus, true_fields, write_docx
from tests.corpus.session import need_tools


def test_inspect_file_gives_a_json_ready_summary_with_fields(tmp_path: Path) -> None:
    path = tmp_path / "nq.docx"
    write_docx(DocSpec(), path)
    summary = inspect_file(path)
    json.dumps(summary, ensure_ascii=False)  # serialisable as it is
    assert summary["media_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert summary["ocr"] is False
    fields = summary["fields"]
    assert isinstance(fields, dict) and fields["number"] == "125" and fields["issued_on"] == "2024-03-05"
    first = summary["first_lines"]
    assert isinstance(first, list) and first[0]["text"] == "TỈNH ỦY THANH HÓA" and first[0]["bold"] is True


def test_inspect_file_refuses_a_bad_file_with_its_code(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(ParseError) as refused:
        inspect_file(path)
    assert (refused.value.code, refused.value.message) == (
        "PARSE-CORRUPT",
        "Tệp PDF không trọn vẹn (bị cắt cụt).",
    )


def test_a_default_spec_is_a_correct_party_resolution_whose_fields_read_back(tmp_path: Path) -> None:
    spec = DocSpec()
    path = tmp_path / "nq.docx"
    truth = write_docx(spec, path)
    found = extract_fields(parse_file(path))
    assert truth.number_line == "Số 125-NQ/TU" and truth.issued_on == date(2024, 3, 5)
    for name in ("number", "type_code", "issuer_code", "issuer", "issued_on", "signing_form", "signer_name"):
        assert getattr(found, name) == getattr(truth, name), name


def test_one_replace_plants_one_error_and_the_reader_sees_it(tmp_path: Path) -> None:
    spec = dataclasses.replace(DocSpec(), number_line="Số: 12/NQ-TU", number="12", title_size_pt=13)
    path = tmp_path / "bad.docx"
    write_docx(spec, path)
    parsed = parse_file(path)
    fields = extract_fields(parsed)
    assert fields.number_line == "Số: 12/NQ-TU" and fields.number == "12"
    title = next(line for line in parsed.lines if line.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert title.size_pt == 13.0


def test_styling_overrides_reach_the_document(tmp_path: Path) -> None:
    spec = dataclasses.replace(
        DocSpec(),
        font_family="Arial",
        date_italic=False,
        issuer_bold=False,
        margin_left_mm=25,
        title_rule=False,
    )
    path = tmp_path / "styled.docx"
    write_docx(spec, path)
    parsed = parse_file(path)
    date_line = next(line for line in parsed.lines if "ngày 05 tháng 3" in line.text)
    issuer = next(line for line in parsed.lines if line.text == "TỈNH ỦY THANH HÓA")
    title = next(line for line in parsed.lines if line.text == "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert (date_line.italic, date_line.font, issuer.bold, title.has_bottom_border) == (
        False,
        "Arial",
        False,
        False,
    )
    assert parsed.page_setup.margin_left_mm == 25.0


def test_every_corpus_spec_records_its_true_fields() -> None:
    for spec in default_corpus():
        truth = true_fields(spec)
        assert truth.number_line and truth.issuer and truth.date_line
        assert truth.document_type is not None


@pytest.mark.slow
def test_a_searchable_derivative_is_written_beside_the_original_which_is_unchanged(
    corpus_scans: dict[str, Path], tmp_path: Path
) -> None:
    need_tools("tesseract")  # OCRmyPDF itself is a dependency of the service: imported, never skipped
    original = corpus_scans["02-nq-bch"]
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    derivative = make_searchable_pdf(original, tmp_path / "02-nq-bch.ocr.pdf")
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    parsed = parse_file(derivative)
    assert parsed.ocr is False  # it now has a text layer
    assert extract_fields(parsed).number == "18"
