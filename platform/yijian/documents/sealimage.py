"""The seal's image: a round red seal drawn from its name, as official seals look.

A ring, a five-pointed star in the middle and the seal's name around the upper part of the ring,
read clockwise (GA 241 style for 行政审批专用章: "□□县□□镇人民政府行政审批专用章"). It is the
*picture* of the seal only; what makes a document sealed is the signature that covers the
file (``documents.seal``). Drawn with Pillow in the CJK font the documents use, as a PNG that
the document template places where the seal goes.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from yijian.documents.fonts import cjk_font_file

__all__ = ["RED", "seal_png"]

RED = (212, 0, 0, 255)
SIZE = 420  # px; printed at 42 mm, the common diameter of an approval seal


def _star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


@lru_cache(maxsize=64)
def seal_png(name: str, below: str = "") -> bytes:
    """The seal of ``name`` as PNG bytes (``below``: a short line under the star, e.g. a code)."""
    img = Image.new("RGBA", (SIZE, SIZE), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c = SIZE / 2
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), outline=RED, width=14)
    draw.polygon(_star(c, c, SIZE * 0.14), fill=RED)
    font_file = cjk_font_file()
    chars = list(name.strip()) or ["印"]
    size = max(22, min(46, int(760 / max(len(chars), 1))))
    font = ImageFont.truetype(font_file, size) if font_file else ImageFont.load_default()
    span = min(250.0, 14.0 * len(chars) + 40)  # degrees of the ring the name covers
    radius = c - 34 - size / 2
    for i, ch in enumerate(chars):
        angle = -90 - span / 2 + span * (i + 0.5) / len(chars)  # clockwise from the left
        tile = Image.new("RGBA", (size * 2, size * 2), (255, 255, 255, 0))
        ImageDraw.Draw(tile).text((size, size), ch, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-(angle + 90), resample=Image.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - size
        y = c + radius * math.sin(math.radians(angle)) - size
        img.alpha_composite(tile, (int(x), int(y)))
    if below:
        small = ImageFont.truetype(font_file, 26) if font_file else ImageFont.load_default()
        draw.text((c, c + SIZE * 0.24), below, font=small, fill=RED, anchor="mm")
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
