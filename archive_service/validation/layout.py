"""Sizes on the page as the rules compare them: a font size read from a PDF is a float that rarely lands on the
point the guide names (13.98 for 14), so every size rule allows the same tolerance."""

from __future__ import annotations

from typing import Final

SIZE_TOLERANCE: Final = 0.3  # pt: PDF text reports 13.98 for 14


def size_in(size: float | None, low: float, high: float) -> bool:
    """Whether ``size`` is within [low, high] give or take the tolerance; an unknown size is not judged (True)."""
    return size is None or (low - SIZE_TOLERANCE) <= size <= (high + SIZE_TOLERANCE)


def size_off(size: float | None, low: float, high: float) -> bool:
    """Whether a known ``size`` is outside [low, high] beyond the tolerance (an unknown size is never off)."""
    return not size_in(size, low, high)
