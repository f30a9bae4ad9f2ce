"""Issuing-authority checks (thẩm quyền ban hành).

Quy định 66-QĐ/TW applies until 08/01/2026, 399-QĐ/TW from 09/01/2026.

Rule IDs point into ``shared/domain/authority-rules.md`` §5.3 (AUTH-01 … AUTH-37). The verdict of a
matrix look-up takes the provenance of the table cell: a [V] cell is an error, an [S]/[K]/[U] cell a warning.
"""

from __future__ import annotations

import re
from typing import Final

from archive_service.validation.context import CheckContext, corrected_number, near, upper
from archive_service.validation.registry import Hit, rule
from archive_service.validation.tables import AuthorityCell, severity_is_error
from indexers.textnorm import fold
from schemas.findings import Severity

E: Final = Severity.ERROR
W: Final = Severity.WARNING

BODY_NAMES: Final[dict[str, str]] = {
    "CAP_UY": "cấp ủy",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "BCT": "Bộ Chính trị",
    "BBT": "Ban Bí thư",
    "CHI_BO": "chi bộ",
    "DANG_UY_BO_PHAN": "đảng ủy bộ phận",
    "THUONG_TRUC": "Thường trực cấp ủy",
    "UBKT": "ủy ban kiểm tra",
    "DANG_DOAN": "đảng đoàn",
    "BAN_CAN_SU": "ban cán sự đảng",
    "HOI_DONG": "hội đồng",
    "ADVISORY": "cơ quan tham mưu, giúp việc",
    "BAN_CHI_DAO": "ban chỉ đạo",
    "TIEU_BAN": "tiểu ban",
    "DAI_HOI": "đại hội",
    "DOAN_CHU_TICH": "đoàn chủ tịch",
    "DOAN_THU_KY": "đoàn thư ký",
    "BAN_THAM_TRA_TU_CACH": "ban thẩm tra tư cách đại biểu",
    "BAN_KIEM_PHIEU": "ban kiểm phiếu",
}
LEVEL_NAMES: Final = {
    "TW": "Trung ương",
    "TINH": "cấp tỉnh",
    "HUYEN": "cấp huyện",
    "CTCS": "cấp trên trực tiếp cơ sở",
    "CO_SO": "cơ sở",
}


def _body_label(ctx: CheckContext) -> str:
    info = ctx.issuer
    name = BODY_NAMES.get(info.kind or "", "cơ quan ban hành")
    level = LEVEL_NAMES.get(info.level or "")
    return f"{name} ({level})" if level else name


def _cells(ctx: CheckContext) -> list[AuthorityCell]:
    table = ctx.authority
    info = ctx.issuer
    if table is None or info.kind is None:
        return []
    kinds = ["BCH", "BTV"] if info.kind == "CAP_UY" else [info.kind]
    cells = [table.cell(info.level, k) for k in kinds]
    return [c for c in cells if c is not None]


@rule(
    rule_id="AUTH-01",
    note="Mức độ theo ô của bảng thẩm quyền: ô đọc nguyên văn (66-QĐ/TW Điều 7) là lỗi; ô [S]/[K]/[U] "
    '(cấp TW, huyện, cơ sở, cơ quan tham mưu, 399-QĐ/TW ngoài Điều 11) chỉ cảnh báo; ô "?" không '
    "xét.",
    code="AUTH-TYPE-NOT-ALLOWED",
    severity=E,
    clause="66-QĐ/TW Điều 6–11; 399-QĐ/TW Điều 8–13",
    message="Cơ quan ban hành không có thẩm quyền ban hành loại văn bản này.",
    hint="Đối chiếu danh mục thể loại văn bản mà cơ quan được ban hành; trình cấp có thẩm quyền ban hành "
    "hoặc đổi sang thể loại phù hợp (ví dụ Ban Chấp hành không ban hành Chỉ thị — Ban Thường vụ ban hành).",
    tags=["V", "S", "K"],
)
def type_not_allowed(ctx: CheckContext) -> list[Hit]:
    table = ctx.authority
    t = ctx.doc_type
    if table is None or t is None or t.key in table.always_allowed:
        return []
    if t.key in table.central_only.types and ctx.issuer.level not in (None, "TW"):
        return []  # AUTH-05 reports it
    cells = _cells(ctx)
    if not cells or any(t.key in c.allowed or t.key in c.uncertain for c in cells):
        return []
    lenient = any(t.key in c.lenient for c in cells)
    cell = cells[0]
    severity = W if lenient or not all(severity_is_error(c.tag) for c in cells) else E
    clause = "; ".join(dict.fromkeys(c.clause for c in cells))
    detail = f"{_body_label(ctx)} không được ban hành {t.name.lower()}"
    if not severity_is_error(cell.tag):
        detail += " (danh mục chưa đối chiếu văn bản gốc)" if cell.tag in ("K", "U") else " (nguồn thứ cấp)"
    return [
        Hit(
            location=ctx.location("document_type") or ctx.location("number_line"),
            detail=detail,
            severity=severity,
            clause=clause,
        )
    ]


@rule(
    rule_id="AUTH-05",
    code="AUTH-TYPE-NOT-ALLOWED",
    severity=E,
    clause="66-QĐ/TW Điều 7 khoản 1–3",
    message="Loại văn bản chỉ Trung ương ban hành (cương lĩnh, điều lệ, chiến lược, tuyên bố, lời kêu gọi).",
    hint="Cấp ủy, tổ chức đảng dưới Trung ương không ban hành loại văn bản này; chọn thể loại phù hợp "
    "(nghị quyết, chương trình, kế hoạch…).",
    tags=["V"],
)
def central_only_type(ctx: CheckContext) -> list[Hit]:
    table = ctx.authority
    t = ctx.doc_type
    level = ctx.issuer.level
    if table is None or t is None or level is None or level == "TW" or t.key not in table.central_only.types:
        return []
    co = table.central_only
    return [
        Hit(
            location=ctx.location("document_type"),
            detail=f"{_body_label(ctx)} ban hành {t.name.lower()}",
            severity=E if severity_is_error(co.tag) else W,
            clause=co.clause,
        )
    ]


# ---- Signing ---------------------------------------------------------------------------------------------


@rule(
    rule_id="AUTH-14",
    code="AUTH-SIGN-KT-COLLECTIVE",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message='Văn bản của cơ quan lãnh đạo tập thể ký "K/T" thay vì "T/M".',
    hint='Văn bản của cấp ủy, ủy ban kiểm tra, đảng đoàn, ban cán sự đảng, hội đồng, đại hội ký "T/M" '
    '(thay mặt); phó bí thư ký "T/M …" với chức vụ "PHÓ BÍ THƯ".',
    tags=["V"],
)
def kt_on_collective(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    if sig is None or signing is None or sig.prefix != "K/T" or ctx.issuer.kind not in signing.collective:
        return []
    return [Hit(location=ctx.location("signing_form"), detail=f'{_body_label(ctx)}, đang ghi "K/T {sig.entity}"')]


def _is_advisory_name(ctx: CheckContext, name: str) -> bool:
    issuers = ctx.tables.issuers(ctx.on)
    if issuers is None or ctx.signing is None:
        return False
    return any(o.kind in ctx.signing.advisory and re.search(o.pattern, name) for o in issuers.organs)


@rule(
    rule_id="AUTH-15",
    code="AUTH-SIGN-TM-ADVISORY",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message='Văn bản của cơ quan tham mưu, giúp việc ký "T/M".',
    hint='Cấp trưởng cơ quan tham mưu ký trực tiếp (ghi chức vụ, không có "T/M"); cấp phó ký "K/T".',
    tags=["V"],
)
def tm_on_advisory(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    if sig is None or signing is None or sig.prefix != "T/M":
        return []
    if ctx.issuer.kind in signing.advisory or _is_advisory_name(ctx, sig.entity):
        return [Hit(location=ctx.location("signing_form"), detail=f'đang ghi "T/M {sig.entity}"')]
    return []


@rule(
    rule_id="AUTH-16",
    code="AUTH-SIGN-DEPUTY-NO-KT",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message='Cấp phó ký văn bản của cơ quan tham mưu, giúp việc mà không ghi "K/T".',
    hint='Cấp phó ký thay: ghi "K/T <CHỨC VỤ CẤP TRƯỞNG>" trên dòng chức vụ của mình, ví dụ '
    '"K/T CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG".',
    tags=["V"],
)
def deputy_without_kt(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    title = upper(ctx.fields.signer_title)
    if signing is None or ctx.issuer.kind not in signing.advisory or not title.startswith("PHÓ "):
        return []
    if sig is not None and sig.prefix is not None:
        return []
    return [Hit(location=ctx.location("signer_title"), detail=f'chức vụ "{title}"')]


@rule(
    rule_id="AUTH-17",
    code="AUTH-SIGN-KT-HEAD-MISMATCH",
    severity=E,
    clause="36-HD/VPTW mục II.1.7.1",
    message='"K/T" ghi chức vụ cấp trưởng không tương ứng với cấp phó ký hoặc với cơ quan ban hành.',
    hint='Ghi "K/T" + chức vụ của cấp trưởng cơ quan ban hành mà người ký là cấp phó, ví dụ '
    '"K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN".',
    tags=["V"],
)
def kt_head_mismatch(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    if sig is None or signing is None or sig.prefix != "K/T":
        return []
    head = sig.entity
    loc = ctx.location("signing_form")
    title = upper(ctx.fields.signer_title)
    if " KIÊM " in f" {title} ":
        # A deputy of a ban chỉ đạo or tiểu ban without a seal signs under his own titles (05-HD I.7.1.4 đ).
        return [Hit(location=loc, detail=f'chức vụ kiêm nhiệm "{title}" không đề ký thay "K/T {head}"')]
    expected_head = ctx.issuer.head_title
    if expected_head and head in signing.heads and head != expected_head:
        return [Hit(location=loc, detail=f'cấp trưởng của {ctx.issuer.name.lower()} là "{expected_head}"')]
    deputies = signing.heads.get(head)
    if deputies is None or not title or title in deputies:
        return []
    if ctx.parsed is not None and ctx.parsed.ocr:
        plain = fold(re.sub(r"[^\w ]", "", title))  # OCR also drops diacritics: "PHO CHANH VAN PHONG"
        if any(near(plain, fold(d), 2) for d in deputies):
            return []  # an OCR slip in the title, not another post
    return [Hit(location=loc, detail=f'"K/T {head}" nhưng người ký là "{title}"')]


def _entity_ok(ctx: CheckContext, entity: str) -> bool:
    signing = ctx.signing
    info = ctx.issuer
    if signing is None or info.kind is None:
        return True
    key = "CAP_UY" if info.kind in ("CAP_UY", "BCH", "BTV", "BCT", "BBT", "THUONG_TRUC") else info.kind
    names = signing.entity_names.get(key)
    if names is None:
        return True
    allowed = [n.replace("{name}", info.name).replace("{committee}", info.committee or info.name) for n in names]
    if info.level == "TW" and key == "CAP_UY":
        allowed += ["BỘ CHÍNH TRỊ", "BAN BÍ THƯ", "BAN CHẤP HÀNH TRUNG ƯƠNG"]
    return any(entity.startswith(name) or (name.startswith(entity) and len(entity.split()) >= 2) for name in allowed)


@rule(
    rule_id="AUTH-18",
    code="AUTH-SIGN-ENTITY-MISMATCH",
    severity=E,
    clause="36-HD/VPTW mục II.1.2 và II.1.7.1",
    message="Tên tập thể ghi ở quyền hạn ký không phải cơ quan ban hành văn bản.",
    hint='Ký "T/M" (hoặc "T/L") đúng tập thể đứng tên ở tên cơ quan ban hành; nếu tập thể khác ban hành '
    "thì sửa tên cơ quan ban hành và ký hiệu.",
    tags=["V"],
)
def sign_entity_mismatch(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    if sig is None or signing is None or sig.prefix not in ("T/M", "T/L") or not sig.entity:
        return []
    if ctx.issuer.kind in signing.advisory:
        if sig.prefix == "T/M":
            return []  # AUTH-15 reports it
        return [
            Hit(
                location=ctx.location("signing_form"),
                detail=f'văn bản của {ctx.issuer.name.lower()} ký "T/L {sig.entity}"',
            )
        ]
    if _entity_ok(ctx, sig.entity):
        return []
    delegated = signing.tl_entities.get(ctx.issuer.kind or "", [])
    if sig.prefix == "T/L" and any(sig.entity.startswith(name) for name in delegated):
        return []  # a chi bộ without a seal signs T/L under its superior cấp ủy (05-HD I.8.1.2)
    return [
        Hit(
            location=ctx.location("signing_form"),
            detail=f'cơ quan ban hành "{ctx.issuer.name}", ký "{sig.prefix} {sig.entity}"',
        )
    ]


@rule(
    rule_id="AUTH-19",
    note="Quy tắc chỉ bí thư, phó bí thư ký T/M cấp ủy đến từ nguồn thứ cấp và hiểu biết chưa đối "
    "chiếu [S]/[K]: cảnh báo.",
    code="AUTH-SIGNER-NOT-LEADER",
    severity=W,
    clause="36-HD/VPTW mục II.1.7",
    message='Văn bản "T/M" cấp ủy do người không phải Bí thư hoặc Phó Bí thư ký.',
    hint='"T/M" cấp ủy, ban thường vụ do bí thư hoặc phó bí thư ký; chánh văn phòng ký "T/L BAN THƯỜNG VỤ" '
    "khi được ủy quyền bằng văn bản.",
    tags=["S", "K"],
)
def signer_not_leader(ctx: CheckContext) -> list[Hit]:
    sig, signing = ctx.signature, ctx.signing
    title = upper(ctx.fields.signer_title)
    if sig is None or signing is None or sig.prefix != "T/M" or not title:
        return []
    if signing.tm_titles:
        return _tm_title_line(ctx, title)
    if ctx.issuer.kind not in signing.committee:
        return []
    if ctx.parsed is not None and ctx.parsed.ocr:
        plain = fold(re.sub(r"[^\w ]", "", title))  # OCR noise: stray quotes, dots, lost diacritics
        if any(near(plain, fold(lt), 2) for lt in signing.leader_titles):
            return []
    if any(title == lt or title.startswith(lt + " ") for lt in signing.leader_titles):
        return []  # "BÍ THƯ TỈNH ỦY" is a leader; the organisation in the title is FMT-SIGNER-TITLE-ORG's
    return [Hit(location=ctx.location("signer_title"), detail=f'chức vụ người ký "{title}"')]


def _tm_title_line(ctx: CheckContext, title: str) -> list[Hit]:
    """05-HD I.7.1.2 b: signing T/M, a title line only for the leaders of the collective, none under T/M BỘ CHÍNH
    TRỊ / BAN BÍ THƯ; a phó chủ tịch with a "kiêm" title of a hội đồng without a seal does not sign T/M (I.7.1.4 đ)."""
    sig, signing = ctx.signature, ctx.signing
    assert sig is not None and signing is not None
    loc = ctx.location("signer_title")
    if any(sig.entity.startswith(name) for name in signing.untitled_tm):
        return [Hit(location=loc, detail=f'"T/M {sig.entity}" không ghi chức vụ, đang ghi "{title}"')]
    if " KIÊM " in f" {title} ":
        if title.split(" KIÊM ")[-1].startswith("PHÓ "):
            return [Hit(location=loc, detail=f'"{title}" ký "T/M {sig.entity}"')]
        return []
    kind = ctx.issuer.kind
    group = "COMMITTEE" if kind in signing.committee else kind
    allowed = signing.tm_titles.get(group or "")
    if allowed is None:
        return []
    if ctx.parsed is not None and ctx.parsed.ocr:
        plain = fold(re.sub(r"[^\w ]", "", title))
        if any(near(plain, fold(a), 2) for a in allowed):
            return []
    if any(title == a or title.startswith(a + " ") for a in allowed):
        return []  # the organisation after the title is FMT-SIGNER-TITLE-ORG's
    return [Hit(location=loc, detail=f'chức vụ người ký "{title}"')]


@rule(
    rule_id="AUTH-21",
    note="Theo hiểu biết chưa đối chiếu [K] (đoạn T/L của HD 36 mục 1.7.1 bị cắt): cảnh báo.",
    code="AUTH-TL-NOT-DELEGABLE",
    severity=W,
    clause="36-HD/VPTW mục II.1.7.1",
    message='Loại văn bản thể hiện quyết định của tập thể lãnh đạo nhưng được ký thừa lệnh ("T/L").',
    hint='Nghị quyết, chỉ thị, quy chế, quy định, kết luận, thông tri do bí thư hoặc phó bí thư ký "T/M"; '
    'không giao ký "T/L".',
    tags=["K"],
)
def tl_not_delegable(ctx: CheckContext) -> list[Hit]:
    sig, signing, t = ctx.signature, ctx.signing, ctx.doc_type
    if sig is None or signing is None or t is None or sig.prefix != "T/L" or t.key not in signing.tl_not_delegable:
        return []
    return [Hit(location=ctx.location("signing_form"), detail=f'{t.name.lower()} ký "T/L {sig.entity}"')]


# ---- Symbol and issuer -------------------------------------------------------------------------------


def _known_codes(ctx: CheckContext) -> set[str]:
    issuers = ctx.tables.issuers(ctx.on)
    if issuers is None:
        return set()
    committee_codes = {c for p in issuers.committees for c in p.codes}
    known = set(committee_codes)
    for o in issuers.organs:
        if o.abbr:
            known.add(o.abbr)
            if not (o.standalone or o.prefix_only):
                known |= {o.abbr + c for c in committee_codes}
    return known


@rule(
    rule_id="AUTH-24",
    note="Ký hiệu là của một cơ quan khác đã biết: lỗi; cách viết lạ (bảng ký hiệu chỉ là danh sách "
    "cho phép [S]/[K]): cảnh báo.",
    code="AUTH-SYMBOL-ISSUER-MISMATCH",
    severity=E,
    clause="36-HD/VPTW mục II.1.2–1.3",
    message='Ký hiệu cơ quan ban hành (sau dấu "/") không phải của cơ quan đứng tên ở tiêu đề.',
    hint='Dùng ký hiệu của chính cơ quan ban hành: cấp ủy tỉnh "TU", văn phòng tỉnh ủy "VPTU", '
    'ban tổ chức "BTCTU", huyện ủy "HU", đảng ủy "ĐU", chi bộ "CB"….',
    tags=["V", "K"],
)
def symbol_issuer_mismatch(ctx: CheckContext) -> list[Hit]:
    code = ctx.issuer_code
    info = ctx.issuer
    if not code or not info.expected_codes:
        return []
    parts = code.split("-")  # a joint document joins the issuers' codes with "-"
    if info.code_prefix_only:
        if any(p.startswith(e) for p in parts for e in info.expected_codes):
            return []
    elif any(p in info.expected_codes for p in parts):
        return []
    expected = " hoặc ".join(info.expected_codes)
    detail = f'tiêu đề "{info.name}" cần ký hiệu "{expected}", đang ghi "{code}"'
    # A code that names another known body contradicts the header; an unknown spelling may be a local usage.
    severity = E if any(p in _known_codes(ctx) for p in parts) else W
    fixed = corrected_number(ctx, cq=info.expected_codes[0]) if not info.code_prefix_only else None
    hint = f'Ghi ký hiệu của chính cơ quan ban hành: "{fixed}".' if fixed else None
    return [Hit(location=ctx.location("number_line"), detail=detail, severity=severity, hint=hint)]


DISTRICT_CODE: Final = re.compile(r"(HU|QU)$")


@rule(
    rule_id="AUTH-26",
    code="AUTH-ISSUER-DEFUNCT",
    severity=E,
    clause="Quy định 294-QĐ/TW (26/5/2025); kết thúc cấp huyện từ 01/07/2025",
    message="Cơ quan ban hành cấp huyện không còn tồn tại vào ngày ban hành văn bản.",
    hint="Từ 01/07/2025 không còn tổ chức đảng cấp huyện; văn bản phải do cấp ủy, cơ quan đang tồn tại "
    "ban hành "
    "(đảng ủy xã, phường, đặc khu hoặc tỉnh ủy, thành ủy).",
    tags=["V"],
)
def district_defunct(ctx: CheckContext) -> list[Hit]:
    issued = ctx.dated_on
    reorg = ctx.tables.reorganisation
    if issued is None or issued < reorg.district_level_end:
        return []
    code = ctx.issuer_code or ""
    if ctx.issuer.level != "HUYEN" and not (ctx.issuer.kind is None and DISTRICT_CODE.search(code)):
        return []
    return [
        Hit(
            location=ctx.location("issuer") or ctx.location("number_line"),
            detail=f'"{ctx.issuer.name or code}", văn bản {ctx.date_label}',
        )
    ]


def _abolished_province(ctx: CheckContext) -> str | None:
    province = ctx.issuer.province
    if not province:
        return None
    key = _place_key(province)
    for survivor, absorbed in ctx.tables.reorganisation.merged_provinces.items():
        for old in absorbed:
            if _place_key(old) == key:
                return survivor
    return None


def _place_key(name: str) -> str:
    """A province name compared without tone placement, dashes or the "TỈNH"/"THÀNH PHỐ" prefix."""
    words = re.sub(r"[^\w ]", " ", fold(name)).split()
    if words[:2] == ["thanh", "pho"]:
        words = words[2:]
    elif words[:1] == ["tinh"]:
        words = words[1:]
    return " ".join(words)


@rule(
    rule_id="AUTH-27",
    code="AUTH-ISSUER-DEFUNCT",
    severity=E,
    clause="Quyết định 321–328-QĐ/TW của Bộ Chính trị; Nghị quyết của Quốc hội ngày 12/6/2025 (hiệu lực 01/07/2025)",
    message="Đảng bộ tỉnh đứng tên ban hành đã hợp nhất vào tỉnh khác trước ngày ban hành văn bản.",
    hint="Từ 01/07/2025 văn bản do cấp ủy của tỉnh, thành phố sau hợp nhất ban hành; "
    "kiểm tra lại tên cơ quan "
    "ban hành và ngày ban hành.",
    tags=["V"],
)
def province_defunct(ctx: CheckContext) -> list[Hit]:
    issued = ctx.dated_on
    reorg = ctx.tables.reorganisation
    if issued is None or issued < reorg.province_merge_effective or ctx.issuer.level == "HUYEN":
        return []
    survivor = _abolished_province(ctx)
    if survivor is None:
        return []
    loc = ctx.location("issuer") if ctx.issuer.is_committee else ctx.location("parent_issuer")
    return [
        Hit(
            location=loc or ctx.location("issuer"),
            detail=f"tỉnh {ctx.issuer.province} đã hợp nhất vào {survivor} "
            f"từ {reorg.province_merge_effective:%d/%m/%Y}",
        )
    ]


@rule(
    rule_id="AUTH-29",
    note="Có giai đoạn chuẩn bị 09/6–30/6/2025: cảnh báo.",
    code="AUTH-ISSUER-DEFUNCT",
    severity=W,
    clause="Quy định 298-QĐ/TW, 299-QĐ/TW, Quyết định 302-QĐ/TW (09/6/2025)",
    message="Cơ quan của đảng ủy xã, phường, đặc khu theo mô hình mới xuất hiện trước ngày 01/07/2025.",
    hint="Kiểm tra ngày ban hành: ban xây dựng đảng của đảng ủy xã, đảng ủy đặc khu chỉ có từ 01/07/2025.",
    tags=["V", "S"],
)
def commune_structure_too_early(ctx: CheckContext) -> list[Hit]:
    issued = ctx.dated_on
    reorg = ctx.tables.reorganisation
    if issued is None or issued >= reorg.commune_upper_tier_start:
        return []
    names = f"{upper(ctx.fields.parent_issuer)} / {ctx.issuer.name}"
    new_organ = ctx.issuer.name.startswith("BAN XÂY DỰNG ĐẢNG") and "ĐẢNG ỦY" in names
    special_zone = "ĐẶC KHU" in names
    if not (new_organ or special_zone):
        return []
    return [Hit(location=ctx.location("issuer"), detail=f'"{ctx.issuer.name}", văn bản {ctx.date_label}')]


@rule(
    rule_id="AUTH-30",
    note="Ngày kết thúc theo từng tỉnh; chỉ các ngày đã đọc được nguồn mới có trong bảng: cảnh báo.",
    code="AUTH-ISSUER-DEFUNCT",
    severity=W,
    clause="Quyết định của Ban Thường vụ Tỉnh ủy về sắp xếp tổ chức bộ máy (2025)",
    message="Cơ quan tham mưu cấp tỉnh đứng tên ban hành đã được hợp nhất trước ngày ban hành văn bản.",
    hint="Văn bản sau ngày hợp nhất do cơ quan mới ban hành (ví dụ Ban Tuyên giáo và Dân vận Tỉnh ủy).",
    tags=["V"],
)
def ended_body(ctx: CheckContext) -> list[Hit]:
    issued = ctx.dated_on
    info = ctx.issuer
    if issued is None or not info.organ_abbr or not info.province:
        return []
    for ended in ctx.tables.reorganisation.ended_bodies:
        if ended.organ == info.organ_abbr and fold(ended.province) == fold(info.province) and issued > ended.ended_on:
            return [
                Hit(
                    location=ctx.location("issuer"),
                    detail=f"kết thúc ngày {ended.ended_on:%d/%m/%Y}, nay là {ended.successor}",
                )
            ]
    return []


# ---- Biên bản ------------------------------------------------------------------------------------------------

CONGRESS_KINDS: Final = frozenset({"DAI_HOI", "DOAN_CHU_TICH", "DOAN_THU_KY", "BAN_THAM_TRA_TU_CACH", "BAN_KIEM_PHIEU"})
MINUTE_TAKER: Final = re.compile(r"^\s*NGƯỜI GHI BIÊN BẢN\s*$")


@rule(
    rule_id="AUTH-28",
    note="Nguồn thứ cấp và hiểu biết chưa đối chiếu [S]/[K] (HD 36); 05-HD mục I.7.1.4 e [V-copy, quy định mới]: "
    "cảnh báo.",
    code="AUTH-MINUTES-SIGNING",
    severity=W,
    clause="36-HD/VPTW mục II.1.7 (biên bản hội nghị, nguồn thứ cấp)",
    message='Biên bản hội nghị ký "T/M" như văn bản của tập thể, không có chữ ký người ghi biên bản và chủ trì '
    "hội nghị.",
    hint='Biên bản hội nghị cấp ủy trình bày "NGƯỜI GHI BIÊN BẢN" bên trái và "CHỦ TRÌ HỘI NGHỊ" bên phải, mỗi '
    'người ký và ghi họ tên; chữ ký chủ trì không được đóng dấu thì lãnh đạo văn phòng "T/L BAN THƯỜNG VỤ" xác nhận.',
    tags=["S", "K"],
)
def minutes_signed_as_act(ctx: CheckContext) -> list[Hit]:
    sig, t = ctx.signature, ctx.doc_type
    if sig is None or t is None or t.key != "BB" or sig.prefix != "T/M":
        return []
    if ctx.issuer.kind in CONGRESS_KINDS:
        return []  # congress minutes are signed T/M ĐOÀN THƯ KÝ / ĐOÀN CHỦ TỊCH by the congress rules
    if ctx.fields.minute_taker is not None or ctx.find_lines(MINUTE_TAKER):
        return []
    return [Hit(location=ctx.location("signing_form"), detail=f'ký "T/M {sig.entity}"')]
