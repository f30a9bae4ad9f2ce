"""The one way the benchmarks time a pass over files: the best wall time of several rounds."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path


def best_wall_time(fn: Callable[[Path], object], files: Sequence[Path], rounds: int) -> float:
    """Best wall time of ``rounds`` passes of ``fn`` over ``files``; warm imports and caches before calling."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for path in files:
            fn(path)
        best = min(best, time.perf_counter() - started)
    return best
