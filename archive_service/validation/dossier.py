"""Dossier checks (hồ sơ hội nghị): completeness and consistency of one meeting's documents.

Composition per ``shared/domain/authority-rules.md`` §8.2 (biên bản and an outcome document are required
[S]/[K]: warnings) and the consistency rule DOS-01 (an outcome cannot precede the meeting; the issuer must be
the meeting's committee). Numbering per 36-HD/VPTW mục II.1.3 [V] and 05-HD/VPTW mục I.3.1.1 b: one series per
type within a cấp ủy term; a cấp ủy appointed before its congress (the merged provinces and the new xã, phường,
đặc khu of 07/2025) starts a new series on the day the appointment takes effect.

A DOCX and its PDF (or signed PDF, or scan) are two renditions of one document, filed side by side: they share
the whole identity of the document (số, ký hiệu, date, tên loại, trích yếu, issuer) and are not two documents
with one number. Documents other bodies submit to the meeting (§8.2 item 6: báo cáo, tờ trình, đề án; a state
body's document addressed to the cấp ủy) belong in its dossier and are not of "another body" in the DOS-01 sense.
"""

from __future__ import annotations

import re
from typing import Final

from archive_service.validation.context import classify_issuer, parse_signature, upper
from archive_service.validation.engine import sort_key
from archive_service.validation.registry import RuleInfo, dossier_rule_info
from archive_service.validation.tables import TABLES
from indexers.textnorm import canonical, fold
from schemas.dossier import DossierDocument, DossierInfo, MeetingBody
from schemas.fields import DocumentFields, Profile
from schemas.findings import Finding, Location, Severity

OUTCOME_TYPES: Final = {"NGHỊ QUYẾT", "KẾT LUẬN", "THÔNG BÁO", "QUYẾT ĐỊNH", "QUY CHẾ", "QUY ĐỊNH", "CHỈ THỊ"}
OUTCOME_CODES: Final = {"NQ", "KL", "TB", "QĐ", "QC", "QĐi", "CT"}
# §8.2 item 6: what is presented to the meeting (báo cáo, tờ trình, đề án, and their kin dự án, phương án),
# whoever drafted it; names compared by prefix ("BÁO CÁO TIẾP THU, GIẢI TRÌNH"), codes upper-cased.
SUBMITTED_TYPES: Final = ("TỜ TRÌNH", "BÁO CÁO", "ĐỀ ÁN", "DỰ ÁN", "PHƯƠNG ÁN")
SUBMITTED_CODES: Final = {"TTR", "BC", "ĐA", "DA", "PA"}
# Who a state document is addressed to when it is submitted to a Party meeting (kính gửi / kính trình).
MEETING_ADDRESSEES: Final = ("BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "THƯỜNG TRỰC")

MISSING_MINUTES: Final = dossier_rule_info(
    rule_id="DOS-8.2-11",
    code="DOS-MISSING-MINUTES",
    severity=Severity.WARNING,
    clause="26-HD/VPTW (2017) về phục vụ hội nghị cấp ủy; thành phần hồ sơ hội nghị (authority-rules §8.2 mục 11)",
    message="Hồ sơ hội nghị thiếu biên bản hội nghị.",
    hint="Bổ sung biên bản hội nghị có chữ ký của người ghi biên bản và người chủ trì.",
    tags=["S", "K"],
    note="Thành phần hồ sơ theo nguồn thứ cấp và hiểu biết chưa đối chiếu [S]/[K] "
    "(điều về hồ sơ của 26-HD/VPTW chưa đọc được): cảnh báo.",
)
MISSING_OUTCOME: Final = dossier_rule_info(
    rule_id="DOS-8.2-12",
    code="DOS-MISSING-OUTCOME",
    severity=Severity.WARNING,
    clause="26-HD/VPTW (2017); thành phần hồ sơ hội nghị (authority-rules §8.2 mục 12)",
    message="Hồ sơ hội nghị thiếu văn bản kết quả (nghị quyết, kết luận hoặc thông báo kết luận).",
    hint="Bổ sung nghị quyết, kết luận, quyết định hoặc thông báo kết luận của hội nghị; nếu hội nghị không "
    "ra văn bản thì biên bản phải ghi rõ.",
    tags=["K"],
    note="Hiểu biết chưa đối chiếu [K]: cảnh báo.",
)
OUTCOME_BEFORE: Final = dossier_rule_info(
    rule_id="DOS-01",
    code="DOS-OUTCOME-BEFORE-MEETING",
    severity=Severity.ERROR,
    clause="Quy trình phục vụ hội nghị cấp ủy 04-HD/VPTW (1998): văn bản kết quả ban hành sau hội nghị",
    message="Văn bản kết quả của hội nghị có ngày ban hành trước ngày họp.",
    hint="Kiểm tra ngày ban hành hoặc ngày họp; văn bản kết quả chỉ ban hành sau khi hội nghị đã thông qua.",
    tags=["V"],
    note="Suy ra từ trình tự thông qua tại hội nghị (04-HD/VPTW): một mâu thuẫn về thời gian "
    "như ngày không có thật, nên là lỗi.",
)
DUPLICATE: Final = dossier_rule_info(
    rule_id="AUTH-32",
    code="DOS-DUPLICATE-NUMBER",
    severity=Severity.ERROR,
    clause="36-HD/VPTW mục II.1.3 (đánh số liên tục từ 01 theo từng loại trong một nhiệm kỳ)",
    message="Hai văn bản của cùng cơ quan có cùng số, cùng loại trong một nhiệm kỳ.",
    hint="Kiểm tra sổ đăng ký văn bản: mỗi loại văn bản có một dãy số riêng, không trùng trong nhiệm kỳ.",
    tags=["V"],
    note="Bản DOCX và bản PDF (hoặc bản ký số, bản chụp) của cùng một văn bản — cùng số, ký hiệu, ngày, tên loại, "
    "trích yếu và cơ quan ban hành — là các bản của một văn bản, không phải trùng số.",
)
ISSUER_MISMATCH: Final = dossier_rule_info(
    rule_id="DOS-01-issuer",
    code="DOS-ISSUER-MISMATCH",
    severity=Severity.WARNING,
    clause="Thành phần hồ sơ hội nghị (authority-rules §8.2, DOS-01)",
    message="Văn bản của cơ quan khác được lập vào hồ sơ hội nghị của cơ quan này.",
    hint="Chuyển văn bản về hồ sơ của cơ quan ban hành, hoặc kiểm tra lại tên cơ quan ban hành, ký hiệu và "
    'đề ký (hội nghị Ban Thường vụ ra văn bản "T/M BAN THƯỜNG VỤ").',
    tags=["K"],
    note="Việc phân biệt cơ quan ban hành từ tiêu đề và đề ký dựa trên hiểu biết chưa đối chiếu [K]: cảnh báo. "
    "Báo cáo, tờ trình, đề án do cơ quan khác trình hội nghị (kể cả văn bản của cơ quan nhà nước gửi cấp ủy) "
    "thuộc hồ sơ hội nghị, không phải phát hiện này; văn bản kết quả của cơ quan khác vẫn là phát hiện.",
)

DOSSIER_RULES: Final[list[RuleInfo]] = [
    MISSING_MINUTES,
    MISSING_OUTCOME,
    OUTCOME_BEFORE,
    DUPLICATE,
    ISSUER_MISMATCH,
]


def _finding(
    info: RuleInfo, doc: DossierDocument | None, detail: str | None = None, *others: DossierDocument
) -> Finding:
    """A dossier finding about ``doc`` (and ``others`` it names), or about the dossier as a whole (None)."""
    message = info.message if not detail else f"{info.message.rstrip('.')} ({detail})."
    location = None
    if doc is not None:
        location = Location(text=f"{doc.filename or doc.id}")
    return Finding(
        code=info.code,
        severity=info.severity,
        message=message,
        hint=info.hint,
        clause=info.clause,
        location=location,
        documents=[d.id for d in (doc, *others) if d is not None],
    )


def _type_name(fields: DocumentFields) -> str:
    return upper(fields.document_type)


def _is_minutes(fields: DocumentFields) -> bool:
    return _type_name(fields) == "BIÊN BẢN" or canonical(fields.type_code or "") == "BB"


def _is_outcome(fields: DocumentFields) -> bool:
    name = _type_name(fields)
    if name:
        return name in OUTCOME_TYPES
    return canonical(fields.type_code or "") in OUTCOME_CODES


def _is_submitted(dossier: DossierInfo, fields: DocumentFields) -> bool:
    """Presented to the meeting rather than issued by it: a báo cáo, tờ trình or đề án, or a state document
    addressed to the cấp ủy (checks.md DOS-ISSUER-MISMATCH note); never an outcome document."""
    if _is_outcome(fields):
        return False
    name = _type_name(fields)
    if name.startswith(SUBMITTED_TYPES) or (not name and upper(fields.type_code) in SUBMITTED_CODES):
        return True
    if fields.profile is not Profile.STATE:
        return False
    committee = fold(dossier.committee_name)
    addressed = [upper(a) for a in fields.addressees]
    return any(a.startswith(MEETING_ADDRESSEES) or (committee and committee in fold(a)) for a in addressed)


def _label(doc: DossierDocument) -> str:
    return f'"{canonical(doc.fields.number_line or "") or doc.filename or doc.id}"'


def _issuer_mismatch(dossier: DossierInfo, doc: DossierDocument) -> str | None:
    fields = doc.fields
    if _is_submitted(dossier, fields):
        return None
    committee = upper(dossier.committee_name)
    on = fields.issued_on or dossier.meeting_date
    info = classify_issuer(fields, on)
    code = canonical(fields.issuer_code or "")
    # Compare committees only when the dossier names one (not an advisory body, not nothing).
    named = classify_issuer(DocumentFields(issuer=committee), on) if committee else None
    if named is not None and named.is_committee and info.committee and fold(info.committee) != fold(committee):
        return f'{_label(doc)} của "{info.committee}", hồ sơ của "{committee}"'
    own = dossier.committee_code
    # The committee's own code, or one of its advisory bodies (BTC + TU): their tờ trình, báo cáo and đề án
    # are presented at the meeting and belong in its dossier (authority-rules §8.2 item 6).
    if own and code and not any(part == own or part.endswith(own) for part in code.split("-")):
        return f'{_label(doc)} có ký hiệu cơ quan "{code}", hồ sơ của "{own}"'
    sig = parse_signature(fields.signing_form)
    if sig is None or sig.prefix not in ("T/M", "T/L") or not _is_outcome(fields) or not info.is_committee:
        return None
    entity = sig.entity
    if dossier.meeting_body == MeetingBody.BTV and not entity.startswith("BAN THƯỜNG VỤ"):
        return f'{_label(doc)} ký "{sig.prefix} {entity}" trong hồ sơ hội nghị Ban Thường vụ'
    if dossier.meeting_body == MeetingBody.BCH and entity.startswith("BAN THƯỜNG VỤ"):
        return f'{_label(doc)} ký "{sig.prefix} {entity}" trong hồ sơ hội nghị Ban Chấp hành'
    return None


COMMUNE: Final = re.compile(r"\bĐẢNG ỦY (XÃ|PHƯỜNG|ĐẶC KHU) ")
WORD: Final = re.compile(r"\w+")
PROVINCE: Final = re.compile(r"^(?:TỈNH ỦY|THÀNH ỦY|ĐẢNG BỘ TỈNH|ĐẢNG BỘ THÀNH PHỐ) (?P<name>.+)$")


def _appointed(fields: DocumentFields) -> bool:
    """The issuer belongs to a cấp ủy appointed in the 2025 reorganisation: a commune đảng ủy, a merged province."""
    names = [upper(fields.parent_issuer), upper(fields.issuer)]
    if any(COMMUNE.search(f"{n} ") for n in names):
        return True
    merged = {fold(p) for p in TABLES.reorganisation.merged_provinces}
    return any((m := PROVINCE.match(n)) is not None and fold(m.group("name")) in merged for n in names)


def _series(fields: DocumentFields) -> int:
    """Which numbering series a document's number belongs to: 1 from the day an appointed cấp ủy took office."""
    issued = fields.issued_on
    if issued is None or not _appointed(fields):
        return 0
    return int(issued >= TABLES.reorganisation.appointed_committees_effective)


def _words(text: str | None) -> str:
    """A trích yếu or name reduced to its words: no case, diacritics, punctuation or spacing differences."""
    return " ".join(WORD.findall(fold(text or "")))


def _identity(fields: DocumentFields) -> tuple[object, ...]:
    """What makes two files one document: the issuer, tên loại, date and trích yếu (the number is the group)."""
    return (_words(fields.issuer), _type_name(fields), fields.issued_on, _words(fields.summary))


def _duplicate_numbers(documents: list[DossierDocument]) -> list[Finding]:
    """DOS-DUPLICATE-NUMBER: one number of one type and issuer in one series, held by two different documents.

    Files with the same identity (a DOCX and its signed PDF) are renditions of one document, not a duplicate;
    each later document with the number is reported against the first, naming every rendition of both.
    """
    groups: dict[tuple[str, str, str, int], dict[tuple[object, ...], list[DossierDocument]]] = {}
    for doc in documents:
        f = doc.fields
        number = (f.number or "").strip().lstrip("0")
        if not number or not f.type_code:
            continue
        key = (canonical(f.issuer_code or upper(f.issuer)), canonical(f.type_code), number, _series(f))
        groups.setdefault(key, {}).setdefault(_identity(f), []).append(doc)
    findings = []
    for renditions in groups.values():
        first, *later = renditions.values()
        names = ", ".join(d.filename or d.id for d in first)
        for docs in later:
            doc, *same = docs
            findings.append(_finding(DUPLICATE, doc, f"{_label(doc)} trùng với {names}", *same, *first))
    return findings


def validate_dossier(dossier: DossierInfo, documents: list[DossierDocument]) -> list[Finding]:
    """Check a meeting dossier for completeness and consistency; findings sorted as for documents."""
    findings: list[Finding] = []
    if not any(_is_minutes(d.fields) for d in documents):
        findings.append(_finding(MISSING_MINUTES, None))
    outcomes = [d for d in documents if _is_outcome(d.fields)]
    if not outcomes:
        findings.append(_finding(MISSING_OUTCOME, None))
    for doc in outcomes:
        issued = doc.fields.issued_on
        if issued is not None and issued < dossier.meeting_date:
            findings.append(
                _finding(
                    OUTCOME_BEFORE,
                    doc,
                    f"{_label(doc)} ngày {issued:%d/%m/%Y}, họp ngày {dossier.meeting_date:%d/%m/%Y}",
                )
            )
    findings.extend(_duplicate_numbers(documents))
    for doc in documents:
        detail = _issuer_mismatch(dossier, doc)
        if detail:
            findings.append(_finding(ISSUER_MISMATCH, doc, detail))
    return sorted(findings, key=sort_key)
