"""A long answer is refused with its count, never cut (issue 13, item 6).

Before: every posted text value was cut to 2,000 characters when parsed, so a 3,890-character
answer was stored as 2,000 with no message. Now the limit is shown under the box and a longer
answer is kept as typed and refused inline with its count.
"""

from __future__ import annotations

from webtools import HTMX, start, with_markers

PROOF = "residence-proof"
LONG = "这是一段很长的补充说明。" * 324 + "完毕"  # 3,890 characters


def _to_detail_page(client) -> str:
    draft_id, _ = start(client, PROOF)
    data = with_markers(
        {"applicant.name": "张三", "applicant.phone": "13800138000", "applicant.reason": "other"},
        ("applicant.reason_other",),
    )
    data["applicant.reason_other"] = "其他原因"
    r = client.post(f"/drafts/{draft_id}/applicant", data=data, follow_redirects=False)
    assert r.headers["location"] == f"/drafts/{draft_id}/detail"
    return draft_id


def test_the_limit_is_shown_and_a_longer_answer_is_refused_not_cut(client, app):
    assert len(LONG) == 3890
    draft_id = _to_detail_page(client)
    page = client.get(f"/drafts/{draft_id}/detail")
    assert "最多 2000 字" in page.text
    assert "maxlength" not in page.text.split('id="f-detail-note"')[1].split(">")[0]
    r = client.post(
        f"/drafts/{draft_id}/detail",
        data=with_markers({"detail.note": LONG}),
        follow_redirects=False,
    )
    assert r.status_code == 200 and "yj-error-summary" in r.text
    assert "补充说明不能超过 2000 个字（现有 3890 个字）" in r.text
    assert LONG in r.text  # shown back whole, to be shortened by the citizen
    assert app.state.store.drafts.get(draft_id).answers["detail"]["note"] == LONG
    ok = "好" * 2000
    r = client.post(
        f"/drafts/{draft_id}/detail", data=with_markers({"detail.note": ok}), follow_redirects=False
    )
    assert r.status_code == 303
    assert app.state.store.drafts.get(draft_id).answers["detail"]["note"] == ok


def test_the_live_change_says_so_too(client):
    draft_id = _to_detail_page(client)
    r = client.post(
        f"/drafts/{draft_id}/detail/change?field=detail.note",
        data={"detail.note": LONG},
        headers=HTMX,
    )
    assert r.status_code == 200 and "现有 3890 个字" in r.text
