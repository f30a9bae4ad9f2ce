"""How sure the reading is: an error never rests on a field the reader was unsure of, nor on a scan.

checks.md, READ-UNCERTAIN: "a component was read with low confidence (OCR, a stamp or handwriting over the
text, a field left blank for the e-signature stamp); checks that depend on it are reported at most as
warnings, never as errors". A rule states the fields its verdict rests on (``RuleInfo.rests_on``); here an
error resting on an unsure field, or any error on a document read by OCR, becomes a warning, and one
READ-UNCERTAIN finding says what was unsure.
"""

from __future__ import annotations

from typing import Final

from archive_service.validation.registry import DATE_FIELDS, NUMBER_FIELDS, RuleInfo
from schemas.fields import DocumentFields
from schemas.findings import Finding, Location, Severity
from schemas.parsed import ParsedDocument

READ_UNCERTAIN: Final = "READ-UNCERTAIN"
SURE: Final = 0.8  # below this a reading is unsure
FIELD_NAMES: Final = {
    "title": "tiêu đề",
    "parent_issuer": "tên cơ quan cấp trên",
    "issuer": "tên cơ quan ban hành",
    "number": "số văn bản",
    "number_line": "số và ký hiệu",
    "type_code": "ký hiệu loại",
    "issuer_code": "ký hiệu cơ quan",
    "document_type": "tên loại",
    "summary": "trích yếu",
    "place": "địa danh",
    "issued_on": "ngày ban hành",
    "date_line": "dòng địa danh, ngày tháng",
    "signing_form": "quyền hạn ký",
    "signer_title": "chức vụ người ký",
    "signer_name": "họ tên người ký",
    "recipients": "nơi nhận",
}
BLANK_NUMBER: Final = "số văn bản để trống chờ cấp số khi ký số"
BLANK_DATE: Final = "ngày, tháng ban hành để trống chờ ký số"
OCR_NOTE: Final = "văn bản quét, đọc bằng nhận dạng ký tự (OCR)"
CLAUSE: Final = (
    "Danh mục mã kiểm tra: READ-UNCERTAIN (kiểm tra dựa trên thành phần đọc không chắc chắn chỉ là cảnh báo)"
)


def unsure_fields(fields: DocumentFields) -> dict[str, str]:
    """Field name → why its reading is unsure: left blank for the stamp, or read with low confidence."""
    reasons: dict[str, str] = {}
    if fields.number_blank:
        reasons.update(dict.fromkeys(NUMBER_FIELDS, BLANK_NUMBER))
    if fields.date_blank:
        reasons.update(dict.fromkeys(DATE_FIELDS, BLANK_DATE))
    for name, value in fields.confidence.items():
        if value < SURE and name not in reasons:
            label = FIELD_NAMES.get(name, name)
            if value <= 0.0:  # written or stamped by hand where the reader could make nothing out
                reasons[name] = f"{label} viết tay hoặc đóng dấu, không đọc được"
            else:
                reasons[name] = f"{label} đọc với độ tin cậy {value:.0%}".replace("%", " %")
    return reasons


def _first_location(fields: DocumentFields, names: list[str]) -> Location | None:
    for name in names:
        loc = fields.locations.get(name)
        if loc is not None:
            return Location(page=loc.page, line=loc.line, text=loc.text)
    return None


def cap_uncertain(
    found: list[tuple[Finding, RuleInfo]], fields: DocumentFields, parsed: ParsedDocument | None
) -> list[Finding]:
    """Errors resting on an unsure reading become warnings; one READ-UNCERTAIN finding says what was unsure."""
    reasons = unsure_fields(fields)
    scan = parsed is not None and parsed.ocr
    findings: list[Finding] = []
    capped = False
    for finding, info in found:
        unsure = [reasons[name] for name in info.rests_on if name in reasons]
        if finding.severity == Severity.ERROR and (unsure or scan):
            why = "; ".join(dict.fromkeys(unsure)) or OCR_NOTE
            message = f"{finding.message.rstrip('.')} — chỉ cảnh báo vì đọc không chắc chắn: {why}."
            finding = finding.model_copy(update={"severity": Severity.WARNING, "message": message})
            capped = True
        findings.append(finding)
    if reasons or capped:
        findings.append(_read_uncertain(fields, reasons, scan and capped))
    return findings


def _read_uncertain(fields: DocumentFields, reasons: dict[str, str], scan: bool) -> Finding:
    notes = list(dict.fromkeys(reasons.values())) + ([OCR_NOTE] if scan else [])
    only_blank = set(notes) <= {BLANK_NUMBER, BLANK_DATE}
    message = (
        "Thành phần để trống chờ chữ ký số, không phải thiếu"
        if only_blank
        else "Có thành phần đọc không chắc chắn; các kiểm tra dựa trên chúng chỉ được báo ở mức cảnh báo"
    )
    hint = (
        "Không cần sửa: số và ngày được cấp khi ký số. Đối chiếu bản đã ký số nếu cần."
        if only_blank
        else "Đối chiếu bản gốc hoặc bản điện tử của văn bản; sửa thành phần đã đọc nếu cần."
    )
    return Finding(
        code=READ_UNCERTAIN,
        severity=Severity.INFO,
        message=f"{message} ({'; '.join(notes)}).",
        hint=hint,
        clause=CLAUSE,
        location=_first_location(fields, list(reasons)),
    )


def catalogue_info() -> RuleInfo:
    """READ-UNCERTAIN as the catalogue shows it."""
    return RuleInfo(
        rule_id="READ-UNCERTAIN",
        code=READ_UNCERTAIN,
        severity=Severity.INFO,
        clause=CLAUSE,
        message="Có thành phần đọc không chắc chắn hoặc để trống chờ chữ ký số; các kiểm tra dựa trên chúng "
        "chỉ được báo ở mức cảnh báo.",
        hint="Đối chiếu bản gốc hoặc bản điện tử của văn bản.",
        tags=["V"],
        profile="both",
        needs_layout=False,
        hd36_layout=False,
    )
