"""Sizes as every size rule compares them: the guide's point, give or take what a PDF reports."""

from __future__ import annotations

from archive_service.validation.layout import size_in, size_off


def test_a_pdf_size_near_the_named_point_is_that_point_and_an_unknown_size_is_never_judged() -> None:
    assert size_in(13.98, 14, 14) and not size_off(13.98, 14, 14)
    assert size_off(13.5, 14, 14) and not size_in(13.5, 14, 14)
    assert size_in(None, 14, 14) and not size_off(None, 14, 14)
    assert size_in(12.8, 13, 14) and size_off(14.5, 13, 14)
