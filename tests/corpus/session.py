"""State shared by the corpus fixtures and the accuracy tests within one pytest session, and the gate
for the external tools they need (a skip on a laptop, a failure in CI)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.corpus.generator import DocSpec
from tests.corpus.scoring import Score

ACCURACY: dict[str, Score] = {}  # corpus kind → score, printed in the terminal summary


@dataclass
class Corpus:
    specs: list[DocSpec]
    docx: dict[str, Path]
    folder: Path


def have(tool: str) -> bool:
    """True when an external program (soffice, tesseract) is installed."""
    return shutil.which(tool) is not None


def require_real() -> bool:
    """True in CI (``ARCHIVE_TEST_REQUIRE_REAL=1``): what a test needs must be there, a skip would hide it."""
    return os.environ.get("ARCHIVE_TEST_REQUIRE_REAL") == "1"


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test because something it needs is missing — or fail it in CI, where nothing may be missing.

    The one gate for every external tool, font, browser, data folder or backend a test needs, so that a CI
    machine without one fails loudly instead of passing with the test silently skipped.
    """
    if require_real():
        pytest.fail(f"{reason} (ARCHIVE_TEST_REQUIRE_REAL=1: nothing a test needs may be missing)")
    pytest.skip(reason)


def skip_unless(available: bool, reason: str) -> None:
    """``skip_or_fail(reason)`` unless ``available``."""
    if not available:
        skip_or_fail(reason)


def need_tools(*tools: str) -> None:
    """Skip (or fail in CI) unless every external program is installed (``need_tools("soffice")``)."""
    missing = [tool for tool in tools if not have(tool)]
    skip_unless(not missing, f"not installed: {', '.join(missing)}")
