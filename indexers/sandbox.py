"""Run a parse in a child process with a wall-clock and an address-space budget (RLIMIT_AS).

A hostile file can make a parser loop or allocate without end; in a child the worst it does is
die, and the parent answers PARSE-TIMEOUT or PARSE-TOO-LARGE. The child runs
``python -m indexers.sandbox --serve MEMORY_MB`` and answers one JSON line per request.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from indexers.errors import ParseError
from schemas.parsed import ParsedDocument

DEFAULT_TIMEOUT_S: Final = 300.0  # a 100-page scan OCRs in about this on 2 cores
DEFAULT_MEMORY_MB: Final = 1536
_ROOT: Final = Path(__file__).resolve().parent.parent
_CODES: Final = frozenset({"PARSE-CORRUPT", "PARSE-ENCRYPTED", "PARSE-TOO-LARGE", "PARSE-UNSUPPORTED", "PARSE-TIMEOUT"})


class SandboxWorker:
    """A long-lived child (``python -m indexers.sandbox --serve MEMORY_MB``) that parses file after file.

    Starting Python and importing the readers costs about a second; a worker pays it once, not per
    document. The child answers one JSON line per request. A request over its time budget kills the
    child's process group (tesseract included) and the next request starts a fresh child; a child is
    also replaced after ``max_jobs`` documents or after running out of memory, so no state lingers.
    """

    def __init__(self, *, memory_mb: int, max_jobs: int = 200) -> None:
        self.memory_mb = memory_mb
        self.max_jobs = max_jobs
        self._child: subprocess.Popen[bytes] | None = None
        self._jobs = 0

    def _start(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])}
        env["OMP_THREAD_LIMIT"] = "1"
        command = [sys.executable, "-m", "indexers.sandbox", "--serve", str(self.memory_mb)]
        self._jobs = 0
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,  # its own process group: a timeout kills tesseract too
        )

    def close(self) -> None:
        """Stop the child (it also ends by itself when its stdin closes)."""
        child, self._child = self._child, None
        if child is None:
            return
        _kill_group(child)
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()

    def parse(
        self,
        path: Path,
        *,
        media_type: str | None,
        timeout_s: float,
        trust_dir: Path | None = None,
        defer_ocr: bool = False,
        recognised: Sequence[Mapping[str, Any]] = (),
    ) -> ParsedDocument:
        """Parse one file in the child within ``timeout_s``; ParseError on refusal or overrun.

        ``defer_ocr`` and ``recognised`` (page readings as ``indexers.ocr.result_json`` wrote them): see
        ``parse_file``.
        """
        request = {
            "op": "parse",
            "path": str(Path(path).resolve()),
            "media_type": media_type,
            "trust_dir": str(trust_dir) if trust_dir is not None else None,
            "defer_ocr": defer_ocr,
            "recognised": list(recognised),
        }
        return ParsedDocument.model_validate(self._ask(request, timeout_s)["document"])

    def ocr_page(self, path: Path, page: int, *, timeout_s: float) -> dict[str, Any]:
        """OCR one page of a PDF in the child: its reading as ``indexers.ocr.result_json`` writes it."""
        request = {"op": "ocr-page", "path": str(Path(path).resolve()), "page": page}
        answer: dict[str, Any] = self._ask(request, timeout_s)["ocr"]
        return answer

    def _ask(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        """Send one request to the child and wait for its answer within ``timeout_s`` (ParseError otherwise)."""
        if self._child is None or self._child.poll() is not None or self._jobs >= self.max_jobs:
            self.close()
            self._child = self._start()
        child = self._child
        assert child.stdin is not None and child.stdout is not None
        deadline = time.monotonic() + timeout_s
        try:
            child.stdin.write((json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8"))
            child.stdin.flush()
        except BrokenPipeError:
            self.close()
            raise ParseError("PARSE-CORRUPT", "Trình đọc tệp dừng bất thường, tệp có thể bị hỏng.") from None
        ready, _, _ = select.select([child.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            self.close()
            raise ParseError("PARSE-TIMEOUT", "Đọc tệp quá thời gian cho phép.")
        line = child.stdout.readline()
        self._jobs += 1
        if not line:  # the child died: out of memory (RLIMIT_AS) or a crash in a native library
            returncode = child.wait()
            self.close()
            return _answer(returncode, b"", b"")
        try:
            return _answer(0, line, b"")
        except ParseError as exc:
            if exc.code == "PARSE-TOO-LARGE":
                self.close()  # a MemoryError leaves the heap in an unknown state
            raise


_workers = threading.local()
_all_workers: list[SandboxWorker] = []
_all_lock = threading.Lock()


def _worker_for_thread(memory_mb: int) -> SandboxWorker:
    worker: SandboxWorker | None = getattr(_workers, "worker", None)
    if worker is None or worker.memory_mb != memory_mb:
        if worker is not None:
            worker.close()
        worker = SandboxWorker(memory_mb=memory_mb)
        _workers.worker = worker
        with _all_lock:
            _all_workers.append(worker)
    return worker


@atexit.register
def _close_all() -> None:
    with _all_lock:
        for worker in _all_workers:
            worker.close()


def parse_file_isolated(
    path: Path,
    *,
    media_type: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    trust_dir: Path | None = None,
    defer_ocr: bool = False,
    recognised: Sequence[Mapping[str, Any]] = (),
) -> ParsedDocument:
    """``parse_file`` in a child process; ParseError(PARSE-TIMEOUT / PARSE-TOO-LARGE) on overrun.

    Each calling thread keeps its own long-lived child (see SandboxWorker). ``trust_dir``: the signature
    trust anchors (``ARCHIVE_SIGNATURE_TRUST_DIR``), read by the child for each signed PDF. ``defer_ocr`` and
    ``recognised`` (page readings, ``indexers.ocr.result_json``): a scan's pages are left to page jobs, then joined.
    """
    return _worker_for_thread(memory_mb).parse(
        path,
        media_type=media_type,
        timeout_s=timeout_s,
        trust_dir=trust_dir,
        defer_ocr=defer_ocr,
        recognised=recognised,
    )


def ocr_page_isolated(
    path: Path, page: int, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB
) -> dict[str, Any]:
    """OCR one page of a PDF in this thread's child, within the same budgets as a parse (an OCR_PAGE job).

    The answer is the page's reading as ``indexers.ocr.result_json`` writes it (JSON, stored by the caller).
    """
    return _worker_for_thread(memory_mb).ocr_page(path, page, timeout_s=timeout_s)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signal.SIGKILL)


def _answer(returncode: int, out: bytes, err: bytes) -> dict[str, Any]:
    """The child's answer ({"document": …} or {"ocr": …}), or the ParseError it stands for."""
    try:
        message = json.loads(out.decode("utf-8").strip().splitlines()[-1]) if out.strip() else None
    except (ValueError, IndexError):
        message = None
    if isinstance(message, dict) and ("document" in message or "ocr" in message):
        return message
    if isinstance(message, dict) and message.get("code") in _CODES:
        raise ParseError(message["code"], str(message.get("message", "")))
    if returncode in (-signal.SIGKILL, -signal.SIGXCPU) or b"MemoryError" in err:
        raise ParseError("PARSE-TOO-LARGE", "Tệp cần quá nhiều bộ nhớ hoặc thời gian xử lý.")
    raise ParseError("PARSE-CORRUPT", "Trình đọc tệp dừng bất thường, tệp có thể bị hỏng.")


def _parse_one(
    path: Path,
    media_type: str | None,
    trust_dir: str | None = None,
    *,
    defer_ocr: bool = False,
    recognised: Sequence[Mapping[str, Any]] = (),
) -> dict[str, object]:
    try:
        from indexers.parse_inprocess import parse_file  # the child's side; the parent never loads the readers

        done = None
        if recognised:
            from indexers.ocr import merge_results, result_from_json

            done = merge_results([result_from_json(part) for part in recognised])
        document = parse_file(
            path,
            media_type=media_type,
            trust_dir=Path(trust_dir) if trust_dir else None,
            defer_ocr=defer_ocr,
            recognised=done,
        )
        return {"document": document.model_dump(mode="json")}
    except ParseError as exc:
        return {"code": exc.code, "message": exc.message}
    except MemoryError:
        return {"code": "PARSE-TOO-LARGE", "message": "Tệp cần quá nhiều bộ nhớ để đọc."}


def _ocr_one(path: Path, page: int) -> dict[str, object]:
    try:
        from indexers.ocr import result_json
        from indexers.parse_inprocess import recognise_pdf_page

        return {"ocr": result_json(recognise_pdf_page(path, page))}
    except ParseError as exc:
        return {"code": exc.code, "message": exc.message}
    except MemoryError:
        return {"code": "PARSE-TOO-LARGE", "message": "Tệp cần quá nhiều bộ nhớ để đọc."}


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _serve(memory_mb: int) -> int:
    """The child's loop: one JSON request a line on stdin, one JSON answer a line on stdout."""
    _limit_memory(memory_mb)
    with contextlib.suppress(MemoryError):  # too small a budget: every request answers PARSE-TOO-LARGE
        import indexers.parse_inprocess  # noqa: F401 - import the readers once, before the first request
    for raw in sys.stdin:
        request = json.loads(raw)
        answer = (
            _ocr_one(Path(request["path"]), int(request["page"]))
            if request.get("op") == "ocr-page"
            else _parse_one(
                Path(request["path"]),
                request.get("media_type"),
                request.get("trust_dir"),
                defer_ocr=bool(request.get("defer_ocr")),
                recognised=request.get("recognised") or (),
            )
        )
        try:
            line = json.dumps(answer, ensure_ascii=False)
        except MemoryError:
            line = json.dumps({"code": "PARSE-TOO-LARGE", "message": "Tệp cần quá nhiều bộ nhớ để đọc."})
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    return 0


def _child(argv: list[str]) -> int:
    """One-shot mode: ``python -m indexers.sandbox PATH MEDIA_TYPE MEMORY_MB``."""
    path, media_type, memory_mb = Path(argv[0]), argv[1], int(argv[2])
    _limit_memory(memory_mb)
    answer = _parse_one(path, None if media_type == "-" else media_type)
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.exit(_serve(int(sys.argv[2])))
    sys.exit(_child(sys.argv[1:]))
