"""CPU time spent by the parts of a benchmark, read from /proc (Linux): where a document's work goes.

A part is a set of processes: a process tree (``serve`` and the processes it started) or every process of one
program (``weed``, ``postgres``). The benchmarking process itself is read with ``time.process_time``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after its closing one
    return text[text.rindex(")") + 2 :].split()


def _cpu_of(pid: int) -> float:
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # utime and stime are fields 14 and 15 of stat, 12 and 13 after the pid and the name
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    out: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(current))
    return out


def named(program: str) -> list[int]:
    """Every process whose command name is ``program`` (``comm``, at most 15 characters)."""
    pids: list[int] = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == program[:15]:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@dataclass(frozen=True)
class Parts:
    """Where to find each part's processes: the tree under a pid, or every process of a program."""

    trees: Mapping[str, int] = field(default_factory=dict)
    programs: Mapping[str, str] = field(default_factory=dict)

    def resolve(self) -> Processes:
        """The processes of each part now (a scan of /proc: do it before the clock, not inside a round).

        A process started later (a database backend for a new connection) is not counted: resolve after the
        warm-up, once the connections a run needs are open.
        """
        found = {name: tree(pid) for name, pid in self.trees.items()}
        found.update({name: named(program) for name, program in self.programs.items()})
        return Processes({name: tuple(pids) for name, pids in found.items()})


@dataclass(frozen=True)
class Processes:
    """The processes of each part, found once; reading their CPU is a stat file each (well under a millisecond)."""

    pids: Mapping[str, tuple[int, ...]]

    def read(self) -> dict[str, float]:
        """CPU seconds so far of each part, and of this process under "client"."""
        seconds = {name: sum(_cpu_of(p) for p in pids) for name, pids in self.pids.items()}
        seconds["client"] = time.process_time()
        return seconds


@dataclass
class CpuTally:
    """CPU seconds spent by each part over the rounds of one side, and the documents those rounds handled."""

    seconds: dict[str, float] = field(default_factory=dict)
    documents: int = 0

    def add(self, before: Mapping[str, float], after: Mapping[str, float], documents: int) -> None:
        for name, value in after.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + max(0.0, value - before.get(name, 0.0))
        self.documents += documents

    def per_document_ms(self, names: Iterable[str]) -> list[float]:
        """Milliseconds of CPU a document, part by part in the order of ``names`` (0 for a part not read)."""
        if not self.documents:
            return [0.0 for _ in names]
        return [1000 * self.seconds.get(name, 0.0) / self.documents for name in names]
