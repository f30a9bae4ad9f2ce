"""The words of the office report as a Party báo cáo of the Văn phòng (05-HD/VPTW), with no layout.

An office files its yearly review of the documents it checked as a báo cáo: the cấp ủy and "VĂN PHÒNG"
with "*", "Số …-BC/VP…", place and date, "BÁO CÁO" and its trích yếu, the body, the signature of the
Chánh văn phòng (or "K/T CHÁNH VĂN PHÒNG" over the deputy's title), the nơi nhận ending with the archive
line. ``render_pdf`` lays these out; the service's own ``check`` reads the PDF back as any other document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from archive_service.reports.labels import rule_heading
from archive_service.reports.model import Report
from archive_service.reports.text import local_time, period_text
from archive_service.reports.trend import UNIT_WORDS

PARTY_TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
DOCUMENT_TYPE = "BÁO CÁO"
TYPE_CODE = "BC"
HEAD_TITLE = "CHÁNH VĂN PHÒNG"
DEPUTY_TITLE = "PHÓ CHÁNH VĂN PHÒNG"
TOP_RULES = 5
OFFICE_PREFIX = "Văn phòng"


def committee_of(office_name: str) -> str:
    """The cấp ủy above a Văn phòng, from the office's name: "Văn phòng Tỉnh ủy Thanh Hóa" → "Tỉnh ủy Thanh Hóa"."""
    name = office_name.strip()
    return name[len(OFFICE_PREFIX) :].strip() if name.lower().startswith(OFFICE_PREFIX.lower()) else ""


def area_of(committee: str) -> str:
    """The area a cấp ủy is named after, its địa danh: "Tỉnh ủy Thanh Hóa" → "Thanh Hóa" (else "")."""
    words = committee.split()
    return " ".join(words[2:]) if len(words) > 2 else ""


@dataclass(frozen=True)
class Signing:
    """What the user may give for the báo cáo: its number (blank: filled in by hand) and who signs."""

    number: str | None = None
    deputy: bool = False  # "K/T CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str | None = None


@dataclass(frozen=True)
class BaoCao:
    """Every line of the báo cáo, in its order."""

    committee: str  # "TỈNH ỦY THANH HÓA"
    office_line: str  # "VĂN PHÒNG"
    number_line: str  # "Số 12-BC/VPTU", or "Số     -BC/VPTU" with a blank to fill in
    date_line: str  # "Thanh Hóa, ngày 03 tháng 12 năm 2026"
    summary: str
    body: list[str]
    signing_lines: list[str]
    signer_name: str
    recipients: list[str]


def date_line(place: str, day: date) -> str:
    """ "<Địa danh>, ngày 03 tháng 12 năm 2026": the day with its 0, the month as written (05-HD I.4)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)  # tháng 01, 02 keep their 0
    lead = f"{place}, " if place else ""
    return f"{lead}ngày {day.day:02d} tháng {month} năm {day.year}"


def _count_text(report: Report) -> str:
    t = report.totals
    return (
        f"Tổng số văn bản: {t.documents} (đã kiểm tra {t.documents_checked}); văn bản đạt: {t.documents_ok}; "
        f"văn bản có cảnh báo: {t.documents_with_warnings}; văn bản có lỗi: {t.documents_with_errors}; "
        f"văn bản không đọc được: {t.documents_unreadable}. Tổng số lỗi: {t.errors}; tổng số cảnh báo: "
        f"{t.warnings}; tổng số lưu ý: {t.infos}; phát hiện về thành phần hồ sơ: {t.dossier_findings}."
    )


def _body(report: Report, office_name: str) -> list[str]:
    s = report.scope
    period = period_text(s.date_from, s.date_to).lower()
    body = [
        f"Thực hiện nhiệm vụ kiểm tra thể thức và thẩm quyền ban hành văn bản, {office_name} báo cáo kết quả "
        f"kiểm tra các văn bản của đơn vị {period} như sau:",
        "1. Kết quả chung",
        _count_text(report),
    ]
    if report.totals.superseded:
        body.append(f"Không tính {report.totals.superseded} văn bản đã được thay thế bằng bản đã sửa.")
    body.append("2. Các lỗi thường gặp")
    common = [r for r in report.by_rule if r.severity in ("error", "warning")][:TOP_RULES]
    if common:
        for r in common:
            level = "mức lỗi" if r.severity == "error" else "mức cảnh báo"
            body.append(f"- {rule_heading(r.code)}, {level}: {r.count} lần, trên {r.documents} văn bản.")
    else:
        body.append("Trong kỳ không có lỗi, cảnh báo nào.")
    if len(report.by_office) > 1:
        body.append("3. So sánh giữa các đơn vị")
        for o in report.by_office:
            body.append(
                f"- {o.office_name}: {o.documents} văn bản, {o.documents_with_errors} văn bản có lỗi "
                f"(tỷ lệ {o.error_rate:.0%}), {o.errors} lỗi, {o.warnings} cảnh báo."
            )
    unit = UNIT_WORDS[report.trend_unit]
    body.append(
        f"Số liệu chi tiết theo mã lỗi, loại văn bản, {unit} và các văn bản có nhiều lỗi nhất tại Phụ lục kèm theo."
    )
    return body


def bao_cao(report: Report, signing: Signing) -> BaoCao:
    """The lines of the office report's báo cáo; the cấp ủy, place and code come from the report's scope."""
    s = report.scope
    committee_name = s.committee_name or committee_of(s.office_name or "")
    committee = committee_name.upper()
    code = s.issuer_code or s.office_code or "VP"
    number = (signing.number or "").strip()
    if number.isdigit():
        number = f"{int(number):02d}"  # 1 to 9 with the 0 before them (05-HD/VPTW I.3)
    number_line = f"Số {number}-{TYPE_CODE}/{code}" if number else f"Số     -{TYPE_CODE}/{code}"
    office_name = f"Văn phòng {committee_name}" if committee_name else (s.office_name or "Văn phòng")
    if signing.deputy:
        signing_lines = [f"K/T {HEAD_TITLE}", DEPUTY_TITLE]
    else:
        signing_lines = [HEAD_TITLE]
    committee_words = committee_name or "cấp ủy"
    return BaoCao(
        committee=committee,
        office_line="VĂN PHÒNG",
        number_line=number_line,
        date_line=date_line(s.place or area_of(committee_name), local_time(s.generated_at).date()),
        summary="kết quả kiểm tra thể thức và thẩm quyền ban hành văn bản",
        body=_body(report, office_name),
        signing_lines=signing_lines,
        signer_name=(signing.signer_name or "").strip(),
        recipients=[f"Thường trực {committee_words} (để báo cáo);", f"Lưu {office_name}."],
    )
