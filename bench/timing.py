"""The one way the benchmarks time their work: several rounds, ours and the baseline alternately.

A baseline that always runs first warms the caches, the JIT of the server or the page cache for the one that
follows; so each round runs both, in an order that alternates from round to round, and the figures reported are
the minimum and the median over the rounds (the minimum is the machine's best, the median what to expect).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Timings:
    """Wall times (s) of one side over the rounds."""

    seconds: tuple[float, ...]

    @property
    def min(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def rate(self, work: float, *, median: bool = False) -> float:
        """Work units per second at the best (or the median) round."""
        spent = self.median if median else self.min
        return work / spent if spent > 0 else float("inf")


@dataclass(frozen=True)
class Comparison:
    ours: Timings
    baseline: Timings

    def ratio(self, *, median: bool = False) -> float:
        """Our speed as a share of the baseline's (1.0 = as fast; time of the baseline over ours)."""
        ours = self.ours.median if median else self.ours.min
        base = self.baseline.median if median else self.baseline.min
        return base / ours if ours > 0 else float("inf")


def alternate(ours: Callable[[], object], baseline: Callable[[], object], rounds: int) -> Comparison:
    """Run ``ours`` and ``baseline`` ``rounds`` times each, the baseline first in odd rounds, ours in even ones.

    Each callable does one whole pass of the same work (warm-up is the caller's: do one untimed pass first).
    """
    mine: list[float] = []
    theirs: list[float] = []
    for i in range(rounds):
        order = ((baseline, theirs), (ours, mine)) if i % 2 == 0 else ((ours, mine), (baseline, theirs))
        for fn, sink in order:
            started = time.perf_counter()
            fn()
            sink.append(time.perf_counter() - started)
    return Comparison(Timings(tuple(mine)), Timings(tuple(theirs)))
