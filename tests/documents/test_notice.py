"""Window notices (documents.notice): the text each kind says, and the signing step."""

from __future__ import annotations

from datetime import date

import pytest

from yijian.documents import signing
from yijian.documents.notice import NOTICE_TITLES, NoticeInputs, notice_html
from yijian.documents.receipt import Applicant
from yijian.extend import SIGNERS


def _inputs(kind: str, **data: object) -> NoticeInputs:
    return NoticeInputs(
        kind=kind,
        case_no="44200020261205000001",
        matter_name="出生医学证明",
        site_name="中山市政务服务中心",
        issued_on=date(2026, 12, 7),
        data=data,
        applicant=Applicant("王芳", "11010519491231002X"),
        department="市卫生健康局",
        promise="5 个工作日",
    )


def test_accepted_refused_and_correction_say_what_the_law_asks() -> None:
    accepted = notice_html(_inputs("accepted"))
    assert "受理通知书" in accepted and "予以受理" in accepted and "5 个工作日" in accepted
    assert "2026年12月7日" in accepted and "市卫生健康局" in accepted
    refused = notice_html(_inputs("refused", reason="不属于本机关职权", basis="许可法第三十二条"))
    assert "不予受理决定书" in refused and "不属于本机关职权" in refused
    assert "行政复议" in refused  # the remedy is always stated
    items = [{"label": "母亲身份证号", "reason": "与户口簿不一致"}]
    corr = notice_html(_inputs("correction_requested", items=items, due="2026-12-14"))
    assert "一次性告知" in corr and "与户口簿不一致" in corr and "2026年12月14日" in corr


def test_the_id_number_is_masked_and_values_are_escaped() -> None:
    html = notice_html(_inputs("refused", reason="<script>x</script>", basis="b"))
    assert "11010519491231002X" not in html and "1101**********002X" in html
    assert "<script>x" not in html


def test_every_notice_title_has_a_text() -> None:
    from yijian.documents.notice import notice_title

    for kind in NOTICE_TITLES:
        for decision in ("approved", "denied") if kind == "concluded" else (None,):
            data = {"items": [], "due": "2026-12-14", "reason": "r", "basis": "b"}
            if decision:
                data["decision"] = decision
            html = notice_html(_inputs(kind, **data))
            title = notice_title(kind, data)
            assert title is not None and title in html, (kind, decision)


def test_finish_runs_the_chosen_signer() -> None:
    assert signing.finish(b"%PDF-1.7", purpose="受理通知书") == b"%PDF-1.7"

    class Stamp:
        def sign(self, pdf: bytes, *, purpose: str) -> bytes:
            return pdf + purpose.encode()

    SIGNERS.register("stamp", Stamp)
    try:
        assert signing.finish(b"%PDF", purpose="受理通知书", signer="stamp").endswith(
            "受理通知书".encode()
        )
    finally:
        SIGNERS.unregister("stamp")
    with pytest.raises(LookupError):
        signing.finish(b"%PDF", purpose="x", signer="nope")
