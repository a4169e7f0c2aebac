"""The 收件凭证 PDF is tagged PDF/UA-1 (issue 15, item 6): a screen reader gets headings,
paragraphs and tables in reading order, the document's language and its title, not a heap of
positioned glyphs. Checked on the real, signed PDF with poppler's ``pdfinfo``."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader
from test_receipt import ARGS

from yijian.documents import render_receipt


def pdfinfo(path: Path, *options: str) -> str:
    assert shutil.which("pdfinfo"), "no pdfinfo: apt-get install poppler-utils"
    done = subprocess.run(
        ["pdfinfo", *options, str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def test_receipt_is_tagged_pdf_ua(tmp_path: Path) -> None:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt(**ARGS))
    info = pdfinfo(path)
    assert "Tagged:          yes" in info, info
    assert "Title:           收件凭证 44200020260302000007" in info, info
    meta = pdfinfo(path, "-meta")
    assert re.search(r'pdfuaid:part(="1"|>1<)', meta), meta
    root = PdfFileReader(io.BytesIO(path.read_bytes())).root
    assert root["/Lang"] == "zh-CN"  # the language of the text, for the screen reader's voice
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # the title, not the file name
