"""``python -m indexers.searchable_pdf SRC DST``: the OCRmyPDF searchable copy of a scan, in its own process.

OCRmyPDF installs signal handlers and process pools of its own, so the service runs it as a child
process (with a time budget) rather than inside a worker thread.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from indexers.errors import ParseError, ParseErrorCode


def make_searchable_pdf_isolated(src: Path, dst: Path, *, timeout_s: float = 600.0) -> Path:
    """Run ``indexers.ocr.make_searchable_pdf`` in a child; ParseError on failure or overrun."""
    command = [sys.executable, "-m", "indexers.searchable_pdf", str(src), str(dst)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ParseError("PARSE-TIMEOUT", "Tạo bản PDF tìm kiếm được quá thời gian cho phép.") from exc
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    answer = json.loads(lines[-1]) if lines else {}
    if done.returncode != 0 or "error" in answer:
        error = answer.get("error") or {}
        code: ParseErrorCode = "PARSE-CORRUPT"
        if error.get("code") in ("PARSE-TIMEOUT", "PARSE-UNSUPPORTED"):
            code = error["code"]
        raise ParseError(code, str(error.get("message", "Không tạo được bản PDF tìm kiếm được từ bản quét.")))
    return dst


def _main(argv: list[str]) -> int:
    from indexers.ocr import make_searchable_pdf

    try:
        make_searchable_pdf(Path(argv[0]), Path(argv[1]))
    except ParseError as exc:
        sys.stdout.write(json.dumps({"error": {"code": exc.code, "message": exc.message}}) + "\n")
        return 1
    sys.stdout.write(json.dumps({"ok": True}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
