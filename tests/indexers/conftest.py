"""Shared fixtures: the generated corpus (DOCX, LibreOffice PDFs, scans), made once per session."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` as well as `python -m pytest`
    sys.path.insert(0, str(ROOT))

from tests.corpus.generator import default_corpus, docx_to_pdf, pdf_to_scan, write_docx  # noqa: E402
from tests.corpus.scoring import CORE_FIELDS, OTHER_FIELDS, table  # noqa: E402
from tests.corpus.session import ACCURACY, Corpus, need_tools  # noqa: E402


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("corpus")
    specs = default_corpus()
    paths = {s.key: folder / "docx" / f"{s.key}.docx" for s in specs}
    for spec in specs:
        write_docx(spec, paths[spec.key])
    return Corpus(specs=specs, docx=paths, folder=folder)


@pytest.fixture(scope="session")
def corpus_pdfs(corpus: Corpus) -> dict[str, Path]:
    need_tools("soffice")
    made = docx_to_pdf(list(corpus.docx.values()), corpus.folder / "pdf")  # one soffice call for all
    return {p.stem: p for p in made}


@pytest.fixture(scope="session")
def corpus_scans(corpus: Corpus, corpus_pdfs: dict[str, Path]) -> dict[str, Path]:
    folder = corpus.folder / "scan"
    keys = [s.key for s in corpus.specs]
    # pdfium is not thread-safe (two threads rendering at once crash the process): use processes.
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(pdf_to_scan, corpus_pdfs[key], folder / f"{key}.pdf", seed=i) for i, key in enumerate(keys)
        ]
        made = [f.result() for f in futures]
    return {p.stem: p for p in made}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Iterator[None] | None:
    if not ACCURACY:
        return None
    terminalreporter.section("field accuracy on the generated corpus")
    for row in table(ACCURACY, (*CORE_FIELDS, *OTHER_FIELDS)):
        terminalreporter.write_line(row)
    return None
