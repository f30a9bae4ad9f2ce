"""bench/ocr_prep: what each scan-preparation step (``indexers/ocr_prepare``) pays, on real and generated scans.

    python bench/ocr_prep.py [--corpus 8] [--configs none,colour,deskew,binarise,all]

For each configuration (no step, each step alone, all together) every scan is parsed and its fields
extracted as in the service (``parse_file`` → ``extract_fields``), and the table gives the field
accuracy, the mean Tesseract word confidence and the seconds per page.

Real scans: ``/work/shared/real-docs`` (``labels.json``, ``scanned`` true) — printed fields only
(type and issuer codes, tên loại, issuer, place, signing form, signer title and name); the handwritten
number and day are counted apart ("handwritten"), since a reader may honestly leave them unread.
Generated scans: the corpus of ``tests/corpus`` made into DOCX → LibreOffice PDF → noisy skewed scan.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexers.extract import extract_fields  # noqa: E402
from indexers.parse import parse_file  # noqa: E402
from indexers.textnorm import canonical  # noqa: E402
from schemas.fields import DocumentFields  # noqa: E402
from tests.corpus.generator import default_corpus, docx_to_pdf, pdf_to_scan, true_fields, write_docx  # noqa: E402
from tests.corpus.scoring import CORE_FIELDS, OTHER_FIELDS  # noqa: E402

REAL = Path(os.environ.get("ARCHIVE_REAL_DOCS", "/work/shared/real-docs"))
PRINTED = (
    "type_code",
    "issuer_code",
    "document_type",
    "issuer",
    "place",
    "signing_form",
    "signer_title",
    "signer_name",
)
HANDWRITTEN = ("number", "issued_on")
CONFIGS = {
    "none": "none",
    "colour": "colour",
    "deskew": "deskew",
    "binarise": "binarise",
    "colour+deskew": "colour,deskew",
    "colour+binarise": "colour,binarise",
    "all": "colour,deskew,binarise",
}


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    pages: int = 0
    seconds: float = 0.0
    confidences: list[float] = field(default_factory=list)
    hand_right: int = 0
    hand_total: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self, name: str, label: str) -> str:
        acc = 100 * self.right / self.total if self.total else 0.0
        conf = sum(self.confidences) / len(self.confidences) if self.confidences else 0.0
        per_page = self.seconds / self.pages if self.pages else 0.0
        hand = f"{self.hand_right}/{self.hand_total}" if self.hand_total else "—"
        return f"{label:<10} {name:<15} {acc:>7.1f}% {conf:>8.1f} {per_page:>8.2f} {hand:>6}"


def _same(expected: object, got: object) -> bool:
    if isinstance(expected, str) and isinstance(got, str):
        return canonical(expected) == canonical(got)
    if isinstance(expected, list) and isinstance(got, list):
        return [canonical(str(x)) for x in expected] == [canonical(str(x)) for x in got]
    return expected == got


def _read(path: Path, tally: Tally) -> DocumentFields:
    started = time.perf_counter()
    parsed = parse_file(path)
    fields = extract_fields(parsed)
    tally.seconds += time.perf_counter() - started
    tally.pages += parsed.page_count
    if parsed.ocr_confidence is not None:
        tally.confidences.append(parsed.ocr_confidence)
    return fields


def _real(tally: Tally) -> None:
    labels = json.loads((REAL / "labels.json").read_text(encoding="utf-8"))
    for name, label in sorted(labels.items()):
        if not label.get("scanned"):
            continue
        found = _read(REAL / name, tally)
        truth = label["fields"]
        for key in PRINTED:
            tally.total += 1
            if _same(truth.get(key), getattr(found, key)):
                tally.right += 1
            else:
                tally.misses.append(f"{name}.{key}: {truth.get(key)!r} ≠ {getattr(found, key)!r}")
        for key in HANDWRITTEN:
            expected = truth.get(key)
            if key == "issued_on" and expected:
                expected = date.fromisoformat(expected)
            tally.hand_total += 1
            tally.hand_right += int(_same(expected, getattr(found, key)))


def _generated(scans: dict[str, Path], tally: Tally) -> None:
    for spec in default_corpus():
        if spec.key not in scans:
            continue
        found = _read(scans[spec.key], tally)
        truth = true_fields(spec)
        for key in (*CORE_FIELDS, *OTHER_FIELDS):
            tally.total += 1
            if _same(getattr(truth, key), getattr(found, key)):
                tally.right += 1
            else:
                tally.misses.append(f"{spec.key}.{key}")


def _make_scans(folder: Path, count: int) -> dict[str, Path]:
    specs = default_corpus()[:count]
    docx = []
    for spec in specs:
        path = folder / "docx" / f"{spec.key}.docx"
        write_docx(spec, path)
        docx.append(path)
    pdfs = {p.stem: p for p in docx_to_pdf(docx, folder / "pdf")}
    return {s.key: pdf_to_scan(pdfs[s.key], folder / "scan" / f"{s.key}.pdf", seed=i) for i, s in enumerate(specs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=int, default=8, help="generated scans to make (0: none)")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="configurations to run")
    parser.add_argument("--misses", action="store_true", help="print the fields read wrong")
    args = parser.parse_args()
    chosen = [c for c in args.configs.split(",") if c in CONFIGS]
    rows = [f"{'set':<10} {'steps':<15} {'fields':>8} {'conf':>8} {'s/page':>8} {'hand':>6}"]
    with tempfile.TemporaryDirectory(prefix="ocr-prep-") as tmp:
        scans = _make_scans(Path(tmp), args.corpus) if args.corpus else {}
        for name in chosen:
            os.environ["ARCHIVE_OCR_PREP"] = CONFIGS[name]
            real = Tally()
            _real(real)
            rows.append(real.row(name, "real scan"))
            print(rows[-1], flush=True)
            if args.misses:
                print("\n".join(f"    {m}" for m in real.misses), flush=True)
            if scans:
                gen = Tally()
                _generated(scans, gen)
                rows.append(gen.row(name, "generated"))
                print(rows[-1], flush=True)
                if args.misses:
                    print("\n".join(f"    {m}" for m in gen.misses), flush=True)
    print()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
