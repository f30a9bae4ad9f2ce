"""Precision and recall per check code, on planted errors: the measurement behind ``test_corpus_quality``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from schemas.findings import Finding, Severity


@dataclass
class Sample:
    """One checked document: which codes were planted in it (``expected``) and what the checks found."""

    name: str
    expected: set[str]
    findings: list[Finding]
    tolerated: set[str] = field(default_factory=set)  # codes a planted error legitimately brings along


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(samples: Iterable[Sample], codes: Iterable[str]) -> dict[str, Score]:
    table = {c: Score() for c in codes}
    for s in samples:
        found = {f.code for f in s.findings}
        for code in set(table) | found:
            sc = table.setdefault(code, Score())
            if code in s.expected:
                if code in found:
                    sc.tp += 1
                else:
                    sc.fn += 1
            elif code in found and code not in s.tolerated:
                sc.fp += 1
    return table


def false_errors(samples: Iterable[Sample]) -> list[str]:
    """Errors reported on documents where nothing was planted."""
    return [
        f"{s.name}: {f.code} {f.message}"
        for s in samples
        if not s.expected
        for f in s.findings
        if f.severity == Severity.ERROR
    ]


def render(table: dict[str, Score], title: str) -> str:
    lines = [title, f"{'code':34} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>6}"]
    for code in sorted(table):
        sc = table[code]
        lines.append(f"{code:34} {sc.tp:3} {sc.fp:3} {sc.fn:3} {sc.precision:9.2f} {sc.recall:6.2f}")
    return "\n".join(lines)
