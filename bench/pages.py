"""bench/pages: page images per second — ours (a sandboxed child, PNG files, line boxes found) beside pypdfium2
rendering the same pages to PNG in this process, and what a DOCX costs to convert with LibreOffice first.

    python bench/pages.py [--documents 12] [--rounds 2]

Ours: ``render_pages_isolated`` on the corpus PDFs with every text line to locate (as the document page
needs), one child process per document. Baseline: ``pypdfium2`` render at the same scale and PNG save, in
process, no boxes. DOCX: ``docx_to_pdf`` (LibreOffice headless, a fresh profile, no network) per document.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2  # noqa: E402

from indexers.page_images import MAX_SIDE_PX, RENDER_DPI, docx_to_pdf, render_pages_isolated  # noqa: E402
from indexers.parse import parse_file  # noqa: E402
from tests.corpus.generator import default_corpus, write_docx  # noqa: E402
from tests.corpus.generator import docx_to_pdf as corpus_pdfs  # noqa: E402


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _raw_render(pdfs: list[Path], out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    pages = 0
    for path in pdfs:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for i, page in enumerate(pdf):
                width, height = page.get_size()
                scale = min(RENDER_DPI / 72.0, MAX_SIDE_PX / max(width, height, 1.0))
                page.render(scale=scale).to_pil().convert("RGB").save(out / f"{path.stem}-{i}.png", "PNG")
                pages += 1
        finally:
            pdf.close()
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        specs = default_corpus()[: args.documents]
        docx_files = [folder / f"{s.key}.docx" for s in specs]
        for spec, path in zip(specs, docx_files, strict=True):
            write_docx(spec, path)
        pdfs = corpus_pdfs(docx_files, folder / "pdf")
        wanted = {p: [(i, line.text) for i, line in enumerate(parse_file(p).lines)] for p in pdfs}
        pages = _raw_render(pdfs, folder / "warm")

        def ours() -> None:
            for n, pdf in enumerate(pdfs):
                render_pages_isolated(pdf, folder / "ours" / str(n), locate=wanted[pdf])

        ours_s = _best(ours, args.rounds)
        raw_s = _best(lambda: _raw_render(pdfs, folder / "raw"), args.rounds)

        def convert() -> None:
            for n, docx in enumerate(docx_files):
                docx_to_pdf(docx, folder / f"lo-{n}.pdf", timeout_s=120)

        lo_s = _best(convert, 1)
        print(f"corpus: {len(pdfs)} documents, {pages} pages, rendered at {RENDER_DPI:.0f} dpi")
        print(f"{'what':<44}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
        rows = [
            ("ours: sandboxed render + PNG + line boxes", pages, ours_s),
            ("pypdfium2 render + PNG, in process", pages, raw_s),
            ("DOCX → PDF, LibreOffice (per document)", len(docx_files), lo_s),
        ]
        for name, n, seconds in rows:
            print(f"{name:<44}{n:>7}{seconds:>10.3f}{n / seconds:>10.2f}")
        print()
        print(f"ratio ours / pypdfium2 alone (pages/s): {(pages / ours_s) / (pages / raw_s):5.2f}")
        print(f"LibreOffice: {lo_s / len(docx_files):.2f} s per DOCX (once per document, kept as a derivative)")


if __name__ == "__main__":
    main()
