"""The serif TTF fonts embedded in report PDFs (Vietnamese needs a font with its diacritics)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from archive_service.errors import AppError

# Liberation Serif is metric-compatible with Times New Roman, the font of 36-HD/VPTW. Debian's
# fonts-liberation2 (2.x) covers Vietnamese; the older fonts-liberation (1.x, folder "liberation") does
# not, so every candidate is checked for the letters below before it is used. DejaVu Serif
# (fonts-dejavu-core) is the fallback.
_CANDIDATES: Final = (
    ("/usr/share/fonts/truetype/liberation2", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("/usr/share/fonts/truetype/liberation", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
)
VIETNAMESE_SAMPLE: Final = (
    "ĐđƯưƠơẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"
)


class ReportFontMissing(AppError):
    status_code = 500


@dataclass(frozen=True)
class FontPair:
    regular: Path
    bold: Path
    italic: Path | None = None  # the place-and-date line of a báo cáo is italic (05-HD/VPTW)


def italic_of(regular: Path) -> Path | None:
    """The italic face beside a regular one (LiberationSerif-Italic.ttf, DejaVuSerif-Italic.ttf), if installed."""
    name = regular.name.replace("-Regular", "-Italic") if "-Regular" in regular.name else f"{regular.stem}-Italic.ttf"
    path = regular.with_name(name)
    return path if path.is_file() and covers_vietnamese(path) else None


def covers_vietnamese(path: Path) -> bool:
    """Whether the TTF at ``path`` has a glyph for every Vietnamese letter."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
    return all(ord(ch) in cmap for ch in VIETNAMESE_SAMPLE)


@lru_cache(maxsize=4)
def find_serif_font(candidates: tuple[tuple[str, str, str], ...] = _CANDIDATES) -> FontPair:
    """The first installed regular+bold pair that covers Vietnamese; a clear error when none does."""
    for folder, regular, bold in candidates:
        pair = FontPair(Path(folder) / regular, Path(folder) / bold)
        if pair.regular.is_file() and pair.bold.is_file() and all(map(covers_vietnamese, (pair.regular, pair.bold))):
            return FontPair(pair.regular, pair.bold, italic_of(pair.regular))
    looked = ", ".join(str(Path(folder) / regular) for folder, regular, _ in candidates)
    raise ReportFontMissing(
        "REPORT-FONT-MISSING",
        "Không tìm thấy phông chữ tiếng Việt để tạo PDF (đã tìm: "
        f"{looked}); cài gói Debian fonts-liberation2 hoặc fonts-dejavu-core.",
    )
