"""bench/parse: pages/s of our readers on the generated corpus, beside pypdf and pypdfium2 text extraction.

    python bench/parse.py [--rounds 3] [--scans 6]

DOCX: ``parse_file`` on the corpus DOCX (pages counted from the LibreOffice PDF of the same file).
Text PDF: ``parse_file`` (runs, fonts, positions, lines, columns) against pypdf's own ``extract_text()``
and pypdfium2's ``get_textpage().get_text_range()`` on the same PDFs. Scans: ``parse_file`` with OCR.
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

from bench.timing import best_wall_time  # noqa: E402
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


def _where_the_time_goes(files: list[Path]) -> list[str]:
    profile = cProfile.Profile()
    profile.enable()
    for path in files:
        parse_file(path)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
    stats.print_stats(r"indexers|pypdf/_page|pypdf/_text|pydantic", 12)
    return [line for line in out.getvalue().splitlines() if line.strip()][-14:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
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

        rows: list[tuple[str, int, float]] = [
            ("DOCX parse_file", pages, _time(_ours, docx_files, args.rounds)),
            ("DOCX parse+extract", pages, _time(_ours_with_fields, docx_files, args.rounds)),
            ("PDF parse_file (layout)", pages, _time(_ours, pdf_files, args.rounds)),
            ("PDF parse+extract", pages, _time(_ours_with_fields, pdf_files, args.rounds)),
            ("PDF pypdf extract_text", pages, _time(_pypdf_text, pdf_files, args.rounds)),
            ("PDF pypdfium2 get_text", pages, _time(_pdfium_text, pdf_files, args.rounds)),
            ("Scan parse_file (OCR)", scan_pages, _time(_ours, scans, 1)),
        ]
        rate = {name: n / seconds for name, n, seconds in rows}
        print(f"corpus: {len(specs)} documents, {pages} pages; scans: {len(scans)} documents, {scan_pages} pages")
        print(f"{'reader':<26}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
        for name, n, seconds in rows:
            print(f"{name:<26}{n:>7}{seconds:>10.3f}{rate[name]:>10.1f}")
        ours = rate["PDF parse_file (layout)"]
        print()
        print(f"ratio pypdf extract_text / ours (PDF layout):    {rate['PDF pypdf extract_text'] / ours:5.2f}x")
        print(f"ratio pypdfium2 get_text / ours (PDF layout):    {rate['PDF pypdfium2 get_text'] / ours:5.2f}x")
        print(
            f"ratio pypdfium2 / pypdf extract_text:            "
            f"{rate['PDF pypdfium2 get_text'] / rate['PDF pypdf extract_text']:5.2f}x"
        )
        print()
        print("where the PDF layout time goes (cumulative, top entries):")
        for line in _where_the_time_goes(pdf_files):
            print("  " + line)


if __name__ == "__main__":
    main()
