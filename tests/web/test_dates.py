"""Dates typed the Vietnamese way (ngày/tháng/năm) and shown back the same way."""

from __future__ import annotations

from datetime import date

import pytest

from archive_service.web.dates import as_input, parse_date, parse_optional_date


@pytest.mark.parametrize("text", ["05/03/2024", "5/3/2024", "05-03-2024", "05.03.2024", " 5 / 3 / 2024 ", "2024-03-05"])
def test_the_ways_people_write_a_date_are_read(text: str) -> None:
    assert parse_date(text) == date(2024, 3, 5)


@pytest.mark.parametrize("text", ["31/02/2024", "2024/03/05", "05/03/24", "ngày 5", "03/05", "13/13/2024"])
def test_impossible_or_partial_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_an_empty_field_means_no_date() -> None:
    assert parse_optional_date("") is None and parse_optional_date("  ") is None and parse_optional_date(None) is None


def test_fields_show_dates_day_first_and_keep_what_they_cannot_read() -> None:
    assert as_input(date(2024, 3, 5)) == "05/03/2024"
    assert as_input("2024-03-05") == "05/03/2024"
    assert as_input("31/02/2024") == "31/02/2024"
    assert as_input(None) == "" and as_input("") == "" and as_input(object()) == ""
