"""Retention: the values (``values``), the schedule in force for an office (``schedule``), its use cases
(``service``: read, edit, history), the dossier findings it gives (``findings``) and the reminders (``reminders``).

``minimum_retention`` is what closing asks: a dossier's retention is never below the highest of its documents'.
"""

from __future__ import annotations

from archive_service.retention.schedule import document_retention, effective_schedule, minimum_retention

__all__ = ["document_retention", "effective_schedule", "minimum_retention"]
