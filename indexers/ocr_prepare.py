"""Scan preparation before Tesseract: colour removal, deskew, binarisation — each a small pure step.

Why: a red seal over the signer's name and blue ink across the signature block are read by Tesseract
as letters and break the lines they touch; a page scanned a degree off straight splits its lines;
a grey or uneven background lowers word confidence. Each step takes a PIL image and returns a new
one (the input is never changed), and each can be switched off (``Prep``) so ``bench/ocr_prep.py``
can measure what it pays. Resolution is never changed: the caller keeps the scan's own DPI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image

# Hue on PIL's 0..255 scale (0° = 0, 360° = 256): red/magenta wraps around 0, blue ink sits near 240°.
_RED_BELOW: Final = 18  # < 25°
_RED_ABOVE: Final = 205  # > 288° (magenta, crimson)
_BLUE_FROM: Final = 135  # 190°
_BLUE_TO: Final = 195  # 275°
_MIN_SATURATION: Final = 70  # paper tint and black toner stay below this
_MIN_VALUE: Final = 60  # very dark pixels have no reliable hue: keep them as ink
_FRINGE_SATURATION: Final = 30  # the pale rim of a seal's strokes: light, faintly tinted
_FRINGE_VALUE: Final = 150
_DESKEW_LIMIT: Final = 5.0
_DESKEW_STEP: Final = 0.25
_DESKEW_WIDTH: Final = 900  # the page is searched at this width: line pitch stays > 10 px
_BLOCK: Final = 4  # Sauvola's local statistics are taken on blocks of this many pixels a side
_MIN_ROTATION: Final = 0.3  # below this, rotating (and resampling) costs more than it gives


@dataclass(frozen=True)
class Prep:
    """Which preparation steps run before OCR (defaults: those that paid in ``bench/ocr_prep.py``).

    Measured on the real scans and the generated ones: colour removal pays (+16 points of printed
    fields on real scans); deskew and binarisation did not (Tesseract copes with < 1° itself, and
    the hard threshold loses thin diacritics), so they are off unless asked for.
    """

    colour: bool = True
    deskew: bool = False
    binarise: bool = False

    @classmethod
    def from_env(cls) -> Prep:
        """``ARCHIVE_OCR_PREP`` = comma list of steps (``colour,deskew,binarise``), ``none`` for none."""
        raw = os.environ.get("ARCHIVE_OCR_PREP")
        if raw is None:
            return cls()
        steps = {s.strip().lower() for s in raw.split(",") if s.strip()}
        return cls(colour="colour" in steps, deskew="deskew" in steps, binarise="binarise" in steps)

    @property
    def label(self) -> str:
        on = [
            name
            for name, flag in (("colour", self.colour), ("deskew", self.deskew), ("binarise", self.binarise))
            if flag
        ]
        return "+".join(on) or "none"


@dataclass
class Prepared:
    """The page ready for OCR (mode L), the colour ink taken out of it (mode L, ink dark) and the angle."""

    image: Image.Image
    colour_layer: Image.Image | None
    angle: float


def _hsv(image: Image.Image) -> tuple[NDArray[np.uint8], NDArray[np.uint8], NDArray[np.uint8]]:
    hsv = np.asarray(image.convert("RGB").convert("HSV"), dtype=np.uint8)
    return hsv[..., 0], hsv[..., 1], hsv[..., 2]


def colour_mask(image: Image.Image) -> NDArray[np.bool_]:
    """True where a pixel is saturated red/magenta (seal, stamp) or blue (signature, pen)."""
    if image.mode in ("L", "1"):
        return np.zeros((image.height, image.width), dtype=bool)
    hue, sat, val = _hsv(image)
    red = (hue < _RED_BELOW) | (hue > _RED_ABOVE)
    blue = (hue >= _BLUE_FROM) & (hue <= _BLUE_TO)
    strong = (sat >= _MIN_SATURATION) & (val >= _MIN_VALUE)
    fringe = (sat >= _FRINGE_SATURATION) & (val >= _FRINGE_VALUE)
    result: NDArray[np.bool_] = (red | blue) & (strong | fringe)
    return result


def remove_colour(image: Image.Image) -> tuple[Image.Image, Image.Image]:
    """The page in grey with coloured ink turned white, and that ink alone (dark on white) kept aside.

    The layer kept aside is where a stamped or handwritten number in red or blue ink can still be read.
    """
    mask = colour_mask(image)
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    cleaned = np.where(mask, np.uint8(255), grey).astype(np.uint8)
    layer = np.where(mask, grey, np.uint8(255)).astype(np.uint8)
    return Image.fromarray(cleaned, mode="L"), Image.fromarray(layer, mode="L")


def otsu_threshold(grey: NDArray[np.uint8]) -> int:
    """The grey level that best splits ink from paper (Otsu: maximal between-class variance)."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    weight_dark = np.cumsum(hist)
    sum_dark = np.cumsum(hist * levels)
    weight_light = total - weight_dark
    mean_dark = np.divide(sum_dark, weight_dark, out=np.zeros(256), where=weight_dark > 0)
    mean_light = np.divide(sum_dark[-1] - sum_dark, weight_light, out=np.zeros(256), where=weight_light > 0)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    return int(np.argmax(between))


def _box_mean(values: NDArray[np.float64], half: int) -> NDArray[np.float64]:
    """Mean of ``values`` over the (2·half+1)² window around each pixel (edges repeated outward)."""
    size = 2 * half + 1
    out = values
    for axis in (0, 1):
        pad = [(0, 0), (0, 0)]
        pad[axis] = (half + 1, half)
        summed = np.cumsum(np.pad(out, pad, mode="edge"), axis=axis)
        upper = summed[size:, :] if axis == 0 else summed[:, size:]
        lower = summed[:-size, :] if axis == 0 else summed[:, :-size]
        out = (upper - lower) / size
    return out


def binarise(image: Image.Image, *, k: float = 0.2) -> Image.Image:
    """Black ink on white paper (mode L, 0/255) by Sauvola's local threshold on the grey page.

    Local, not one global level: a scan is often darker at one edge (a curled page, a fold), where a
    single threshold would blacken the paper or lose the faint strokes.
    """
    grey = np.asarray(image.convert("L"), dtype=np.float64)
    half = max(12, round(grey.shape[1] / 100))
    # The local statistics change slowly: computed on 4×4 blocks and spread back, 16 times cheaper.
    rows, cols = grey.shape
    tall, wide = -(-rows // _BLOCK) * _BLOCK, -(-cols // _BLOCK) * _BLOCK
    padded = np.pad(grey, ((0, tall - rows), (0, wide - cols)), mode="edge")
    blocks = padded.reshape(tall // _BLOCK, _BLOCK, wide // _BLOCK, _BLOCK)
    small_mean = _box_mean(blocks.mean(axis=(1, 3)), max(1, half // _BLOCK))
    small_square = _box_mean((blocks * blocks).mean(axis=(1, 3)), max(1, half // _BLOCK))
    small_spread = np.sqrt(np.maximum(small_square - small_mean * small_mean, 0))
    small_level = small_mean * (1 + k * (small_spread / 128 - 1))
    level = np.repeat(np.repeat(small_level, _BLOCK, axis=0), _BLOCK, axis=1)[:rows, :cols]
    return Image.fromarray(np.where(grey > level, np.uint8(255), np.uint8(0)).astype(np.uint8), mode="L")


def skew_angle(image: Image.Image) -> float:
    """The text's tilt in degrees (counter-clockwise positive, as ``Image.rotate``), 0 when unsure.

    Projection profile: on a small binary copy, the shear that makes the row sums peakiest (largest
    sum of squares) is the one that lines the text rows up with the pixel rows.
    """
    grey = image.convert("L")
    scale = min(1.0, _DESKEW_WIDTH / max(grey.width, 1))
    small = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.Resampling.BOX)
    pixels = np.asarray(small, dtype=np.uint8)
    ink = pixels < min(otsu_threshold(pixels), 200)
    ys, xs = np.nonzero(ink)
    if len(ys) < 200:
        return 0.0
    xs_c = xs.astype(np.float64) - small.width / 2
    ys_f = ys.astype(np.float64)

    def peakiness(angle: float) -> float:
        # A row tilted by +a (counter-clockwise) rises to the right: y = y0 - x·tan(a); undo it.
        rows = np.round(ys_f + xs_c * np.tan(np.radians(angle))).astype(np.int64)
        profile = np.bincount(rows - rows.min()).astype(np.float64)
        return float(np.sum(profile**2))

    steps = round(2 * _DESKEW_LIMIT / _DESKEW_STEP) + 1
    coarse = max(np.linspace(-_DESKEW_LIMIT, _DESKEW_LIMIT, steps), key=peakiness)
    fine = np.linspace(coarse - _DESKEW_STEP, coarse + _DESKEW_STEP, 11)  # then to 0.05°
    best = float(max(fine, key=peakiness))
    if peakiness(best) <= peakiness(0.0) * 1.01:
        return 0.0  # no clear gain over leaving the page as it is
    return round(best, 2)


def deskew(image: Image.Image) -> tuple[Image.Image, float]:
    """The page turned straight, same size and resolution; the angle it was turned back by."""
    angle = skew_angle(image)
    if abs(angle) < _MIN_ROTATION:
        return image, 0.0
    fill: int | tuple[int, ...] = 255 if image.mode in ("L", "1") else (255,) * len(image.getbands())
    turned = image.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=fill)
    return turned, angle


def prepare(image: Image.Image, prep: Prep) -> Prepared:
    """Run the switched-on steps in order: colour out (on the colour page), deskew, binarise."""
    layer: Image.Image | None = None
    if prep.colour and image.mode not in ("L", "1"):
        page, layer = remove_colour(image)
    else:
        page = image.convert("L")
    angle = 0.0
    if prep.deskew:
        page, angle = deskew(page)
        if layer is not None and angle:
            layer = layer.rotate(-angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if prep.binarise:
        page = binarise(page)
    return Prepared(image=page, colour_layer=layer, angle=angle)
