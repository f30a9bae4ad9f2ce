"""Resolve the whole WordprocessingML formatting chain for a run, as Word does.

ECMA-376 Part 1 §17.7.2 (style hierarchy): document defaults (``w:docDefaults``), then the table
style, then the paragraph style (with its ``w:basedOn`` ancestors), then the character style, then
direct formatting. python-docx answers ``None`` for anything inherited; this module answers the
value that prints.

Toggle properties (§17.7.3: ``w:b``, ``w:i``, ``w:caps`` …) do not simply override inside the
hierarchy: within one style's ``basedOn`` chain the nearest value wins, but *between* the levels
(table style → paragraph style → character style) a style that turns the property on flips the
value inherited so far. Bold in the paragraph style plus bold in the character style therefore
prints *not* bold. Direct formatting, by contrast, sets the value absolutely.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from lxml import etree

from schemas.parsed import Alignment

W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A: Final = "http://schemas.openxmlformats.org/drawingml/2006/main"

_FALSE: Final = frozenset({"0", "false", "off", "none"})
_JC: Final = {
    "left": Alignment.LEFT,
    "start": Alignment.LEFT,
    "center": Alignment.CENTER,
    "right": Alignment.RIGHT,
    "end": Alignment.RIGHT,
    "both": Alignment.JUSTIFY,
    "distribute": Alignment.JUSTIFY,
    "thaiDistribute": Alignment.JUSTIFY,
    "lowKashida": Alignment.JUSTIFY,
    "mediumKashida": Alignment.JUSTIFY,
    "highKashida": Alignment.JUSTIFY,
}
_MAX_CHAIN: Final = 32  # basedOn loops exist in the wild; stop following after this many


def w(tag: str) -> str:
    """Clark name of a WordprocessingML element or attribute."""
    return f"{{{W}}}{tag}"


def wattr(el: etree._Element | None, name: str) -> str | None:
    """The ``w:``-namespaced attribute of ``el``, or None."""
    if el is None:
        return None
    value = el.get(w(name))
    return None if value is None else str(value)


@dataclass(frozen=True)
class RunProps:
    """Run properties set at one level of the hierarchy; None means 'not said here'."""

    font: str | None = None
    size_pt: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    underline: bool | None = None
    caps: bool | None = None
    hidden: bool | None = None  # w:vanish: not printed

    def over(self, base: RunProps) -> RunProps:
        """These properties laid over ``base`` (nearest value wins: a basedOn chain, or direct)."""
        return RunProps(
            font=self.font if self.font is not None else base.font,
            size_pt=self.size_pt if self.size_pt is not None else base.size_pt,
            bold=self.bold if self.bold is not None else base.bold,
            italic=self.italic if self.italic is not None else base.italic,
            underline=self.underline if self.underline is not None else base.underline,
            caps=self.caps if self.caps is not None else base.caps,
            hidden=self.hidden if self.hidden is not None else base.hidden,
        )

    def toggled_onto(self, base: RunProps) -> RunProps:
        """A style level applied onto ``base``: toggles flip when set on, the rest override."""
        merged = self.over(base)

        def flip(mine: bool | None, inherited: bool | None) -> bool:
            return not inherited if mine else bool(inherited)

        return replace(
            merged,
            bold=flip(self.bold, base.bold),
            italic=flip(self.italic, base.italic),
            caps=flip(self.caps, base.caps),
            hidden=flip(self.hidden, base.hidden),
        )


@dataclass(frozen=True)
class ParaProps:
    """Paragraph properties the readers report."""

    alignment: Alignment | None = None
    bottom_border: bool | None = None
    page_break_before: bool | None = None
    num_id: str | None = None  # w:numPr/w:numId: the list the paragraph belongs to ("0": none)
    num_level: int | None = None  # w:numPr/w:ilvl

    def over(self, base: ParaProps) -> ParaProps:
        return ParaProps(
            alignment=self.alignment if self.alignment is not None else base.alignment,
            bottom_border=self.bottom_border if self.bottom_border is not None else base.bottom_border,
            page_break_before=(
                self.page_break_before if self.page_break_before is not None else base.page_break_before
            ),
            num_id=self.num_id if self.num_id is not None else base.num_id,
            num_level=self.num_level if self.num_level is not None else base.num_level,
        )


@dataclass(frozen=True)
class ThemeFonts:
    """The major/minor fonts of theme1.xml that ``w:asciiTheme`` and friends point at."""

    major_latin: str | None = None
    minor_latin: str | None = None
    major_ea: str | None = None
    minor_ea: str | None = None
    major_cs: str | None = None
    minor_cs: str | None = None

    @classmethod
    def from_xml(cls, root: etree._Element | None) -> ThemeFonts:
        if root is None:
            return cls()

        def face(group: str, script: str) -> str | None:
            el = root.find(f".//{{{A}}}{group}/{{{A}}}{script}")
            value = None if el is None else el.get("typeface")
            return str(value) if value else None

        return cls(
            major_latin=face("majorFont", "latin"),
            minor_latin=face("minorFont", "latin"),
            major_ea=face("majorFont", "ea"),
            minor_ea=face("minorFont", "ea"),
            major_cs=face("majorFont", "cs"),
            minor_cs=face("minorFont", "cs"),
        )

    def resolve(self, theme_name: str) -> str | None:
        """``minorHAnsi`` → the minor latin typeface, and so on (§17.18.96 ST_Theme)."""
        major = theme_name.startswith("major")
        if theme_name.endswith("EastAsia"):
            return self.major_ea if major else self.minor_ea
        if theme_name.endswith("Bidi"):
            return self.major_cs if major else self.minor_cs
        return self.major_latin if major else self.minor_latin


def _toggle(el: etree._Element | None) -> bool | None:
    if el is None:
        return None
    val = wattr(el, "val")
    return val is None or val.lower() not in _FALSE


def read_rpr(rpr: etree._Element | None, theme: ThemeFonts) -> RunProps:
    """The run properties written in one ``w:rPr`` (nothing inherited)."""
    if rpr is None:
        return RunProps()
    font: str | None = None
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        # The theme attribute wins over the explicit name on the same element (§17.3.2.26).
        for theme_attr, name_attr in (("asciiTheme", "ascii"), ("hAnsiTheme", "hAnsi")):
            theme_name = wattr(fonts, theme_attr)
            font = theme.resolve(theme_name) if theme_name else wattr(fonts, name_attr)
            if font:
                break
    size: float | None = None
    sz = wattr(rpr.find(w("sz")), "val")
    if sz is not None:
        try:
            size = int(sz) / 2
        except ValueError:
            size = None
    underline: bool | None = None
    u = rpr.find(w("u"))
    if u is not None:
        val = wattr(u, "val")
        underline = val is None or val.lower() not in _FALSE
    return RunProps(
        font=font,
        size_pt=size,
        bold=_toggle(rpr.find(w("b"))),
        italic=_toggle(rpr.find(w("i"))),
        underline=underline,
        # Small capitals print capital letter shapes too: for "is it upper case" they count as caps.
        caps=_first_set(_toggle(rpr.find(w("caps"))), _toggle(rpr.find(w("smallCaps")))),
        hidden=_toggle(rpr.find(w("vanish"))),
    )


def _first_set(*values: bool | None) -> bool | None:
    return next((v for v in values if v is not None), None)


def read_ppr(ppr: etree._Element | None) -> ParaProps:
    """The paragraph properties written in one ``w:pPr`` (nothing inherited)."""
    if ppr is None:
        return ParaProps()
    jc = wattr(ppr.find(w("jc")), "val")
    border: bool | None = None
    bottom = ppr.find(f"{w('pBdr')}/{w('bottom')}")
    if bottom is not None:
        border = (wattr(bottom, "val") or "nil") not in {"nil", "none"}
    num_pr = ppr.find(w("numPr"))
    level = wattr(num_pr.find(w("ilvl")) if num_pr is not None else None, "val")
    return ParaProps(
        alignment=_JC.get(jc, Alignment.UNKNOWN) if jc else None,
        bottom_border=border,
        page_break_before=_toggle(ppr.find(w("pageBreakBefore"))),
        num_id=wattr(num_pr.find(w("numId")) if num_pr is not None else None, "val"),
        num_level=int(level) if level is not None and level.isdigit() else None,
    )


@dataclass(frozen=True)
class ResolvedRun:
    """A run's effective properties, every level applied."""

    font: str | None
    size_pt: float | None
    bold: bool
    italic: bool
    underline: bool
    caps: bool
    hidden: bool = False


class StyleSheet:
    """styles.xml and the theme, with the resolution of the chain for paragraphs and runs."""

    def __init__(self, styles_root: etree._Element | None, theme_root: etree._Element | None) -> None:
        self.theme = ThemeFonts.from_xml(theme_root)
        self._styles: dict[str, etree._Element] = {}
        self._defaults: dict[str, str] = {}
        self.doc_rpr = RunProps()
        self.doc_ppr = ParaProps()
        self._chain_cache: dict[str, tuple[ParaProps, RunProps]] = {}
        if styles_root is None:
            return
        defaults = styles_root.find(w("docDefaults"))
        if defaults is not None:
            self.doc_rpr = read_rpr(defaults.find(f"{w('rPrDefault')}/{w('rPr')}"), self.theme)
            self.doc_ppr = read_ppr(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"))
        for style in styles_root.iterchildren(w("style")):
            style_id = wattr(style, "styleId")
            if style_id is None:
                continue
            self._styles[style_id] = style
            kind = wattr(style, "type") or "paragraph"
            if (wattr(style, "default") or "").lower() in {"1", "true", "on"}:
                self._defaults.setdefault(kind, style_id)

    def default_style(self, kind: str) -> str | None:
        """The style id marked ``w:default="1"`` for ``kind`` (paragraph, character, table)."""
        return self._defaults.get(kind)

    def style_name(self, style_id: str | None) -> str | None:
        """The human name of a style (``w:name``), e.g. 'heading 1'."""
        if style_id is None or style_id not in self._styles:
            return None
        return wattr(self._styles[style_id].find(w("name")), "val")

    def chain(self, style_id: str | None) -> tuple[ParaProps, RunProps]:
        """A style's own properties merged down its basedOn chain (nearest wins)."""
        if style_id is None or style_id not in self._styles:
            return ParaProps(), RunProps()
        cached = self._chain_cache.get(style_id)
        if cached is not None:
            return cached
        ids: list[str] = []
        current: str | None = style_id
        while current is not None and current in self._styles and current not in ids:
            ids.append(current)
            if len(ids) >= _MAX_CHAIN:
                break
            current = wattr(self._styles[current].find(w("basedOn")), "val")
        ppr, rpr = ParaProps(), RunProps()
        for sid in reversed(ids):  # from the root ancestor down to the style itself
            el = self._styles[sid]
            ppr = read_ppr(el.find(w("pPr"))).over(ppr)
            rpr = read_rpr(el.find(w("rPr")), self.theme).over(rpr)
        self._chain_cache[style_id] = (ppr, rpr)
        return ppr, rpr

    def paragraph(self, table_style: str | None, para_style: str | None, direct: etree._Element | None) -> ParaProps:
        """Effective paragraph properties: defaults, table style, paragraph style chain, direct."""
        props = self.doc_ppr
        for sid in (table_style, para_style):
            props = self.chain(sid)[0].over(props)
        props = read_ppr(direct).over(props)
        return props

    def run(
        self,
        table_style: str | None,
        para_style: str | None,
        char_style: str | None,
        direct: etree._Element | None,
    ) -> ResolvedRun:
        """Effective run properties (§17.7.2 order, toggles per §17.7.3)."""
        props = RunProps(bold=False, italic=False, underline=False, caps=False, hidden=False)
        props = self.doc_rpr.over(props)
        for sid in (table_style, para_style, char_style):
            if sid is not None:
                props = self.chain(sid)[1].toggled_onto(props)
        props = read_rpr(direct, self.theme).over(props)
        return ResolvedRun(
            font=props.font,
            size_pt=props.size_pt if props.size_pt is not None else 10.0,  # §17.3.2.38: default 10 pt
            bold=bool(props.bold),
            italic=bool(props.italic),
            underline=bool(props.underline),
            caps=bool(props.caps),
            hidden=bool(props.hidden),
        )
