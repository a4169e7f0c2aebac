"""生僻字 on the receipt (issue 15, item 8): a name with CJK Extension B characters (王𠮷𡘙芳)
prints with a font that has their glyphs, not as boxes. WenQuanYi Micro Hei stops at the basic
plane; fontconfig falls back per character to a font that covers them (fonts-hanazono, installed
by `make system-fonts`), and that font must be embedded in the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from test_receipt import ARGS

from yijian.documents import Applicant, render_receipt

NAME = "王𠮷𡘙芳"  # 𠮷 U+20BB7 and 𡘙 U+21619: CJK Unified Ideographs Extension B


def _key(family: str) -> str:
    return re.sub(r"[^a-z0-9]", "", family.lower())


def covering_families(char: str) -> set[str]:
    """The installed font families with a glyph for ``char`` (fontconfig's own answer)."""
    out = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True
    ).stdout
    return {_key(f) for line in out.splitlines() for f in line.split(",") if f.strip()}


def test_extension_b_names_print_with_a_font_that_has_them(tmp_path: Path) -> None:
    assert shutil.which("pdffonts") and shutil.which("fc-list")
    rare = [c for c in NAME if ord(c) > 0xFFFF]
    for c in rare:
        assert covering_families(c), (
            f"no installed font has U+{ord(c):X}: `make system-fonts` (apt-get install "
            "fonts-hanazono)"
        )
    pdf = render_receipt(**{**ARGS, "applicant": Applicant(NAME, "11010119900307123X")})
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert NAME in text
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    embedded = [_key(line.split()[0].split("+")[-1]) for line in listing.splitlines()[2:]]
    for c in rare:
        families = covering_families(c)
        assert any(e.startswith(f) for e in embedded for f in families), (c, embedded)
