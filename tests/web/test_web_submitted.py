"""What is submitted: only answers the rules show; the review's step ticks; small markup fixes."""

from __future__ import annotations

import re

from test_web_materials import PDF, PROOF, fill_applicant, upload
from webtools import RELIEF, start, with_markers


def test_hidden_answers_stay_in_the_draft_but_are_not_submitted(client, app):
    draft_id, _ = start(client, PROOF)
    r = fill_applicant(
        client, draft_id, **{"applicant.reason": "other", "applicant.reason_other": "办理落户"}
    )
    assert r.headers["location"] == f"/drafts/{draft_id}/detail"  # the conditional page shows
    data = with_markers({"detail.note": "随迁子女"})
    client.post(f"/drafts/{draft_id}/detail", data=data)
    # the citizen changes their mind: the field and the page are hidden again
    r = fill_applicant(client, draft_id, **{"applicant.reason_other": "办理落户"})
    assert r.headers["location"] == f"/drafts/{draft_id}/_materials"
    upload(client, draft_id, "lease", "合同.pdf", PDF)
    review = client.get(f"/drafts/{draft_id}/review").text
    assert "办理落户" not in review and "随迁子女" not in review
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303, r.text
    draft = app.state.store.drafts.get(draft_id)
    case = app.state.store.cases.get(draft.case_no)
    assert case.answers["applicant"] == {
        "name": "张三",
        "phone": "13800138000",
        "reason": "school",
    }
    assert "detail" not in case.answers
    # nothing typed is lost: the draft still holds both hidden answers
    assert draft.answers["applicant"]["reason_other"] == "办理落户"
    assert draft.answers["detail"]["note"] == "随迁子女"


def test_review_ticks_only_pages_that_are_complete(client):
    draft_id, _ = start(client, PROOF)
    review = client.get(f"/drafts/{draft_id}/review").text
    steps = re.search(r'<ol class="yj-steps__list".*?</ol>', review, re.S).group(0)
    assert "已完成" not in steps
    assert steps.count("未完成：") == 2  # 申请人信息 and 上传材料
    assert "当前步骤：</span>核对并提交" in steps
    fill_applicant(client, draft_id)
    steps = re.search(
        r'<ol class="yj-steps__list".*?</ol>', client.get(f"/drafts/{draft_id}/review").text, re.S
    ).group(0)
    assert "已完成：</span>申请人信息" in steps and "未完成：</span>上传材料" in steps
    upload(client, draft_id, "lease", "合同.pdf", PDF)
    steps = re.search(
        r'<ol class="yj-steps__list".*?</ol>', client.get(f"/drafts/{draft_id}/review").text, re.S
    ).group(0)
    assert steps.count("已完成：") == 2 and "未完成" not in steps


def test_region_fieldset_has_no_empty_describedby(client):
    draft_id, _ = start(client, RELIEF)
    page = client.get(f"/drafts/{draft_id}/applicant").text
    assert 'aria-describedby=""' not in page
    data = with_markers({"applicant.region-1": "450000"})
    r = client.post(f"/drafts/{draft_id}/applicant", data=data)
    fieldset = re.search(r'<fieldset class="yj-fieldset"[^>]*>\s*<legend[^>]*>户籍所在地', r.text)
    assert 'aria-describedby="f-applicant-region-error"' in fieldset.group(0)
