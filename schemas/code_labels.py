"""The Vietnamese label of every code the service shows (check codes and error codes), from one data table.

Archivists read words, not ``FMT-STAR-MISSING``: every place that shows a code — finding cards, the search
facet, charts, report tables, error pages, API bodies (``label`` beside ``code``) — asks ``code_label``. The
table is data (``code_labels.yaml``, with its source note) so that a wording is changed in one place; it is
checked when first read, and a code it does not know is shown as itself rather than hidden.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Annotated, Final

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas import yaml_text

TABLE_PATH: Final = Path(__file__).with_name("code_labels.yaml")
CODE_PATTERN: Final = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
MAX_LABEL_LENGTH: Final = 80  # a label heads a card and a chart row: a short phrase, not a sentence


class CodeLabelsError(ValueError):
    """The label table is malformed (a packaging or editing mistake, found at first use)."""


def _code(value: str) -> str:
    if not CODE_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a code (upper-case words joined by '-')")
    return value


def _label(value: str) -> str:
    if value != value.strip() or not value:
        raise ValueError(f"label {value!r} is blank or has spaces around it")
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError(f"label {value!r} is not NFC")
    if len(value) > MAX_LABEL_LENGTH:
        raise ValueError(f"label {value!r} is longer than {MAX_LABEL_LENGTH} characters")
    if value.endswith((".", ";", ":")):
        raise ValueError(f"label {value!r} is a phrase: no final punctuation")
    if CODE_PATTERN.search(value.replace('"', "")):
        raise ValueError(f"label {value!r} looks like a code, not words")
    return value


Code = Annotated[str, AfterValidator(_code)]
Label = Annotated[str, AfterValidator(_label)]


class CodeLabelTable(BaseModel):
    """``code_labels.yaml``: where the wording comes from, and one label a code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=20)
    labels: dict[Code, Label]

    @model_validator(mode="after")
    def _labels_are_distinct(self) -> CodeLabelTable:
        seen: dict[str, str] = {}
        for code, label in self.labels.items():
            # Two codes read the same would be told apart only by the small code: a wording mistake.
            # The upload and parse refusals of an encrypted file are one event seen at two stages.
            if label in seen and {code, seen[label]} != {"UPLOAD-ENCRYPTED", "PARSE-ENCRYPTED"}:
                raise ValueError(f"{code} and {seen[label]} have the same label {label!r}")
            seen[label] = code
        return self


def load_table(path: Path = TABLE_PATH) -> CodeLabelTable:
    """Read and check a label table; ``CodeLabelsError`` names the file when it is malformed."""
    try:
        raw = yaml_text.safe_load(path.read_text(encoding="utf-8"))
        return CodeLabelTable.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise CodeLabelsError(f"{path.name}: {exc}") from exc


@cache
def _labels() -> dict[str, str]:
    return dict(load_table().labels)


def code_label(code: str) -> str:
    """The Vietnamese label of ``code``; the code itself when the table does not know it."""
    return _labels().get(code, code)


def has_label(code: str) -> bool:
    """Whether the table has a label for ``code`` (the tests' check that nothing is shown raw)."""
    return code in _labels()


def labelled_codes() -> frozenset[str]:
    """Every code the table labels."""
    return frozenset(_labels())
