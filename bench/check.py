"""bench/check: documents/s of ``archive-service check`` on the generated corpus, DOCX and PDF.

    python bench/check.py [--rounds 3]

Writes the default corpus of ``tests/corpus/generator.py`` (plus planted-error variants) as DOCX, converts
it to PDF with LibreOffice when it is installed (and a few PDFs to image-only scans, OCR'd with Tesseract),
then times ``run_check`` (parse, extract, validate, JSON)
over the files, and the validation step alone on already-extracted fields.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive_service.cli.check import run_check  # noqa: E402
from archive_service.validation import validate_document  # noqa: E402
from indexers.extract import extract_fields  # noqa: E402
from indexers.parse import parse_file  # noqa: E402
from tests.corpus import generator  # noqa: E402


def corpus(folder: Path) -> list[Path]:
    specs = generator.default_corpus()
    base = specs[0]
    specs += [
        replace(base, key="x-colon", number_line="Số: 125-NQ/TU"),
        replace(base, key="x-kt", signing_form_lines=("K/T BÍ THƯ",), signer_title="PHÓ BÍ THƯ"),
        replace(base, key="x-font", font_family="Arial", title_bold=False),
    ]
    paths = []
    for spec in specs:
        path = folder / f"{spec.key}.docx"
        generator.write_docx(spec, path)
        paths.append(path)
    return paths


def time_check(label: str, paths: list[Path], rounds: int) -> None:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run_check(paths, as_json=True, profile="auto", out=io.StringIO())
        best = min(best, time.perf_counter() - start)
    print(f"{label:6} {len(paths):4d} files  {best:7.3f} s  {len(paths) / best:8.1f} documents/s  (best of {rounds})")


def time_validate(paths: list[Path], rounds: int) -> None:
    docs = [(p, extract_fields(p)) for p in (parse_file(path) for path in paths)]
    n = len(docs) * 20
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(20):
            for parsed, fields in docs:
                validate_document(parsed, fields)
        best = min(best, time.perf_counter() - start)
    print(f"{'rules':6} {n:4d} checks {best:7.3f} s  {n / best:8.1f} documents/s  (validation only, best of {rounds})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scans", type=int, default=8, help="how many PDFs to rasterise and OCR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        folder = Path(tmp)
        docx_paths = corpus(folder / "docx")
        time_check("DOCX", docx_paths, args.rounds)
        if shutil.which("soffice") or shutil.which("libreoffice"):
            pdf_paths = generator.docx_to_pdf(docx_paths, folder / "pdf")
            time_check("PDF", pdf_paths, args.rounds)
            if shutil.which("tesseract"):
                scans = [
                    generator.pdf_to_scan(p, folder / "scan" / p.name, seed=i)
                    for i, p in enumerate(pdf_paths[: args.scans])
                ]
                time_check("scan", scans, 1)
        else:
            print("PDF    skipped: LibreOffice (soffice) is not installed, the PDF corpus cannot be made")
        time_validate(docx_paths, args.rounds)


if __name__ == "__main__":
    main()
