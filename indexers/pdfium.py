"""One lock for every use of pdfium in a process: the library is not thread-safe.

Two threads opening or rendering documents at once crash the whole process (seen here). The
service parses in sandbox processes, one per worker thread, so the lock is uncontended there; it
protects direct in-process callers (tools, tests) that use threads.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Final, ParamSpec, TypeVar

PDFIUM_LOCK: Final = threading.RLock()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def serialised(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` holding PDFIUM_LOCK."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with PDFIUM_LOCK:
            return func(*args, **kwargs)

    return wrapper
