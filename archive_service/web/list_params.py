"""Query values of list pages read leniently: a link typed by hand or cut short falls back to the default.

A page number or an order that is not one (``?trang=abc``, ``?sap_xep=xyz``) is a stale or mistyped link,
not an attack worth an error page; the list shows its first page in its usual order instead.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)

MAX_PAGE = 100_000


def page_number(text: str | None) -> int:
    """``trang``: a whole number from 1 to ``MAX_PAGE``; 1 otherwise."""
    value = (text or "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= MAX_PAGE else 1


def choice(kind: type[E], text: str | None, default: E) -> E:
    """One of an enum's values as written in a link, or ``default``."""
    try:
        return kind((text or "").strip())
    except ValueError:
        return default


def year(text: str | None) -> int | None:
    """A year to filter by (1930–2100), or None."""
    value = (text or "").strip()
    return int(value) if value.isdigit() and 1930 <= int(value) <= 2100 else None


def one_of(text: str | None, allowed: frozenset[str]) -> str | None:
    """``text`` when it is one of ``allowed``, else None (no filter)."""
    value = (text or "").strip()
    return value if value in allowed else None
