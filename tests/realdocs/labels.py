"""What a person saw in a document: from ``../shared/real-docs/labels.json``, or from a generated spec.

One shape for both, so that the real documents and the generated corpus are scored by the same rules
(``tests/realdocs/scoring.py``) and printed side by side by ``bench/accuracy.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from tests.corpus.generator import DocSpec, true_fields

ROOT: Final = Path(__file__).resolve().parents[2]
# CI keeps the shared folder beside the clone: <parent>/main (the repository) and <parent>/shared.
REAL_DOCS: Final = Path(os.environ.get("ARCHIVE_REAL_DOCS", str(ROOT.parent / "shared" / "real-docs")))

# The fields labels.json gives for every document (its "fields", less "scanned"), in the order printed.
LABELLED_FIELDS: Final = (
    "number",
    "type_code",
    "issuer_code",
    "number_line",
    "document_type",
    "issued_on",
    "place",
    "issuer",
    "parent_issuer",
    "signing_form",
    "signer_title",
    "signer_name",
    "profile",
)
# The components a person can see on the page (labels.json "present").
COMPONENTS: Final = (
    "title",
    "issuer",
    "number_line",
    "date_line",
    "document_type_line",
    "summary",
    "signature_block",
    "recipients_block",
    "archive_line",
)


@dataclass(frozen=True)
class Label:
    """The true fields and visible components of one document, and which values were written by hand.

    ``handwritten`` names the fields whose value a person wrote into a printed blank ("number", "issued_on"):
    a reader may honestly leave them unread, so they are scored apart from the printed fields.
    ``correct`` says every error on the document is false (the generated corpus is correct by construction);
    on a real document an error that the labels do not contradict is left for a person to judge.
    """

    name: str
    profile: str
    scanned: bool
    fields: dict[str, str | None]
    present: frozenset[str]
    handwritten: frozenset[str] = frozenset()
    signing_form_lines: tuple[str, ...] = ()
    correct: bool = False
    sha256: str | None = None


def real_label(name: str, entry: dict[str, Any]) -> Label:
    """One labels.json entry as a Label."""
    extra: dict[str, Any] = entry.get("extra", {})
    handwritten = {
        field
        for field, key in (("number", "number_written"), ("issued_on", "day_written"))
        if extra.get(key) == "handwritten"
    }
    fields = {name_: entry["fields"].get(name_) for name_ in LABELLED_FIELDS}
    return Label(
        name=name,
        profile=str(entry["profile"]),
        scanned=bool(entry["scanned"]),
        fields=fields,
        present=frozenset(entry.get("present", [])),
        handwritten=frozenset(handwritten),
        signing_form_lines=tuple(extra.get("signing_form_lines", [])),
        sha256=entry.get("sha256"),
    )


def load_real_labels(folder: Path = REAL_DOCS) -> list[Label]:
    """Every labelled real document of ``folder``, in file-name order."""
    data: dict[str, dict[str, Any]] = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return [real_label(name, data[name]) for name in sorted(data)]


def checksum_mismatches(labels: list[Label], folder: Path = REAL_DOCS) -> list[str]:
    """Files missing or not the bytes that were labelled: measuring them would measure something else."""
    wrong = []
    for label in labels:
        path = folder / label.name
        if not path.is_file():
            wrong.append(f"{label.name}: missing")
        elif label.sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != label.sha256:
            wrong.append(f"{label.name}: sha256 differs from labels.json")
    return wrong


def generated_label(spec: DocSpec, *, scanned: bool = False) -> Label:
    """The label of a generated document: its true fields (the generator's) and the components it wrote."""
    truth = true_fields(spec)
    fields: dict[str, str | None] = {}
    for name in LABELLED_FIELDS:
        value = getattr(truth, name)
        fields[name] = None if value is None else value.isoformat() if name == "issued_on" else str(value)
    recipients = [r.strip() for r in spec.recipients] if spec.noi_nhan_label else []
    present = {
        "title": bool(spec.quoc_hieu_lines or spec.title.strip()),
        "issuer": bool(spec.issuer_lines),
        "number_line": bool(spec.written_number_line().strip()),
        "date_line": bool(spec.written_date_line().strip()),
        "document_type_line": spec.document_type is not None,
        "summary": bool(spec.summary.strip()),
        "signature_block": bool(spec.signer_name.strip()),
        "recipients_block": bool(spec.noi_nhan_label),
        "archive_line": bool(recipients) and recipients[-1].startswith("Lưu"),
    }
    return Label(
        name=spec.key,
        profile=spec.profile.value,
        scanned=scanned,
        fields=fields,
        present=frozenset(name for name, seen in present.items() if seen),
        signing_form_lines=spec.signing_form_lines,
        correct=True,
    )
