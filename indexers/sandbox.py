"""Run a parse in a child process with a wall-clock and an address-space budget (RLIMIT_AS).

A hostile file can make a parser loop or allocate without end; in a child the worst it does is
die, and the parent answers PARSE-TIMEOUT or PARSE-TOO-LARGE. The child runs
``python -m indexers.sandbox PATH MEDIA_TYPE MEMORY_MB`` and prints one JSON object.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Final

from indexers.errors import ParseError
from schemas.parsed import ParsedDocument

DEFAULT_TIMEOUT_S: Final = 300.0  # a 100-page scan OCRs in about this on 2 cores
DEFAULT_MEMORY_MB: Final = 1536
_ROOT: Final = Path(__file__).resolve().parent.parent
_CODES: Final = frozenset(
    {"PARSE-CORRUPT", "PARSE-ENCRYPTED", "PARSE-TOO-LARGE", "PARSE-UNSUPPORTED", "PARSE-TIMEOUT"}
)


def parse_file_isolated(
    path: Path,
    *,
    media_type: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> ParsedDocument:
    """``parse_file`` in a child process; ParseError(PARSE-TIMEOUT / PARSE-TOO-LARGE) on overrun."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_ROOT), os.environ.get("PYTHONPATH", "")])}
    env["OMP_THREAD_LIMIT"] = "1"
    command = [
        sys.executable,
        "-m",
        "indexers.sandbox",
        str(Path(path).resolve()),
        media_type or "-",
        str(memory_mb),
    ]
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: a timeout kills tesseract too
    ) as child:
        try:
            out, err = child.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            _kill_group(child)
            child.communicate()
            raise ParseError("PARSE-TIMEOUT", "Đọc tệp quá thời gian cho phép.") from exc
    return _answer(child.returncode, out, err)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)


def _answer(returncode: int, out: bytes, err: bytes) -> ParsedDocument:
    try:
        message = json.loads(out.decode("utf-8").strip().splitlines()[-1]) if out.strip() else None
    except (ValueError, IndexError):
        message = None
    if isinstance(message, dict) and "document" in message:
        return ParsedDocument.model_validate(message["document"])
    if isinstance(message, dict) and message.get("code") in _CODES:
        raise ParseError(message["code"], str(message.get("message", "")))
    if returncode in (-signal.SIGKILL, -signal.SIGXCPU) or b"MemoryError" in err:
        raise ParseError("PARSE-TOO-LARGE", "Tệp cần quá nhiều bộ nhớ hoặc thời gian xử lý.")
    raise ParseError("PARSE-CORRUPT", "Trình đọc tệp dừng bất thường, tệp có thể bị hỏng.")


def _child(argv: list[str]) -> int:
    import resource

    path, media_type, memory_mb = Path(argv[0]), argv[1], int(argv[2])
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from indexers.parse import parse_file

    try:
        document = parse_file(path, media_type=None if media_type == "-" else media_type)
    except ParseError as exc:
        answer: dict[str, object] = {"code": exc.code, "message": exc.message}
    except MemoryError:
        answer = {"code": "PARSE-TOO-LARGE", "message": "Tệp cần quá nhiều bộ nhớ để đọc."}
    else:
        answer = {"document": document.model_dump(mode="json")}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
