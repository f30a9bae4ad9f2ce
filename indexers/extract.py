"""ParsedDocument → DocumentFields: the formal elements of 36-HD/VPTW, wherever the layout put them.

Works on "items": pieces of lines split at tab stops, each with its canonical text, style and place,
so that a header laid out as a table, with tab stops or as plain lines reads the same. Every
element is optional: a missing one stays None, and odd input never raises.
"""

from __future__ import annotations

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
_TAB_SPLIT = re.compile(r"\t+| {5,}")
# Blanks left for a number or a date in a draft ("Số      -NQ/ĐU", "ngày    tháng") are not columns.
_BLANK_BEFORE = re.compile(r"(?:^|\s)(?:Số:?|ngày|tháng|năm)$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_FOLDED_TYPES = {fold(t): t for t in pat.DOCUMENT_TYPES}


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
    for line in parsed.lines:
        if line.region in (Region.HEADER, Region.FOOTER):
            continue
        rendered = line.rendered_text
        pieces = [p for p in _split_columns(rendered) if p.strip()]
        if not pieces:
            continue
        positioned = len(pieces) == 1
        offset = 0
        for piece in pieces:
            start = rendered.find(piece, offset)
            offset = start + len(piece)
            bold, italic, size = _style(line, start, offset)
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
                )
            )
    return items


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
    return True


_UNIT = re.compile(r"^(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\b")
_BODY_WITHOUT_PLACE = re.compile(r"^(ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM)$")


def _one_name(lines: list[_Item]) -> bool:
    """'ỦY BAN NHÂN DÂN' over 'TỈNH THANH HÓA' is one name set on two lines, not parent and issuer."""
    return (
        len(lines) == 2
        and bool(_BODY_WITHOUT_PLACE.match(lines[0].canon.upper()))
        and bool(_UNIT.match(lines[1].canon.upper()))
    )


def _header_text(items: list[_Item]) -> str:
    """Header lines joined; stray punctuation at the ends (OCR specks, the rule) dropped."""
    return " ".join(i.text for i in items).strip(" _-–—:;.,*'\"|~")


def _is_special(item: _Item) -> bool:
    folded = fold(item.canon)
    return (
        folded in (pat.PARTY_TITLE_FOLD, pat.STATE_TITLE_FOLD, pat.MOTTO_FOLD)
        or item.canon.upper() in pat.SECRECY
        or item.canon.upper() in pat.URGENCY
        or bool(pat.DRAFT.match(item.canon))
    )


class _Extractor:
    def __init__(self, parsed: ParsedDocument) -> None:
        self.items = _items(parsed)
        self.fields = DocumentFields()
        self.styled = any(i.bold for i in self.items[:_HEADER_SPAN])
        self.ocr = parsed.ocr
        self.number_at: int | None = None
        self.header_end = 0

    def put(self, name: str, value: object, item: _Item) -> None:
        setattr(self.fields, name, value)
        self.fields.locations[name] = item.location()

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
            else:
                continue
            self.put("title", title, item)
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
            if party.group("num"):
                self.put("number", party.group("num"), item)
            self.put("type_code", party.group("type"), item)
            self.put("issuer_code", re.sub(r"\s+", "", party.group("issuer")), item)
            if self.fields.profile == Profile.UNKNOWN:
                self.fields.profile = Profile.PARTY
            return True
        state = pat.NUMBER_STATE.match(text)
        if state:
            self.put("number_line", item.text, item)
            if state.group("num"):
                self.put("number", state.group("num"), item)
            parts = [p.strip() for p in state.group("code").split("-")]
            if parts[0] in pat.STATE_TYPE_CODES and len(parts) > 1:
                self.put("type_code", parts[0], item)
                parts = parts[1:]
            self.put("issuer_code", "-".join(parts), item)
            if self.fields.profile == Profile.UNKNOWN:
                self.fields.profile = Profile.STATE
            return True
        return False

    # --- ô 2: tên cơ quan ban hành -------------------------------------------------------------
    def issuer(self) -> None:
        anchor = self.items[self.number_at] if self.number_at is not None else None
        limit = self.number_at if self.number_at is not None else min(len(self.items), 12)
        lines: list[_Item] = []
        for item in self.items[:limit]:
            if item.line.page != 1 or _is_special(item):
                continue
            if anchor is not None and not _same_column(item, anchor):
                continue
            if anchor is not None and item.y is not None and anchor.y is not None and item.y > anchor.y:
                continue
            short = len(item.canon.replace(" ", "")) <= 3 and not item.upper
            if pat.STAR.match(item.canon) or (self.ocr and short):
                self.put("star", True, item)  # OCR reads a small "*" as one to three odd glyphs
                continue
            if pat.RULE.match(item.canon) or not item.upper:
                if anchor is None and lines:
                    break
                continue
            if fold(item.canon) in _FOLDED_TYPES:
                break
            lines.append(item)
        lines = lines[-3:]
        if not lines:
            return
        if self.styled and any(i.bold for i in lines):
            k = len(lines)
            while k > 0 and lines[k - 1].bold:
                k -= 1
            parent, issuer = lines[:k], lines[k:]
            if not issuer:  # bold only higher up: take the last line as the issuer
                parent, issuer = lines[:-1], lines[-1:]
        elif len(lines) == 1 or _one_name(lines):
            parent, issuer = [], lines
        else:
            parent, issuer = lines[:1], lines[1:]
        if parent:
            self.put("parent_issuer", _header_text(parent), parent[0])
        self.put("issuer", _header_text(issuer), issuer[0])

    # --- ô 4: địa danh và ngày tháng năm --------------------------------------------------------
    def date(self) -> None:
        span = self.items[:_HEADER_SPAN]
        for i, item in enumerate(span):
            if "ngày" not in item.canon.lower() and "ngay" not in fold(item.canon):
                continue
            # Matched on the text as written (NFC, single spaces): the place keeps its tone style.
            texts = [item.text]
            if pat.DATE_HEAD.search(item.text) and not pat.DATE_YEAR.search(item.text):
                for nxt in span[i + 1 : i + 3]:
                    if nxt.text.lower().startswith("năm") and _same_column(item, nxt):
                        texts.insert(0, item.text + " " + nxt.text)
                        break
            for raw in texts:
                m = pat.DATE.search(raw)
                if not m or fold(m.group("place")).startswith("thoi gian"):
                    continue
                place = m.group("place").strip(" -*")
                if self.fields.number_line and place.startswith(self.fields.number_line):
                    place = place[len(self.fields.number_line) :].strip()
                self.put("date_line", raw, item)
                self.put("place", _clean(place) or None, item)
                if m.group("d") and m.group("m") and m.group("y"):
                    try:
                        issued = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                    except ValueError:
                        issued = None
                    if issued is not None:
                        self.put("issued_on", issued, item)
                self.header_end = max(self.header_end, i + 1)
                return

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
            name = _FOLDED_TYPES.get(fold(item.canon))
            if name is None:
                continue
            self.put("document_type", name, item)
            summary: list[_Item] = []
            for nxt in self.items[i + 1 : i + 4]:
                if pat.RULE.match(nxt.canon) or pat.KINH_GUI.match(nxt.canon) or nxt.canon.startswith("-"):
                    break
                if summary and self.styled and nxt.bold != summary[0].bold:
                    break
                if summary and not self.styled and nxt.canon[:1].isupper():
                    break
                summary.append(nxt)
                if not self.styled and nxt.canon.endswith((".", ":")):
                    break
            if summary:
                self.put("summary", " ".join(s.text for s in summary), summary[0])
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
            for nxt in self.items[i + 1 : i + 4]:
                if (
                    nxt.cell is None
                    and nxt.y is not None
                    and parts[-1].y is not None
                    and _same_column(nxt, item)
                    and 0 < nxt.y - parts[-1].y < 2.2 * (nxt.size or 12)
                    and not nxt.upper
                    and not _is_special(nxt)
                ):
                    parts.append(nxt)
                else:
                    break
            self.put("summary", " ".join(p.text for p in parts), item)
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
        for i in range(len(self.items) - 1, -1, -1):
            label = self.items[i]
            if not pat.NOI_NHAN.match(label.canon):
                continue
            found: list[str] = []
            for nxt in self.items[i + 1 : i + 40]:
                if not _same_column(nxt, label):
                    if nxt.cell is not None:
                        break
                    continue  # the signature column, interleaved by position
                entry = pat.ENTRY.match(nxt.text)
                if entry:
                    found.append(entry.group("text").strip())
                elif found and not found[-1].endswith((",", ".", ";")) and not nxt.upper:
                    found[-1] = f"{found[-1]} {nxt.text}"
                else:
                    break
            self.fields.recipients = found
            self.fields.locations["recipients"] = label.location()
            return

    # --- ô 7: quyền hạn, chức vụ, họ tên ----------------------------------------------------------
    def signature(self) -> None:
        tail_start = max(self.header_end, len(self.items) - 45)
        tail = self.items[tail_start:]
        form_at: int | None = None
        for k in range(len(tail) - 1, -1, -1):
            if pat.SIGNING_FORM.match(tail[k].canon):
                form_at = k
                while form_at > 0 and pat.SIGNING_FORM.match(tail[form_at - 1].canon):
                    form_at -= 1
                break
        title_at: int | None = None
        if form_at is not None:
            forms = [tail[form_at]]
            while form_at + len(forms) < len(tail):
                if not pat.SIGNING_FORM.match(tail[form_at + len(forms)].canon):
                    break
                forms.append(tail[form_at + len(forms)])
            self.put("signing_form", " ".join(f.text for f in forms), forms[0])
            after = form_at + len(forms)
            column = [i for i in range(after, min(after + 10, len(tail))) if _same_column(tail[i], forms[0])]
            if column and tail[column[0]].upper and not pat.ENTRY.match(tail[column[0]].text):
                title_at = column[0]
            else:
                self._name_after(tail, after - 1)  # no chức vụ line (central T/M): the name follows
                return
        else:
            for k in range(len(tail) - 1, -1, -1):
                if tail[k].canon.upper() in pat.SIGNER_TITLES and tail[k].upper:
                    title_at = k
                    break
        if title_at is None:
            return
        self.put("signer_title", tail[title_at].text, tail[title_at])
        self._name_after(tail, title_at)

    def _name_after(self, tail: list[_Item], k: int) -> None:
        anchor = tail[k]
        for nxt in tail[k + 1 : k + 8]:
            if not _same_column(nxt, anchor):
                continue
            text = nxt.text.strip()
            if text.startswith(("(", "-")) or nxt.upper or any(ch.isdigit() for ch in text):
                continue
            words = text.split()
            if 2 <= len(words) <= 6 and all(w[:1].isupper() for w in words):
                self.put("signer_name", text, nxt)
                return


def extract_fields(parsed: ParsedDocument) -> DocumentFields:
    """The formal elements of ``parsed`` with where each was found; never raises on odd input."""
    return _Extractor(parsed).run()
