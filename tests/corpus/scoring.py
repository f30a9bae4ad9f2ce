"""Field accuracy of extracted DocumentFields against the generator's true fields."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from indexers.textnorm import canonical
from schemas.fields import DocumentFields

# The fields the acceptance criteria are measured on: number, type, date, issuer.
CORE_FIELDS: tuple[str, ...] = ("number", "type_code", "issued_on", "issuer")
OTHER_FIELDS: tuple[str, ...] = (
    "profile",
    "title",
    "parent_issuer",
    "issuer_code",
    "star",
    "document_type",
    "summary",
    "place",
    "signing_form",
    "signer_title",
    "signer_name",
    "recipients",
    "addressees",
    "secrecy",
    "urgency",
    "draft",
)


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return canonical(a) == canonical(b)
    if isinstance(a, list) and isinstance(b, list):
        return [canonical(str(x)) for x in a] == [canonical(str(x)) for x in b]
    return a == b


@dataclass
class Score:
    """Per-field counts of correct extractions, and the misses to show when a threshold fails."""

    correct: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, key: str, truth: DocumentFields, found: DocumentFields, fields: Sequence[str]) -> None:
        for name in fields:
            expected, got = getattr(truth, name), getattr(found, name)
            self.total[name] = self.total.get(name, 0) + 1
            if _same(expected, got):
                self.correct[name] = self.correct.get(name, 0) + 1
            else:
                self.misses.append(f"{key}.{name}: expected {expected!r}, got {got!r}")

    def rate(self, names: Iterable[str]) -> float:
        names = list(names)
        total = sum(self.total.get(n, 0) for n in names)
        return sum(self.correct.get(n, 0) for n in names) / total if total else 0.0


def table(scores: dict[str, Score], fields: Sequence[str]) -> list[str]:
    """A plain-text accuracy table: one row per field, one column per corpus kind."""
    kinds = list(scores)
    head = f"{'field':<15}" + "".join(f"{k:>12}" for k in kinds)
    rows = [head, "-" * len(head)]
    for name in fields:
        cells = []
        for kind in kinds:
            s = scores[kind]
            total = s.total.get(name, 0)
            cells.append(f"{100 * s.correct.get(name, 0) / total:>11.1f}%" if total else f"{'—':>12}")
        rows.append(f"{name:<15}" + "".join(cells))
    core = "".join(f"{100 * scores[k].rate(CORE_FIELDS):>11.1f}%" for k in kinds)
    rows.append(f"{'CORE (4 fields)':<15}" + core)
    return rows
