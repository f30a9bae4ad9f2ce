"""bench/accuracy: field accuracy and false errors of the service, on generated and on real documents.

    python bench/accuracy.py [--sets gen-docx,gen-pdf,real-text,real-scan] [--json] [--real-docs DIR]

Per set, one table (field → accuracy %, n), then what was missed, the handwritten values and the error findings
that contradict the labels; last, a summary table. Every document goes through ``analyse_file`` (sandboxed
parse → extract → validate), the path of the workers and of ``archive-service check``; the time per document is
that call's. The rules of the scoring are in ``tests/realdocs/scoring.py``; the same figures are pinned by
``tests/realdocs/test_real_documents.py``.

Sets: gen-docx (the generated corpora, 36-HD and 05-HD, DOCX), gen-pdf (the same through LibreOffice), gen-scan
(those PDFs rendered as scans; OCR), real-text (``../shared/real-docs`` with a text layer), real-scan (the scanned
ones; OCR, about 1.4 s a page).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus.generator import default_corpus, docx_to_pdf, hd05_corpus, pdf_to_scan, write_docx  # noqa: E402
from tests.realdocs.labels import REAL_DOCS, ROOT, Label, generated_label, load_real_labels  # noqa: E402
from tests.realdocs.scoring import PRINTED_FIELDS, SetScore, analyse  # noqa: E402

SETS = {
    "gen-docx": "generated DOCX",
    "gen-pdf": "generated PDF",
    "gen-scan": "generated scans",
    "real-text": "real text PDF",
    "real-scan": "real scans",
}
DEFAULT_SETS = ("gen-docx", "gen-pdf", "real-text", "real-scan")

Documents = list[tuple[Path, Label]]


class Generated:
    """The generated corpora (36-HD and 05-HD), written once into a temporary folder: DOCX, then PDFs, then scans."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.specs = default_corpus() + hd05_corpus()
        self._docx: dict[str, Path] = {}
        self._pdf: dict[str, Path] = {}

    def docx(self) -> Documents:
        if not self._docx:
            for spec in self.specs:
                self._docx[spec.key] = self.folder / "docx" / f"{spec.key}.docx"
                write_docx(spec, self._docx[spec.key])
        return [(self._docx[s.key], generated_label(s)) for s in self.specs]

    def pdf(self) -> Documents:
        if not self._pdf:
            made = docx_to_pdf([path for path, _ in self.docx()], self.folder / "pdf")
            self._pdf = {p.stem: p for p in made}
        return [(self._pdf[s.key], generated_label(s)) for s in self.specs]

    def scans(self) -> Documents:
        pdfs = {label.name: path for path, label in self.pdf()}
        return [
            (pdf_to_scan(pdfs[s.key], self.folder / "scan" / f"{s.key}.pdf", seed=i), generated_label(s, scanned=True))
            for i, s in enumerate(self.specs)
        ]


def real_documents(folder: Path, *, scanned: bool) -> Documents:
    return [(folder / label.name, label) for label in load_real_labels(folder) if label.scanned == scanned]


def measure(name: str, documents: Documents, timeout_s: float) -> SetScore:
    score = SetScore(SETS[name])
    for path, label in documents:
        score.add(analyse(path, label, timeout_s=timeout_s))
        print(f"  {SETS[name]}: {label.name}", file=sys.stderr)
    return score


# ---- printing --------------------------------------------------------------------------------------------------


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:.1f}%" if total else "—"


def set_report(score: SetScore) -> list[str]:
    """The table of one set, then every miss, handwritten value and contradicting error, for the next engineer."""
    lines = [f"== {score.name}: {score.documents} documents, {score.seconds_per_document:.2f} s per document"]
    lines.append(f"{'field':<20}{'right':>7}{'n':>5}{'accuracy':>10}")
    for name in PRINTED_FIELDS:
        total = score.total.get(name, 0)
        if total:
            right = score.right.get(name, 0)
            lines.append(f"{name:<20}{right:>7}{total:>5}{_percent(right, total):>10}")
    lines.append(
        f"{'PRINTED FIELDS':<20}{score.printed_right:>7}{score.printed_total:>5}"
        f"{_percent(score.printed_right, score.printed_total):>10}"
    )
    if score.misses:
        lines.append(f"-- printed fields missed ({len(score.misses)}):")
        lines.extend(f"   {m}" for m in score.misses)
    if score.handwritten:
        lines.append(
            f"-- handwritten values: {score.handwritten_count('right')} read right, "
            f"{score.handwritten_count('unread')} honestly unread, {score.handwritten_count('WRONG')} WRONG "
            f"({len(score.wrong_with_high_confidence())} WRONG with confidence ≥ 0.9):"
        )
        for h in score.handwritten:
            lines.append(
                f"   {h.verdict:<7}{h.file}: {h.field}: expected {h.want!r}, got {h.got!r}"
                + (f" (confidence {h.confidence:.2f})" if h.got is not None else "")
            )
    lines.append(f"-- false errors ({len(score.false_errors)}):")
    lines.extend(f"   {e.file}: {e.code} [{e.reason}] {e.message}" for e in score.false_errors)
    if score.to_judge:
        lines.append(f"-- other errors, for a person to judge ({len(score.to_judge)}):")
        lines.extend(f"   {e.file}: {e.code} [{e.reason}] {e.message}" for e in score.to_judge)
    return lines


def summary(scores: list[SetScore]) -> list[str]:
    head = (
        f"{'set':<18}{'docs':>5}{'printed fields':>16}{'handwritten r/u/W':>19}"
        f"{'false errors':>14}{'to judge':>10}{'s/doc':>8}"
    )
    lines = [head, "-" * len(head)]
    for s in scores:
        hand = (
            f"{s.handwritten_count('right')}/{s.handwritten_count('unread')}/{s.handwritten_count('WRONG')}"
            if s.handwritten
            else "—"
        )
        lines.append(
            f"{s.name:<18}{s.documents:>5}{_percent(s.printed_right, s.printed_total):>16}{hand:>19}"
            f"{len(s.false_errors):>14}{len(s.to_judge):>10}{s.seconds_per_document:>8.2f}"
        )
    return lines


def as_json(scores: list[SetScore], source: dict[str, str]) -> dict[str, Any]:
    return {
        "source": source,
        "sets": [
            {
                "set": s.name,
                "documents": s.documents,
                "seconds_per_document": round(s.seconds_per_document, 3),
                "printed_accuracy": round(s.printed_accuracy, 4),
                "fields": {n: {"right": s.right.get(n, 0), "n": s.total[n]} for n in PRINTED_FIELDS if n in s.total},
                "misses": s.misses,
                "handwritten": [asdict(h) for h in s.handwritten],
                "false_errors": [asdict(e) for e in s.false_errors],
                "to_judge": [asdict(e) for e in s.to_judge],
            }
            for s in scores
        ],
    }


def source_state() -> dict[str, str]:
    """The commit measured and whether the reader or the checks had uncommitted changes (figures move with them)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else "unknown"

    changed = git("status", "--short", "indexers", "archive_service", "schemas")
    return {"commit": git("rev-parse", "HEAD"), "uncommitted": changed.replace("\n", "; ") or "none"}


@contextmanager
def _generated() -> Iterator[Generated]:
    with tempfile.TemporaryDirectory(prefix="bench-accuracy-") as tmp:
        yield Generated(Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(DEFAULT_SETS), help=f"comma-separated, of: {', '.join(SETS)}")
    parser.add_argument("--real-docs", type=Path, default=REAL_DOCS, help="folder with labels.json")
    parser.add_argument("--timeout", type=float, default=300.0, help="parse budget per document, seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    args = parser.parse_args()
    chosen = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SETS]
    if unknown:
        parser.error(f"unknown set {', '.join(unknown)}; choose from {', '.join(SETS)}")
    if any(s.startswith("real-") for s in chosen) and not (args.real_docs / "labels.json").is_file():
        parser.error(f"no labels.json in {args.real_docs}")

    scores: list[SetScore] = []
    with _generated() as generated:
        sources: dict[str, Callable[[], Documents]] = {
            "gen-docx": generated.docx,
            "gen-pdf": generated.pdf,
            "gen-scan": generated.scans,
            "real-text": lambda: real_documents(args.real_docs, scanned=False),
            "real-scan": lambda: real_documents(args.real_docs, scanned=True),
        }
        for name in chosen:
            scores.append(measure(name, sources[name](), args.timeout))

    source = source_state()
    if args.json:
        json.dump(as_json(scores, source), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return
    print(f"commit {source['commit']}; uncommitted changes in the reader and checks: {source['uncommitted']}")
    for score in scores:
        print()
        print("\n".join(set_report(score)))
    print()
    print("== summary (printed fields exclude handwritten values; r/u/W = read right / honestly unread / WRONG)")
    print("\n".join(summary(scores)))


if __name__ == "__main__":
    main()
