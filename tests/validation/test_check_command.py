"""``archive-service check``: the JSON contract, the report for people, and the exit codes."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive_service import cli
from archive_service.cli.check import run_check
from schemas.code_labels import code_label
from schemas.fields import DocumentFields
from schemas.parsed import ParsedDocument
from tests.corpus import generator
from tests.validation.factory import document


class FakeParseError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


DOCS: dict[str, tuple[ParsedDocument, DocumentFields]] = {
    "good.docx": document(),
    "colon.docx": document(number_line="Số: 05-NQ/TU"),
    "warn.docx": document(signer_title="BÍ THƯ TỈNH ỦY"),
}


def fake_reader(path: Path) -> ParsedDocument:
    if path.name not in DOCS:
        raise FakeParseError("PARSE-CORRUPT", "Tệp hỏng, không đọc được nội dung.")
    return DOCS[path.name][0]


def fake_extractor(parsed: ParsedDocument) -> DocumentFields:
    return next(f for p, f in DOCS.values() if p is parsed)


def check(names: list[str], *, as_json: bool, profile: str = "auto") -> tuple[int, str]:
    out = io.StringIO()
    code = run_check(
        [Path(n) for n in names],
        as_json=as_json,
        profile=profile,
        out=out,
        reader=fake_reader,
        extractor=fake_extractor,
        parse_error=FakeParseError,
    )
    return code, out.getvalue()


def test_a_correct_file_exits_zero() -> None:
    assert check(["good.docx"], as_json=False)[0] == 0


def test_warnings_alone_exit_zero() -> None:
    assert check(["warn.docx"], as_json=False)[0] == 0


def test_an_error_exits_one() -> None:
    assert check(["good.docx", "colon.docx"], as_json=False)[0] == 1


def test_an_unreadable_file_exits_two() -> None:
    assert check(["colon.docx", "broken.pdf"], as_json=False)[0] == 2


def test_json_has_one_object_per_file_with_the_contract_keys() -> None:
    code, text = check(["good.docx", "colon.docx", "broken.pdf"], as_json=True)
    data = json.loads(text)
    assert [d["file"] for d in data] == ["good.docx", "colon.docx", "broken.pdf"]
    assert all(set(d) == {"file", "profile", "fields", "findings", "signatures"} for d in data)
    assert data[0]["profile"] == "party" and data[0]["findings"] == []
    assert data[0]["fields"]["issued_on"] == "2024-03-05" and data[0]["fields"]["number_line"] == "Số 05-NQ/TU"
    (finding,) = data[1]["findings"]
    assert set(finding) == {"code", "severity", "message", "hint", "clause", "location"}
    assert finding["code"] == "FMT-NUMBER-COLON" and finding["severity"] == "error"
    assert finding["location"]["line"] == 2
    assert data[2]["fields"] is None
    assert data[2]["findings"][0]["code"] == "PARSE-CORRUPT" and data[2]["findings"][0]["severity"] == "error"


def test_the_report_for_people_is_grouped_by_file_with_where_and_how_to_fix() -> None:
    _, text = check(["colon.docx", "good.docx"], as_json=False)
    colon = text.index("colon.docx")
    good = text.index("good.docx")
    heading = f"[LỖI] {code_label('FMT-NUMBER-COLON')} (FMT-NUMBER-COLON)"  # the words first, the code for support
    assert colon < text.index(heading) < good
    assert "Vị trí: trang 1, dòng 3" in text and "Cách sửa:" in text and "Căn cứ: 36-HD/VPTW" in text
    assert "Không phát hiện sai sót." in text[good:]


def test_the_profile_can_be_forced() -> None:
    _, text = check(["good.docx"], as_json=True, profile="state")
    data = json.loads(text)
    assert data[0]["profile"] == "state"
    assert any(f["code"] == "FMT-NUMBER-COLON" for f in data[0]["findings"])


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError):
        check(["good.docx"], as_json=True, profile="x")


def test_a_real_docx_goes_through_the_real_parser(tmp_path: Path) -> None:
    path = tmp_path / "nq.docx"
    generator.write_docx(generator.DocSpec(number_line="Số: 125-NQ/TU"), path)
    out = io.StringIO()
    code = run_check([path], as_json=True, profile="auto", out=out)
    data = json.loads(out.getvalue())
    assert code == 1
    assert [f["code"] for f in data[0]["findings"]] == ["FMT-NUMBER-COLON"]


def test_the_cli_command_prints_the_json_contract_and_exits_with_the_code(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.docx", tmp_path / "bad.docx"
    generator.write_docx(generator.DocSpec(), good)
    generator.write_docx(generator.DocSpec(star=False), bad)
    result = CliRunner().invoke(cli.app, ["check", str(good), str(bad), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [d["file"] for d in data] == [str(good), str(bad)]
    assert data[0]["findings"] == [] and [f["code"] for f in data[1]["findings"]] == ["FMT-STAR-MISSING"]


def _hd05_document() -> generator.DocSpec:
    """A Nghị quyết of 18/06/2026, correct per 05-HD/VPTW: recipients ";" then "- Lưu Văn phòng Tỉnh uỷ."."""
    spec = next(s for s in generator.hd05_corpus() if s.key == "hd05-01-nq-btv")
    assert spec.issued_on is not None and spec.issued_on.year == 2026 and spec.issued_on.month == 6
    return spec


def test_the_cli_reports_nothing_on_a_05_hd_document_of_2026(tmp_path: Path) -> None:
    path = tmp_path / "nq-2026.docx"
    generator.write_docx(_hd05_document(), path)
    as_json = CliRunner().invoke(cli.app, ["check", str(path), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout)[0]["findings"] == []
    for_people = CliRunner().invoke(cli.app, ["check", str(path)])
    assert for_people.exit_code == 0 and "Không phát hiện sai sót." in for_people.stdout


def test_the_cli_reports_commas_after_the_recipients_of_a_05_hd_document(tmp_path: Path) -> None:
    spec = _hd05_document()
    path = tmp_path / "nq-2026-commas.docx"
    generator.write_docx(replace(spec, recipients=tuple(r.replace(";", ",") for r in spec.recipients)), path)
    result = CliRunner().invoke(cli.app, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output  # a warning: 05-HD changes the 36-HD ending, not yet an error
    (finding,) = json.loads(result.stdout)[0]["findings"]
    assert finding["code"] == "FMT-RECIPIENTS-PUNCT" and finding["clause"].startswith("05-HD/VPTW")
