"""What a rule sees: the document, its fields, the profile, the regime and tables in force on its date.

Also the derived facts several rules share — which body issued the document (kind and level), the đề ký
split into its prefix and entity, the resolved document type — computed once per document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Final

from archive_service.validation.tables import (
    HD05,
    HD36,
    TABLES,
    AuthorityTable,
    DocumentType,
    DocumentTypesTable,
    GuideRule,
    IssuersTable,
    SigningTable,
    Tables,
)
from indexers.textnorm import canonical, fold
from schemas.fields import DocumentFields, Profile
from schemas.findings import Location
from schemas.parsed import ParsedDocument, TextLine

REGIME_66_START: Final = date(2017, 2, 6)  # Quy định 66-QĐ/TW [V]
REGIME_399_START: Final = date(2026, 1, 9)  # Quy định 399-QĐ/TW, in force on signing [V]

QUOC_HIEU: Final = re.compile(r"CỘNG H[ÒO]A XÃ HỘI CHỦ NGHĨA VIỆT NAM")
TIEU_NGU: Final = re.compile(r"Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)
PARTY_TITLE: Final = "ĐẢNG CỘNG SẢN VIỆT NAM"

# Đề ký: the Party forms with a slash, the state forms with a dot (or neither, a frequent slip).
SIGN_RE: Final = re.compile(r"^\s*(T/M|K/T|T/L|T/UQ|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.)\s+(?P<entity>\S.*)$")
# "Số 2449 -CV/ĐU": a number typed into the blank left for it keeps a space before the hyphen (real 2026
# documents, hd05-2026.md): not a malformed number.
PARTY_NUMBER_RE: Final = re.compile(
    r"^Số\s+(?P<so>\d+|\s*)\s*-(?P<loai>[A-ZĐ][A-Za-zĐđ]{0,5})/"
    r"(?P<cq>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*)\s*$"
)
STATE_NUMBER_RE: Final = re.compile(
    r"^Số:?\s*(?P<so>\d+|\s*)/(?:(?P<nam>\d{4})/)?"
    r"(?P<kh>[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)+)\s*$"
)


def upper(text: str | None) -> str:
    """Canonical upper-case form for comparing header names: NFC, new tone style, single spaces."""
    return canonical(text or "").upper()


def near(a: str, b: str, max_edits: int = 1) -> bool:
    """Equal up to ``max_edits`` insertions, deletions or substitutions (OCR slips)."""
    if abs(len(a) - len(b)) > max_edits:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= max_edits


def regime_on(on: date) -> str:
    """The regulation on document types and authority in force on ``on``."""
    if on >= REGIME_399_START:
        return "399"
    if on >= REGIME_66_START:
        return "66"
    return "pre-66"


@dataclass(frozen=True)
class Signature:
    """The đề ký line split: ``raw_prefix`` as written ("TM."), ``prefix`` normalised ("T/M"), entity."""

    raw_prefix: str | None
    prefix: str | None  # T/M | K/T | T/L | T/UQ | Q. | None (head signing directly)
    entity: str  # "BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"…; "" when none
    state_style: bool


def parse_signature(signing_form: str | None) -> Signature | None:
    if not signing_form or not signing_form.strip():
        return None
    text = upper(signing_form)
    m = SIGN_RE.match(text)
    if m is None:
        return Signature(raw_prefix=None, prefix=None, entity=text, state_style=False)
    raw = m.group(1)
    norm = {"TM": "T/M", "KT": "K/T", "TL": "T/L", "TUQ": "T/UQ"}.get(raw.rstrip("."), raw)
    return Signature(raw_prefix=raw, prefix=norm, entity=m.group("entity").strip(), state_style="/" not in raw)


@dataclass(frozen=True)
class IssuerInfo:
    """Who issued the document, as far as the header and the signature tell."""

    kind: str | None = None  # a BodyKind of the tables
    level: str | None = None  # TW | TINH | HUYEN | CTCS | CO_SO
    name: str = ""  # the issuer line, canonical upper case
    committee: str | None = None  # the cấp ủy this body belongs to, e.g. "TỈNH ỦY THANH HÓA"
    expected_codes: tuple[str, ...] = ()  # issuer codes that fit the header
    code_prefix_only: bool = False
    code_tag: str = "S"
    organ_abbr: str | None = None
    head_title: str | None = None
    province: str | None = None  # for the merged-province check
    is_committee: bool = False  # the header names a cấp ủy itself


def _match_committee(tables: IssuersTable, line: str, parent: str, on: date) -> IssuerInfo | None:
    for c in tables.committees:
        m = re.search(c.pattern, line)
        if m is None:
            continue
        if c.parent is not None and not re.search(c.parent, parent):
            continue
        province = line[m.end() :].strip() if c.province else None
        if province is None and c.level in ("HUYEN",):
            pm = re.match(r"^ĐẢNG BỘ (?:TỈNH|THÀNH PHỐ) (.+)$", parent)
            province = pm.group(1).strip() if pm else None
        return IssuerInfo(
            kind=c.body or "CAP_UY",
            level=c.level_on(on),
            name=line,
            committee=line,
            expected_codes=tuple(dict.fromkeys([*c.codes, *_composed_codes(line, c.codes)])),
            code_tag=c.tag,
            province=province,
            is_committee=True,
        )
    return None


DANG_UY: Final = "ĐẢNG ỦY "


def _initials(words: str) -> str:
    return "".join(w[0] for w in words.split() if w[:1].isalpha())


def _composed_codes(line: str, codes: list[str]) -> list[str]:
    """ "ĐU" followed by the body's initials ("ĐẢNG ỦY BỘ TÀI CHÍNH" → "ĐUBTC"): the composition rule of
    issuer abbreviations (05-HD/VPTW I.3.1.2 b, initials of the body's name), also the usage before it."""
    if "ĐU" not in codes or not line.startswith(DANG_UY):
        return []
    rest = _initials(line[len(DANG_UY) :])
    return [f"ĐU{rest}"] if rest else []


def _level_from_text(tables: IssuersTable, text: str, on: date) -> str | None:
    for lp in tables.levels_from_text:
        if re.search(lp.pattern, text):
            return lp.level_on(on)
    return None


def classify_issuer(fields: DocumentFields, on: date, tables: Tables = TABLES) -> IssuerInfo:
    """Work out the issuing body's kind and level from the header lines and the đề ký."""
    issuers = tables.issuers(on)
    line = upper(fields.issuer)
    parent = upper(fields.parent_issuer)
    if issuers is None or not line:
        return IssuerInfo(name=line)
    sig = parse_signature(fields.signing_form)
    committee = _match_committee(issuers, line, parent, on)
    if committee is not None:
        kind = committee.kind
        if kind == "CAP_UY" and sig is not None and sig.prefix in ("T/M", "T/L"):
            kind = _committee_organ(sig.entity, line) or kind
        return IssuerInfo(**{**committee.__dict__, "kind": kind})
    for organ in issuers.organs:
        if not re.search(organ.pattern, line):
            continue
        parent_info = _match_committee(issuers, parent, "", on) if parent else None
        level = parent_info.level if parent_info else None
        if level is None:
            level = _level_from_text(issuers, parent or line, on)
        if organ.standalone and organ.kind == "DAI_HOI":
            level = _level_from_text(issuers, line, on) or level
        parent_codes = parent_info.expected_codes if parent_info else ()
        if organ.abbr is None:
            codes: tuple[str, ...] = ()
        elif organ.standalone or organ.prefix_only:
            codes = (organ.abbr,)
        elif organ.abbr == "":
            codes = parent_codes
        else:
            codes = tuple(organ.abbr + c for c in parent_codes)
        return IssuerInfo(
            kind=organ.kind,
            level=level,
            name=line,
            committee=parent_info.committee if parent_info else None,
            expected_codes=codes,
            code_prefix_only=organ.prefix_only,
            code_tag=organ.tag,
            organ_abbr=organ.abbr,
            head_title=organ.head,
            province=parent_info.province if parent_info else None,
        )
    return IssuerInfo(name=line)


def _committee_organ(entity: str, committee_line: str) -> str | None:
    """Which organ of a cấp ủy acts, from the entity of a T/M or T/L line."""
    if entity.startswith("BAN THƯỜNG VỤ"):
        return "BTV"
    if entity.startswith("BỘ CHÍNH TRỊ"):
        return "BCT"
    if entity.startswith("BAN BÍ THƯ"):
        return "BBT"
    if entity.startswith("THƯỜNG TRỰC"):
        return "THUONG_TRUC"
    if entity.startswith("BAN CHẤP HÀNH") or entity == committee_line:
        return "BCH"
    first_word = committee_line.split(" ")[:2]
    if entity.split(" ")[:2] == first_word or entity.startswith(("TỈNH ỦY", "THÀNH ỦY", "HUYỆN ỦY", "ĐẢNG ỦY")):
        return "BCH"
    if entity.startswith("CHI BỘ"):
        return "CHI_BO"
    return None


@dataclass
class CheckContext:
    """One document under check, with the tables in force on its date."""

    parsed: ParsedDocument | None
    fields: DocumentFields
    profile: str  # "party" | "state"
    today: date
    tables: Tables = field(default=TABLES)
    # For a partial or unread date: the day of the span (year, month) the engine judges the document by.
    judged_on: date | None = None
    # The format guide this run judges by (tables/regimes.yaml): 36-HD/VPTW or 05-HD/VPTW.
    guide: str = HD36

    @property
    def hd05(self) -> bool:
        """Judged by Hướng dẫn 05-HD/VPTW (a Party document of 27/05/2026 or later, or of the window before it)."""
        return self.guide == HD05 and self.party

    def guide_rule(self, rule_id: str) -> GuideRule | None:
        """How a rule reads under this run's guide, when it is not the rule's own wording (36-HD/VPTW)."""
        if self.guide == HD36 or not self.party:
            return None
        table = self.tables.guide(self.guide)
        return table.rules.get(rule_id) if table is not None else None

    @property
    def on(self) -> date:
        """The date the document is judged by: its own, else one the engine chose from what could be read."""
        return self.fields.issued_on or self.judged_on or self.today

    @property
    def dated_on(self) -> date | None:
        """For rules that need the document's own date: its date, else the day judged from a partial reading."""
        return self.fields.issued_on or self.judged_on

    @property
    def date_label(self) -> str:
        """The date as far as it was read, for messages: "ngày 05/03/2024", "tháng 8/2025", "năm 2025"."""
        f = self.fields
        if f.issued_on is not None:
            return f"ngày {f.issued_on:%d/%m/%Y}"
        if f.issued_year is not None and f.issued_month is not None:
            return f"tháng {f.issued_month}/{f.issued_year}"
        if f.issued_year is not None:
            return f"năm {f.issued_year}"
        return "chưa rõ ngày"

    @property
    def regime(self) -> str:
        return regime_on(self.on)

    @property
    def party(self) -> bool:
        return self.profile == Profile.PARTY.value

    @cached_property
    def issuer(self) -> IssuerInfo:
        return classify_issuer(self.fields, self.on, self.tables)

    @cached_property
    def signature(self) -> Signature | None:
        return parse_signature(self.fields.signing_form)

    @cached_property
    def doc_types(self) -> DocumentTypesTable | None:
        return self.tables.document_types(self.profile, self.on)

    @cached_property
    def authority(self) -> AuthorityTable | None:
        return self.tables.authority(self.on) if self.party else None

    @cached_property
    def signing(self) -> SigningTable | None:
        return self.tables.signing(self.on) if self.party else None

    @cached_property
    def doc_type(self) -> DocumentType | None:
        """The document's type: from the tên loại (a công văn is named "CÔNG VĂN"), else the ký hiệu."""
        table = self.doc_types
        if table is None:
            return None
        name = upper(self.fields.document_type)
        if name:
            found = table.by_name(name)
            if found is not None:
                return found
        code = self.type_code
        if code:
            candidates = table.by_abbr(code)
            if len(candidates) == 1:
                return candidates[0]
        return None  # no tên loại read and an ambiguous or unknown ký hiệu: the type is not known

    @cached_property
    def number_parts(self) -> dict[str, str] | None:
        """so / loai / cq parsed from the number line in the profile's form."""
        line = canonical(self.fields.number_line or "")
        m = PARTY_NUMBER_RE.match(line.replace("Số:", "Số ", 1)) if self.party else STATE_NUMBER_RE.match(line)
        if m is None:
            return None
        if self.party:
            return {"so": m.group("so").strip(), "loai": m.group("loai"), "cq": m.group("cq")}
        parts = m.group("kh").split("-")
        return {"so": m.group("so").strip(), "loai": parts[0], "cq": "-".join(parts[1:])}

    @cached_property
    def state_cong_van(self) -> bool:
        """A state công văn: NĐ 30 gives it no type abbreviation, its ký hiệu is issuer-unit ("120/UBND-KGVX")."""
        if self.party:
            return False
        name = upper(self.fields.document_type)
        if name and name != "CÔNG VĂN":
            return False
        table = self.doc_types
        if name == "CÔNG VĂN" or table is None:
            return True
        code = self.fields.type_code or ((self.number_parts or {}).get("loai"))
        return not code or not table.known_abbr(canonical(code))

    @property
    def type_code(self) -> str | None:
        if self.state_cong_van:
            return None  # the first group of a công văn's ký hiệu is its issuer, not a type
        if self.fields.type_code:
            return canonical(self.fields.type_code)
        parts = self.number_parts
        return parts["loai"] if parts else None

    @property
    def issuer_code(self) -> str | None:
        if self.fields.issuer_code:
            return canonical(self.fields.issuer_code)
        parts = self.number_parts
        return parts["cq"] if parts else None

    # --- locations ----------------------------------------------------------------------------

    def line_at(self, index: int | None) -> TextLine | None:
        if self.parsed is None or index is None:
            return None
        lines = self.parsed.lines
        if 0 <= index < len(lines) and lines[index].index == index:
            return lines[index]
        return next((ln for ln in lines if ln.index == index), None)

    def line_of(self, field_name: str) -> TextLine | None:
        """The TextLine an extracted field was read from, if the extractor said where."""
        loc = self.fields.locations.get(field_name)
        return self.line_at(loc.line) if loc is not None else None

    def location(self, field_name: str, text: str | None = None) -> Location | None:
        """Where a field was found: from ``fields.locations``, completed with the line's paragraph."""
        loc = self.fields.locations.get(field_name)
        if loc is None:
            value = getattr(self.fields, field_name, None)
            shown = text if text is not None else (value if isinstance(value, str) else None)
            return Location(text=shown) if shown else None
        line = self.line_at(loc.line)
        return Location(
            page=loc.page if loc.page is not None else (line.page if line else None),
            line=loc.line,
            paragraph=line.paragraph if line else None,
            text=text if text is not None else loc.text,
        )

    def location_of_text(self, field_name: str, text: str) -> Location | None:
        """The line at or after a field's location whose text contains ``text`` (e.g. one recipient)."""
        loc = self.fields.locations.get(field_name)
        if self.parsed is not None and loc is not None and loc.line is not None:
            wanted = canonical(text)
            for ln in self.parsed.lines[loc.line : loc.line + 40]:
                if wanted and wanted in canonical(ln.rendered_text):
                    return self.location_of_line(ln)
        return self.location(field_name, text=text)

    def location_of_line(self, line: TextLine) -> Location:
        return Location(page=line.page, line=line.index, paragraph=line.paragraph, text=line.rendered_text)

    def find_lines(self, pattern: re.Pattern[str], *, limit: int | None = None) -> list[TextLine]:
        """Lines whose rendered text matches ``pattern`` (searched), in reading order."""
        if self.parsed is None:
            return []
        lines = self.parsed.lines if limit is None else self.parsed.lines[:limit]
        return [ln for ln in lines if pattern.search(canonical(ln.rendered_text))]


def corrected_number(
    ctx: CheckContext, *, so: str | None = None, loai: str | None = None, cq: str | None = None
) -> str:
    """The document's own number line written right ("Số 05-NQ/TU"), with the parts a rule corrects."""
    parts = ctx.number_parts or {}
    number = so if so is not None else parts.get("so") or (ctx.fields.number or "").strip()
    if number.isdigit() and len(number) == 1:
        number = f"0{number}"
    kind = loai or parts.get("loai") or ctx.type_code or "…"
    issuer = cq or parts.get("cq") or ctx.issuer_code or "…"
    return f"Số {number or '…'}-{kind}/{issuer}"


def folded(text: str | None) -> str:
    return fold(text or "")
