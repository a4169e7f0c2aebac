"""The 收件凭证 PDF: real Chinese text in a real PDF, or a clear message about the font."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from yijian.documents import Applicant, Deadline, MissingFontError, fonts, render_receipt
from yijian.documents.receipt import receipt_html
from yijian.documents.receipt_inputs import applicant_of, receipt_inputs
from yijian.store import Case

CHILD = Case(
    "44200020260302000007-01",
    "44200020260302000007",
    "d",
    1,
    "birth",
    "a",
    {},
    {},
    "submitted",
    "2026-03-02T10:03:00+08:00",
)
CASE = Case(
    "44200020260302000007",
    None,
    "d",
    1,
    "newborn",
    "v",
    {},
    {},
    "submitted",
    "2026-03-02T10:03:00+08:00",
    children=[CHILD],
)
ARGS = {
    "case": CASE,
    "matter_name": "新生儿出生一件事",
    "site_name": "一件 · 县政务服务",
    "materials": ["出生医学证明", {"name": "母亲居民身份证", "detail": "电子证照"}],
    "steps": ["受理", "审核", "办结"],
    "deadline": Deadline(3, date(2026, 3, 5)),
    "applicant": Applicant("王芳", "11010119900307123X"),
    "department": "县卫生健康局",
    "phone": "0760-12345",
    "sub_matter_names": {"birth": "出生医学证明首次签发"},
}


def test_html_content_and_masking() -> None:
    html = receipt_html(**ARGS)
    for text in (
        "收件凭证",
        "44200020260302000007",
        "出生医学证明首次签发（44200020260302000007-01）",
        "110101********123X",
        "2026年3月2日 10:03",
        "3 个工作日，预计 2026年3月5日 前办结",
        "县卫生健康局",
        "母亲居民身份证（电子证照）",
    ):
        assert text in html, text
    assert "11010119900307123X" not in html
    zero = receipt_html(**{**ARGS, "deadline": Deadline(0), "materials": []})
    assert "即办（当场办结）" in zero and "本次申请无需提交材料" in zero


def test_pdf_has_real_chinese_text(tmp_path: Path) -> None:
    # A missing tool fails rather than skips: `make test` installs both, and a skip would hide a
    # receipt without Chinese text in CI.
    assert fonts._installed_families(), "no CJK font: apt-get install fonts-wqy-microhei"
    assert shutil.which("pdftotext"), "no pdftotext: apt-get install poppler-utils"
    pdf = render_receipt(**ARGS)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("收件凭证", "44200020260302000007", "新生儿出生一件事", "王芳", "已收材料"):
        assert word in text, word
    fonts_used = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "WenQuanYi" in fonts_used or "CJK" in fonts_used  # embedded, not a fallback box font


def test_missing_font_raises_with_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_installed_families", lambda: ())
    with pytest.raises(MissingFontError) as err:
        render_receipt(**ARGS)
    assert str(err.value) == (
        "No CJK font found: install it with `apt-get install fonts-wqy-microhei`"
    )


def test_inputs_without_definition() -> None:
    case = Case(
        "44200020260302000008",
        None,
        "d",
        1,
        "gone",
        "old",
        {"applicant": {"name": "赵六", "id_number": "11010119900307123X"}},
        {"matter_name": "已下线事项"},
        "submitted",
        "2026-03-02T10:03:00+08:00",
    )
    inputs = receipt_inputs(case, None, [], None, site_name="一件")
    assert inputs["matter_name"] == "已下线事项" and inputs["deadline"] is None
    assert inputs["applicant"] == Applicant("赵六", "11010119900307123X")
    assert applicant_of(CASE, "账号姓名") == Applicant("账号姓名", None)
