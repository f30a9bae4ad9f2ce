"""Session fixtures of the signature tests: one test PKI, the unsigned Party documents, a checker."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from archive_service.documents.processing import Analysis, analyse_file
from indexers.parse_inprocess import parse_file
from tests.corpus import generator as gen
from tests.corpus.session import need_tools
from tests.signatures import pki

ORIGINAL = "hd05-01-nq-btv"  # Tỉnh uỷ Điện Biên, signed by Trần Quốc Cường
COPY = "hd05-15-nq-bansao"  # the same body's document with the "BẢN SAO VĂN BẢN" stamp of its Văn phòng

Check = Callable[..., Analysis]


@pytest.fixture(scope="session")
def test_pki() -> pki.Pki:
    return pki.make_pki()


@pytest.fixture(scope="session")
def party_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The unsigned PDFs of a Party original and of its electronic copy, written by the corpus generator."""
    need_tools("soffice")
    folder = tmp_path_factory.mktemp("party-src")
    specs = {s.key: s for s in gen.hd05_corpus()}
    docx = []
    for key in (ORIGINAL, COPY):
        path = folder / f"{key}.docx"
        gen.write_docx(specs[key], path)
        docx.append(path)
    return {p.stem: p.read_bytes() for p in gen.docx_to_pdf(docx, folder / "pdf")}


@pytest.fixture(scope="session")
def trust_root(test_pki: pki.Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trust folder with the root the test certificates chain to."""
    return pki.write_trust_dir(tmp_path_factory.mktemp("trust-root"), test_pki.root.cert)


@pytest.fixture(scope="session")
def trust_other(test_pki: pki.Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trust folder with only the other root."""
    return pki.write_trust_dir(tmp_path_factory.mktemp("trust-other"), test_pki.other_root.cert)


@pytest.fixture(scope="session")
def check(tmp_path_factory: pytest.TempPathFactory) -> Check:
    """``check(pdf_bytes, trust_dir=None, electronic=False)``: the service's analysis of the bytes (reader in
    process, to keep the suite quick; one test goes through the sandbox)."""
    folder = tmp_path_factory.mktemp("checked")
    counter = iter(range(1_000_000))

    def run(pdf: bytes, *, trust_dir: Path | None = None, electronic: bool = False) -> Analysis:
        path = folder / f"doc-{next(counter)}.pdf"
        path.write_bytes(pdf)
        reader = partial(parse_file, media_type="application/pdf", trust_dir=trust_dir)
        return analyse_file(path, reader=reader, trust_dir=trust_dir, electronic=electronic)

    return run
