"""ParsedDocument → DocumentFields: the formal elements of 36-HD/VPTW, wherever the layout put them.

Works on "items": pieces of lines split at tab stops, each with its canonical text, style and place,
so that a header laid out as a table, with tab stops or as plain lines reads the same. Every
element is optional: a missing one stays None, and odd input never raises.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import date

from indexers import extract_patterns as pat
from indexers.textnorm import canonical, fold, nfc
from schemas.fields import DocumentFields, FieldLocation, Profile
from schemas.parsed import CellRef, ParsedDocument, Region, TextLine

log = logging.getLogger(__name__)

_HEADER_SPAN = 40  # the header block sits in the first lines of page 1
_COLUMN_PT = 130.0  # lines of one header column have centres closer than this
_COLUMN_CHARS = 20.0  # the same, in characters of a text laid out with spaces (about 90 to an A4 line)
_TAB_SPLIT = re.compile(r"\t+| {5,}")
# Blanks left for a number or a date in a draft ("Số      -NQ/ĐU", "ngày    tháng") are not columns.
_BLANK_BEFORE = re.compile(r"(?:^|\s)(?:Số:?|ngày|tháng|năm)$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_FOLDED_TYPES = {fold(t): t for t in (*pat.DOCUMENT_TYPES, *pat.LEGAL_TYPES)}
_LEGAL_FOLDED = frozenset(fold(t) for t in pat.LEGAL_TYPES)
_HEURISTIC = 0.6  # confidence of a field found by a fallback heuristic rather than read where it belongs
_SUMMARY_LINES = 8  # a trích yếu runs over a few lines at most
_NAME_LINES = 7  # the signer's name is among the next lines of the signature column
_BESIDE_LINES = 24  # ... with the nơi nhận entries beside it in between
_NOISE = 0.3  # an OCR line whose words average below this confidence is specks, not text


@dataclass
class _Item:
    text: str  # as written, NFC, spaces collapsed
    canon: str  # canonical: new tone style too
    line: TextLine
    bold: bool | None  # None when the piece has no style information
    italic: bool | None
    size: float | None
    x: float | None
    y: float | None
    width: float | None
    piece: int = 0  # which of the line's tab-separated pieces: its column when the line has no geometry
    pieces: int = 1
    col: float | None = None  # no geometry, laid out with spaces (pdftotext -layout): the centre, in characters

    @property
    def cell(self) -> CellRef | None:
        return self.line.cell

    @property
    def center(self) -> float | None:
        if self.x is None or self.width is None:
            return None
        return self.x + self.width / 2

    @property
    def upper(self) -> bool:
        return bool(_LETTER.search(self.canon)) and self.canon == self.canon.upper()

    def location(self) -> FieldLocation:
        return FieldLocation(page=self.line.page, line=self.line.index, text=self.line.text)


def _clean(text: str) -> str:
    return " ".join(nfc(text).split())


def _items(parsed: ParsedDocument) -> list[_Item]:
    items: list[_Item] = []
    skip = _not_text(parsed.lines)
    head = True  # before the số: the issuer and the tiêu đề may share a line
    for k, line in enumerate(parsed.lines):
        if k in skip or (line.region in (Region.HEADER, Region.FOOTER) and not _scanned_top(line)):
            continue
        rendered = line.rendered_text
        pieces = [
            s
            for p in _split_columns(rendered)
            for s in _seams(p, ocr=parsed.ocr, head=head and line.page == 1)
            if s.strip()
        ]
        if not pieces:
            continue
        head = head and not any(pat.NUMBER_START.match(canonical(p.strip())) for p in pieces)
        positioned = len(pieces) == 1
        laid = _laid_with_spaces(line)
        offset = 0
        for n, piece in enumerate(pieces):
            start = rendered.find(piece, offset)
            offset = start + len(piece)
            bold, italic, size = _style(line, start, offset)
            lead = len(piece) - len(piece.lstrip())
            items.append(
                _Item(
                    text=_clean(piece),
                    canon=canonical(piece),
                    line=line,
                    bold=bold,
                    italic=italic,
                    size=size,
                    x=line.x_pt if positioned else None,
                    y=line.y_pt if positioned else None,
                    width=line.width_pt if positioned else None,
                    piece=n,
                    pieces=len(pieces),
                    col=start + lead + len(piece.strip()) / 2 if laid else None,
                )
            )
    return items


def _laid_with_spaces(line: TextLine) -> bool:
    """A line without geometry whose columns are kept by runs of spaces (pdftotext -layout): a character's
    place on it is its place on the page, near enough to tell the left column from the right."""
    text = line.rendered_text
    return line.x_pt is None and "\t" not in text and (text[:1] == " " or "     " in text.strip())


def _not_text(lines: list[TextLine]) -> set[int]:
    """Positions of lines printed on the page that are not the document's text: the e-signature stamp
    (its time, and the signer's name on the line or on up to two lines above it) and the running file name of
    a central document (notes on real 2026 documents, hd05-2026.md)."""
    out: set[int] = set()
    for k, line in enumerate(lines):
        text = _clean(line.rendered_text)
        if pat.RUNNING_FILE_NAME.match(text):
            out.add(k)
            continue
        stamp = pat.SIGNED_AT.match(text)
        if stamp is None or stamp.group("name") != stamp.group("name").upper():
            continue
        out.add(k)
        for j in range(k - 1, max(k - 3, -1), -1):
            if stamp.group("name") or lines[j].page != line.page or j in out:
                break
            above = canonical(lines[j].rendered_text)
            if not _LETTER.search(above) or above != above.upper() or pat.SIGNING_FORM.match(above):
                break
            if fold(above) in (pat.PARTY_TITLE_FOLD, pat.STATE_TITLE_FOLD):
                break
            out.add(j)
    return out


def _whole(line: TextLine) -> _Item:
    """The whole of a line as one item: for a line read outside the items (a page footer)."""
    rendered = line.rendered_text
    bold, italic, size = _style(line, 0, len(rendered))
    return _Item(_clean(rendered), canonical(rendered), line, bold, italic, size, line.x_pt, line.y_pt, line.width_pt)


def _scanned_top(line: TextLine) -> bool:
    """A line of page 1 that OCR placed in the top margin: a scan set high on the glass, not a running head.

    Page 1 carries no page number (format-rules C15: not shown on page 1), so the words there
    are the header itself; a bare mark or number is still left out.
    """
    return (
        line.page == 1
        and line.region == Region.HEADER
        and line.ocr_confidence is not None
        and len(_LETTER.findall(line.text)) >= 4
    )


def _split_columns(text: str) -> list[str]:
    """Pieces of a line laid out with tab stops (or long runs of spaces) as columns."""
    pieces: list[str] = []
    last = 0
    for m in _TAB_SPLIT.finditer(text):
        if m.group(0).startswith(" ") and _BLANK_BEFORE.search(text[last : m.start()]):
            continue
        pieces.append(text[last : m.start()])
        last = m.end()
    pieces.append(text[last:])
    return pieces


_TITLE_WORDS = {fold(t): len(t.split()) for t in (pat.PARTY_TITLE_FOLD, pat.STATE_TITLE_FOLD)}


def _seams(piece: str, *, ocr: bool, head: bool) -> list[str]:
    """A piece cut where a text-only reading (tesseract without geometry) joined two columns with one space.

    Only where the left-hand element is known to end: the số before the place and date, the issuer before
    the tiêu đề (``head``: lines above the số), the "Nơi nhận:" label before the signing form, and on a scan
    a nơi nhận entry before the signature column (``_title_column``), and specks after a line's end.
    """
    text = piece.strip()
    number = pat.NUMBER_THEN_DATE.match(text)
    if number:
        return [text[: number.end("number")], text[number.end() :]]
    words = text.split()
    if len(words) > 2 and pat.NOI_NHAN_FOLD.match(fold(" ".join(words[:2]))) and _capitals(" ".join(words[2:])):
        at = text.index(words[2], len(words[0]) + len(words[1]))
        return [text[:at].rstrip(), text[at:]]
    if head and _capitals(text):
        for title, n in _TITLE_WORDS.items():
            if len(words) > n and fold(" ".join(words[-n:])) == title and _capitals(" ".join(words[:-n]), letters=2):
                at = text.rindex(words[-n])
                return [text[:at].rstrip(), text[at:]]
    if ocr:
        entry = pat.ENTRY.match(text)
        for end in pat.ENTRY_END.finditer(text):
            tail = text[end.end() :].strip()
            if tail and all(map(_speck, tail.split())):
                return [text[: end.end()]]  # specks after the end of a line: not text
            if entry and _title_column(tail, archive=fold(entry.group("text")).startswith("luu")):
                return [text[: end.end()], tail]
    return [piece]


def _capitals(text: str, *, letters: int = 1) -> bool:
    """Written in capitals, with at least ``letters`` letters."""
    canon = canonical(text)
    return len(_LETTER.findall(canon)) >= letters and canon == canon.upper()


def _speck(token: str) -> bool:
    """An OCR speck: no digit, and at most one letter or letters a minority of its characters ("Ì", "<Ỹ`.ưF_")."""
    found = len(_LETTER.findall(token))
    return not any(ch.isdigit() for ch in token) and (found <= 1 or found < 0.6 * len(token))


def _title_column(tail: str, *, archive: bool) -> bool:
    """What follows a nơi nhận entry's end on an OCR line is the signature column's title line, not the entry:
    words mostly in capitals, two of them real words, no list punctuation — never on the archive line
    ("- Lưu: VT, TH.")."""
    tokens = tail.split()
    words = [t for t in tokens if len(_LETTER.findall(t)) >= 2 and _capitals(t)]
    capitals = [t for t in tokens if _capitals(t)]
    return not archive and len(words) >= 2 and 2 * len(capitals) > len(tokens) and not any(ch in tail for ch in ";,")


def _style(line: TextLine, start: int, end: int) -> tuple[bool | None, bool | None, float | None]:
    """Bold/italic/size of the characters [start, end) of the line, from its runs."""
    if not line.runs:
        return None, None, None
    pos = 0
    bold: list[bool] = []
    italic: list[bool] = []
    sizes: list[float] = []
    for run in line.runs:
        run_end = pos + len(run.text)
        if run_end > start and pos < end and run.text.strip():
            bold.append(run.bold)
            italic.append(run.italic)
            if run.size_pt is not None:
                sizes.append(run.size_pt)
        pos = run_end
    if not bold:
        return None, None, None
    return all(bold), all(italic), (max(sizes, key=sizes.count) if sizes else None)


def _same_column(a: _Item, b: _Item) -> bool:
    if a.cell is not None or b.cell is not None:
        # Same table and column: a header table may put the số in a second row under the issuer.
        return a.cell is not None and b.cell is not None and (a.cell.table, a.cell.col) == (b.cell.table, b.cell.col)
    if a.center is not None and b.center is not None:
        # A signature block may continue at the top of the next page.
        return abs(a.center - b.center) < _COLUMN_PT and abs(a.line.page - b.line.page) <= 1
    if a.center is None and b.center is None:
        return _same_text_column(a, b)
    return True


def _same_text_column(a: _Item, b: _Item) -> bool:
    """Pieces of lines without geometry: two pieces of one line are two columns; on lines laid out with spaces
    the pieces' places in characters tell; else lines cut alike pair piece by piece. Otherwise unknown: same."""
    if a.line is b.line:
        return a.piece == b.piece
    if a.col is not None and b.col is not None:
        return abs(a.col - b.col) < _COLUMN_CHARS
    if a.pieces > 1 and a.pieces == b.pieces:
        return a.piece == b.piece
    return True


# Compared folded (no diacritics): the old tone style ("UỶ") and an OCR slip on a mark ("TĨNH") still match.
_UNIT = re.compile(r"^(tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\b")
_BODY_WITHOUT_PLACE = re.compile(r"^(uy ban nhan dan|hoi dong nhan dan|uy ban mat tran to quoc viet nam)$")


def _noi_nhan(item: _Item) -> bool:
    """The "Nơi nhận:" label, also as OCR misreads its marks or its colon ("Nơi nhân:")."""
    return bool(pat.NOI_NHAN_FOLD.match(fold(item.canon).strip()))


def _same_block_column(a: _Item, b: _Item) -> bool:
    """``_same_column``, and on lines set with tab stops the same piece: "NGƯỜI GHI BIÊN BẢN<tab>CHỦ TRÌ HỘI NGHỊ"
    over "Trần Thị Mai<tab>Nguyễn Văn Hùng" pairs each label with the name under it."""
    if a.pieces > 1 and a.pieces == b.pieces and a.piece != b.piece:
        return False
    return _same_column(a, b)


def _one_name(lines: list[_Item]) -> bool:
    """'ỦY BAN NHÂN DÂN' over 'TỈNH THANH HÓA' is one name set on two lines, not parent and issuer."""
    return (
        len(lines) == 2
        and bool(_BODY_WITHOUT_PLACE.match(fold(lines[0].canon)))
        and bool(_UNIT.match(fold(lines[1].canon)))
    )


def _header_text(items: list[_Item], *, ocr: bool = False) -> str:
    """Header lines joined; stray punctuation at the ends (OCR specks, the rule) dropped; on a scan, a unit's
    misread mark put right (``_unit_spelling``)."""
    texts = (_unit_spelling(i.text) if ocr else i.text for i in items)
    return " ".join(texts).strip(" _-–—:;.,*'\"|~")


def _line_confidence(line: TextLine) -> float:
    """OCR confidence of the line a field came from: its least sure word (0..1); 1 for printed text."""
    value = line.ocr_confidence_min
    return 1.0 if value is None else max(0.0, min(1.0, value))


def _follows(prev: _Item, nxt: _Item) -> bool:
    """``nxt`` continues the block of ``prev``: the next line down (PDF), or the same cell (DOCX)."""
    if prev.cell is not None or nxt.cell is not None:
        return prev.cell == nxt.cell
    if prev.y is None or nxt.y is None or prev.line.page != nxt.line.page:
        return prev.y is None and nxt.y is None
    size = nxt.size or prev.size or 12.0
    return -0.5 * size <= nxt.y - prev.y < 2.0 * size


def _wrapped(prev: _Item, nxt: _Item) -> bool:
    """A line that wrapped: positioned right under ``prev`` in the same block (no paragraph gap)."""
    return prev.y is not None and nxt.y is not None and _follows(prev, nxt) and _same_column(prev, nxt)


_OF_ISSUER = re.compile(r"^(?P<type>.+?) cua [a-z]")


def _type_name(item: _Item) -> str | None:
    """The tên loại a line states: "QUYẾT ĐỊNH", or the older "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH …".

    Before NĐ 110/2004 and in legal normative documents the tên loại names its issuer in the same line.
    """
    folded = fold(item.canon).rstrip(" .:;,")  # "THÔNG BÁO." : a speck after the line on a scan
    name = _FOLDED_TYPES.get(folded)
    if name is None and item.upper:
        match = _OF_ISSUER.match(folded)
        name = _FOLDED_TYPES.get(match.group("type")) if match else None
    return name


_TITLES_FOLDED = {fold(t): t for t in pat.SIGNER_TITLES}


def _near(a: str, b: str) -> bool:
    """One letter apart (dropped, added or changed): "pho chu tic" and "pho chu tich"."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


def _known_title(item: _Item) -> tuple[str, float]:
    """A chức vụ read by OCR, given the spelling of the title it is: its marks lost ("PHO CHỦ TỊCH") or a
    letter cut by the seal ("PHÓ CHỦ TỊC"). The same letters without marks are the title; one letter off
    is a guess (confidence ``_HEURISTIC``). Anything else stays as read."""
    folded = fold(item.canon)
    if folded in _TITLES_FOLDED:
        return _TITLES_FOLDED[folded], 1.0
    near = [t for f, t in _TITLES_FOLDED.items() if len(f) >= 8 and _near(folded, f)]
    if len(near) == 1:
        return near[0], _HEURISTIC
    return item.text, 1.0


# The administrative unit that opens the second line of a state issuer ("TỈNH QUẢNG NGÃI"): a closed set.
_UNIT_WORDS = {fold(w): w for w in ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")}


_BODY_BEFORE_UNIT = ("dang bo", "dang uy", "uy ban nhan dan", "hoi dong nhan dan")


def _unit_spelling(text: str) -> str:
    """An OCR'd issuer line whose unit word had its mark misread ("TÍNH QUẢNG NGÃI", "ĐẢNG BỘ TĨNH THANH HÓA"),
    spelt as the unit: the word that opens the line or follows the body's name. The place name after it is
    left as read ("TỈNH HÀ TĨNH")."""
    words = text.split()
    starts = [0] + [len(b.split()) for b in _BODY_BEFORE_UNIT if fold(" ".join(words[: len(b.split())])) == b]
    for start in starts:
        for n in (2, 1):
            head = " ".join(words[start : start + n])
            unit = _UNIT_WORDS.get(fold(head))
            if len(words) > start + n and unit is not None and head.isupper():
                return " ".join([*words[:start], unit, *words[start + n :]])
    return text


def _person_name(item: _Item, *, strict: bool = False) -> bool:
    """Two to six capitalised words, not all in capitals, no digits or brackets: "Trần Văn An", "PGS.TS. Lê B".

    ``strict``: every word in title case too, for a name taken with no title line above it.
    """
    text = item.text.strip()
    if text.startswith(("(", "-")) or item.upper or any(ch.isdigit() for ch in text):
        return False
    words = text.split()
    cased = all(w[:1].isupper() and (not strict or w[1:] == w[1:].lower()) for w in words)
    # A title line OCR half-read ("S Í THƯ THƯỜNG TRưÊ") is words in capitals; a name has one at most (a rank).
    long_ = [w for w in words if len(_LETTER.findall(w)) >= 2]
    shouted = [w for w in long_ if w == w.upper()]
    return 2 <= len(words) <= 6 and cased and 2 * len(shouted) <= len(long_)


def _is_special(item: _Item) -> bool:
    folded = fold(item.canon)
    return (
        folded in (pat.PARTY_TITLE_FOLD, pat.STATE_TITLE_FOLD, pat.MOTTO_FOLD)
        or item.canon.upper() in pat.SECRECY
        or item.canon.upper() in pat.URGENCY
        or bool(pat.DRAFT.match(item.canon))
    )


def _kiem_line(item: _Item) -> bool:
    """A line of a "kiêm" title (05-HD/VPTW I.7.1.4 đ): the word "kiêm" alone or between titles in capitals."""
    words = item.text.split()
    others = [w for w in words if w not in pat.KIEM_WORDS]
    return len(others) < len(words) and all(w == w.upper() for w in others)


def _kiem_title(tail: list[_Item], k: int) -> list[int]:
    """The lines of the "kiêm" title around ``tail[k]``: "BÍ THƯ" / "kiêm" / "TRƯỞNG BAN CHỈ ĐẠO", or the title
    on one or two lines ("TRƯỞNG BAN TỔ CHỨC" / "kiêm CHỦ TỊCH HỘI ĐỒNG")."""
    lines = [k]
    words = tail[k].text.split()
    before = tail[k - 1] if k > 0 else None
    if (
        words[0] in pat.KIEM_WORDS
        and before is not None
        and before.upper
        and _same_column(before, tail[k])
        and not pat.SIGNING_FORM.match(before.canon)
    ):
        lines.insert(0, k - 1)
    after = tail[k + 1] if k + 1 < len(tail) else None
    if words[-1] in pat.KIEM_WORDS and after is not None and after.upper and _same_column(after, tail[k]):
        lines.append(k + 1)
    return lines


def _title_lines(tail: list[_Item], k: int) -> list[int]:
    """The chức vụ under an authority line: one line, or a "kiêm" title over two or three."""
    if _kiem_line(tail[k]):
        return _kiem_title(tail, k)
    if k + 1 < len(tail) and _kiem_line(tail[k + 1]):
        lines = _kiem_title(tail, k + 1)
        if k in lines:
            return lines
    return [k]


def _lone_title(tail: list[_Item]) -> list[int] | None:
    """The chức vụ of a block without an authority line: the last "kiêm" title (a body without its own seal,
    05-HD/VPTW I.7.1.4 đ), else the last title that stands alone — never the minutes-taker's label."""
    for k in range(len(tail) - 1, -1, -1):
        if _kiem_line(tail[k]):
            return _kiem_title(tail, k)
    for k in range(len(tail) - 1, -1, -1):
        item = tail[k]
        if item.upper and item.canon.upper() in pat.SIGNER_TITLES and fold(item.canon) != pat.MINUTE_TAKER_FOLD:
            return [k]
    return None


def _signature_line(item: _Item) -> bool:
    """A line that only a signature block holds: an authority line, a chức vụ standing alone, a "kiêm" title."""
    return (
        bool(pat.SIGNING_FORM.match(item.canon))
        or (item.upper and item.canon.upper() in pat.SIGNER_TITLES)
        or _kiem_line(item)
    )


class _Extractor:
    def __init__(self, parsed: ParsedDocument) -> None:
        self.items = _items(parsed)
        self.fields = DocumentFields()
        self.styled = any(i.bold for i in self.items[:_HEADER_SPAN])
        self.ocr = parsed.ocr
        self.lines = parsed.lines
        self.number_at: int | None = None
        self.header_end = 0

    def put(
        self, name: str, value: object, item: _Item, *, confidence: float = 1.0, more: list[_Item] | None = None
    ) -> None:
        """Set a field where it was read (``item``, and ``more`` lines it runs over).

        ``confidence`` is below 1 when a fallback heuristic found it; an OCR line lowers it to its least sure word.
        """
        setattr(self.fields, name, value)
        self.fields.locations[name] = item.location()
        sure = min([confidence, _line_confidence(item.line), *(_line_confidence(m.line) for m in more or [])])
        if sure < 1.0:
            self.fields.confidence[name] = round(sure, 3)
        else:
            self.fields.confidence.pop(name, None)

    def run(self) -> DocumentFields:
        steps = (
            self.title,
            self.number,
            self.issuer,
            self.date,
            self.marks,
            self.document_type,
            self.addressees,
            self.recipients,
            self.signature,
            self.drafter_mark,
            self.contact,
        )
        for step in steps:
            try:
                step()
            except (ValueError, IndexError, KeyError, TypeError, AttributeError, OverflowError):
                log.warning("extract step %s failed", step.__name__, exc_info=True)
        return self.fields

    # --- ô 1: tiêu đề / Quốc hiệu -------------------------------------------------------------
    def title(self) -> None:
        for i, item in enumerate(self.items[:_HEADER_SPAN]):
            folded = fold(item.canon)
            if folded != pat.STATE_TITLE_FOLD and pat.STATE_TITLE_FOLD.startswith(folded + " "):
                # A Quốc hiệu that wrapped in a narrow column: join the rest from the next line.
                for nxt in self.items[i + 1 : i + 3]:
                    if _same_column(item, nxt) and fold(item.canon + " " + nxt.canon) == pat.STATE_TITLE_FOLD:
                        item = _Item(**{**item.__dict__, "text": f"{item.text} {nxt.text}"})
                        item.canon = canonical(item.text)
                        folded = pat.STATE_TITLE_FOLD
                        break
            sure = 1.0
            if folded == pat.PARTY_TITLE_FOLD:
                self.fields.profile = Profile.PARTY
                title = item.text
            elif folded.startswith(pat.STATE_TITLE_FOLD):
                self.fields.profile = Profile.STATE
                title = item.text
            elif folded.endswith("cong san viet nam") and len(folded) < 3 * len(pat.PARTY_TITLE_FOLD):
                # OCR glues the rule under the title (36-HD C1) to it as a few stray glyphs.
                self.fields.profile = Profile.PARTY
                title = "ĐẢNG CỘNG SẢN VIỆT NAM"
                sure = _HEURISTIC
            else:
                continue
            self.put("title", title, item, confidence=sure)
            self.header_end = max(self.header_end, i + 1)
            return

    # --- ô 3: số và ký hiệu -----------------------------------------------------------------------
    def number(self) -> None:
        for i, item in enumerate(self.items[:_HEADER_SPAN]):
            if not pat.NUMBER_START.match(item.canon):
                continue
            candidates = [item.canon]
            if i + 1 < len(self.items):
                candidates.append(item.canon + self.items[i + 1].canon)
            for text in candidates:
                if self._number_from(text, item):
                    self.number_at = i
                    self.header_end = max(self.header_end, i + 1)
                    return

    def _number_from(self, text: str, item: _Item) -> bool:
        party = pat.NUMBER_PARTY.match(text)
        if party:
            self.put("number_line", item.text, item)
            self._number_value(party.group("num"), item)
            self._party_code(party.group("type"), party.group("issuer"), item)
            return True
        state = pat.NUMBER_STATE.match(text)
        if state:
            self.put("number_line", item.text, item)
            self._number_value(state.group("num"), item)
            self._state_code(state.group("code"), state.group("year"), item)
            return True
        loose = pat.NUMBER_LOOSE.match(text)
        if loose:
            # "Số 12–NQ/TU": another dash or separator. Keep the line as written so that the checker
            # sees what is wrong with it (FMT-NUMBER-SYNTAX) instead of a missing number.
            self.put("number_line", item.text, item)
            self._number_value(loose.group("num"), item)
            self.put("type_code", loose.group("type"), item, confidence=_HEURISTIC)
            issuer = pat.DASHES.sub("-", re.sub(r"\s+", "", loose.group("issuer")))
            self.put("issuer_code", issuer, item, confidence=_HEURISTIC)
            return True
        return item.line.ocr_confidence is not None and self._scanned_number(text, item)

    def _scanned_number(self, text: str, item: _Item) -> bool:
        """A scanned number line whose number is handwritten or stamped ("Số: 4@† /TTg-CĐS", "Sô:⁄11 /CT-UBND").

        The ký hiệu is printed and read; the number is what the ink left before the separator. Digits alone
        are read (with the line's confidence); anything else is the number honestly unread — confidence 0,
        never a guess, and not a blank left for the e-signature stamp.
        """
        match = pat.NUMBER_OCR_PARTY.match(text) or pat.NUMBER_OCR_STATE.match(text)
        if match is None or fold(match.group("label")) != "so":
            return False
        line = "Số" + item.text[len(match.group("label")) :]  # the label is printed: its mark is known
        self.put("number_line", line, item)
        junk = re.sub(r"\s+", "", match.group("junk") or "")
        if junk.isdigit() and len(junk) <= 5:
            self.put("number", junk, item)
        elif junk:
            self.fields.confidence["number"] = 0.0
            self.fields.locations["number"] = item.location()
        else:
            self.fields.number_blank = True
        if "type" in match.groupdict():
            self._party_code(match.group("type"), match.group("issuer"), item)
        else:
            self._state_code(match.group("code"), match.group("year"), item)
        return True

    def _party_code(self, type_code: str, issuer: str, item: _Item) -> None:
        self.put("type_code", type_code, item)
        self.put("issuer_code", re.sub(r"\s+", "", issuer), item)
        if self.fields.profile == Profile.UNKNOWN:
            self.fields.profile = Profile.PARTY

    def _state_code(self, code: str, year: str | None, item: _Item) -> None:
        parts = [p.strip() for p in code.split("-")]
        if parts[0] in pat.STATE_TYPE_CODES and len(parts) > 1:
            self.put("type_code", parts[0], item)
            parts = parts[1:]
        self.put("issuer_code", "-".join(parts), item)
        if year or self.fields.type_code in pat.LEGAL_TYPE_CODES:
            # "Số: 30/2020/NĐ-CP": the year in the số is the mark of a legal normative document.
            self.fields.legal_normative = True
        if self.fields.profile == Profile.UNKNOWN:
            self.fields.profile = Profile.STATE

    def _number_value(self, number: str | None, item: _Item) -> None:
        """The số, or a blank left for the e-signature stamp ("Số:      /TB-UBND")."""
        if number:
            self.put("number", number, item)
        else:
            self.fields.number_blank = True

    # --- ô 2: tên cơ quan ban hành -------------------------------------------------------------
    def issuer(self) -> None:
        anchor = self.items[self.number_at] if self.number_at is not None else None
        limit = self.number_at if self.number_at is not None else min(len(self.items), 12)
        lines: list[_Item] = []
        for item in self.items[:limit]:
            folded = fold(item.canon)
            if anchor is None and (
                folded == pat.MOTTO_FOLD
                or (
                    folded in (pat.STATE_TITLE_FOLD, pat.PARTY_TITLE_FOLD)
                    and lines
                    and item.cell is None
                    and item.y is None
                )
            ):
                # No số to anchor the left column: what comes under the Quốc hiệu and tiêu ngữ is the
                # tên loại of a form (đơn), not an issuing body.
                break
            if item.line.page != 1 or _is_special(item):
                continue
            if anchor is not None and not _same_column(item, anchor):
                continue
            if anchor is not None and item.y is not None and anchor.y is not None and item.y > anchor.y:
                continue
            short = len(item.canon.replace(" ", "")) <= 3 and not item.upper
            if pat.STAR.match(item.canon) or (self.ocr and short):
                # OCR reads a small "*" as one to three odd glyphs: a guess, not a reading.
                self.put("star", True, item, confidence=1.0 if pat.STAR.match(item.canon) else _HEURISTIC)
                continue
            if self.ocr and item.line.ocr_confidence is not None and item.line.ocr_confidence < _NOISE:
                continue  # specks, the edge of a seal or a stamp, read as a few odd letters
            if pat.RULE.match(item.canon) or not item.upper:
                if anchor is None and lines:
                    break
                continue
            if fold(item.canon) in _FOLDED_TYPES:
                break
            lines.append(item)
        lines = lines[-4:]  # a parent and an issuer, each may wrap onto a second line
        if not lines:
            return
        sure = 1.0  # split by bold (36-HD: the issuer bold, the parent not) or a single name
        if self.styled and any(i.bold for i in lines):
            k = len(lines)
            while k > 0 and lines[k - 1].bold:
                k -= 1
            parent, issuer = lines[:k], lines[k:]
            if not issuer:  # bold only higher up: take the last line as the issuer
                parent, issuer = lines[:-1], lines[-1:]
                sure = _HEURISTIC
        elif len(lines) == 1 or _one_name(lines):
            parent, issuer = [], lines
        else:
            parent, issuer = lines[:1], lines[1:]  # no style to tell them apart: the first line is the parent
            sure = _HEURISTIC if len(lines) > 2 else 1.0
        if parent:
            self.put("parent_issuer", _header_text(parent, ocr=self.ocr), parent[0], confidence=sure, more=parent)
        self.put("issuer", _header_text(issuer, ocr=self.ocr), issuer[0], confidence=sure, more=issuer)

    # --- ô 4: địa danh và ngày tháng năm --------------------------------------------------------
    def date(self) -> None:
        span = self.items[:_HEADER_SPAN]
        for i, item in enumerate(span):
            if "ngày" not in item.canon.lower() and "ngay" not in fold(item.canon):
                continue
            # Matched on the text as written (NFC, single spaces): the place keeps its tone style.
            texts = [item.text]
            previous = span[i - 1] if i > 0 else None
            if (
                previous is not None
                and previous.text.endswith(",")
                and item.text.lower().startswith("ngày")
                and _same_column(previous, item)
            ):
                texts.insert(0, previous.text + " " + item.text)  # "Thanh Hóa," / "ngày 05 tháng 3 năm 2024"
            if not pat.DATE_YEAR.search(item.text):
                # A date line wrapped in a narrow column: its tail ("năm 2024", "3 năm 2024") follows.
                joined = item.text
                for nxt in span[i + 1 : i + 3]:
                    if not _same_column(item, nxt) or nxt.upper or pat.NUMBER_START.match(nxt.canon):
                        break
                    joined = f"{joined} {nxt.text}"
                    if pat.DATE_YEAR.search(joined):
                        texts.insert(0, joined)
                        break
            for raw in texts:
                m = pat.DATE.search(raw)
                if not m or fold(m.group("place")).startswith("thoi gian"):
                    continue
                self._date_from(m, raw, item)
                self.header_end = max(self.header_end, i + 1)
                return

    def _date_from(self, m: re.Match[str], raw: str, item: _Item) -> None:
        place = m.group("place").strip(" -*")
        if self.fields.number_line and place.startswith(self.fields.number_line):
            place = place[len(self.fields.number_line) :].strip()
        if pat.DOTS.match(place):
            place = ""  # a template: dots where the place goes
        self.put("date_line", raw, item)
        self.put("place", _clean(place) or None, item)
        day, month = (int(g) if g and pat.DAY_OR_MONTH.fullmatch(g) else None for g in m.group("d", "m"))
        year = int(m.group("y")) if m.group("y") else None
        if day is None or month is None:
            # Left blank for the e-signature stamp, or a dotted template: what can be read is kept.
            self.fields.date_blank = True
            if any(g and not pat.DAY_OR_MONTH.fullmatch(g) and not pat.DOTS.match(g) for g in m.group("d", "m")):
                # Something is written there that could not be read ("|3"): say so rather than guess.
                self.fields.confidence["date_line"] = min(self.fields.confidence.get("date_line", 1.0), _HEURISTIC)
        if year is not None:
            self.put("issued_year", year, item)
        if month is not None and 1 <= month <= 12:
            self.put("issued_month", month, item)
        if day is not None and month is not None and year is not None:
            with contextlib.suppress(ValueError):  # "ngày 31 tháng 02": no such day, no issued_on
                self.put("issued_on", date(year, month, day), item)

    # --- ô 10, 11: mật, khẩn, dự thảo -----------------------------------------------------------
    def marks(self) -> None:
        for item in self.items[:_HEADER_SPAN]:
            upper = item.canon.upper()
            if self.fields.secrecy is None and upper in pat.SECRECY:
                self.put("secrecy", upper, item)
            elif self.fields.urgency is None and upper in pat.URGENCY:
                self.put("urgency", upper, item)
            elif self.fields.draft is None and pat.DRAFT.match(item.canon):
                self.put("draft", item.text, item)

    # --- ô 5: tên loại, trích yếu ----------------------------------------------------------------
    def document_type(self) -> None:
        start = self.header_end
        for i in range(start, min(start + 12, len(self.items))):
            item = self.items[i]
            name = _type_name(item)
            if name is None:
                continue
            self.put("document_type", name, item)
            if fold(name) in _LEGAL_FOLDED:
                self.fields.legal_normative = True
            summary: list[_Item] = []
            for nxt in self.items[i + 1 : i + 1 + _SUMMARY_LINES]:
                if pat.RULE.match(nxt.canon) or pat.KINH_GUI.match(nxt.canon) or nxt.canon.startswith("-"):
                    break
                if summary and self.styled and nxt.bold != summary[0].bold:
                    break
                if summary and not _follows(summary[-1], nxt):
                    break
                if summary and not self.styled and nxt.canon[:1].isupper() and not _wrapped(summary[-1], nxt):
                    break
                summary.append(nxt)
                if not self.styled and nxt.canon.endswith((".", ":")):
                    break
                if len(summary) >= 3 and nxt.y is None and nxt.cell is None and not self.styled:
                    break  # without geometry or style, three lines is as far as a trích yếu is trusted to run
            if summary:
                self.put("summary", " ".join(s.text for s in summary), summary[0], more=summary)
            return
        self._cong_van()

    def _cong_van(self) -> None:
        """Công văn (36-HD ô 5b): no tên loại; the trích yếu sits under the số in the left column."""
        if self.number_at is None:
            return
        anchor = self.items[self.number_at]
        for i in range(self.number_at + 1, min(self.number_at + 8, len(self.items))):
            item = self.items[i]
            if not _same_column(item, anchor) or _is_special(item) or item.upper:
                continue
            if pat.DATE.search(item.canon) or pat.KINH_GUI.match(item.canon):
                break
            parts = [item]
            for nxt in self.items[i + 1 : i + 1 + _SUMMARY_LINES]:
                if nxt.upper or _is_special(nxt) or pat.DATE.search(nxt.canon) or pat.KINH_GUI.match(nxt.canon):
                    break
                if nxt.cell is not None and nxt.cell == item.cell:
                    parts.append(nxt)  # a trích yếu over several paragraphs of the header cell
                elif (
                    nxt.cell is None
                    and nxt.y is not None
                    and parts[-1].y is not None
                    and _same_column(nxt, item)
                    and -0.5 * (nxt.size or 12) <= nxt.y - parts[-1].y < 2.2 * (nxt.size or 12)
                ):
                    parts.append(nxt)  # the next wrapped line, or the rest of the same line
                else:
                    break
            self.put("summary", " ".join(p.text for p in parts), item, more=parts)
            break
        if self.fields.type_code in (None, "CV") or (self.fields.summary or "").startswith("V/v"):
            self.put("document_type", "CÔNG VĂN", anchor)

    # --- Kính gửi --------------------------------------------------------------------------------
    def addressees(self) -> None:
        for i, item in enumerate(self.items[: _HEADER_SPAN + 20]):
            m = pat.KINH_GUI.match(item.canon)
            if not m:
                continue
            found: list[str] = []
            rest = _clean(item.text.split(":", 1)[1]) if ":" in item.text else ""
            if rest:
                found.append(rest)
            for nxt in self.items[i + 1 : i + 15]:
                entry = pat.ENTRY.match(nxt.text)
                if not entry:
                    break
                found.append(entry.group("text").strip())
            self.fields.addressees = found
            self.fields.locations["addressees"] = item.location()
            return

    # --- ô 9: nơi nhận ---------------------------------------------------------------------------
    def recipients(self) -> None:
        end = self.body_end()
        for i in range(end - 1, -1, -1):
            label = self.items[i]
            if not _noi_nhan(label):
                continue
            found: list[str] = []
            entry_x: float | None = None
            for nxt in self.items[i + 1 : min(i + 40, end)]:
                if not _same_column(nxt, label):
                    if nxt.cell is not None:
                        break
                    continue  # the signature column, interleaved by position
                entry = pat.ENTRY.match(nxt.text)
                if entry:
                    found.append(entry.group("text").strip())
                    entry_x = nxt.x
                elif found and pat.DRAFTER_MARK.match(nxt.text):
                    self.put("drafter_mark", nxt.text, nxt)  # 05-HD II.5: right after the entries
                    break
                elif found and self._continues_entry(found[-1], nxt, entry_x):
                    found[-1] = f"{found[-1]} {nxt.text}"
                else:
                    break
            self.fields.recipients = found
            self.fields.locations["recipients"] = label.location()
            return

    @staticmethod
    def _continues_entry(entry: str, nxt: _Item, entry_x: float | None) -> bool:
        """A recipient entry wrapped onto the next line: no leading "-", and indented, lower case or unfinished.

        The list ends at the next block: a label, an authority line or a name in capitals.
        """
        if nxt.upper or _noi_nhan(nxt) or pat.SIGNING_FORM.match(nxt.canon):
            return False
        if pat.DRAFTER_MARK.match(nxt.text) or pat.CONTACT.match(nxt.canon):
            return False  # the components after the nơi nhận (05-HD II.5–6), never part of an entry
        indented = entry_x is not None and nxt.x is not None and nxt.x > entry_x + 2
        lower = nxt.canon[:1].islower()
        unfinished = not entry.rstrip().endswith((".", ";"))
        return indented or lower or unfinished

    def body_end(self) -> int:
        """Index of the first item of an annex (Phụ lục, an attached form): the document's own part ends there."""
        for i in range(self.header_end, len(self.items)):
            item = self.items[i]
            if pat.ANNEX.match(item.canon) and (item.upper or item.bold) and i > self.header_end + 5:
                return i
        return len(self.items)

    # --- ô 7: quyền hạn, chức vụ, họ tên ----------------------------------------------------------
    def signature(self) -> None:
        end = self.body_end()
        tail_start = max(self.header_end, end - 45)
        tail = self.items[tail_start:end]
        tail = tail[: self._confirmation(tail)]  # the office's confirmation is not the document's signature
        self._minute_taker(tail)
        form_at: int | None = None
        for k in range(len(tail) - 1, -1, -1):
            if pat.SIGNING_FORM.match(tail[k].canon):
                form_at = k
                while form_at > 0 and pat.SIGNING_FORM.match(tail[form_at - 1].canon):
                    form_at -= 1
                break
        title_at: list[int] | None = None
        if form_at is not None:
            forms = [tail[form_at]]
            while form_at + len(forms) < len(tail):
                if not pat.SIGNING_FORM.match(tail[form_at + len(forms)].canon):
                    break
                forms.append(tail[form_at + len(forms)])
            self.put("signing_form", " ".join(f.text for f in forms), forms[0])
            after = form_at + len(forms)
            column = [
                i
                for i in range(after, min(after + 10, len(tail)))
                if _same_column(tail[i], forms[0]) and len(_LETTER.findall(tail[i].canon)) >= 2  # not a speck
            ]
            first = tail[column[0]] if column else None
            if first is not None and (first.upper or _kiem_line(first)) and not pat.ENTRY.match(first.text):
                title_at = _title_lines(tail, column[0])
            else:
                self._name_after(tail, after - 1)  # no chức vụ line (central T/M): the name follows
                return
        else:
            title_at = _lone_title(tail)
        if not title_at:
            self._lone_name(tail)
            return
        lines = [tail[k] for k in title_at]
        title, sure = _known_title(lines[0]) if self.ocr and len(lines) == 1 else (" ".join(t.text for t in lines), 1.0)
        self.put("signer_title", title, lines[0], confidence=sure, more=lines[1:])
        self._name_after(tail, title_at[-1])

    def _confirmation(self, tail: list[_Item]) -> int | None:
        """Where the office's "Xác nhận chữ ký của đồng chí …" block starts under the signer's own (05-HD/VPTW
        I.7.1.4 a(ii), e(ii)); its authority and title are read into ``confirmation``.

        Only under a signature already read: a sentence of the text that opens with the same words is not one.
        """
        for k, item in enumerate(tail):
            if not pat.CONFIRMATION_FOLD.match(fold(item.canon)) or not any(map(_signature_line, tail[:k])):
                continue
            block: list[_Item] = []
            for nxt in tail[k + 1 : k + 6]:
                if pat.SIGNING_FORM.match(nxt.canon):
                    block.append(nxt)
                elif nxt.upper and not pat.ENTRY.match(nxt.text):
                    block.append(nxt)  # the confirming title: "CHÁNH VĂN PHÒNG", "BÍ THƯ"
                    break
                elif block:
                    break  # the name under an authority line with no title
                # else: the label wrapped ("… của đồng chí" / "Nguyễn Văn An")
            if block:
                self.put("confirmation", " ".join(b.text for b in block), block[0], more=block[1:])
            else:
                self.put("confirmation", "", item)  # the label read, the block under it not
            return k
        return None

    def _minute_taker(self, tail: list[_Item]) -> None:
        """The "NGƯỜI GHI BIÊN BẢN" block of a biên bản (05-HD/VPTW I.7.1.4 a(ii)): the name under the label,
        or "" when only the label was read."""
        for k, item in enumerate(tail):
            if fold(item.canon).rstrip(" :") != pat.MINUTE_TAKER_FOLD:
                continue
            for nxt in tail[k + 1 : k + 8]:
                if nxt.line is item.line or not _same_block_column(nxt, item):
                    continue
                if _person_name(nxt):
                    self.put("minute_taker", nxt.text.strip(), nxt, more=[item])
                    return
                if nxt.upper:
                    break  # the next block of the column
            self.put("minute_taker", "", item)
            return

    def _lone_name(self, tail: list[_Item]) -> None:
        """A signer's name with no authority or title line read above it (a seal printed over them on a scan):
        the last person's name set in the right-hand column after the text, taken as a guess."""
        placed = [i for i in tail if i.x is not None and i.width is not None]
        if not self.ocr or not placed:
            return
        right = max((i.x or 0.0) + (i.width or 0.0) for i in placed)
        left = min(i.x or 0.0 for i in placed)
        for item in reversed(placed):
            if item.center is None or item.center < left + 0.55 * (right - left):
                continue
            if _person_name(item, strict=True):
                self.put("signer_name", item.text, item, confidence=_HEURISTIC)
                return

    def _name_after(self, tail: list[_Item], k: int) -> None:
        """The signer's name among the next lines of the column; nơi nhận entries set beside the block on lines
        without geometry (an entry, or its wrapped tail in lower case) are passed over, not counted."""
        anchor = tail[k]
        looked = 0
        for nxt in tail[k + 1 : k + 1 + _BESIDE_LINES]:
            if nxt.line is anchor.line or not _same_block_column(nxt, anchor):
                continue
            if nxt.x is None and (pat.ENTRY.match(nxt.text) or nxt.canon[:1].islower()):
                continue
            if _person_name(nxt):
                self.put("signer_name", nxt.text.strip(), nxt)
                return
            looked += 1
            if looked >= _NAME_LINES:
                return

    # --- 05-HD/VPTW II.5–6: ký hiệu người soạn thảo, thông tin liên hệ ----------------------------
    def drafter_mark(self) -> None:
        """The drafter's mark away from the nơi nhận (read by ``recipients`` when it follows the entries): still
        read, so that the rule can say where it belongs. Only a line of the document's end that is that token."""
        if self.fields.drafter_mark is not None:
            return
        end = self.body_end()
        for item in reversed(self.items[max(self.header_end, end - 45) : end]):
            if pat.DRAFTER_MARK.match(item.text) and item.pieces == 1:
                self.put("drafter_mark", item.text, item)
                return

    def contact(self) -> None:
        """The first contact line (address, phone, fax, e-mail, website) at the end of the document: after the
        signature and the nơi nhận, in a page footer or in the last lines of a page. Its page and size are
        the rule's business (05-HD/VPTW II.6: last page, 10 pt)."""
        ends = [
            loc.line
            for name in _END_FIELDS
            if (loc := self.fields.locations.get(name)) is not None and loc.line is not None
        ]
        after = max(ends, default=None)
        feet = _page_feet(self.lines)
        for line in self.lines:
            if not pat.CONTACT.match(canonical(line.rendered_text)):
                continue
            if line.region == Region.FOOTER or line.index in feet or (after is not None and line.index > after):
                self.put("contact", _clean(line.rendered_text), _whole(line))
                return


_END_FIELDS = ("recipients", "signing_form", "signer_title", "signer_name", "minute_taker", "confirmation")
_FOOT_LINES = 4  # the last lines of a page, where a contact block sits under its rule


def _page_feet(lines: list[TextLine]) -> set[int]:
    """Indexes of the last few lines of text of each page (page headers and footers apart)."""
    by_page: dict[int, list[int]] = {}
    for line in lines:
        if line.region not in (Region.HEADER, Region.FOOTER) and _LETTER.search(line.text):
            by_page.setdefault(line.page, []).append(line.index)
    return {i for indexes in by_page.values() for i in indexes[-_FOOT_LINES:]}


def extract_fields(parsed: ParsedDocument) -> DocumentFields:
    """The formal elements of ``parsed`` with where each was found; never raises on odd input."""
    return _Extractor(parsed).run()
