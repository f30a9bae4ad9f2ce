"""The clock on the wall in Vietnam: where the offices are, whatever the server's own time zone (often UTC).

A document dated today in Hà Nội is dated tomorrow by a UTC clock between 00:00 and 07:00 local time; every
"today" a rule or a report shows is Vietnam's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _vietnam() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database: Vietnam has kept UTC+7 without DST since 1975
        return timezone(timedelta(hours=7), "ICT")


VIETNAM = _vietnam()


def local_time(value: datetime) -> datetime:
    """A stored time (UTC; naive from SQLite) as the clock on the wall in Vietnam."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(VIETNAM)


def today_in_vietnam(now: datetime | None = None) -> date:
    """Today's date in Vietnam (at ``now``, UTC when naive; the present by default)."""
    return local_time(now or datetime.now(UTC)).date()
