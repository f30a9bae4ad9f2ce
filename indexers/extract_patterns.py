"""Patterns and tables for the formal elements of 36-HD/VPTW (Party) and NĐ 30/2020 (state).

All patterns run on ``textnorm.canonical`` text: NFC, Ð → Đ, new tone placement, single spaces.
"""

from __future__ import annotations

import re
from typing import Final

_SO: Final = r"S[ỐốOoÔô6ƠơÓóÒòỒồ][\s:.]*"  # "Số" (OCR may drop or change the diacritic)
_CODE: Final = r"[A-ZĐ][A-Za-zĐđ0-9]*"

# 36-HD/VPTW Mục II, điểm 1.3: "Số {số}-{loại}/{cơ quan}", no colon; joint issuers joined by "-".
NUMBER_PARTY: Final = re.compile(
    rf"^{_SO}(?P<num>\d+)?\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{{0,4}})\s*/\s*"
    rf"(?P<issuer>{_CODE}(?:\s*-\s*{_CODE})*)",
)
# NĐ 30/2020 Phụ lục I: "Số: {số}/{loại}-{cơ quan}" (VBQPPL: "Số: 30/2020/NĐ-CP"); công văn "/UBND-VP".
NUMBER_STATE: Final = re.compile(
    rf"^{_SO}(?P<num>\d+)?\s*/\s*(?:(?P<year>\d{{4}})\s*/\s*)?(?P<code>{_CODE}(?:\s*-\s*{_CODE})*)",
)
NUMBER_START: Final = re.compile(rf"^{_SO}", re.IGNORECASE)
# A number line written with another dash or separator ("Số 12–NQ/TU"): kept as written for the checker.
NUMBER_LOOSE: Final = re.compile(
    rf"^{_SO}(?P<num>\d+)?\s*(?P<sep>[-‐‑‒–—―~_.,/\\])\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{{0,4}})\s*[/\\|]\s*"
    rf"(?P<issuer>{_CODE}(?:\s*[-‐‑‒–—―]\s*{_CODE})*)\s*$",
)
DASHES: Final = re.compile(r"[‐‑‒–—―]")
# A scanned number line whose number was handwritten or stamped: "Số" with its mark misread ("Sô", "Só"),
# then what the ink left before the separator ("04+", "4@†", "⁄11"), then the ký hiệu. Only OCR lines are
# read this way; the label is checked folded ("so") by the caller.
NUMBER_OCR_STATE: Final = re.compile(
    rf"^(?P<label>S\w)\s*(?P<colon>[:.]?)\s*(?P<junk>[^/\s][^/]{{0,7}}?)?\s*/\s*"
    rf"(?:(?P<year>\d{{4}})\s*/\s*)?(?P<code>{_CODE}(?:\s*-\s*{_CODE})*)\s*$"
)
NUMBER_OCR_PARTY: Final = re.compile(
    rf"^(?P<label>S\w)\s*(?P<junk>[^/\s\-][^/\-]{{0,7}}?)?\s*-\s*(?P<type>[A-ZĐ][A-Za-zĐđ]{{0,4}})\s*/\s*"
    rf"(?P<issuer>{_CODE}(?:\s*-\s*{_CODE})*)\s*$"
)

# Luật ban hành VBQPPL: legal normative documents; their số carries the year ("Số: 30/2020/NĐ-CP").
LEGAL_TYPES: Final = (
    "HIẾN PHÁP",
    "BỘ LUẬT",
    "LUẬT",
    "PHÁP LỆNH",
    "LỆNH",
    "NGHỊ ĐỊNH",
    "THÔNG TƯ LIÊN TỊCH",
    "THÔNG TƯ",
    "NGHỊ QUYẾT LIÊN TỊCH",
)
LEGAL_TYPE_CODES: Final = frozenset({"NĐ", "TT", "TTLT", "NQLT", "PL", "L", "LCTN", "QH"})

# NĐ 30/2020 Phụ lục III: type abbreviations that open a state ký hiệu (a công văn has none).
STATE_TYPE_CODES: Final = frozenset(
    {"NĐ", "TT", "TTLT", "NQLT", "PL", "L", "LCTN"}
    | {"NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr"}
    | {"HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TrS", "SL"}
)

# 36-HD/VPTW điểm 1.4 (C4): "<địa danh>, ngày DD tháng M năm YYYY"; lenient on spaces and blanks.
DATE: Final = re.compile(
    r"(?P<place>[^,\d:;()]{2,}?)\s*,\s*ngày\s*(?P<d>\S{0,4}?)\s*tháng\s*(?P<m>\S{0,4}?)"
    r"\s*năm[\s.…_]*(?P<y>\d{4})?",
    re.IGNORECASE,
)
# What the DATE groups hold when they are read: digits. Anything else in a day or month is a blank, dots
# (a template) or a handwritten or stamped value the reader could not make out ("|3", "0†").
DAY_OR_MONTH: Final = re.compile(r"\d{1,2}")
# A template date: dots for the place, day and month (".........., ngày .... tháng .... năm ....").
DOTS: Final = re.compile(r"^[\s.…_]*$")
DATE_DOTTED: Final = re.compile(r"ngày\s*[.…_]{2,}\s*tháng\s*[.…_]{2,}", re.IGNORECASE)
DATE_HEAD: Final = re.compile(r",\s*ngày\b.*\btháng\b", re.IGNORECASE)
DATE_YEAR: Final = re.compile(r"năm\s*\d{4}", re.IGNORECASE)

# 36-HD/VPTW điểm 1.5 (C5): the tên loại list of QĐ 66/399 (25 types) and the giấy tờ hành chính.
DOCUMENT_TYPES: Final = (
    "CƯƠNG LĨNH CHÍNH TRỊ",
    "ĐIỀU LỆ",
    "CHIẾN LƯỢC",
    "NGHỊ QUYẾT",
    "QUYẾT ĐỊNH",
    "CHỈ THỊ",
    "KẾT LUẬN",
    "QUY CHẾ",
    "QUY ĐỊNH",
    "THÔNG TRI",
    "HƯỚNG DẪN",
    "THÔNG BÁO",
    "THÔNG CÁO",
    "TUYÊN BỐ",
    "LỜI KÊU GỌI",
    "BÁO CÁO",
    "KẾ HOẠCH",
    "QUY HOẠCH",
    "CHƯƠNG TRÌNH",
    "CHƯƠNG TRÌNH HÀNH ĐỘNG",  # a chương trình (399-QĐ/TW), its tên loại as issued, e.g. 104-CTr/TU (2026)
    "ĐỀ ÁN",
    "PHƯƠNG ÁN",
    "DỰ ÁN",
    "TỜ TRÌNH",
    "BIÊN BẢN",
    "GIẤY GIỚI THIỆU",
    "GIẤY CHỨNG NHẬN",
    "GIẤY ĐI ĐƯỜNG",
    "GIẤY NGHỈ PHÉP",
    "GIẤY MỜI",
    "PHIẾU CHUYỂN",
    "PHIẾU GỬI",
    "CÔNG VĂN",
)

# 36-HD/VPTW điểm 1.7.1 (C7): T/M, K/T, T/L (and the non-Party T/UQ); NĐ 30: TM., KT., TL., TUQ., Q.
SIGNING_FORM: Final = re.compile(
    r"^(?P<form>T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|T\s*/\s*UQ|TM\.|KT\.|TL\.|TUQ\.|Q\.)\s*(?P<rest>\S.*)$"
)
# Titles that stand alone in a signature block (the head of an advisory body signs directly).
SIGNER_TITLES: Final = frozenset(
    {
        "BÍ THƯ",
        "PHÓ BÍ THƯ",
        "BÍ THƯ THƯỜNG TRỰC",
        "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "TỔNG BÍ THƯ",
        "CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "CHỦ NHIỆM",
        "PHÓ CHỦ NHIỆM",
        "CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "CHỦ TRÌ HỘI NGHỊ",
        "NGƯỜI GHI BIÊN BẢN",
        "THƯ KÝ HỘI NGHỊ",
        "TRƯỞNG ĐOÀN",
    }
)

# An annex (phụ lục) or attached form opens its own section: its "Nơi nhận" is not the document's.
ANNEX: Final = re.compile(r"^(?:PHỤ LỤC|Phụ lục)\b")

# "Nơi nhận:", compared folded so that an OCR slip on a mark or the colon ("Nơi nhân:", "Noi nhận;") still reads.
NOI_NHAN_FOLD: Final = re.compile(r"^noi\s*nhan\s*[:;.]?$")
# "Kính gửi:", and "Kính trình:" of a tờ trình to a superior body (05-HD/VPTW I.9.2.4): the same list.
KINH_GUI: Final = re.compile(r"^K[íi]nh\s*(?:g[ửu]i|tr[ìi]nh(?=\s*(?::|$)))\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
ENTRY: Final = re.compile(r"^\s*[-–—•+]\s*(?P<text>\S.*)$")
STAR: Final = re.compile(r"^\s*\*\s*$")

# 05-HD/VPTW I.7.1.4 a(ii), e(ii): the office confirms a signature that may not be sealed, under the signer's
# own block: "Xác nhận chữ ký của đồng chí …" then "T/L BAN THƯỜNG VỤ" / "CHÁNH VĂN PHÒNG" (compared folded).
CONFIRMATION_FOLD: Final = re.compile(r"^xac nhan chu ky\b")
# 05-HD/VPTW I.7.1.4 a(ii): the minutes-taker's block of a biên bản, on the left (compared folded).
MINUTE_TAKER_FOLD: Final = "nguoi ghi bien ban"
# 05-HD/VPTW I.7.1.4 đ: a body without its own seal signs with a "kiêm" title ("BÍ THƯ kiêm TRƯỞNG BAN CHỈ ĐẠO");
# compared lower case on the word as written: "KIỂM" (of "ỦY BAN KIỂM TRA") is another word.
KIEM_WORDS: Final = frozenset({"kiêm", "kiem"})
# 05-HD/VPTW II.5, Phụ lục 2 row 13: the drafter's mark and copy count, one token ("NguyenVanAn-26"; under
# 36-HD "NVA-26", "ABC-268"): letters, a separator, the number of copies.
DRAFTER_MARK: Final = re.compile(r"^[^\W\d_]{2,40}[-_.]\d{1,4}$")
# 05-HD/VPTW II.6: contact information of the issuing body (address, phone, fax, e-mail, website) at the end.
CONTACT: Final = re.compile(
    r"^(?:[-–•*+]\s*)?(?:Địa\s*chỉ\s*:|Điện\s*thoại\s*(?::|\(?\+?\d)|ĐT\s*:|Tel\s*:|Fax\s*(?::|\(?\+?\d)"
    r"|E\s*-?\s*mail\s*:|Website\s*:)",
    re.IGNORECASE,
)
RULE: Final = re.compile(r"^\s*[-_–—=.]{3,}\s*$")

# A text-only reading (tesseract without geometry) joins two columns with one space; where the seam is:
# the số, then the place and date of the right-hand column ("Số 75-KL/TW Hà Nội, ngày 28 tháng 7 năm 2026").
NUMBER_THEN_DATE: Final = re.compile(
    rf"^(?P<number>{_SO}[^/]*?/\s*\S+)\s+(?=[^\W\d_][^,\d:;()/]*,\s*ngày\b)", re.IGNORECASE
)
# An entry's own end: what follows it on the line (after a space) is another column or a speck.
ENTRY_END: Final = re.compile(r"[;,.](?=\s)")

# Not the document's text (05-HD notes on real 2026 documents): the e-signature stamp's time
# ("BỘ CHÍNH TRỊ 28-07-2026 18:08:51 +07:00", the signer's name on the same line or just above it) and the
# running file name a central document prints from page 2 ("18.CTRTW31.DOC 2"; OCR: "18.KLTW7S.DOC. K)").
SIGNED_AT: Final = re.compile(
    r"^(?P<name>.*?)\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{4}\s+\d{1,2}:\d{2}:\d{2}\s*(?:[+-]\s*\d{2}:?\d{2})?\s*$"
)
RUNNING_FILE_NAME: Final = re.compile(r"^[\w.\-]*\w\.(?:docx?|pdf|odt|rtf)\.?(?:\s+\S{1,2}){0,2}\s*$", re.IGNORECASE)

# 36-HD/VPTW (C10, QĐ 66 Điều 16): độ mật and độ khẩn; the tone is compared in the new style.
SECRECY: Final = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
URGENCY: Final = ("HỎA TỐC HẸN GIỜ", "THƯỢNG KHẨN", "HỎA TỐC", "KHẨN")
# C11b: "Dự thảo" or "Dự thảo lần N".
DRAFT: Final = re.compile(r"^(?:\(\s*)?dự\s*thảo(?:\s+lần(?:\s+thứ)?\s*\d+)?(?:\s*\))?$", re.IGNORECASE)

PARTY_TITLE_FOLD: Final = "dang cong san viet nam"
STATE_TITLE_FOLD: Final = "cong hoa xa hoi chu nghia viet nam"
MOTTO_FOLD: Final = "doc lap - tu do - hanh phuc"
