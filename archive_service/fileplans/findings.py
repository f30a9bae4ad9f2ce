"""DOS-NOT-IN-FILE-PLAN (checks.md "Dossier"): a dossier outside its office's approved file plan, not opened ad hoc.

NĐ 30/2020 Điều 28–29: dossiers are opened from their row of the year's danh mục hồ sơ, or, outside it, with
their own title, số và ký hiệu, retention, người lập and start date. Party bodies apply NĐ 30 "cho phù hợp"
(Điều 2.2), so the finding is a warning. No approved plan for the year: nothing to compare with, no finding.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier, FilePlan
from schemas.findings import Finding, Severity

CODE: Final = "DOS-NOT-IN-FILE-PLAN"
CLAUSE: Final = "NĐ 30/2020/NĐ-CP Điều 28, 29"


def _year(dossier: Dossier) -> int | None:
    day = dossier.start_date or dossier.meeting_date or dossier.created_at
    return day.year if day is not None else None


def not_in_file_plan(session: Session, dossier: Dossier, documents: list[Document], now: datetime) -> list[Finding]:
    """The warning for a dossier neither opened from a row of an approved plan of its year nor ad hoc."""
    del documents, now  # the rule reads the dossier and its office's plans only
    if dossier.plan_entry_id is not None or dossier.ad_hoc:
        return []
    year = _year(dossier)
    if year is None:
        return []
    plan = session.scalar(
        select(FilePlan).where(
            FilePlan.office_id == dossier.office_id, FilePlan.year == year, FilePlan.approved_at.is_not(None)
        )
    )
    if plan is None:
        return []
    return [
        Finding(
            code=CODE,
            severity=Severity.WARNING,
            message=(
                f"Hồ sơ không có trong danh mục hồ sơ năm {year} đã được phê duyệt "
                f"(Quyết định số {plan.decision_number}) và không được lập như hồ sơ ngoài danh mục."
            ),
            hint=(
                "Mở hồ sơ từ dòng tương ứng của danh mục hồ sơ, hoặc bổ sung hồ sơ vào danh mục; nếu là hồ sơ phát "
                "sinh, lập hồ sơ ngoài danh mục với đủ tiêu đề, số và ký hiệu, thời hạn bảo quản, người lập hồ sơ "
                "và thời gian bắt đầu."
            ),
            clause=CLAUSE,
            documents=[],
        )
    ]
