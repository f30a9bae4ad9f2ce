"""A correct Party document by default (Nghị quyết of the Ban Thường vụ Tỉnh ủy Thanh Hóa), with overrides.

``document(**overrides)`` returns ``(ParsedDocument, DocumentFields)`` built from the same values, so that
a field override also changes the line it was read from. Layout overrides: ``styles={"title": {...}}``
(Run attributes per element), ``page=PageSetup(...)``, ``body_size``, ``font``, ``issuer_border``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from schemas.fields import DocumentFields, FieldLocation, Profile
from schemas.parsed import Alignment, CellRef, PageSetup, ParsedDocument, Region, Run, TextLine

TODAY = date(2026, 6, 1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DEFAULT_FIELDS: dict[str, Any] = {
    "profile": Profile.PARTY,
    "title": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "parent_issuer": None,
    "issuer": "TỈNH ỦY THANH HÓA",
    "star": True,
    "number": "05",
    "number_line": "Số 05-NQ/TU",
    "type_code": "NQ",
    "issuer_code": "TU",
    "document_type": "NGHỊ QUYẾT",
    "summary": "về phát triển văn hóa, con người Thanh Hóa",
    "place": "Thanh Hóa",
    "issued_on": date(2024, 3, 5),
    "date_line": "Thanh Hóa, ngày 05 tháng 3 năm 2024",
    "signing_form": "T/M BAN THƯỜNG VỤ",
    "signer_title": "BÍ THƯ",
    "signer_name": "Nguyễn Văn A",
    "recipients": [
        "Các huyện ủy, thị ủy, thành ủy,",
        "Các đảng ủy trực thuộc Tỉnh ủy,",
        "Lưu Văn phòng Tỉnh ủy.",
    ],
    "draft": None,
}

BODY = [
    "Ban Thường vụ Tỉnh ủy đánh giá kết quả thực hiện nhiệm vụ phát triển văn hóa trong thời gian qua.",
    "Các cấp ủy, tổ chức đảng tập trung lãnh đạo, chỉ đạo thực hiện tốt các nhiệm vụ, giải pháp sau đây.",
    "Văn phòng Tỉnh ủy theo dõi, đôn đốc, kiểm tra việc thực hiện Nghị quyết này, báo cáo Ban Thường vụ.",
]

BASE_STYLES: dict[str, dict[str, Any]] = {
    "parent_issuer": {"size_pt": 14},
    "issuer": {"size_pt": 14, "bold": True},
    "star": {"size_pt": 14},
    "number_line": {"size_pt": 14},
    "title": {"size_pt": 15, "bold": True},
    "date_line": {"size_pt": 14, "italic": True},
    "document_type": {"size_pt": 15, "bold": True},
    "summary": {"size_pt": 14, "bold": True},
    "separator": {"size_pt": 14},
    "body": {"size_pt": 14},
    "recipients_label": {"size_pt": 14, "underline": True},
    "recipients": {"size_pt": 12},
    "signing_form": {"size_pt": 14, "bold": True},
    "signer_title": {"size_pt": 14},
    "signer_name": {"size_pt": 14, "bold": True},
    "draft": {"size_pt": 14, "italic": True},
    "urgency": {"size_pt": 14, "bold": True},
    "drafter_mark": {"size_pt": 11},
    "contact": {"size_pt": 10},
    "extra": {"size_pt": 14},
}


def fields(**overrides: Any) -> DocumentFields:
    """Only the fields (no layout): the correct default with ``overrides``."""
    return document(**overrides)[1]


def document(
    *,
    styles: dict[str, dict[str, Any]] | None = None,
    page: PageSetup | None = None,
    body_size: float = 14.0,
    font: str = "Times New Roman",
    issuer_border: bool = False,
    issuer_rule_text: str | None = None,
    extra_header_lines: list[str] | None = None,
    body: list[str] | None = None,
    separator: str | None = "-----",
    urgency_above_number: bool = False,
    tail_lines: list[str] | None = None,
    contact_page: int = 1,
    pages: int = 1,
    **overrides: Any,
) -> tuple[ParsedDocument, DocumentFields]:
    values = {**DEFAULT_FIELDS, **overrides}
    unknown = set(overrides) - set(DocumentFields.model_fields)
    if unknown:
        raise TypeError(f"unknown DocumentFields overrides: {sorted(unknown)}")
    style_map = {k: dict(v) for k, v in BASE_STYLES.items()}
    style_map["body"]["size_pt"] = body_size
    for key, extra in (styles or {}).items():
        style_map.setdefault(key, {}).update(extra)

    lines: list[TextLine] = []
    locations: dict[str, FieldLocation] = {}

    def add(
        key: str,
        text: str,
        *,
        field: str | None = None,
        region: Region = Region.TABLE,
        cell: tuple[int, int, int] | None = None,
        align: Alignment = Alignment.CENTER,
        border: bool = False,
        page: int = 1,
    ) -> None:
        st = style_map.get(key, {})
        run = Run(
            text=text,
            font=st.get("font", font),
            size_pt=st.get("size_pt"),
            bold=st.get("bold", False),
            italic=st.get("italic", False),
            underline=st.get("underline", False),
            caps=st.get("caps", False),
        )
        index = len(lines)
        lines.append(
            TextLine(
                text=text,
                page=page,
                index=index,
                paragraph=index,
                region=region,
                cell=CellRef(table=cell[0], row=cell[1], col=cell[2]) if cell else None,
                alignment=align,
                runs=[run],
                has_bottom_border=border,
            )
        )
        if field is not None and field not in locations:
            locations[field] = FieldLocation(page=page, line=index, text=text)

    if values["parent_issuer"]:
        add("parent_issuer", values["parent_issuer"], field="parent_issuer", cell=(0, 0, 0))
    if values["issuer"]:
        add("issuer", values["issuer"], field="issuer", cell=(0, 0, 0), border=issuer_border)
    if issuer_rule_text:
        add("star", issuer_rule_text, cell=(0, 0, 0))
    if values["star"]:
        add("star", "*", cell=(0, 0, 0))
    if values.get("urgency") and urgency_above_number:
        add("urgency", values.get("urgency"), field="urgency", cell=(0, 0, 0))
    if values["number_line"]:
        add("number_line", values["number_line"], field="number_line", cell=(0, 0, 0))
    if values.get("urgency") and not urgency_above_number:
        add("urgency", values.get("urgency"), field="urgency", cell=(0, 0, 0))
    for extra_line in extra_header_lines or []:
        add("extra", extra_line, cell=(0, 0, 1))
    if values["title"]:
        add("title", values["title"], field="title", cell=(0, 0, 1), border=True)
    if values["draft"]:
        add("draft", values["draft"], field="draft", cell=(0, 0, 1))
    if values["date_line"]:
        add("date_line", values["date_line"], field="date_line", cell=(0, 0, 1))
    if values["document_type"] and values["document_type"] != "CÔNG VĂN":
        add("document_type", values["document_type"], field="document_type", region=Region.BODY)
    if values["summary"]:
        add("summary", values["summary"], field="summary", region=Region.BODY)
    if separator is not None:
        add("separator", separator, region=Region.BODY)
    for text in body if body is not None else BODY:
        add("body", text, region=Region.BODY, align=Alignment.JUSTIFY)
    if values["recipients"]:
        add("recipients_label", "Nơi nhận:", cell=(1, 0, 0), align=Alignment.LEFT)
        for i, rec in enumerate(values["recipients"]):
            add(
                "recipients",
                f"- {rec}",
                field="recipients" if i == 0 else None,
                cell=(1, 0, 0),
                align=Alignment.LEFT,
            )
        if values.get("drafter_mark"):
            add("drafter_mark", values.get("drafter_mark"), field="drafter_mark", cell=(1, 0, 0), align=Alignment.LEFT)
    if values.get("minute_taker") is not None:
        add("signer_title", "NGƯỜI GHI BIÊN BẢN", cell=(1, 0, 0))
        if values.get("minute_taker"):
            add("signer_name", values.get("minute_taker"), field="minute_taker", cell=(1, 0, 0))
    if values["signing_form"]:
        add("signing_form", values["signing_form"], field="signing_form", cell=(1, 0, 1))
    if values["signer_title"]:
        add("signer_title", values["signer_title"], field="signer_title", cell=(1, 0, 1))
    if values["signer_name"]:
        add("signer_name", values["signer_name"], field="signer_name", cell=(1, 0, 1))
    for text in tail_lines or []:
        add("extra", text, region=Region.BODY, page=pages)
    if values.get("contact"):
        add("contact", values.get("contact"), field="contact", region=Region.BODY, page=contact_page)
    if pages > 1 and not tail_lines:
        add("body", "Trang cuối của văn bản.", region=Region.BODY, page=pages)

    for name in ("place", "issued_on", "summary"):
        if name in locations or values.get(name) is None:
            continue
        if name in ("place", "issued_on") and "date_line" in locations:
            locations[name] = locations["date_line"]
    values["locations"] = {**locations, **overrides.get("locations", {})}
    parsed = ParsedDocument(
        media_type=DOCX,
        page_count=pages,
        page_setup=page
        or PageSetup(
            width_mm=210,
            height_mm=297,
            margin_top_mm=20,
            margin_bottom_mm=20,
            margin_left_mm=30,
            margin_right_mm=15,
        ),
        lines=lines,
    )
    return parsed, DocumentFields.model_validate(values)


def state_document(**overrides: Any) -> tuple[ParsedDocument, DocumentFields]:
    """A correct state (NĐ 30/2020) document: Quyết định of a UBND tỉnh."""
    base: dict[str, Any] = {
        "profile": Profile.STATE,
        "title": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "issuer": "ỦY BAN NHÂN DÂN TỈNH THANH HÓA",
        "star": False,
        "number": "12",
        "number_line": "Số: 12/QĐ-UBND",
        "type_code": "QĐ",
        "issuer_code": "UBND",
        "document_type": "QUYẾT ĐỊNH",
        "summary": "Về việc phê duyệt kế hoạch",
        "signing_form": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "recipients": ["Như Điều 3;", "Lưu: VT, VX."],
    }
    base.update(overrides)
    styles = {"title": {"size_pt": 13}, "body": {"size_pt": 14}}
    styles.update(base.pop("styles", {}))
    page = base.pop(
        "page",
        PageSetup(
            width_mm=210,
            height_mm=297,
            margin_top_mm=20,
            margin_bottom_mm=20,
            margin_left_mm=30,
            margin_right_mm=15,
        ),
    )
    extra = ["Độc lập - Tự do - Hạnh phúc", *base.pop("extra_header_lines", [])]
    return document(styles=styles, page=page, extra_header_lines=extra, **base)
