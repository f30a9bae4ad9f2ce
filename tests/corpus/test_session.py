"""The one gate for what a test needs: a skip on a laptop, a failure in CI — and no other way to skip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.corpus.session import need_tools, skip_unless

TESTS = Path(__file__).resolve().parents[1]
GATE = TESTS / "corpus" / "session.py"
# Ways to skip that bypass the gate (and so pass silently in CI when a tool is missing).
BYPASS = re.compile(r"pytest\.skip\(|importorskip\(|mark\.skipif\(|mark\.skip\(")


def test_a_missing_tool_skips_without_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHIVE_TEST_REQUIRE_REAL", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tool-h2"):
        need_tools("sh", "no-such-tool-h2")


def test_a_missing_tool_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_TEST_REQUIRE_REAL", "1")
    with pytest.raises(pytest.fail.Exception, match="no-such-tool-h2"):
        need_tools("no-such-tool-h2")


def test_what_is_there_neither_skips_nor_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_TEST_REQUIRE_REAL", "1")
    need_tools("sh")
    skip_unless(True, "unused")


def test_no_test_skips_around_the_gate() -> None:
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path not in (GATE, this)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BYPASS.search(line)
    ]
    assert found == [], "skip through tests.corpus.session.skip_unless / need_tools instead"
