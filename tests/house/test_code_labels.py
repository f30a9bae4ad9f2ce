"""Every code the service can show has a Vietnamese label: the check catalogue, shared/domain/checks.md and
every error code raised in the source, found by reading the code rather than a list kept by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from archive_service.validation import rule_catalogue
from schemas.code_labels import CODE_PATTERN, CodeLabelsError, code_label, has_label, labelled_codes, load_table

ROOT = Path(__file__).resolve().parents[2]
CHECKS_MD = ROOT.parent / "shared" / "domain" / "checks.md"
SOURCE_ROOTS = ("archive_service", "indexers", "schemas")


def _code_literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE_PATTERN.match(node.value):
        return node.value
    return None


def _raised_codes() -> dict[str, str]:
    """Code literals where an error is made: a call's arguments, a ``…code=`` keyword, a ``code`` default, the
    first element of a tuple (status tables). Rule ids (AUTH-01) are arguments too and are dropped after."""
    found: dict[str, str] = {}
    for root in SOURCE_ROOTS:
        for path in (ROOT / root).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                candidates: list[ast.AST | None] = []
                if isinstance(node, ast.Call):
                    candidates += node.args
                    candidates += [k.value for k in node.keywords if k.arg and k.arg.endswith("code")]
                elif isinstance(node, ast.Tuple) and node.elts:
                    candidates.append(node.elts[0])
                elif isinstance(node, ast.arguments):
                    positional = node.posonlyargs + node.args
                    pairs = list(zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True))
                    pairs += list(zip(node.kwonlyargs, node.kw_defaults, strict=True))
                    candidates += [default for arg, default in pairs if arg.arg.endswith("code")]
                for candidate in candidates:
                    code = _code_literal(candidate)
                    if code:
                        found.setdefault(code, str(path.relative_to(ROOT)))
    rule_ids = {r.rule_id for r in rule_catalogue()}
    return {code: where for code, where in found.items() if code not in rule_ids}


def test_every_code_of_the_check_catalogue_has_a_label() -> None:
    missing = sorted({r.code for r in rule_catalogue()} - labelled_codes())
    assert missing == []


def test_every_code_named_in_checks_md_has_a_label() -> None:
    if not CHECKS_MD.exists():
        pytest.fail(f"{CHECKS_MD} is missing: the catalogue of checks is the contract the labels follow")
    named = set(re.findall(r"^\| ((?:FMT|AUTH|DOS|SIG|READ)-[A-Z0-9-]+) \|", CHECKS_MD.read_text(), re.MULTILINE))
    assert len(named) > 60
    assert sorted(named - labelled_codes()) == []


def test_every_error_code_raised_in_the_source_has_a_label() -> None:
    raised = _raised_codes()
    # The scan must see the errors of every layer, or it proves nothing.
    assert {"REQUEST-INVALID", "DOSSIER-NOT-FOUND", "UPLOAD-MACRO", "PARSE-CORRUPT", "STORAGE-UNAVAILABLE"} <= set(
        raised
    )
    missing = {code: where for code, where in raised.items() if not has_label(code)}
    assert missing == {}


def test_a_label_is_vietnamese_words_and_an_unknown_code_falls_back_to_itself() -> None:
    assert code_label("FMT-STAR-MISSING") == "Thiếu dấu sao dưới tên cơ quan ban hành"
    assert code_label("FMT-NUMBER-LEADING-ZERO") == "Số văn bản thiếu số 0"
    assert code_label("DOS-DUPLICATE-NUMBER") == "Trùng số văn bản trong hồ sơ"
    assert code_label("REQUEST-INVALID") == "Dữ liệu gửi lên không hợp lệ"
    assert code_label("XYZ-NEVER-DEFINED") == "XYZ-NEVER-DEFINED"
    for code in labelled_codes():
        label = code_label(code)
        assert label != code and (label[0].isupper() or label[0] == '"'), code
        assert re.search(r"[à-ỹđ]", label.lower()), f"{code}: {label!r} has no Vietnamese letter"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("source: a note long enough to pass\nlabels:\n  fmt-lower: Nhãn\n", "not a code"),
        ("source: a note long enough to pass\nlabels:\n  FMT-A: Nhãn.\n", "no final punctuation"),
        ("source: a note long enough to pass\nlabels:\n  FMT-A: Nhãn\n  FMT-B: Nhãn\n", "same label"),
        ("labels:\n  FMT-A: Nhãn\n", "source"),
        ("source: a note long enough to pass\nlabels:\n  FMT-A: FMT-B\n", "looks like a code"),
    ],
)
def test_a_malformed_table_is_refused_naming_the_file(tmp_path: Path, body: str, complaint: str) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CodeLabelsError, match=complaint) as caught:
        load_table(path)
    assert "labels.yaml" in str(caught.value)


def test_the_shipped_table_loads_with_its_source_note() -> None:
    table = load_table()
    assert "checks.md" in table.source and len(table.labels) == len(labelled_codes())
