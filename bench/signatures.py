"""bench/signatures: digital signatures verified per second, beside the PDF reader's own signature listing.

    python bench/signatures.py [--rounds 3] [--generated 20]

Real: the signed PDFs of ``../shared/real-docs`` (Vietnamese CAs, no anchor configured). Generated: small PDFs
signed in this run by the test PKI (``tests/signatures/pki.py``), half once and half twice (person, then body),
verified without anchors and with the test root as anchor (two pyHanko passes per signature).
Baseline: the same files read by ``indexers.pdf_reader``'s signature listing (pypdf field walk, signer from the
certificate, no cryptography) — what the service did before verification. A "verify" row includes that
listing, as ``parse_file`` runs both.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench.timing import best_wall_time  # noqa: E402
from indexers.pdf_reader import _signatures  # noqa: E402
from indexers.signatures import TrustStore, load_trust_store, verify_pdf_signatures  # noqa: E402
from schemas.parsed import DigitalSignature  # noqa: E402
from tests.realdocs.labels import REAL_DOCS  # noqa: E402
from tests.signatures import pki  # noqa: E402


def _listing(path: Path) -> list[DigitalSignature]:
    return _signatures(PdfReader(str(path)))


def _verifier(trust: TrustStore | None) -> Callable[[Path], list[DigitalSignature]]:
    def run(path: Path) -> list[DigitalSignature]:
        return verify_pdf_signatures(path, _listing(path), trust)

    return run


def _time(fn: Callable[[Path], list[DigitalSignature]], files: list[Path], rounds: int) -> tuple[float, int]:
    """Best wall time of ``rounds`` passes over ``files``, and the signatures one pass returns."""
    count = sum(len(fn(path)) for path in files)  # warm-up: imports, caches
    return best_wall_time(fn, files, rounds), count


def _generated(folder: Path, count: int) -> tuple[list[Path], Path]:
    """``count`` signed PDFs (every second one signed twice) and a trust folder with their root."""
    made = pki.make_pki()
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text="Benchmark document. " * 40)
    source = bytes(pdf.output())
    files = []
    for i in range(count):
        data = pki.sign_as(source, made.person(), "NguoiKy")
        if i % 2:
            data = pki.sign_as(data, made.body(), "CoQuan")
        path = folder / f"gen-{i}.pdf"
        path.write_bytes(data)
        files.append(path)
    return files, pki.write_trust_dir(folder / "trust", made.root.cert)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--generated", type=int, default=20, help="how many generated signed PDFs")
    args = parser.parse_args()
    real = sorted(p for p in REAL_DOCS.glob("*.pdf") if _listing(p)) if REAL_DOCS.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="bench-sig-") as tmp:
        generated, trust_dir = _generated(Path(tmp), args.generated)
        anchors = load_trust_store(trust_dir)
        runs: list[tuple[str, str, Callable[[Path], list[DigitalSignature]], list[Path]]] = []
        if real:
            runs += [
                ("real", "reader listing (baseline)", _listing, real),
                ("real", "verify, no anchors", _verifier(None), real),
            ]
        runs += [
            ("generated", "reader listing (baseline)", _listing, generated),
            ("generated", "verify, no anchors", _verifier(None), generated),
            ("generated", "verify, test root anchor", _verifier(anchors), generated),
        ]
        print(f"real signed PDFs: {len(real)} ({REAL_DOCS}); generated: {len(generated)}; best of {args.rounds}")
        print(f"{'set':<11}{'reading':<28}{'files':>6}{'sigs':>6}{'seconds':>10}{'sigs/s':>10}{'vs baseline':>13}")
        baseline: dict[str, float] = {}
        for name, label, fn, files in runs:
            seconds, sigs = _time(fn, files, args.rounds)
            rate = sigs / seconds if seconds else float("inf")
            baseline.setdefault(name, rate)
            ratio = rate / baseline[name]
            print(f"{name:<11}{label:<28}{len(files):>6}{sigs:>6}{seconds:>10.3f}{rate:>10.1f}{ratio:>12.2f}x")


if __name__ == "__main__":
    main()
