"""State shared by the corpus fixtures and the accuracy tests within one pytest session."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

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
