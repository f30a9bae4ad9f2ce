"""bench/parse: pages/s of our PDF layout reading against pypdfium2's plain text extraction, on the same PDFs.

    python bench/parse.py [--rounds 5] [--scans 6]

The goal (issue 17) is ours ≥ 0.3 × the baseline. Each round runs ours and the baseline in alternating order
(``bench.timing.alternate``); min and median pages/s and their ratio are printed.

What the baseline leaves out: ``get_textpage().get_text_range()`` returns the page's characters as one string.
Ours (``parse_file`` on a text PDF) opens the file twice (pypdf for structure, encryption, the signatures and the
widgets' stamped values; pypdfium2 for the text layer), reads each run's font, size, bold, italic and position,
the glyph boxes, builds visual lines and columns, regions, alignment, margins and page numbers.
The pypdf ``extract_text()`` column is information only (our reader used its interpreter until issue 17).
DOCX and scans (OCR) are timed once each for reference.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.timing import Comparison, alternate, best_wall_time  # noqa: E402
from indexers.extract import extract_fields  # noqa: E402
from indexers.parse import parse_file  # noqa: E402
from tests.corpus.generator import default_corpus, docx_to_pdf, pdf_to_scan, write_docx  # noqa: E402


def _pages(pdf: Path) -> int:
    return len(PdfReader(str(pdf)).pages)


def _time(fn: Callable[[Path], object], files: list[Path], rounds: int) -> float:
    fn(files[0])  # warm-up: imports, font metrics, caches
    return best_wall_time(fn, files, rounds)


def _pypdf_text(path: Path) -> object:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def _pdfium_text(path: Path) -> object:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def _ours(path: Path) -> object:
    return parse_file(path)


def _ours_with_fields(path: Path) -> object:
    return extract_fields(parse_file(path))


def _each(fn: Callable[[Path], object], files: list[Path]) -> Callable[[], object]:
    """One whole pass of ``fn`` over ``files``: the unit ``alternate`` times."""
    return lambda: [fn(path) for path in files]


def _row(name: str, pages: int, comparison: Comparison) -> None:
    ours = comparison.ours
    print(
        f"{name:<34}{ours.rate(pages):>10.1f}{ours.rate(pages, median=True):>12.1f}"
        f"{comparison.ratio():>11.3f}{comparison.ratio(median=True):>11.3f}"
    )


def _where_the_time_goes(files: list[Path]) -> list[str]:
    profile = cProfile.Profile()
    profile.enable()
    for path in files:
        parse_file(path)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(r"indexers|pypdf|pypdfium2|pydantic", 12)
    return [line for line in out.getvalue().splitlines() if line.strip()][-14:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scans", type=int, default=6, help="how many documents to scan and OCR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        folder = Path(tmp)
        specs = default_corpus()
        docx_files = [folder / f"{s.key}.docx" for s in specs]
        for spec, path in zip(specs, docx_files, strict=True):
            write_docx(spec, path)
        pdf_files = docx_to_pdf(docx_files, folder / "pdf")
        pages = sum(_pages(p) for p in pdf_files)
        scans = [pdf_to_scan(p, folder / "scan" / p.name, seed=i) for i, p in enumerate(pdf_files[: args.scans])]
        scan_pages = sum(_pages(p) for p in scans)

        for path in pdf_files[:1]:  # warm-up: imports, font metrics, caches
            _ours(path), _pdfium_text(path), _pypdf_text(path)
        layout = alternate(_each(_ours, pdf_files), _each(_pdfium_text, pdf_files), args.rounds)
        fields = alternate(_each(_ours_with_fields, pdf_files), _each(_pdfium_text, pdf_files), args.rounds)
        pypdf = alternate(_each(_pypdf_text, pdf_files), _each(_pdfium_text, pdf_files), args.rounds)
        print(f"corpus: {len(specs)} documents, {pages} pages; scans: {len(scans)} documents, {scan_pages} pages")
        print(f"rounds: {args.rounds}, ours and the baseline alternately")
        print(f"{'reader':<34}{'min p/s':>10}{'median p/s':>12}{'ratio min':>11}{'ratio med':>11}")
        for name, comparison in (
            ("PDF parse_file (layout)", layout),
            ("PDF parse+extract", fields),
            ("PDF pypdf extract_text (info)", pypdf),
        ):
            _row(name, pages, comparison)
        base = layout.baseline
        print(
            f"{'PDF pypdfium2 get_text (baseline)':<34}{base.rate(pages):>10.1f}{base.rate(pages, median=True):>12.1f}"
        )
        print()
        print(
            f"goal: PDF layout ≥ 0.30 × pypdfium2 plain text; measured {layout.ratio():.3f} (min), "
            f"{layout.ratio(median=True):.3f} (median)"
        )
        print()
        for name, fn, files, n, rounds in (
            ("DOCX parse_file", _ours, docx_files, pages, args.rounds),
            ("DOCX parse+extract", _ours_with_fields, docx_files, pages, args.rounds),
            ("Scan parse_file (OCR)", _ours, scans, scan_pages, 1),
        ):
            seconds = _time(fn, files, rounds)
            print(f"{name:<34}{n / seconds:>10.1f} pages/s (best of {rounds})")
        print()
        print("where the PDF layout time goes (cumulative, top entries):")
        for line in _where_the_time_goes(pdf_files):
            print("  " + line)


if __name__ == "__main__":
    main()
