"""Party or state, decided from every signal of the document, and whether NĐ 30/2020 governs it at all.

One line read wrong (an unreadable Quốc hiệu on a scan) must not turn a state document into a Party one,
and a Party document that also carries the Quốc hiệu is still judged as the Party document it mostly is
(FMT-MIXED-PROFILE tells the rest). So each signal votes: the title (ĐẢNG CỘNG SẢN VIỆT NAM against the
Quốc hiệu and Tiêu ngữ) counts twice, the order of the number line ("15-NQ/TU" against "120/UBND"), the
đề ký ("T/M" against "TM."), the archive line ("Lưu Văn phòng" against "Lưu: VT") and the star once each.
"""

from __future__ import annotations

import re
from typing import Final

from archive_service.validation.context import (
    PARTY_NUMBER_RE,
    PARTY_TITLE,
    QUOC_HIEU,
    STATE_NUMBER_RE,
    TIEU_NGU,
    parse_signature,
    upper,
)
from indexers.textnorm import canonical
from schemas.fields import DocumentFields, Profile
from schemas.parsed import ParsedDocument

PARTY: Final = Profile.PARTY.value
STATE: Final = Profile.STATE.value
HEADER_LINES: Final = 20
TITLE_WEIGHT: Final = 2
STATE_ARCHIVE: Final = re.compile(r"^Lưu\s*:|^Lưu\b.*\bVT\b")
PARTY_ARCHIVE: Final = re.compile(r"^Lưu\s+(?!:)(Văn phòng|VP|Đảng ủy|Đảng uỷ|Chi bộ|Đảng bộ|Ban|Tỉnh ủy|Huyện ủy)")
# Legal normative documents (văn bản quy phạm pháp luật): NĐ 30/2020 does not govern their format.
LEGAL_NORMATIVE_TYPES: Final = frozenset(
    {"NGHỊ ĐỊNH", "THÔNG TƯ", "THÔNG TƯ LIÊN TỊCH", "LUẬT", "BỘ LUẬT", "PHÁP LỆNH", "LỆNH", "SẮC LỆNH"}
)
LEGAL_NORMATIVE_ABBR: Final = frozenset({"NĐ", "TT", "TTLT", "PL", "L"})


def _header_texts(fields: DocumentFields, parsed: ParsedDocument | None) -> list[str]:
    texts = [fields.title or ""]
    if parsed is not None:
        texts += [ln.rendered_text for ln in parsed.lines[:HEADER_LINES] if len(ln.text) < 60]
    return [upper(t) for t in texts if t.strip()]


def _number_vote(fields: DocumentFields) -> str | None:
    line = canonical(fields.number_line or "")
    if not line.startswith("Số"):
        return None
    if PARTY_NUMBER_RE.match(re.sub(r"^Số\s*:\s*", "Số ", line)):
        return PARTY
    if STATE_NUMBER_RE.match(line):
        return STATE
    return None


def _archive_vote(fields: DocumentFields) -> str | None:
    if not fields.recipients:
        return None
    last = re.sub(r"^\s*[-–]\s*", "", canonical(fields.recipients[-1]))
    if STATE_ARCHIVE.match(last):
        return STATE
    if PARTY_ARCHIVE.match(last):
        return PARTY
    return None


def profile_votes(fields: DocumentFields, parsed: ParsedDocument | None = None) -> dict[str, int]:
    """How many signals speak for each profile (the title counts twice)."""
    votes = {PARTY: 0, STATE: 0}
    headers = _header_texts(fields, parsed)
    if any(t == PARTY_TITLE for t in headers):
        votes[PARTY] += TITLE_WEIGHT
    if any(QUOC_HIEU.search(t) or TIEU_NGU.search(t) for t in headers):
        votes[STATE] += TITLE_WEIGHT
    sig = parse_signature(fields.signing_form)
    if sig is not None and sig.raw_prefix is not None and sig.raw_prefix != "Q.":
        votes[STATE if sig.state_style else PARTY] += 1
    for vote in (_number_vote(fields), _archive_vote(fields)):
        if vote is not None:
            votes[vote] += 1
    if fields.star:
        votes[PARTY] += 1
    return votes


def detect_profile(fields: DocumentFields, parsed: ParsedDocument | None = None) -> str:
    """The dominant profile; on a tie the reader's, else Party (the service is for Party offices)."""
    votes = profile_votes(fields, parsed)
    if votes[PARTY] != votes[STATE]:
        return PARTY if votes[PARTY] > votes[STATE] else STATE
    return fields.profile.value if fields.profile != Profile.UNKNOWN else PARTY


def is_legal_normative(fields: DocumentFields, profile: str) -> bool:
    """A nghị định, thông tư, luật…: read, but its format is not checked against NĐ 30/2020."""
    if fields.legal_normative or upper(fields.document_type) in LEGAL_NORMATIVE_TYPES:
        return True
    if profile != STATE:
        return False  # "TT" is a Party thông tri
    code = canonical(fields.type_code or "")
    m = STATE_NUMBER_RE.match(canonical(fields.number_line or ""))
    if m is not None:
        code = code or m.group("kh").split("-")[0]
        if m.group("nam"):
            return True  # "Số: 30/2020/NĐ-CP": the year in the number is the mark of a VBQPPL
    return code in LEGAL_NORMATIVE_ABBR
