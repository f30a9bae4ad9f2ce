"""The dossier findings of retention and transfer deadlines (checks.md "Dossier"), registered in
records/dossier_findings.py ``RULES``.

- DOS-RETENTION-BELOW-CONTENT: "thời hạn bảo quản của hồ sơ là thời hạn của văn bản có thời hạn cao nhất"
  (160-CV/TW). Its severity follows the source of the value it compares with: an error when the document's group
  was read in the regulation ("read"), a warning while it is a proposal or secondary.
- DOS-TRANSFER-OVERDUE: a closed dossier kept 5 years or more must reach the office archive within 1 year of
  closing (NĐ 30/2020/NĐ-CP Điều 30.1), or by the end of the keeping-back the head agreed (Điều 30.2).

The messages name groups and counts, never a document's number or title: the finding carries the document ids,
and the catalog shows it only to who may read them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from archive_service.catalog.models import Document, Dossier
from archive_service.retention.deadlines import transfer_deadline
from archive_service.retention.schedule import documents_retention, effective_schedule
from archive_service.retention.values import is_valid, parse
from archive_service.vietnam_time import today_in_vietnam
from schemas.findings import Finding, Severity

RETENTION_CLAUSE = "160-CV/TW; NĐ 30/2020/NĐ-CP Điều 29"
TRANSFER_CLAUSE = "NĐ 30/2020/NĐ-CP Điều 30, 31"


def retention_below_content(
    session: Session, dossier: Dossier, documents: list[Document], now: datetime
) -> list[Finding]:
    """The dossier's retention is lower than the highest its documents carry by the schedule."""
    del now  # the rule does not depend on the time
    if not is_valid(dossier.retention):
        return []
    own = parse(dossier.retention)
    above = [
        p
        for p in documents_retention(effective_schedule(session, dossier.office_id), dossier, documents)
        if p.retention > own
    ]
    if not above:
        return []
    top = max(p.retention for p in above)
    groups = sorted({p.group.title for p in above if p.retention == top})
    read = any(p.group.confidence == "read" for p in above)
    return [
        Finding(
            code="DOS-RETENTION-BELOW-CONTENT",
            severity=Severity.ERROR if read else Severity.WARNING,
            message=(
                f"Hồ sơ có thời hạn bảo quản {own.label.lower()} nhưng có {len(above)} văn bản có thời hạn cao hơn "
                f"(cao nhất: {top.label.lower()}, nhóm {', '.join(groups)})."
            ),
            hint=(
                f"Sửa thời hạn bảo quản của hồ sơ thành “{top.label}”; nếu nhóm trong bảng thời hạn bảo quản "
                "chưa đúng với cơ quan, quản trị sửa nhóm đó."
            ),
            clause=RETENTION_CLAUSE,
            documents=[str(p.document.id) for p in above],
        )
    ]


def transfer_overdue(session: Session, dossier: Dossier, documents: list[Document], now: datetime) -> list[Finding]:
    """A closed (or kept-back) dossier kept 5 years or more, past its deadline for the office archive."""
    del session, documents
    deadline = transfer_deadline(dossier)
    today = today_in_vietnam(now)
    if deadline is None or today <= deadline:
        return []
    return [
        Finding(
            code="DOS-TRANSFER-OVERDUE",
            severity=Severity.ERROR,
            message=(
                f"Hồ sơ phải nộp lưu vào lưu trữ cơ quan chậm nhất ngày {deadline:%d/%m/%Y}, "
                f"đã quá hạn {(today - deadline).days} ngày."
            ),
            hint="Lập mục lục hồ sơ nộp lưu và nộp hồ sơ vào lưu trữ cơ quan, hoặc ghi việc giữ lại có ý kiến của "
            "người đứng đầu (không quá 2 năm).",
            clause=TRANSFER_CLAUSE,
            documents=[],
        )
    ]


# Registered in records/dossier_findings.py RULES.
RULES = (retention_below_content, transfer_overdue)
