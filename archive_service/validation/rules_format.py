"""Format checks (thể thức): Hướng dẫn 36-HD/VPTW for Party documents, Nghị định 30/2020/NĐ-CP for state ones.

Each rule names the error ID of ``shared/domain/format-rules.md`` §6 (E01–E60) and its clause. Severity
follows the provenance tag of the rule's source: [V]/[V-ex] → error, [S]/[M] → warning, layout advice → info.
The wording here is 36-HD/VPTW's; how a rule reads under 05-HD/VPTW (from 27/05/2026) is in
``tables/guide_05.yaml``, and what 05-HD changed or added is in ``rules_components.py``. Typography rules
(``hd36_layout``) are lenient only before 03/4/2018 (11-HD/VPTW, not read).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Final

from archive_service.validation.context import (
    PARTY_NUMBER_RE,
    PARTY_TITLE,
    QUOC_HIEU,
    STATE_NUMBER_RE,
    CheckContext,
    corrected_number,
    near,
    upper,
)
from archive_service.validation.layout import size_in
from archive_service.validation.registry import Hit, Scope, rule
from archive_service.validation.tables import severity_is_error
from indexers.textnorm import canonical, fold
from schemas.findings import Location, Severity
from schemas.parsed import Region, TextLine

E: Final = Severity.ERROR
W: Final = Severity.WARNING
HEADER_LINES: Final = 20  # the first-page header lies within the first lines in reading order

DATE_LENIENT: Final = re.compile(
    r"^(?P<place>[^,\d][^,]*),\s*ngày\s*(?P<d>\d{1,2})?\s+tháng\s*(?P<m>\d{1,2})?\s+năm\s+(?P<y>\d{4})\s*$"
)


def _is_upper(line: TextLine) -> bool:
    text = line.rendered_text
    return text == text.upper()


def _fmt_size(size: float | None) -> str:
    return "?" if size is None else f"{size:g}"


# ---- C1 Tiêu đề ----------------------------------------------------------------------------------


@rule(
    rule_id="E01",
    code="FMT-TITLE-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.1; 66-QĐ/TW Điều 15",
    message='Thiếu tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" ở đầu trang thứ nhất.',
    hint='Trình bày tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" ở góc phải, dòng đầu trang thứ nhất (ô số 1).',
    tags=["V"],
)
def title_missing(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.title:
        return []
    if ctx.find_lines(re.compile(r"^\s*ĐẢNG CỘNG SẢN VIỆT NAM\s*$"), limit=HEADER_LINES):
        return []
    return [Hit()]


@rule(
    rule_id="E02",
    code="FMT-TITLE-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.1; Phụ lục 3 dòng 1",
    message='Tiêu đề không đúng nguyên văn "ĐẢNG CỘNG SẢN VIỆT NAM".',
    hint='Viết đúng, đủ, in hoa: "ĐẢNG CỘNG SẢN VIỆT NAM"; không viết tắt, không thêm chữ.',
    tags=["V"],
)
def title_wrong_text(ctx: CheckContext) -> list[Hit]:
    title = ctx.fields.title
    if not title:
        return []
    text = canonical(title)
    if text == PARTY_TITLE or QUOC_HIEU.search(text.upper()):
        return []
    if ctx.parsed is not None and ctx.parsed.ocr and text.isupper() and near(fold(text), fold(PARTY_TITLE), 2):
        return []  # "ĐÁNG CỘNG SẢN…": an OCR slip on a scan, not a wrongly written title
    return [Hit(location=ctx.location("title"), detail=f'đọc được: "{text}"')]


@rule(
    rule_id="E03",
    on_scan="skip",
    code="FMT-TITLE-STYLE",
    severity=E,
    clause="36-HD/VPTW Phụ lục 3 dòng 1",
    message='Tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" không trình bày chữ in hoa, cỡ 15, đứng, đậm.',
    hint="Định dạng tiêu đề: chữ in hoa, cỡ chữ 15, kiểu đứng, đậm.",
    tags=["V"],
    needs_layout=True,
    hd36_layout=True,
)
def title_style(ctx: CheckContext) -> list[Hit]:
    line = ctx.line_of("title")
    if line is None:
        found = ctx.find_lines(re.compile(r"^\s*ĐẢNG CỘNG SẢN VIỆT NAM\s*$", re.IGNORECASE), limit=HEADER_LINES)
        line = found[0] if found else None
    if line is None or not line.runs:
        return []
    faults = []
    if not _is_upper(line):
        faults.append("không in hoa")
    if not line.bold:
        faults.append("không đậm")
    if line.italic:
        faults.append("in nghiêng")
    if not size_in(line.size_pt, 15, 15):
        faults.append(f"cỡ {_fmt_size(line.size_pt)}")
    if not faults:
        return []
    return [Hit(location=ctx.location_of_line(line), detail=", ".join(faults))]


def _letters(text: str) -> str:
    """Folded, punctuation dropped: how a header line is compared across encodings and OCR slips."""
    return " ".join(re.sub(r"[^\w ]", " ", fold(text)).split())


PARTY_TITLE_LETTERS: Final = "dang cong san viet nam"
STATE_LINES_LETTERS: Final = ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc")


def _same_line(ctx: CheckContext, letters: str, wanted: str) -> bool:
    if letters == wanted:
        return True
    return ctx.parsed is not None and ctx.parsed.ocr and near(letters, wanted, 2)


@rule(
    rule_id="E05",
    code="FMT-MIXED-PROFILE",
    severity=E,
    clause="36-HD/VPTW mục II.1.1; NĐ 30/2020/NĐ-CP Phụ lục I",
    message="Văn bản vừa có tiêu đề của Đảng vừa có Quốc hiệu hoặc Tiêu ngữ của văn bản nhà nước.",
    hint='Văn bản của Đảng chỉ có tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM"; bỏ Quốc hiệu và Tiêu ngữ '
    '"Độc lập - Tự do - Hạnh phúc" (hoặc ngược lại với văn bản nhà nước).',
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Điều 8 khoản 1; Phụ lục I mục II.1",
    state_message='Văn bản hành chính nhà nước vừa có Quốc hiệu, Tiêu ngữ vừa có tiêu đề "ĐẢNG CỘNG SẢN VIỆT NAM" '
    "của văn bản của Đảng.",
    state_hint='Văn bản hành chính nhà nước chỉ trình bày Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" và '
    'Tiêu ngữ "Độc lập - Tự do - Hạnh phúc"; bỏ tiêu đề của Đảng (văn bản của Đảng thì ngược lại).',
)
def mixed_profile(ctx: CheckContext) -> list[Hit]:
    lines = ctx.parsed.lines[:HEADER_LINES] if ctx.parsed else []
    # Header lines are short: a long line is body text, not a title or a motto.
    candidates = [
        (ctx.fields.title or "", None),
        *((ln.rendered_text, ln) for ln in lines if len(ln.text) < 60),
    ]
    texts = [(canonical(t), _letters(t), ln) for t, ln in candidates if t.strip()]
    has_party = any(_same_line(ctx, letters, PARTY_TITLE_LETTERS) for _, letters, _ in texts)
    state = [(t, ln) for t, letters, ln in texts if any(_same_line(ctx, letters, w) for w in STATE_LINES_LETTERS)]
    if not (has_party and state):
        return []
    located = [ln for _, ln in state if ln is not None]
    loc = ctx.location_of_line(located[0]) if located else ctx.location("title")
    return [Hit(location=loc, detail=f'thấy: "{state[0][0]}"')]


# ---- C2 Tên cơ quan ban hành, dấu sao --------------------------------------------------------------


@rule(
    rule_id="E06",
    code="FMT-ISSUER-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.2; 66-QĐ/TW Điều 15",
    message="Thiếu tên cơ quan ban hành văn bản.",
    hint="Ghi chính xác, đầy đủ tên cơ quan ban hành (in hoa, đậm) ở góc trái, dưới tên cơ quan cấp trên "
    "trực tiếp nếu có.",
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Điều 8 khoản 2; Phụ lục I mục II.2",
    state_hint="Ghi tên cơ quan, tổ chức ban hành (in hoa, đậm) ở góc trái, dưới tên cơ quan chủ quản nếu có; "
    "bên dưới có đường kẻ ngang.",
)
def issuer_missing(ctx: CheckContext) -> list[Hit]:
    return [] if (ctx.fields.issuer or "").strip() else [Hit()]


RULE_TEXT: Final = re.compile(r"^\s*[_\-–—]{4,}\s*$")


def _issuer_line_has_rule(ctx: CheckContext) -> TextLine | None:
    """The state-style rule under the issuer: a bottom border, or a line of "____" typed under it."""
    line = ctx.line_of("issuer")
    if line is None:
        return None
    if line.has_bottom_border:
        return line
    for nxt in (ctx.line_at(line.index + 1), ctx.line_at(line.index + 2)):
        if nxt is not None and RULE_TEXT.match(nxt.rendered_text) and (nxt.cell is None or nxt.cell == line.cell):
            return nxt
    return None


def _star_line_present(ctx: CheckContext) -> bool:
    return bool(ctx.find_lines(re.compile(r"^\s*\*\s*$"), limit=HEADER_LINES))


@rule(
    rule_id="E07",
    # Tesseract does not read a lone "*" at 200 dpi: on the scanned corpus it was "missing" on every page.
    on_scan="skip",
    code="FMT-STAR-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.2",
    message='Thiếu dấu sao "*" dưới tên cơ quan ban hành.',
    hint='Trình bày một dấu "*" ở dòng riêng, căn giữa dưới tên cơ quan ban hành.',
    tags=["V-ex"],
)
def star_missing(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.star or not ctx.fields.issuer or _star_line_present(ctx) or _issuer_line_has_rule(ctx):
        return []
    return [Hit(location=ctx.location("issuer"))]


@rule(
    rule_id="E08",
    on_scan="skip",
    code="FMT-STAR-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.2",
    message='Dưới tên cơ quan ban hành có đường kẻ kiểu văn bản nhà nước thay cho dấu sao "*".',
    hint='Bỏ đường kẻ dưới tên cơ quan ban hành và thay bằng dấu "*" căn giữa.',
    tags=["V-ex"],
    needs_layout=True,
)
def star_replaced_by_rule(ctx: CheckContext) -> list[Hit]:
    line = _issuer_line_has_rule(ctx)
    if line is None or ctx.fields.star or _star_line_present(ctx):
        return []
    return [Hit(location=ctx.location_of_line(line))]


# ---- C3 Số và ký hiệu -------------------------------------------------------------------------------


def _numbered_type(ctx: CheckContext) -> bool:
    """Types that carry no số (cương lĩnh, điều lệ, tuyên bố, lời kêu gọi, giấy tờ without a symbol)."""
    t = ctx.doc_type
    return t is None or bool(t.abbr) or t.untitled


@rule(
    rule_id="E10",
    code="FMT-NUMBER-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.3; 66-QĐ/TW Điều 15",
    message="Thiếu số và ký hiệu văn bản.",
    hint='Ghi "Số <số>-<ký hiệu loại>/<ký hiệu cơ quan>" dưới tên cơ quan ban hành, ví dụ "Số 05-NQ/TU".',
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Điều 8 khoản 3; Phụ lục I mục II.3",
    state_hint='Ghi "Số: <số>/<ký hiệu>" dưới tên cơ quan ban hành, ví dụ "Số: 12/QĐ-UBND"; công văn: "Số: '
    '120/UBND-VP".',
)
def number_missing(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.number_blank or _raw_number_line(ctx) is not None or not _numbered_type(ctx):
        return []  # left blank for the e-signature stamp: READ-UNCERTAIN (engine), not missing
    return [Hit()]


# A header line written as a number line even when the extractor could not read it as one ("Số 12–NQ/TU").
LOOSE_NUMBER: Final = re.compile(r"^Số\s*:?\s*\d*\s*[^\s/]*\s*/\s*\S+")


def _raw_number_line(ctx: CheckContext) -> tuple[str, Location | None] | None:
    """The number line as written: the extracted one, else a header line that looks like a malformed one."""
    if (ctx.fields.number_line or "").strip():
        return canonical(ctx.fields.number_line or ""), ctx.location("number_line")
    for ln in ctx.parsed.lines[:HEADER_LINES] if ctx.parsed is not None else []:
        text = canonical(ln.rendered_text)
        if len(text) < 40 and LOOSE_NUMBER.match(text):
            return text, ctx.location_of_line(ln)
    return None


def _state_order_parts(raw: str) -> dict[str, str] | None:
    """ "Số: 12/NQ-TU" read in the state order: the Party parts it stands for."""
    m = STATE_NUMBER_RE.match(raw)
    if m is None:
        return None
    kind, _, issuer = m.group("kh").partition("-")
    return {"so": m.group("so").strip(), "loai": kind, "cq": issuer}


@rule(
    rule_id="E11",
    code="FMT-NUMBER-COLON",
    severity=E,
    clause="36-HD/VPTW mục II.1.3",
    message='Văn bản của Đảng ghi dấu hai chấm sau chữ "Số".',
    hint='Bỏ dấu hai chấm: "Số 127-QĐ/TW", không phải "Số: 127-QĐ/TW".',
    tags=["V", "V-ex"],
)
def number_colon_party(ctx: CheckContext) -> list[Hit]:
    line = canonical(ctx.fields.number_line or "")
    if not re.match(r"^Số\s*:", line):
        return []
    fixed = re.sub(r"^Số\s*:\s*", "Số ", line)
    return [Hit(location=ctx.location("number_line"), hint=f'Bỏ dấu hai chấm sau chữ "Số": ghi "{fixed}".')]


@rule(
    rule_id="E12",
    code="FMT-NUMBER-COLON",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.3",
    message='Văn bản hành chính nhà nước thiếu dấu hai chấm sau chữ "Số".',
    hint='Ghi "Số: 12/QĐ-UBND" (có dấu hai chấm).',
    tags=["V"],
    profile=Scope.STATE,
)
def number_colon_state(ctx: CheckContext) -> list[Hit]:
    line = canonical(ctx.fields.number_line or "")
    if not line or re.match(r"^Số\s*:", line) or not line.startswith("Số"):
        return []
    return [Hit(location=ctx.location("number_line"))]


@rule(
    rule_id="E13",
    code="FMT-NUMBER-SYNTAX",
    severity=E,
    clause="36-HD/VPTW mục II.1.3",
    message='Số và ký hiệu không đúng dạng "Số <số>-<ký hiệu loại>/<ký hiệu cơ quan>".',
    hint='Viết "Số 12-NQ/TU": nối số với ký hiệu loại bằng "-", ký hiệu loại với ký hiệu cơ quan bằng "/".',
    tags=["V", "V-ex"],
)
def number_syntax(ctx: CheckContext) -> list[Hit]:
    found = _raw_number_line(ctx)
    if found is None:
        return []
    raw, loc = found
    line = re.sub(r"^Số\s*:\s*", "Số ", raw)  # the colon is E11's
    if PARTY_NUMBER_RE.match(line):
        return []
    state = _state_order_parts(line)
    if state is not None:
        fixed = corrected_number(ctx, **state)
        return [
            Hit(
                location=loc,
                detail="đang viết theo thứ tự của văn bản nhà nước (số/loại-cơ quan)",
                hint=f'Viết theo thứ tự của văn bản của Đảng: "{fixed}".',
            )
        ]
    return [Hit(location=loc, detail=f'đọc được: "{raw}"')]


def _number_without_zero(ctx: CheckContext) -> list[Hit]:
    parts = ctx.number_parts
    so = parts["so"] if parts else (ctx.fields.number or "").strip()
    if so.isdigit() and len(so) == 1 and so != "0":
        fixed = corrected_number(ctx) if ctx.party else f"Số: 0{so}/…"
        if not ctx.party and ctx.number_parts is not None:
            fixed = re.sub(r"^(Số:?\s*)\d\b", rf"\g<1>0{so}", canonical(ctx.fields.number_line or ""))
        return [
            Hit(
                location=ctx.location("number_line"),
                detail=f'số "{so}" cần viết "0{so}"',
                hint=f'Ghi số nhỏ hơn 10 có số 0 đứng trước: "{fixed}".',
            )
        ]
    return []


@rule(
    rule_id="E14",
    note="Quy tắc số 0 đứng trước trong văn bản của Đảng chỉ có từ nguồn thứ cấp [S] (ví dụ 09-QC/TW): cảnh báo.",
    code="FMT-NUMBER-LEADING-ZERO",
    severity=W,
    clause="36-HD/VPTW mục II.1.3",
    message="Số văn bản từ 1 đến 9 không có số 0 đứng trước.",
    hint="Ghi số nhỏ hơn 10 có số 0 đứng trước: 01, 02, …, 09.",
    tags=["S"],
)
def number_leading_zero_party(ctx: CheckContext) -> list[Hit]:
    return _number_without_zero(ctx)


@rule(
    rule_id="E14-state",
    code="FMT-NUMBER-LEADING-ZERO",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.3",
    message="Số văn bản từ 1 đến 9 không có số 0 đứng trước.",
    hint="Ghi số nhỏ hơn 10 có số 0 đứng trước: 01, 02, …, 09.",
    tags=["V"],
    profile=Scope.STATE,
)
def number_leading_zero_state(ctx: CheckContext) -> list[Hit]:
    return _number_without_zero(ctx)


@rule(
    rule_id="E15",
    note="Ký hiệu loại chỉ được chấp nhận tạm (QĐi theo 399-QĐ/TW, CTHĐ) là cảnh báo; các ký hiệu loại "
    "[S] cũng chỉ cảnh báo.",
    code="FMT-TYPE-ABBR-MISMATCH",
    severity=E,
    clause="36-HD/VPTW mục II.1.3; NĐ 30/2020/NĐ-CP Phụ lục III",
    message="Ký hiệu loại văn bản trong số và ký hiệu không khớp với tên loại văn bản.",
    hint="Dùng đúng chữ viết tắt của tên loại (NGHỊ QUYẾT → NQ, KẾ HOẠCH → KH, QUYẾT ĐỊNH → QĐ, "
    "CHƯƠNG TRÌNH → CTr…); phân biệt chữ hoa, chữ thường.",
    tags=["V-ex", "S"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục III; Phụ lục I mục II.3",
    state_hint="Dùng đúng chữ viết tắt tên loại theo Phụ lục III NĐ 30/2020 (QUYẾT ĐỊNH → QĐ, QUY ĐỊNH → QyĐ, "
    "KẾ HOẠCH → KH, TỜ TRÌNH → TTr…); phân biệt chữ hoa, chữ thường.",
)
def type_abbr_mismatch(ctx: CheckContext) -> list[Hit]:
    t = ctx.doc_type
    code = ctx.type_code
    if t is None or not code or (not t.abbr and not t.tolerated):
        return []
    if not upper(ctx.fields.document_type) and not t.untitled:
        return []
    if code in t.abbr:
        return []
    loc = ctx.location("number_line")
    expected = " hoặc ".join(t.abbr) or "(không có)"
    if code in t.tolerated:
        return [
            Hit(
                location=loc,
                detail=f'"{code}" chỉ được chấp nhận tạm cho {t.name}; ký hiệu chuẩn: {expected}',
                severity=W,
            )
        ]
    table = ctx.doc_types
    if table is None or not table.known_abbr(code):
        return []  # an unknown abbreviation is FMT-TYPE-ABBR-UNKNOWN's
    severity = W if not severity_is_error(t.tag) or (t.changed and code in t.repealed) else E
    detail = f'{t.name} phải là "{expected}", đang ghi "{code}"'
    if code in t.repealed:
        detail += " (ký hiệu đã bãi bỏ từ 27/05/2026)"
    fixed = corrected_number(ctx, loai=t.abbr[0]) if ctx.party and t.abbr else None
    hint = f'Ghi "{fixed}".' if fixed else None
    return [Hit(location=loc, detail=detail, severity=severity, hint=hint)]


@rule(
    rule_id="E16",
    note="Danh mục chữ viết tắt của HD 36 chưa đọc được nguyên văn: ký hiệu lạ là cảnh báo; ký hiệu "
    "của hệ thống văn bản kia là lỗi.",
    code="FMT-TYPE-ABBR-UNKNOWN",
    severity=E,
    clause="36-HD/VPTW mục II.1.3; NĐ 30/2020/NĐ-CP Phụ lục III",
    message="Ký hiệu loại văn bản không có trong danh mục của hệ thống văn bản này.",
    hint="Dùng chữ viết tắt tên loại của văn bản của Đảng (NQ, QĐ, CT, KL, QC, TT, HD, TB, BC, KH, CTr, ĐA, "
    "PA, TTr, CV, BB…) hoặc của NĐ 30/2020 đối với văn bản nhà nước.",
    tags=["V", "S"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục III; Phụ lục I mục II.3",
    state_hint="Dùng chữ viết tắt tên loại văn bản hành chính theo Phụ lục III NĐ 30/2020 (NQ, QĐ, CT, QC, QyĐ, "
    "TB, HD, KH, BC, TTr…); công văn không có ký hiệu loại.",
)
def type_abbr_unknown(ctx: CheckContext) -> list[Hit]:
    table = ctx.doc_types
    code = ctx.type_code
    if table is None or not code or table.known_abbr(code):
        return []
    if not ctx.party and not upper(ctx.fields.document_type):
        return []  # a state công văn has no type abbreviation: the first group is the issuer
    loc = ctx.location("number_line")
    if code in table.other_profile_abbr:
        other = "văn bản nhà nước" if ctx.party else "văn bản của Đảng"
        return [Hit(location=loc, detail=f'"{code}" là ký hiệu của {other}')]
    # The Party allow-list was compiled from practice (the HD 36 list itself was not read): warning only.
    return [Hit(location=loc, detail=f'"{code}" không có trong danh mục đã biết', severity=W)]


# ---- C4 Địa danh và ngày tháng năm ------------------------------------------------------------------


@rule(
    rule_id="E23",
    code="FMT-DATE-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.4; 66-QĐ/TW Điều 15",
    message="Thiếu địa danh và ngày, tháng, năm ban hành văn bản.",
    hint='Ghi "<Địa danh>, ngày DD tháng M năm YYYY" ở góc phải, dưới tiêu đề.',
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Điều 8 khoản 4; Phụ lục I mục II.4",
    state_hint='Ghi "<Địa danh>, ngày DD tháng MM năm YYYY" dưới Quốc hiệu và Tiêu ngữ, ví dụ "Thanh Hóa, ngày '
    '05 tháng 01 năm 2025".',
)
def date_missing(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.date_blank:
        return []  # day or month left blank for the e-signature stamp: READ-UNCERTAIN (engine), not missing
    return [] if _raw_date_line(ctx) else [Hit()]


# A header line that is meant as the place-and-date line even when the extractor could not read it as one.
LOOSE_DATE: Final = re.compile(
    r"^[^,\d][^,]{1,40},\s*(ngày\b.*\b(19|20)\d{2}|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(19|20)?\d{2})\s*\.?$"
)


GLUED_DIGIT: Final = re.compile(r"(\d)(?=(?:tháng|năm)\b)")


def _raw_date_line(ctx: CheckContext) -> tuple[str, Location | None] | None:
    """The date line as written: the extracted one, else a header line that looks like a malformed date."""
    if (ctx.fields.date_line or "").strip():
        text = canonical(ctx.fields.date_line or "")
        line = ctx.line_of("date_line")
        if line is not None and re.search(r"\bnăm$", text):
            # A date line wrapped before its year (narrow column, wide font): read the year on the next line.
            nxt = ctx.line_at(line.index + 1)
            if nxt is not None and re.match(r"^\d{4}$", canonical(nxt.rendered_text)):
                text = f"{text} {canonical(nxt.rendered_text)}"
        if _is_pdf(ctx):
            # A day stamped at signing is a separate string in the PDF: its text loses the space before "tháng".
            text = GLUED_DIGIT.sub(r"\1 ", text)
        return text, ctx.location("date_line")
    if ctx.parsed is None:
        return None
    for ln in ctx.parsed.lines[:HEADER_LINES]:
        text = canonical(ln.rendered_text)
        if LOOSE_DATE.match(text):
            return text, ctx.location_of_line(ln)
    return None


def _date_match(ctx: CheckContext) -> re.Match[str] | None:
    raw = _raw_date_line(ctx)
    return DATE_LENIENT.match(raw[0]) if raw is not None else None


@rule(
    rule_id="E24",
    code="FMT-DATE-SYNTAX",
    severity=E,
    clause="36-HD/VPTW mục II.1.4; NĐ 30/2020/NĐ-CP Phụ lục I",
    message='Địa danh và ngày tháng không đúng dạng "<Địa danh>, ngày DD tháng M năm YYYY".',
    hint='Viết đầy đủ chữ "ngày", "tháng", "năm", có dấu phẩy sau địa danh, không viết ngày kiểu số "05/3/2026".',
    tags=["V-ex", "V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.4",
)
def date_syntax(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.date_blank:
        return []  # ".........., ngày .... tháng ....": a template left for the stamp, not a malformed date
    raw = _raw_date_line(ctx)
    if raw is None or DATE_LENIENT.match(raw[0]):
        return []
    return [Hit(location=raw[1], detail=f'đọc được: "{raw[0]}"')]


@rule(
    rule_id="E25",
    code="FMT-DATE-LEADING-ZERO",
    severity=E,
    clause="36-HD/VPTW mục II.1.4; NĐ 30/2020/NĐ-CP Phụ lục I",
    message="Ngày từ 1 đến 9 không có số 0 đứng trước.",
    hint='Ghi ngày nhỏ hơn 10 có số 0 đứng trước: "ngày 05".',
    tags=["V-ex", "V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.4",
)
def date_day_zero(ctx: CheckContext) -> list[Hit]:
    m = _date_match(ctx)
    d = m.group("d") if m else None
    if d and len(d) == 1 and d != "0":
        return [Hit(location=ctx.location("date_line"), detail=f'"ngày {d}" cần viết "ngày 0{d}"')]
    return []


@rule(
    rule_id="E26",
    code="FMT-DATE-LEADING-ZERO",
    severity=E,
    clause="36-HD/VPTW mục II.1.4; NĐ 30/2020/NĐ-CP Phụ lục I",
    message="Tháng 1 hoặc tháng 2 không có số 0 đứng trước.",
    hint='Ghi "tháng 01", "tháng 02".',
    tags=["V-ex", "V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.4",
)
def date_month_zero(ctx: CheckContext) -> list[Hit]:
    m = _date_match(ctx)
    month = m.group("m") if m else None
    if month in ("1", "2"):
        return [Hit(location=ctx.location("date_line"), detail=f'"tháng {month}" cần viết "tháng 0{month}"')]
    return []


@rule(
    rule_id="E27",
    note='"tháng 03" trái mẫu "tháng 4" của HD 36 [V-ex] nhưng văn bản HD 11/2004 dùng "tháng 05": '
    "cảnh báo, và chỉ từ 03/4/2018.",
    since=date(2018, 4, 3),
    code="FMT-DATE-LEADING-ZERO",
    severity=W,
    clause='36-HD/VPTW mục II.1.4 (mẫu "tháng 4")',
    message="Tháng từ 3 đến 9 có số 0 đứng trước.",
    hint='Chỉ tháng 01 và 02 có số 0: viết "tháng 4", không viết "tháng 04".',
    tags=["V-ex", "S"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.4 (chỉ tháng 1, 2 có số 0 đứng trước)",
)
def date_month_extra_zero(ctx: CheckContext) -> list[Hit]:
    m = _date_match(ctx)
    month = m.group("m") if m else None
    if month is not None and len(month) == 2 and month.startswith("0") and month[1] in "3456789":
        return [Hit(location=ctx.location("date_line"), detail=f'"tháng {month}" cần viết "tháng {month[1]}"')]
    return []


@rule(
    rule_id="E28",
    code="FMT-DATE-INVALID",
    severity=E,
    clause="36-HD/VPTW mục II.1.4",
    message="Ngày ban hành không có thật hoặc ở tương lai.",
    hint="Kiểm tra lại ngày, tháng, năm ban hành.",
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.4",
)
def date_invalid(ctx: CheckContext) -> list[Hit]:
    loc = ctx.location("date_line")
    m = _date_match(ctx)
    if m and m.group("d") and m.group("m"):
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1]):
            return [Hit(location=loc, detail=f"không có ngày {d:02d}/{mo:02d}/{y}")]
        written: date | None = date(y, mo, d)
    else:
        written = None
    issued = ctx.fields.issued_on or written
    if issued is not None and issued > ctx.today:
        return [Hit(location=loc, detail=f"ngày {issued:%d/%m/%Y} sau ngày kiểm tra {ctx.today:%d/%m/%Y}")]
    return []


@rule(
    rule_id="E29",
    on_scan="skip",
    code="FMT-DATE-STYLE",
    severity=E,
    clause="36-HD/VPTW Phụ lục 3 dòng 4",
    message="Dòng địa danh và ngày tháng không trình bày chữ in thường, cỡ 14, nghiêng.",
    hint="Định dạng dòng địa danh, ngày tháng: cỡ chữ 14, kiểu nghiêng.",
    tags=["V"],
    needs_layout=True,
    hd36_layout=True,
)
def date_style(ctx: CheckContext) -> list[Hit]:
    line = ctx.line_of("date_line")
    if line is None or not line.runs:
        return []
    faults = []
    if not line.italic:
        faults.append("không nghiêng")
    if not size_in(line.size_pt, 14, 14):
        faults.append(f"cỡ {_fmt_size(line.size_pt)}")
    return [Hit(location=ctx.location_of_line(line), detail=", ".join(faults))] if faults else []


# ---- C5 Tên loại -------------------------------------------------------------------------------------


@rule(
    rule_id="E30",
    on_scan="skip",
    code="FMT-TYPE-NAME-STYLE",
    severity=E,
    clause="36-HD/VPTW Phụ lục 3 dòng 5a",
    message="Tên loại văn bản không trình bày chữ in hoa, cỡ 15–16, đứng, đậm.",
    hint="Định dạng tên loại: chữ in hoa, cỡ 15 hoặc 16, kiểu đứng, đậm, căn giữa.",
    tags=["V"],
    needs_layout=True,
    hd36_layout=True,
)
def type_name_style(ctx: CheckContext) -> list[Hit]:
    line = ctx.line_of("document_type")
    if line is None or not line.runs or (ctx.doc_type is not None and ctx.doc_type.untitled):
        return []  # a công văn prints no tên loại
    if upper(line.rendered_text) != upper(ctx.fields.document_type):
        return []  # the location does not point at a printed tên loại
    faults = []
    if not _is_upper(line):
        faults.append("không in hoa")
    if not line.bold:
        faults.append("không đậm")
    if line.italic:
        faults.append("in nghiêng")
    if not size_in(line.size_pt, 15, 16):
        faults.append(f"cỡ {_fmt_size(line.size_pt)}")
    return [Hit(location=ctx.location_of_line(line), detail=", ".join(faults))] if faults else []


# ---- Font, body size -----------------------------------------------------------------------------------

LEGACY_FONT: Final = re.compile(r"^(\.?vn|vni[- ]|vn[- ]|abc)", re.IGNORECASE)
# Characters TCVN3 (ABC) text shows when read as Unicode: ® for đ, © for â, ª for ê, « for ô, ¬ for ơ…
TCVN3_MARKS: Final = frozenset("®©ª«¬¨§¸µ¶·¹¦")
LETTER: Final = re.compile(r"[^\W\d_]")


def _legacy_hits(ctx: CheckContext) -> list[Hit]:
    if ctx.parsed is None:
        return []
    for line in ctx.parsed.lines:
        for run in line.runs:
            if run.font and LEGACY_FONT.match(run.font) and run.text.strip():
                return [Hit(location=ctx.location_of_line(line), detail=f'phông "{run.font}"')]
    text = ctx.parsed.text
    marks = sum(text.count(ch) for ch in TCVN3_MARKS)
    letters = len(LETTER.findall(text)) or 1
    if marks >= 3 and marks / letters > 0.01:
        first = next(ln for ln in ctx.parsed.lines if any(ch in TCVN3_MARKS for ch in ln.rendered_text))
        return [Hit(location=ctx.location_of_line(first), detail="văn bản mã TCVN3/ABC")]
    return []


@rule(
    rule_id="E33-legacy",
    on_scan="skip",
    code="FMT-FONT",
    severity=E,
    clause="36-HD/VPTW mục II.3 (bộ mã TCVN 6909:2001); NĐ 30/2020/NĐ-CP Phụ lục I",
    message="Văn bản dùng phông chữ hoặc bảng mã cũ (TCVN3/VNI), không phải Unicode TCVN 6909:2001.",
    hint="Chuyển toàn văn sang Unicode (dùng công cụ chuyển mã) và phông Times New Roman.",
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục I.3 (phông Unicode TCVN 6909:2001)",
    needs_layout=True,
)
def legacy_font(ctx: CheckContext) -> list[Hit]:
    return _legacy_hits(ctx)


TNR_CLONES: Final = frozenset(
    {
        "times new roman",
        "times",
        "times new roman ps",
        "liberation serif",
        "tinos",
        "nimbus roman",
        "nimbus roman no9 l",
    }
)


def _is_pdf(ctx: CheckContext) -> bool:
    return ctx.parsed is not None and (ctx.parsed.media_type == "application/pdf" or ctx.parsed.ocr)


def _foreign_font(ctx: CheckContext) -> list[Hit]:
    if ctx.parsed is None or _legacy_hits(ctx):
        return []
    weights: dict[str, int] = {}
    first: dict[str, TextLine] = {}
    for line in ctx.parsed.lines:
        for run in line.runs:
            n = len(run.text.strip())
            if run.font and n:
                weights[run.font] = weights.get(run.font, 0) + n
                first.setdefault(run.font, line)
    total = sum(weights.values())
    # A PDF carries the font its converter embedded: a metric-compatible clone of Times New Roman means the
    # author's Times New Roman was substituted at conversion, not a different choice.
    accepted = TNR_CLONES if _is_pdf(ctx) else {"times new roman"}
    other = {f: n for f, n in weights.items() if fold(f) not in accepted}
    if not total or sum(other.values()) / total <= 0.05:
        return []
    font = max(other, key=lambda f: other[f])
    return [Hit(location=ctx.location_of_line(first[font]), detail=f'phông "{font}"')]


@rule(
    rule_id="E33",
    on_scan="skip",
    note="HD 36 quy định bộ mã Unicode TCVN 6909:2001 [V]; Times New Roman là phông của phần minh họa: "
    "phông khác là cảnh báo.",
    code="FMT-FONT",
    severity=W,
    clause="36-HD/VPTW mục II.3 (phông chữ minh họa Times New Roman)",
    message="Văn bản dùng phông chữ khác Times New Roman.",
    hint="Dùng phông Times New Roman (Unicode) cho toàn văn bản.",
    tags=["V", "S"],
    needs_layout=True,
)
def font_party(ctx: CheckContext) -> list[Hit]:
    # HD 36 prescribes the Unicode character set; Times New Roman is the font of its illustrations: warning.
    return _foreign_font(ctx)


@rule(
    rule_id="E33-state",
    on_scan="skip",
    code="FMT-FONT",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục I.3",
    message="Văn bản dùng phông chữ khác Times New Roman.",
    hint="Dùng phông Times New Roman (Unicode TCVN 6909:2001), màu đen.",
    tags=["V"],
    profile=Scope.STATE,
    needs_layout=True,
)
def font_state(ctx: CheckContext) -> list[Hit]:
    return _foreign_font(ctx)


def _body_lines(ctx: CheckContext) -> list[TextLine]:
    if ctx.parsed is None:
        return []
    header = ("title", "issuer", "number_line", "date_line", "document_type", "summary")
    starts = [loc.line for k, loc in ctx.fields.locations.items() if k in header and loc.line is not None]
    ends = [
        loc.line
        for k, loc in ctx.fields.locations.items()
        if k in ("signing_form", "recipients", "signer_title", "contact", "drafter_mark") and loc.line is not None
    ]
    start = max(starts) + 1 if starts else HEADER_LINES
    end = min(ends) if ends else len(ctx.parsed.lines)
    for ln in ctx.parsed.lines:
        if ln.index >= start and canonical(ln.rendered_text).startswith("Nơi nhận"):
            end = min(end, ln.index)
            break
    return [
        ln
        for ln in ctx.parsed.lines
        if start <= ln.index < end and ln.region == Region.BODY and len(ln.rendered_text.strip()) >= 20
    ]


def _body_size_hits(ctx: CheckContext, low: float, high: float) -> list[Hit]:
    lines = _body_lines(ctx)
    total = 0
    outside = 0
    first: TextLine | None = None
    sizes: dict[float, int] = {}
    for ln in lines:
        for run in ln.runs:
            n = len(run.text.strip())
            if run.size_pt is None or not n:
                continue
            total += n
            if not size_in(run.size_pt, low, high):
                outside += n
                sizes[run.size_pt] = sizes.get(run.size_pt, 0) + n
                first = first or ln
    if not total or outside / total <= 0.10 or first is None:
        return []
    main = max(sizes, key=lambda s: sizes[s])
    return [Hit(location=ctx.location_of_line(first), detail=f"{outside * 100 // total}% chữ cỡ {main:g}")]


@rule(
    rule_id="E34",
    on_scan="skip",
    code="FMT-BODY-SIZE",
    severity=E,
    clause="36-HD/VPTW Phụ lục 3 dòng 6",
    message="Cỡ chữ phần nội dung văn bản nằm ngoài khoảng 14–15.",
    hint="Định dạng nội dung văn bản cỡ chữ 14 hoặc 15.",
    tags=["V"],
    needs_layout=True,
    hd36_layout=True,
)
def body_size_party(ctx: CheckContext) -> list[Hit]:
    return _body_size_hits(ctx, 14, 15)


@rule(
    rule_id="E34-state",
    on_scan="skip",
    note="Cỡ chữ nội dung của NĐ 30 chưa đối chiếu [M]: cảnh báo.",
    code="FMT-BODY-SIZE",
    severity=W,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.6",
    message="Cỡ chữ phần nội dung văn bản nằm ngoài khoảng 13–14.",
    hint="Định dạng nội dung văn bản cỡ chữ 13 hoặc 14.",
    tags=["M"],
    profile=Scope.STATE,
    needs_layout=True,
)
def body_size_state(ctx: CheckContext) -> list[Hit]:
    return _body_size_hits(ctx, 13, 14)


# ---- Page -----------------------------------------------------------------------------------------------

ADMIN_PAPERS: Final = {
    "GIAYMOI",
    "GIAYGIOITHIEU",
    "GIAYCHUNGNHAN",
    "GIAYDIDUONG",
    "GIAYNGHIPHEP",
    "PHIEUCHUYEN",
}


def _is_paper(w: float, h: float, pw: float, ph: float, tol: float = 1.5) -> bool:
    return (abs(w - pw) <= tol and abs(h - ph) <= tol) or (abs(w - ph) <= tol and abs(h - pw) <= tol)


@rule(
    rule_id="E53",
    code="FMT-PAGE-SIZE",
    severity=E,
    clause="36-HD/VPTW mục II.3; NĐ 30/2020/NĐ-CP Phụ lục I mục I.2",
    message="Khổ giấy không phải A4 (210 × 297 mm).",
    hint="Đặt khổ giấy A4 (210 × 297 mm); giấy tờ hành chính có thể dùng A5.",
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục I.2",
    needs_layout=True,
)
def page_size(ctx: CheckContext) -> list[Hit]:
    setup = ctx.parsed.page_setup if ctx.parsed else None
    if setup is None or setup.width_mm is None or setup.height_mm is None:
        return []
    w, h = setup.width_mm, setup.height_mm
    if _is_paper(w, h, 210, 297):
        return []
    t = ctx.doc_type
    if t is not None and t.key in ADMIN_PAPERS and _is_paper(w, h, 148, 210):
        return []
    return [Hit(location=Location(page=1), detail=f"khổ {w:.0f} × {h:.0f} mm")]


_MARGINS: Final = (("top", "trên"), ("bottom", "dưới"), ("left", "trái"), ("right", "phải"))


def _margins(ctx: CheckContext) -> dict[str, float] | None:
    setup = ctx.parsed.page_setup if ctx.parsed else None
    if setup is None:
        return None
    values = {
        "top": setup.margin_top_mm,
        "bottom": setup.margin_bottom_mm,
        "left": setup.margin_left_mm,
        "right": setup.margin_right_mm,
    }
    return {k: v for k, v in values.items() if v is not None} or None


@rule(
    rule_id="E54",
    on_scan="skip",
    note="Lề 20/20/30/15 mm lấy từ tóm tắt thứ cấp của HD 36 [S]: cảnh báo; với PDF lề được ước lượng "
    "từ vị trí chữ nên chỉ lề hẹp hơn mới bị báo.",
    since=date(2018, 4, 3),
    code="FMT-MARGINS",
    severity=W,
    clause="36-HD/VPTW mục II.3 (lề trên 20, dưới 20, trái 30, phải 15 mm)",
    message="Lề trang khác chuẩn 20/20/30/15 mm (trên/dưới/trái/phải) của văn bản của Đảng.",
    hint="Đặt lề trên 20 mm, dưới 20 mm, trái 30 mm, phải 15 mm.",
    tags=["S"],
    needs_layout=True,
)
def margins_party(ctx: CheckContext) -> list[Hit]:
    # The figures come from secondary summaries of HD 36 [S]: a warning, however far off.
    values = _margins(ctx)
    if values is None:
        return []
    want = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
    if _is_pdf(ctx):
        # A PDF's margins are read from where its text lies: text may stop short of the margin, never cross
        # it, so only a margin narrower than prescribed is evidence.
        off = [f"{vi} {values[k]:.0f} mm" for k, vi in _MARGINS if k in values and values[k] < want[k] - 1.5]
    else:
        off = [f"{vi} {values[k]:.0f} mm" for k, vi in _MARGINS if k in values and abs(values[k] - want[k]) > 1.0]
    return [Hit(location=Location(page=1), detail=", ".join(off))] if off else []


@rule(
    rule_id="E55",
    on_scan="skip",
    code="FMT-MARGINS",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục I.4",
    message="Lề trang nằm ngoài khoảng quy định (trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm).",
    hint="Đặt lề trong các khoảng: trên 20–25, dưới 20–25, trái 30–35, phải 15–20 mm.",
    tags=["V"],
    profile=Scope.STATE,
    needs_layout=True,
)
def margins_state(ctx: CheckContext) -> list[Hit]:
    values = _margins(ctx)
    if values is None:
        return []
    ranges = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
    upper_bound_known = not _is_pdf(ctx)  # see margins_party: a PDF only shows margins that are too narrow
    off = [
        f"{vi} {values[k]:.0f} mm"
        for k, vi in _MARGINS
        if k in values and (values[k] < ranges[k][0] - 0.5 or (upper_bound_known and values[k] > ranges[k][1] + 0.5))
    ]
    return [Hit(location=Location(page=1), detail=", ".join(off))] if off else []


# ---- Dự thảo ---------------------------------------------------------------------------------------------


@rule(
    rule_id="E58",
    note="Nguồn thứ cấp [S]: cảnh báo.",
    code="FMT-DRAFT-MARK",
    severity=W,
    clause="36-HD/VPTW mục II.2 (chỉ dẫn về dự thảo)",
    message='Văn bản đã có số và ngày ban hành nhưng còn chỉ dẫn "Dự thảo".',
    hint='Bỏ chỉ dẫn "Dự thảo" trên bản chính thức đã ban hành.',
    tags=["S"],
)
def draft_mark(ctx: CheckContext) -> list[Hit]:
    mark = ctx.fields.draft
    loc = ctx.location("draft")
    if not mark and ctx.parsed is not None:
        lines = ctx.find_lines(re.compile(r"^\s*Dự thảo\b", re.IGNORECASE), limit=HEADER_LINES)
        if lines:
            mark, loc = lines[0].rendered_text, ctx.location_of_line(lines[0])
    if not mark:
        return []
    parts = ctx.number_parts
    number = (parts["so"] if parts else (ctx.fields.number or "")).strip()
    if not number.isdigit() or ctx.fields.issued_on is None:
        return []
    return [Hit(location=loc, detail=f'"{canonical(mark)}"')]


# ---- C7 Đề ký, chức vụ, họ tên --------------------------------------------------------------------------


@rule(
    rule_id="E36",
    code="FMT-SIGN-FORM-STATE-STYLE",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message="Quyền hạn ký viết theo kiểu văn bản nhà nước (TM., KT., TL., TUQ.) trong văn bản của Đảng.",
    hint='Viết có gạch chéo, không dấu chấm: "T/M", "K/T", "T/L".',
    tags=["V"],
)
def sign_form_state_style(ctx: CheckContext) -> list[Hit]:
    sig = ctx.signature
    if sig is None or not sig.state_style or sig.prefix == "Q.":
        return []
    return [Hit(location=ctx.location("signing_form"), detail=f'đang ghi "{sig.raw_prefix}"')]


@rule(
    rule_id="E39",
    note="T/UQ không có trong văn bản của Đảng theo nguồn thứ cấp [S] (tóm tắt HD 05): cảnh báo.",
    code="FMT-SIGN-FORM-STATE-STYLE",
    severity=W,
    clause="36-HD/VPTW mục II.1.7.1 (không có hình thức T/UQ)",
    message='Văn bản của Đảng dùng "T/UQ" (thừa ủy quyền), hình thức ký của văn bản nhà nước.',
    hint='Văn bản của Đảng ký thừa lệnh "T/L" khi được ủy quyền bằng văn bản.',
    tags=["S"],
)
def sign_form_tuq(ctx: CheckContext) -> list[Hit]:
    sig = ctx.signature
    if sig is None or sig.raw_prefix != "T/UQ":
        return []
    return [Hit(location=ctx.location("signing_form"))]


@rule(
    rule_id="E37",
    code="FMT-SIGN-FORM-STATE-STYLE",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.7",
    message="Văn bản nhà nước dùng quyền hạn ký kiểu văn bản của Đảng (T/M, K/T, T/L).",
    hint='Văn bản hành chính viết "TM.", "KT.", "TL.", "TUQ.".',
    tags=["V"],
    profile=Scope.STATE,
)
def sign_form_party_in_state(ctx: CheckContext) -> list[Hit]:
    sig = ctx.signature
    if sig is None or sig.raw_prefix not in ("T/M", "K/T", "T/L"):
        return []
    return [Hit(location=ctx.location("signing_form"), detail=f'đang ghi "{sig.raw_prefix}"')]


TITLE_ORG: Final = re.compile(
    r"\b(TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|THỊ ỦY|ĐẢNG ỦY|ĐẢNG BỘ|CHI BỘ|UBND|UBKT|ỦY BAN NHÂN DÂN|"
    r"TRUNG ƯƠNG|TỈNH|HUYỆN|XÃ|PHƯỜNG|THÀNH PHỐ)\b"
)


SEALLESS_KINDS: Final = frozenset({"BAN_CHI_DAO", "TIEU_BAN", "HOI_DONG"})


def _joint(ctx: CheckContext) -> bool:
    """A document of several bodies (liên cơ quan): codes joined by "-" ("BTCTU-BNCTU"), names by " - "."""
    return "-" in (ctx.issuer_code or "") or " - " in upper(ctx.fields.issuer)


@rule(
    rule_id="E40",
    note="Nguồn thứ cấp [S]: cảnh báo.",
    code="FMT-SIGNER-TITLE-ORG",
    severity=W,
    clause="36-HD/VPTW mục II.1.7; NĐ 30/2020/NĐ-CP Phụ lục I mục II.7",
    message="Chức vụ của người ký ghi kèm tên cơ quan, tổ chức.",
    hint='Chỉ ghi chức vụ: "BÍ THƯ", "PHÓ BÍ THƯ", "PHÓ CHỦ NHIỆM" — không ghi "BÍ THƯ TỈNH ỦY".',
    tags=["S"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.7",
    state_hint='Chỉ ghi chức vụ: "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC" — không ghi "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH".',
)
def signer_title_org(ctx: CheckContext) -> list[Hit]:
    title = upper(ctx.fields.signer_title)
    if not title or TITLE_ORG.search(title) is None:
        return []
    if ctx.party and (" KIÊM " in f" {title} " or ctx.issuer.kind in SEALLESS_KINDS or _joint(ctx)):
        return []  # a body without its own seal, or a joint document, names the organisation (05-HD I.7.1.2)
    return [Hit(location=ctx.location("signer_title"), detail=f'đang ghi "{title}"')]


ACADEMIC: Final = re.compile(r"^\s*(GS|PGS|TS|ThS|TSKH|CN|KS|BS|Ths|Gs|Pgs|Ts)\.?\s*(TS\.?|TSKH\.?)?\s+\S")


def _academic(ctx: CheckContext) -> list[Hit]:
    name = canonical(ctx.fields.signer_name or "")
    if not name or ACADEMIC.match(name) is None:
        return []
    return [Hit(location=ctx.location("signer_name"), detail=f'đang ghi "{name}"')]


@rule(
    rule_id="E41",
    note="Với văn bản của Đảng quy tắc đến từ nguồn thứ cấp [S]: cảnh báo (văn bản nhà nước: lỗi, NĐ 30 [V]).",
    code="FMT-SIGNER-ACADEMIC-TITLE",
    severity=W,
    clause="36-HD/VPTW mục II.1.7",
    message="Họ tên người ký có ghi học hàm, học vị.",
    hint='Chỉ ghi họ và tên người ký, bỏ "GS.", "PGS.", "TS.", "ThS."….',
    tags=["S"],
)
def signer_academic_party(ctx: CheckContext) -> list[Hit]:
    return _academic(ctx)


@rule(
    rule_id="E41-state",
    code="FMT-SIGNER-ACADEMIC-TITLE",
    severity=E,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.7",
    message="Họ tên người ký có ghi học hàm, học vị.",
    hint="Không ghi học hàm, học vị, quân hàm trước họ tên người ký.",
    tags=["V"],
    profile=Scope.STATE,
)
def signer_academic_state(ctx: CheckContext) -> list[Hit]:
    return _academic(ctx)


# ---- C9 Nơi nhận -------------------------------------------------------------------------------------


@rule(
    rule_id="E43",
    code="FMT-RECIPIENTS-MISSING",
    severity=E,
    clause="36-HD/VPTW mục II.1.9; 66-QĐ/TW Điều 15",
    message="Thiếu nơi nhận văn bản.",
    hint='Ghi "Nơi nhận:" ở góc trái cuối văn bản, mỗi nơi nhận một dòng bắt đầu bằng "- ", dòng cuối '
    "là lưu văn phòng.",
    tags=["V"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Điều 8 khoản 9; Phụ lục I mục II.9",
    state_hint='Ghi "Nơi nhận:" ở góc trái cuối văn bản, mỗi nơi nhận một dòng bắt đầu bằng "- ", dòng cuối "- '
    'Lưu: VT, <đơn vị soạn thảo>.".',
)
def recipients_missing(ctx: CheckContext) -> list[Hit]:
    if ctx.fields.recipients or ctx.find_lines(re.compile(r"^\s*Nơi nhận\s*:?")):
        return []
    if ctx.doc_type is not None and ctx.doc_type.key == "BB":
        return []  # a biên bản carries the two signatures of người ghi and chủ trì, no nơi nhận [S]
    return [Hit()]


def _last_recipient(ctx: CheckContext) -> str | None:
    if not ctx.fields.recipients:
        return None
    return re.sub(r"^\s*[-–]\s*", "", canonical(ctx.fields.recipients[-1]))


@rule(
    rule_id="E46",
    note='Dòng lưu "- Lưu Văn phòng …" theo nguồn thứ cấp [S]: cảnh báo.',
    code="FMT-RECIPIENTS-ARCHIVE-LINE",
    severity=W,
    clause="36-HD/VPTW mục II.1.9; NĐ 30/2020/NĐ-CP Phụ lục I mục II.9",
    message='Dòng cuối của nơi nhận không phải dòng lưu ("- Lưu Văn phòng …").',
    hint='Kết thúc nơi nhận bằng dòng "- Lưu Văn phòng <cấp ủy>." (cơ sở: "- Lưu Đảng ủy.", '
    '"- Lưu Chi bộ."; văn bản nhà nước: "- Lưu: VT, …").',
    tags=["S", "M"],
    profile=Scope.BOTH,
    state_clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.9",
    state_message='Dòng cuối của nơi nhận không phải dòng lưu ("- Lưu: VT, …").',
    state_hint='Kết thúc nơi nhận bằng dòng "- Lưu: VT, <đơn vị soạn thảo>.".',
)
def archive_line_missing(ctx: CheckContext) -> list[Hit]:
    last = _last_recipient(ctx)
    if last is None or re.match(r"^Lưu\b", last):
        return []
    return [Hit(location=ctx.location_of_text("recipients", last), detail=f'dòng cuối: "{last}"')]


@rule(
    rule_id="E47",
    note="Nguồn thứ cấp [S]: cảnh báo.",
    code="FMT-RECIPIENTS-ARCHIVE-LINE",
    severity=W,
    clause="36-HD/VPTW mục II.1.9",
    message='Dòng lưu của văn bản của Đảng viết theo kiểu văn bản nhà nước ("- Lưu: VT").',
    hint='Viết "- Lưu Văn phòng <cấp ủy>.": không có dấu hai chấm, không ghi "VT".',
    tags=["S"],
)
def archive_line_state_style(ctx: CheckContext) -> list[Hit]:
    last = _last_recipient(ctx)
    if last is None or not (re.match(r"^Lưu\s*:", last) or re.match(r"^Lưu\b.*\bVT\b", last)):
        return []
    return [Hit(location=ctx.location_of_text("recipients", last), detail=f'đang ghi "{last}"')]


@rule(
    rule_id="E48",
    note="Theo hiểu biết chưa đối chiếu [M]: cảnh báo.",
    code="FMT-RECIPIENTS-ARCHIVE-LINE",
    severity=W,
    clause="NĐ 30/2020/NĐ-CP Phụ lục I mục II.9",
    message='Dòng lưu của văn bản nhà nước viết theo kiểu văn bản của Đảng (thiếu "Lưu:").',
    hint='Viết "- Lưu: VT, <đơn vị soạn thảo>.".',
    tags=["M"],
    profile=Scope.STATE,
)
def archive_line_party_style(ctx: CheckContext) -> list[Hit]:
    last = _last_recipient(ctx)
    if last is None or not re.match(r"^Lưu\s+(?!:)\S", last):
        return []
    return [Hit(location=ctx.location_of_text("recipients", last), detail=f'đang ghi "{last}"')]
