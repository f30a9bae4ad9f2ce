"""Format checks of the components 05-HD/VPTW changed or added, beside their 36-HD/VPTW counterparts.

Nơi nhận and Kính gửi punctuation and style, căn cứ, the công văn trích yếu and the hyphens under a trích yếu, the
place name, the urgency mark, the drafter's mark, contact information, copies and the T/M of collective bodies.
Where the two guides say different things there are two rules, one per guide (``guides=``): a document of
09/01–26/05/2026 is judged by both and only what both raise is reported (``engine``). Rules that 05-HD only
confirms read their 05 clause and severity from ``tables/guide_05.yaml``; a rule 05-HD changes or adds is a
warning until an official copy is seen (``shared/domain/hd05-2026.md``).
"""

from __future__ import annotations

import re
from typing import Final

from archive_service.validation.context import CheckContext, upper
from archive_service.validation.layout import size_off
from archive_service.validation.registry import Hit, rule
from archive_service.validation.tables import HD05, HD36
from indexers.textnorm import canonical, fold
from schemas.findings import Location, Severity
from schemas.parsed import TextLine

E: Final = Severity.ERROR
W: Final = Severity.WARNING
INFO: Final = Severity.INFO
DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _is_docx(ctx: CheckContext) -> bool:
    return ctx.parsed is not None and ctx.parsed.media_type == DOCX and not ctx.parsed.ocr


# ---- Nơi nhận, Kính gửi: punctuation ---------------------------------------------------------------------


def _ending(text: str) -> str:
    stripped = canonical(text).rstrip()
    return stripped[-1:] if stripped else ""


def _recipient_hits(ctx: CheckContext, *, between: tuple[str, ...], last: str, label: str) -> list[Hit]:
    entries = ctx.fields.recipients
    if len(entries) < 2:
        return []  # one entry cannot show a separator; E43 / E46 judge the rest
    for k, entry in enumerate(entries):
        wanted = (last,) if k == len(entries) - 1 else between
        end = _ending(entry)
        if end not in wanted:
            shown = canonical(entry)
            want = " hoặc ".join(f'"{w}"' for w in wanted)
            return [
                Hit(
                    location=ctx.location_of_text("recipients", shown),
                    detail=f'{label} "{shown}" cần kết thúc bằng {want}',
                )
            ]
    return []


@rule(
    rule_id="E49",
    on_scan="skip",  # OCR drops and confuses commas and semicolons
    note="Dấu cuối mỗi nơi nhận theo nguồn thứ cấp của HD 36 [S]: cảnh báo.",
    code="FMT-RECIPIENTS-PUNCT",
    severity=W,
    clause="36-HD/VPTW mục II.1.9 (mẫu trình bày nơi nhận)",
    message="Dấu câu cuối các dòng nơi nhận không đúng mẫu.",
    hint='Mỗi nơi nhận kết thúc bằng dấu phẩy (","), dòng lưu cuối cùng kết thúc bằng dấu chấm ("."): '
    '"- Lưu Văn phòng Tỉnh ủy.".',
    tags=["S"],
    guides=[HD36],
)
def recipients_punct_36(ctx: CheckContext) -> list[Hit]:
    return _recipient_hits(ctx, between=(",",), last=".", label="nơi nhận")


@rule(
    rule_id="HD05-01",
    on_scan="skip",
    note="05-HD thay dấu phẩy bằng dấu chấm phẩy [V-copy, thay đổi so với HD 36]: cảnh báo.",
    code="FMT-RECIPIENTS-PUNCT",
    severity=W,
    clause="05-HD/VPTW mục I.9.2.5",
    message="Dấu câu cuối các dòng nơi nhận, kính gửi không đúng Hướng dẫn 05-HD/VPTW.",
    hint='Sau mỗi nơi nhận (và mỗi dòng "Kính gửi", "Kính trình") ghi dấu chấm phẩy (";"); nơi lưu văn bản '
    'ở cuối kết thúc bằng dấu chấm: "- Lưu Văn phòng Tỉnh ủy.".',
    tags=["V-copy"],
    guides=[HD05],
)
def recipients_punct_05(ctx: CheckContext) -> list[Hit]:
    hits = _recipient_hits(ctx, between=(";",), last=".", label="nơi nhận")
    if hits:
        return hits
    addressees = ctx.fields.addressees
    if len(addressees) < 2:
        return []  # "Kính gửi: Ban Thường vụ Tỉnh ủy" on one line: nothing to separate
    for entry in addressees:
        if _ending(entry) != ";":
            shown = canonical(entry)
            return [
                Hit(
                    location=ctx.location_of_text("addressees", shown),
                    detail=f'kính gửi "{shown}" cần kết thúc bằng ";"',
                )
            ]
    return []


# ---- Nơi nhận: style --------------------------------------------------------------------------------------

NOI_NHAN: Final = re.compile(r"^\s*Nơi nhận\s*:?\s*$", re.IGNORECASE)
NOI_NHAN_START: Final = re.compile(r"^\s*Nơi nhận\b", re.IGNORECASE)


def _recipients_label(ctx: CheckContext) -> TextLine | None:
    line = ctx.line_of("recipients")
    if line is not None and NOI_NHAN_START.match(canonical(line.rendered_text)):
        return line
    found = ctx.find_lines(NOI_NHAN_START)
    return found[-1] if found else None


def _entry_lines(ctx: CheckContext, label: TextLine) -> list[TextLine]:
    if ctx.parsed is None:
        return []
    out: list[TextLine] = []
    for ln in ctx.parsed.lines[label.index + 1 : label.index + 1 + 3 * max(1, len(ctx.fields.recipients))]:
        if label.cell is not None and ln.cell != label.cell:
            continue
        if re.match(r"^\s*[-–]\s*\S", ln.rendered_text):
            out.append(ln)
    return out


@rule(
    rule_id="E44",
    on_scan="skip",
    note="Kiểu chữ nơi nhận theo nguồn thứ cấp [S]: cảnh báo; gạch chân chỉ đọc được trong tệp DOCX.",
    code="FMT-RECIPIENTS-STYLE",
    severity=W,
    clause="36-HD/VPTW Phụ lục 3 dòng 9 (nguồn thứ cấp)",
    message='Từ "Nơi nhận" hoặc các dòng nơi nhận không trình bày đúng mẫu.',
    hint='Trình bày "Nơi nhận:" một dòng riêng, chữ thường cỡ 14, đứng, có gạch chân (không đậm, không nghiêng); '
    "tên các nơi nhận cỡ 12, đứng.",
    tags=["S"],
    needs_layout=True,
)
def recipients_style(ctx: CheckContext) -> list[Hit]:
    label = _recipients_label(ctx)
    if label is None or not label.runs:
        return []
    faults: list[str] = []
    text = canonical(label.rendered_text)
    if not NOI_NHAN.match(text):
        faults.append("không đứng một dòng riêng")
    if label.bold and label.italic:
        faults.append("đậm nghiêng (kiểu văn bản nhà nước)")
    elif _is_docx(ctx) and not label.underline:
        faults.append("không gạch chân")
    if size_off(label.size_pt, 14, 14):
        faults.append(f"cỡ {label.size_pt:g}")
    sizes = [ln.size_pt for ln in _entry_lines(ctx, label) if ln.size_pt is not None]
    off = [s for s in sizes if size_off(s, 12, 12)]
    if sizes and len(off) * 2 > len(sizes):
        faults.append(f"dòng nơi nhận cỡ {off[0]:g}")
    if not faults:
        return []
    return [Hit(location=ctx.location_of_line(label), detail=", ".join(faults))]


# ---- Căn cứ ------------------------------------------------------------------------------------------------

BASIS: Final = re.compile(r"^\s*(?:[-–]\s*)?Căn cứ\b")
PROPOSAL: Final = re.compile(r"^\s*(?:[-–]\s*)?(?:Xét|Theo)\s+(?:đề nghị|tờ trình)\b", re.IGNORECASE)
DASHED: Final = re.compile(r"^\s*[-–]\s*\S")
BODY_SPAN: Final = 60  # the căn cứ stand at the top of the body


def _basis_block(ctx: CheckContext) -> list[TextLine]:
    """The căn cứ lines at the head of the body, with one closing "Xét/Theo đề nghị …" line if it follows."""
    if ctx.parsed is None:
        return []
    lines = ctx.parsed.lines[:BODY_SPAN]
    start = next((k for k, ln in enumerate(lines) if BASIS.match(canonical(ln.rendered_text))), None)
    if start is None:
        return []
    block: list[TextLine] = []
    for ln in lines[start:]:
        text = canonical(ln.rendered_text)
        if not text.strip():
            continue
        if BASIS.match(text):
            block.append(ln)
        elif PROPOSAL.match(text) and block and not PROPOSAL.match(canonical(block[-1].rendered_text)):
            block.append(ln)
            break
        elif block and not DASHED.match(text) and not re.search(r"[;,.:]\s*$", canonical(block[-1].rendered_text)):
            block[-1] = block[-1].model_copy(update={"text": f"{block[-1].text} {ln.text}", "runs": []})
        else:
            break
    return block


def _basis_hits(ctx: CheckContext, *, last_basis: tuple[str, ...], last_proposal: tuple[str, ...]) -> list[Hit]:
    block = _basis_block(ctx)
    for k, ln in enumerate(block):
        text = canonical(ln.rendered_text)
        loc = ctx.location_of_line(ln)
        if not DASHED.match(text):
            return [Hit(location=loc, detail='căn cứ không có gạch ngang ("-") ở đầu dòng')]
        is_last = k == len(block) - 1
        proposal = bool(PROPOSAL.match(text))
        wanted = (last_proposal if proposal else last_basis) if is_last else (";",)
        if _ending(text) not in wanted:
            want = " hoặc ".join(f'"{w}"' for w in wanted)
            return [Hit(location=loc, detail=f"dòng cần kết thúc bằng {want}")]
    return []


@rule(
    rule_id="C6-CANCU",
    on_scan="skip",
    note="Cách trình bày căn cứ thấy trên văn bản thật (399-QĐ/TW, 09-QC/TW) [V-ex], không đọc trong HD 36: "
    "cảnh báo; căn cứ cuối kết thúc bằng dấu phẩy hay dấu chấm đều được.",
    code="FMT-BASIS-PUNCT",
    severity=W,
    clause="36-HD/VPTW mục II.1.6 (mẫu trình bày căn cứ trên văn bản ban hành)",
    message="Phần căn cứ ban hành không trình bày đúng mẫu.",
    hint='Mỗi căn cứ một dòng, bắt đầu bằng "- ", kết thúc bằng dấu chấm phẩy (";").',
    tags=["V-ex", "S"],
    needs_layout=True,
    guides=[HD36],
)
def basis_punct_36(ctx: CheckContext) -> list[Hit]:
    return _basis_hits(ctx, last_basis=(",", ".", ";"), last_proposal=(",", "."))


@rule(
    rule_id="HD05-03",
    on_scan="skip",
    note="05-HD quy định căn cứ cuối cùng có dấu chấm [V-copy, thay đổi so với HD 36]: cảnh báo.",
    code="FMT-BASIS-PUNCT",
    severity=W,
    clause="05-HD/VPTW mục I.6.2.3",
    message="Phần căn cứ ban hành không trình bày đúng Hướng dẫn 05-HD/VPTW.",
    hint='Mỗi căn cứ một dòng hoặc một khổ riêng, trước mỗi căn cứ có gạch ngang ("-"), sau mỗi căn cứ có dấu chấm '
    'phẩy (";"), riêng căn cứ cuối cùng có dấu chấm (".").',
    tags=["V-copy"],
    needs_layout=True,
    guides=[HD05],
)
def basis_punct_05(ctx: CheckContext) -> list[Hit]:
    return _basis_hits(ctx, last_basis=(".",), last_proposal=(",", "."))


# ---- Trích yếu -------------------------------------------------------------------------------------------

VV: Final = re.compile(r"^\s*V\s*/\s*v\b", re.IGNORECASE)


@rule(
    rule_id="E21",
    note='HD 36 không dùng "V/v" trong mẫu, 05-HD ghi "về việc …" trong ví dụ: cảnh báo ở cả hai.',
    code="FMT-SUMMARY-VV",
    severity=W,
    clause="36-HD/VPTW Phụ lục 3 dòng 5b (mẫu trích yếu công văn)",
    message='Trích yếu công văn của Đảng ghi "V/v".',
    hint='Trích yếu công văn của Đảng viết "về việc …" (chữ thường, cỡ 12, nghiêng), không viết tắt "V/v".',
    tags=["S"],
)
def summary_vv(ctx: CheckContext) -> list[Hit]:
    t = ctx.doc_type
    summary = canonical(ctx.fields.summary or "")
    if not summary or VV.match(summary) is None:
        return []
    if t is not None and not t.untitled:
        return []  # a document with a tên loại: V/v is not its trích yếu's form anyway
    return [Hit(location=ctx.location("summary"), detail=f'đang ghi "{summary[:40]}"')]


HYPHENS: Final = re.compile(r"^\s*[-–—_]{3,}\s*$")
SUMMARY_SPAN: Final = 8  # lines after the start of a trích yếu within which its hyphens stand
BODY_START: Final = re.compile(
    r"^(?:[-–]\s*)?(Căn cứ|Thực hiện|Kính gửi|Kính trình|Phần|Chương|Điều \d|[IVX]+\.|\d+\.)"
)


@rule(
    rule_id="E32",
    on_scan="skip",  # a row of hyphens is often lost or read as a dash by OCR
    note="Năm gạch nối dưới trích yếu theo nguồn thứ cấp của HD 36 [S]: thông tin (05-HD xác nhận: lỗi).",
    code="FMT-SUMMARY-RULE",
    severity=INFO,
    clause="36-HD/VPTW mục II.1.5 (mẫu tên loại và trích yếu)",
    message='Không có dòng gạch nối ("-----") ngăn cách trích yếu với nội dung văn bản.',
    hint='Dưới trích yếu nội dung trình bày 05 dấu gạch nối ("-----") căn giữa, ngăn cách với nội dung văn bản.',
    tags=["S"],
    needs_layout=True,
)
def summary_rule_missing(ctx: CheckContext) -> list[Hit]:
    t = ctx.doc_type
    if ctx.parsed is None or t is None or t.untitled or not t.abbr:
        return []  # công văn (ô 5b) and documents without a tên loại line
    anchor = ctx.line_of("summary") or ctx.line_of("document_type")
    if anchor is None or anchor.has_bottom_border:
        return []
    # The trích yếu may wrap over several lines (and the reader may have kept only the first ones): look for the
    # hyphens in the lines that follow it, up to where the body begins.
    for ln in ctx.parsed.lines[anchor.index + 1 : anchor.index + 1 + SUMMARY_SPAN]:
        text = canonical(ln.rendered_text).strip()
        if HYPHENS.match(text) or ln.has_bottom_border:
            return []
        if BODY_START.match(text):
            break
    return [Hit(location=ctx.location_of_line(anchor))]


# ---- Địa danh ----------------------------------------------------------------------------------------------

LEVEL_PREFIX: Final = re.compile(r"^(xa|phuong|dac khu|thanh pho|tp\.?|dk\.?|tinh|thi tran)\b")
# Places named after people (05-HD I.4.1.1 c, "Phường Ngô Quyền"): names in common use for provinces, communes and
# wards after the 2025 reorganisation; a name outside the list is not judged.
PERSON_NAMES: Final = frozenset(
    fold(n)
    for n in (
        "Hồ Chí Minh",
        "Ngô Quyền",
        "Lê Lợi",
        "Lê Chân",
        "Trần Hưng Đạo",
        "Hai Bà Trưng",
        "Quang Trung",
        "Lý Thường Kiệt",
        "Nguyễn Trãi",
        "Trần Phú",
        "Lê Hồng Phong",
        "Phan Bội Châu",
        "Nguyễn Du",
        "Hoàng Hoa Thám",
        "Đinh Tiên Hoàng",
        "Lý Thái Tổ",
        "Võ Thị Sáu",
        "Trưng Vương",
        "Bà Triệu",
        "Hùng Vương",
    )
)
COMMUNE_ISSUER: Final = re.compile(r"^ĐẢNG ỦY (XÃ|PHƯỜNG|ĐẶC KHU) (?P<name>.+)$")
PROVINCE_PARENT: Final = re.compile(r"^ĐẢNG BỘ (TỈNH|THÀNH PHỐ) (?P<name>.+)$")


def _merged_away(ctx: CheckContext, place: str) -> str | None:
    issued = ctx.dated_on
    reorg = ctx.tables.reorganisation
    if issued is None or issued < reorg.province_merge_effective:
        return None
    for survivor, absorbed in reorg.merged_provinces.items():
        if any(fold(old) == fold(place) for old in absorbed):
            return survivor
    return None


@rule(
    rule_id="HD05-08",
    note="Quy tắc mới của 05-HD [V-copy]: cảnh báo; chỉ xét địa danh một âm tiết, tên người có trong danh sách, "
    "tên xã/phường trùng tên tỉnh theo tiêu đề và tỉnh đã hợp nhất.",
    code="FMT-PLACE-LEVEL",
    severity=W,
    clause="05-HD/VPTW mục I.4.1.1; I.4.2.3",
    message="Địa danh ban hành văn bản thiếu cấp hành chính hoặc không phải tên gọi chính thức.",
    hint="Ghi tên chính thức của tỉnh, thành phố hoặc xã, phường, đặc khu; thêm cấp hành chính khi địa danh mang tên "
    'người, có một âm tiết hoặc trùng tên tỉnh ("Phường Ngô Quyền", "Thành phố Huế", "Phường Phú Thọ"); có thể viết '
    'tắt "TP", "ĐK".',
    tags=["V-copy"],
    guides=[HD05],
)
def place_level(ctx: CheckContext) -> list[Hit]:
    place = canonical(ctx.fields.place or "").strip()
    if not place:
        return []
    loc = ctx.location("date_line")
    folded = fold(place)
    if LEVEL_PREFIX.match(folded):
        return []
    survivor = _merged_away(ctx, place)
    if survivor is not None:
        return [Hit(location=loc, detail=f'"{place}" đã hợp nhất vào {survivor} từ 01/07/2025')]
    if len(place.split()) == 1:
        return [Hit(location=loc, detail=f'"{place}" có một âm tiết, cần ghi cấp hành chính')]
    if folded in PERSON_NAMES:
        return [Hit(location=loc, detail=f'"{place}" mang tên người, cần ghi cấp hành chính')]
    commune = COMMUNE_ISSUER.match(upper(ctx.fields.issuer))
    province = PROVINCE_PARENT.match(upper(ctx.fields.parent_issuer))
    if commune and province and fold(commune.group("name")) == fold(province.group("name")) == folded:
        level = commune.group(1).capitalize()
        return [Hit(location=loc, detail=f'trùng tên tỉnh, cần ghi "{level.title()} {place}"')]
    return []


# ---- Dấu chỉ mức độ khẩn -----------------------------------------------------------------------------------

URGENCY_OK: Final = frozenset({"KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"})
URGENCY_TIMED: Final = "HỎA TỐC HẸN GIỜ"
URGENCY_LIKE: Final = re.compile(r"^(KHẨN|THƯỢNG KHẨN|HỎA TỐC)\b")
HEADER_SPAN: Final = 20


def _urgency_line(ctx: CheckContext) -> tuple[str, TextLine | None] | None:
    if ctx.fields.urgency:
        return upper(ctx.fields.urgency), ctx.line_of("urgency")
    for ln in ctx.parsed.lines[:HEADER_SPAN] if ctx.parsed is not None else []:
        text = upper(ln.rendered_text).strip()
        if len(text) <= 30 and URGENCY_LIKE.match(text) and text == canonical(ln.rendered_text).strip():
            return text, ln
    return None


def _urgency_hits(ctx: CheckContext, *, allowed: frozenset[str], timed: Severity | None) -> list[Hit]:
    found = _urgency_line(ctx)
    if found is None:
        return []
    text, line = found
    loc = ctx.location_of_line(line) if line is not None else ctx.location("urgency")
    if text == URGENCY_TIMED:
        if timed is None:
            return []
        return [Hit(location=loc, detail='"HỎA TỐC HẸN GIỜ" không còn trong danh mục', severity=timed)]
    if text not in allowed:
        return [Hit(location=loc, detail=f'đang ghi "{text}"')]
    number = ctx.line_of("number_line")
    below = ctx.line_of("summary") if ctx.doc_type is not None and ctx.doc_type.untitled else number
    if line is not None and below is not None and line.index < below.index:
        where = "trích yếu" if below is not number else "số và ký hiệu"
        return [Hit(location=loc, detail=f"đặt phía trên {where}")]
    return []


@rule(
    rule_id="E52",
    note="Vị trí và cách ghi độ khẩn theo nguồn thứ cấp [S]: cảnh báo.",
    code="FMT-URGENCY-MARK",
    severity=W,
    clause="36-HD/VPTW mục II.2 (dấu chỉ mức độ khẩn); 66-QĐ/TW Điều 16",
    message="Dấu chỉ mức độ khẩn ghi sai hoặc đặt sai vị trí.",
    hint='Chỉ dùng "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC", "HỎA TỐC HẸN GIỜ" (in hoa, cỡ 14, đậm), đặt dưới số và ký '
    "hiệu văn bản (công văn: dưới trích yếu).",
    tags=["S"],
    guides=[HD36],
)
def urgency_mark_36(ctx: CheckContext) -> list[Hit]:
    return _urgency_hits(ctx, allowed=URGENCY_OK | {URGENCY_TIMED}, timed=None)


@rule(
    rule_id="HD05-16",
    note='05-HD chỉ còn ba độ khẩn [V-copy, thay đổi]: cảnh báo; "HỎA TỐC HẸN GIỜ" chỉ là thông tin.',
    code="FMT-URGENCY-MARK",
    severity=W,
    clause="05-HD/VPTW mục II.3",
    message="Dấu chỉ mức độ khẩn ghi sai hoặc đặt sai vị trí.",
    hint='Dấu chỉ mức độ khẩn gồm "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC" (in hoa, cỡ 14, đứng, đậm), trình bày dưới số '
    "và ký hiệu văn bản (công văn: dưới trích yếu).",
    tags=["V-copy"],
    guides=[HD05],
)
def urgency_mark_05(ctx: CheckContext) -> list[Hit]:
    return _urgency_hits(ctx, allowed=URGENCY_OK, timed=INFO)


# ---- Ký hiệu người soạn thảo, số lượng bản ----------------------------------------------------------------


def _drafter(ctx: CheckContext) -> tuple[str, TextLine | None] | None:
    mark = (ctx.fields.drafter_mark or "").strip()
    return (mark, ctx.line_of("drafter_mark")) if mark else None


def _closes_recipients(ctx: CheckContext, label: TextLine, mark: TextLine) -> bool:
    """The mark stands right under the nơi nhận: in its table cell, or (PDF) within two lines of its last entry."""
    if mark.index < label.index:
        return False
    if label.cell is not None:
        return mark.cell == label.cell
    entries = _entry_lines(ctx, label)
    last = entries[-1] if entries else label
    if mark.y_pt is not None and last.y_pt is not None:
        height = last.size_pt or 12.0
        return mark.page == last.page and 0 <= mark.y_pt - last.y_pt <= 3 * height
    return mark.index - last.index <= 2


@rule(
    rule_id="C12",
    on_scan="skip",
    note="Ký hiệu người đánh máy in hoa cỡ 8 theo nguồn thứ cấp [S]: chỉ là thông tin.",
    code="FMT-DRAFTER-MARK",
    severity=INFO,
    clause="36-HD/VPTW Phụ lục 3 dòng 12 (nguồn thứ cấp)",
    message="Ký hiệu người đánh máy và số lượng bản phát hành không trình bày đúng mẫu.",
    hint='Ghi ký hiệu người đánh máy và số lượng bản in hoa, cỡ 8, dưới nơi nhận, ví dụ "NVA-26".',
    tags=["S"],
    guides=[HD36],
)
def drafter_mark_36(ctx: CheckContext) -> list[Hit]:
    found = _drafter(ctx)
    if found is None:
        return []
    mark, line = found
    faults = []
    if mark != mark.upper():
        faults.append("không in hoa")
    if line is not None and size_off(line.size_pt, 8, 8):
        faults.append(f"cỡ {line.size_pt:g}")
    loc = ctx.location_of_line(line) if line is not None else ctx.location("drafter_mark")
    return [Hit(location=loc, detail=f'"{mark}": ' + ", ".join(faults))] if faults else []


@rule(
    rule_id="HD05-18",
    on_scan="skip",
    note="05-HD đổi sang chữ thường cỡ 11 [V-copy, thay đổi so với HD 36]: cảnh báo.",
    code="FMT-DRAFTER-MARK",
    severity=W,
    clause="05-HD/VPTW mục II.5; Phụ lục 2 dòng 13",
    message="Ký hiệu người soạn thảo và số lượng bản phát hành không trình bày đúng Hướng dẫn 05-HD/VPTW.",
    hint="Ghi ký hiệu người soạn thảo và số lượng bản chữ in thường, cỡ 11, đứng, ở cuối nơi nhận, ví dụ "
    '"NguyenVanAn-26".',
    tags=["V-copy"],
    guides=[HD05],
)
def drafter_mark_05(ctx: CheckContext) -> list[Hit]:
    found = _drafter(ctx)
    if found is None:
        return []
    mark, line = found
    faults = []
    letters = re.sub(r"[^A-Za-zÀ-ỹĐđ]", "", mark)
    if len(letters) > 3 and letters == letters.upper():
        faults.append("viết in hoa")
    if line is not None and size_off(line.size_pt, 11, 11):
        faults.append(f"cỡ {line.size_pt:g}")
    label = _recipients_label(ctx)
    if line is not None and label is not None and not _closes_recipients(ctx, label, line):
        faults.append("không ở cuối nơi nhận")
    loc = ctx.location_of_line(line) if line is not None else ctx.location("drafter_mark")
    return [Hit(location=loc, detail=f'"{mark}": ' + ", ".join(faults))] if faults else []


# ---- Thông tin liên hệ -------------------------------------------------------------------------------------


def _contact(ctx: CheckContext) -> tuple[TextLine | None, Location | None] | None:
    if not (ctx.fields.contact or "").strip():
        return None
    line = ctx.line_of("contact")
    return line, (ctx.location_of_line(line) if line is not None else ctx.location("contact"))


@rule(
    rule_id="C13",
    on_scan="skip",
    note="Cỡ chữ thông tin liên hệ theo nguồn thứ cấp [S]: cảnh báo.",
    code="FMT-CONTACT-PLACEMENT",
    severity=W,
    clause="36-HD/VPTW Phụ lục 3 dòng 13 (nguồn thứ cấp)",
    message="Thông tin liên hệ của cơ quan ban hành không trình bày đúng mẫu.",
    hint="Trình bày thông tin liên hệ (địa chỉ, điện thoại, email, website) chữ in thường, cỡ 10, đứng.",
    tags=["S"],
    needs_layout=True,
    guides=[HD36],
)
def contact_36(ctx: CheckContext) -> list[Hit]:
    found = _contact(ctx)
    if found is None or found[0] is None or not size_off(found[0].size_pt, 10, 10):
        return []
    return [Hit(location=found[1], detail=f"cỡ {found[0].size_pt:g}")]


@rule(
    rule_id="HD05-19",
    on_scan="skip",
    note="05-HD chuyển thông tin liên hệ xuống trang cuối [V-copy, thay đổi]: cảnh báo.",
    code="FMT-CONTACT-PLACEMENT",
    severity=W,
    clause="05-HD/VPTW mục II.6; Phụ lục 2 dòng 14",
    message="Thông tin liên hệ của cơ quan ban hành không ở trang cuối hoặc không đúng cỡ chữ.",
    hint="Trình bày thông tin liên hệ tại trang cuối của văn bản, dưới một đường kẻ nét liền hết chiều ngang vùng "
    "trình bày, chữ in thường cỡ 10, đứng.",
    tags=["V-copy"],
    needs_layout=True,
    guides=[HD05],
)
def contact_05(ctx: CheckContext) -> list[Hit]:
    found = _contact(ctx)
    if found is None or ctx.parsed is None:
        return []
    line, loc = found
    faults = []
    last_page = max((ln.page for ln in ctx.parsed.lines), default=1)
    if line is not None and line.page < last_page:
        faults.append(f"ở trang {line.page}, văn bản có {last_page} trang")
    if line is not None and size_off(line.size_pt, 10, 10):
        faults.append(f"cỡ {line.size_pt:g}")
    return [Hit(location=loc, detail=", ".join(faults))] if faults else []


# ---- Bản sao -----------------------------------------------------------------------------------------------

COPY_STAMP: Final = re.compile(r"^\s*BẢN SAO VĂN BẢN\s*$")
COPY_FORM_36: Final = re.compile(r"^\s*(SAO Y BẢN CHÍNH|SAO Y|TRÍCH SAO|SAO LỤC)\s*$")
COPY_FORM_05: Final = re.compile(r"\b(sao y|sao lục|trích sao)\b", re.IGNORECASE)
COPY_NUMBER: Final = re.compile(r"\bSố\s*:?\s*\d+\s*-\s*BS\s*/\s*\S+")


def _copy_lines(ctx: CheckContext) -> tuple[list[TextLine], list[TextLine]]:
    """The copy stamp lines of 05-HD ("BẢN SAO VĂN BẢN") and the copy-form labels of 36-HD ("SAO Y BẢN CHÍNH")."""
    if ctx.parsed is None:
        return [], []
    stamps = [ln for ln in ctx.parsed.lines if COPY_STAMP.match(upper(ln.rendered_text))]
    labels = [ln for ln in ctx.parsed.lines if COPY_FORM_36.match(upper(ln.rendered_text))]
    return stamps, labels


def _has_copy_number(ctx: CheckContext, after: int) -> bool:
    assert ctx.parsed is not None
    return any(COPY_NUMBER.search(canonical(ln.rendered_text)) for ln in ctx.parsed.lines[after:])


@rule(
    rule_id="C16",
    code="FMT-COPY-MARK",
    severity=E,
    clause='36-HD/VPTW mục III (bản sao; số bản sao "Số 24-BS/UBKTTU")',
    message="Bản sao văn bản thiếu số, ký hiệu bản sao.",
    hint='Bản sao ghi hình thức sao (SAO Y BẢN CHÍNH, TRÍCH SAO, SAO LỤC), số và ký hiệu bản sao "Số <số>-BS/<ký '
    'hiệu cơ quan sao>", địa danh và ngày sao, nơi nhận, chữ ký và dấu của cơ quan sao.',
    tags=["V"],
    needs_layout=True,
    guides=[HD36],
)
def copy_mark_36(ctx: CheckContext) -> list[Hit]:
    stamps, labels = _copy_lines(ctx)
    marks = sorted(stamps + labels, key=lambda ln: ln.index)
    if not marks or _has_copy_number(ctx, marks[0].index):
        return []
    return [Hit(location=ctx.location_of_line(marks[0]), detail='không thấy "Số …-BS/…"')]


@rule(
    rule_id="HD05-21",
    note="Mẫu dấu bản sao mới của 05-HD [V-copy, thay đổi]: cảnh báo; chữ ký số của bản sao điện tử chưa kiểm tra.",
    code="FMT-COPY-MARK",
    severity=W,
    clause="05-HD/VPTW mục III; Phụ lục 3",
    message='Bản sao văn bản không có dấu "Bản sao văn bản" đủ thành phần theo Hướng dẫn 05-HD/VPTW.',
    hint='Bản sao giấy đóng dấu "BẢN SAO VĂN BẢN" (80 × 50 mm, màu đỏ) ghi cơ quan sao, số và ký hiệu bản sao '
    '"Số <số>-BS/<ký hiệu>", hình thức sao (sao y, sao lục, trích sao), địa danh và ngày sao, nơi nhận bản sao.',
    tags=["V-copy"],
    needs_layout=True,
    guides=[HD05],
)
def copy_mark_05(ctx: CheckContext) -> list[Hit]:
    stamps, labels = _copy_lines(ctx)
    if not stamps and not labels:
        return []
    if not stamps:
        shown = canonical(labels[0].rendered_text)
        return [Hit(location=ctx.location_of_line(labels[0]), detail=f'ghi "{shown}" thay cho dấu "BẢN SAO VĂN BẢN"')]
    assert ctx.parsed is not None
    stamp = stamps[0]
    after = ctx.parsed.lines[stamp.index : stamp.index + 15]
    missing = []
    if not any(COPY_NUMBER.search(canonical(ln.rendered_text)) for ln in after):
        missing.append('số "…-BS/…"')
    if not any(COPY_FORM_05.search(canonical(ln.rendered_text)) for ln in after):
        missing.append("hình thức sao")
    if not missing:
        return []
    return [Hit(location=ctx.location_of_line(stamp), detail="thiếu " + ", ".join(missing))]


# ---- T/M của tập thể -------------------------------------------------------------------------------------

CONGRESS_REPORT: Final = re.compile(r"đại hội", re.IGNORECASE)


@rule(
    rule_id="E38",
    code="FMT-SIGN-COLLECTIVE-NO-TM",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message='Văn bản của tập thể lãnh đạo (cấp ủy, ủy ban kiểm tra, hội đồng, đại hội) ký không có "T/M".',
    hint='Văn bản của đại hội, cấp ủy, ủy ban kiểm tra, hội đồng đề ký "T/M <tên tập thể>" trên dòng chức vụ, ví dụ '
    '"T/M BAN THƯỜNG VỤ / BÍ THƯ".',
    tags=["V"],
)
def collective_without_tm(ctx: CheckContext) -> list[Hit]:
    signing, t = ctx.signing, ctx.doc_type
    if signing is None or ctx.issuer.kind not in signing.collective:
        return []
    if t is not None and t.key == "BB":
        return []  # a biên bản is signed by the minutes-taker and the chair (AUTH-MINUTES-SIGNING)
    title = upper(ctx.fields.signer_title)
    if not title and not (ctx.fields.signer_name or "").strip():
        return []  # no signature read: nothing to judge
    sig = ctx.signature
    if sig is not None and sig.prefix is not None:
        return []  # K/T is AUTH-SIGN-KT-COLLECTIVE's, T/L a delegation
    if " KIÊM " in f" {title} ":
        return []  # a body without its own seal signs under its members' titles (05-HD I.7.1.4 đ)
    if t is not None and t.key == "BC" and CONGRESS_REPORT.search(ctx.fields.summary or ""):
        return []  # the outgoing cấp ủy's reports to its congress are signed by the bí thư (05-HD I.7.1.4 b(v))
    return [Hit(location=ctx.location("signer_title") or ctx.location("signer_name"), detail=f'ký "{title or "…"}"')]


# ---- Tên cơ quan ban hành: the directly superior body's line ------------------------------------------------

UNDER_SUPERIOR: Final = re.compile(r"^(ĐẢNG ỦY (XÃ|PHƯỜNG|ĐẶC KHU|BỘ PHẬN) |CHI BỘ )")
ORGAN_OF_COMMITTEE: Final = re.compile(r"^(BAN |VĂN PHÒNG|ỦY BAN KIỂM TRA|TIỂU BAN|HỘI ĐỒNG|TRƯỜNG CHÍNH TRỊ)")
BODY_OF_PROVINCE: Final = re.compile(r"^(BAN THƯỜNG VỤ|BAN CHẤP HÀNH ĐẢNG BỘ) (TỈNH|THÀNH)")


@rule(
    rule_id="HD05-07",
    on_scan="skip",  # the small parent line is the one OCR most often loses
    note="Quy định mới của 05-HD về tên cơ quan ban hành [V-copy]: cảnh báo.",
    code="FMT-ISSUER-MISSING",
    severity=W,
    clause="05-HD/VPTW mục I.2.1.2–2.1.3",
    message="Tên cơ quan ban hành không ghi đủ theo Hướng dẫn 05-HD/VPTW.",
    hint="Đảng ủy xã, phường, đặc khu, đảng ủy cơ sở và chi bộ ghi tên đảng bộ cấp trên trực tiếp rồi tên đảng ủy "
    '("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI / ĐẢNG ỦY PHƯỜNG BA ĐÌNH"); cơ quan tham mưu ghi tên cấp ủy rồi tên cơ quan '
    '("ĐẢNG ỦY ĐẶC KHU TRƯỜNG SA / BAN TỔ CHỨC"); văn bản của ban chấp hành, ban thường vụ tỉnh ủy ghi "TỈNH ỦY …".',
    tags=["V-copy"],
    guides=[HD05],
)
def issuer_header_05(ctx: CheckContext) -> list[Hit]:
    issuer = upper(ctx.fields.issuer)
    parent = upper(ctx.fields.parent_issuer)
    if not issuer:
        return []
    loc = ctx.location("issuer")
    if BODY_OF_PROVINCE.match(issuer):
        return [Hit(location=loc, detail=f'ghi "{issuer}" thay cho tên tỉnh ủy, thành ủy')]
    if parent:
        return []
    if UNDER_SUPERIOR.match(issuer):
        return [Hit(location=loc, detail=f'"{issuer}" thiếu tên đảng bộ cấp trên trực tiếp')]
    if ORGAN_OF_COMMITTEE.match(issuer) and not re.search(r"\b(TRUNG ƯƠNG|TỈNH ỦY|THÀNH ỦY|ĐẢNG ỦY)\b", issuer):
        return [Hit(location=loc, detail=f'"{issuer}" thiếu tên cấp ủy mà cơ quan trực thuộc')]
    return []
