"""A dossier's deadlines after closing, counted from the day it was closed (160-CV/TW; NĐ 30/2020/NĐ-CP).

- Transfer to the office archive: within 1 year of the work ending, for dossiers kept 5 years or more
  (NĐ 30 Điều 30.1); shorter ones stay with the unit until they expire.
- Keeping back: with the head's consent, at most 2 years past that deadline (NĐ 30 Điều 30.2), and no later
  than the date the consent names (``kept_until``).
- Past retention: closing + the retention's years; the dossier is then due for appraisal (29-HD/VPTW).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from archive_service.catalog.models import Dossier, DossierState
from archive_service.retention.values import add_years, is_valid, parse
from archive_service.vietnam_time import local_time

TRANSFER_WITHIN_YEARS: Final = 1  # NĐ 30 Điều 30.1
KEEP_BACK_MAX_YEARS: Final = 2  # NĐ 30 Điều 30.2
WARN_DAYS: Final = 30  # NĐ 30 Phụ lục VI: "cảnh báo trước 30 ngày" before a dossier is due for transfer


def closed_on(dossier: Dossier) -> date | None:
    """The day the dossier was closed, in Vietnam (its deadlines count from the offices' calendar)."""
    return local_time(dossier.closed_at).date() if dossier.closed_at is not None else None


def goes_to_office_archive(dossier: Dossier) -> bool:
    return is_valid(dossier.retention) and parse(dossier.retention).goes_to_office_archive()


def transfer_due(dossier: Dossier) -> date | None:
    """The last day a closed dossier may stay with its unit (None: it does not go to the office archive)."""
    closed = closed_on(dossier)
    if closed is None or not goes_to_office_archive(dossier):
        return None
    return add_years(closed, TRANSFER_WITHIN_YEARS)


def keep_back_limit(dossier: Dossier) -> date | None:
    """The last day a kept-back dossier may stay: the consent's date, never past 2 years after the deadline."""
    due = transfer_due(dossier)
    if due is None:
        return None
    limit = add_years(due, KEEP_BACK_MAX_YEARS)
    return min(limit, dossier.kept_until) if dossier.kept_until is not None else limit


def transfer_deadline(dossier: Dossier) -> date | None:
    """The deadline the dossier's state now runs against: closed → transfer due; kept back → the keeping limit."""
    if dossier.state == DossierState.CLOSED.value:
        return transfer_due(dossier)
    if dossier.state == DossierState.KEPT_BY_UNIT.value:
        return keep_back_limit(dossier)
    return None


def retention_expires(dossier: Dossier) -> date | None:
    """The day its retention ends (None: permanent, not closed, or an unreadable value)."""
    closed = closed_on(dossier)
    if closed is None or not is_valid(dossier.retention):
        return None
    return parse(dossier.retention).expires_on(closed)
