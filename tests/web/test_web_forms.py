"""The form runtime without JavaScript and with htmx: journey, errors, rules, repeats, uploads."""

from __future__ import annotations

import re

from webtools import BIRTH, BIRTH_PAGES, HTMX, RELIEF, start, with_markers


def summary_links(html: str) -> list[str]:
    box = re.search(r'class="yj-error-summary".*?</ul>', html, re.S)
    return re.findall(r'href="#([^"]+)"', box.group(0)) if box else []


def test_full_journey_without_js_submits_a_case(client, app):
    draft_id, first = start(client, BIRTH)
    assert first.endswith("/child")
    page = client.get(first)
    assert "第 1 步，共 4 步" in page.text
    for name, values in BIRTH_PAGES.items():
        r = client.post(
            f"/drafts/{draft_id}/{name}", data=with_markers(values), follow_redirects=False
        )
        assert r.status_code == 303, summary_links(r.text)
    assert r.headers["location"].endswith("/review")
    review = client.get(f"/drafts/{draft_id}/review")
    assert "核对您的申请" in review.text and "李小安" in review.text
    assert f"/drafts/{draft_id}/child?return=review#f-child-name" in review.text
    assert "广东省中山市" in review.text  # region shown by name
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code in (200, 303)
    draft = app.state.store.drafts.get(draft_id)
    assert draft.status != "open" and draft.case_no
    case = app.state.store.cases.get(draft.case_no)
    assert case.summary["version"] == draft.version
    assert [s["id"] for s in case.summary["steps"]] == ["accept", "issue"]
    assert "_meta" not in case.answers
    # a second submit (double click) is the same case; the draft pages now lead to it
    again = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == f"/cases/{draft.case_no}"


def test_errors_keep_typed_values_and_link_each_field(client):
    draft_id, _ = start(client, BIRTH)
    values = {
        **BIRTH_PAGES["parents"],
        "mother.id_number": "110105194912310021",
        "contact.phone": "12<script>alert(1)</script>",
        "father.name": "",
    }
    r = client.post(f"/drafts/{draft_id}/parents", data=with_markers(values))
    assert r.status_code == 200
    assert summary_links(r.text) == ["f-mother-id_number", "f-father-name", "f-contact-phone"]
    assert 'value="110105194912310021"' in r.text  # the invalid value is shown back
    assert "<script>alert(1)</script>" not in r.text
    assert "12&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert r.text.count("公民身份号码不正确") >= 2  # summary and next to the field
    assert "<title>错误：" in r.text
    # the invalid answers were saved too: nothing typed is lost
    again = client.get(f"/drafts/{draft_id}/parents")
    assert 'value="110105194912310021"' in again.text


def test_htmx_change_shows_the_failing_rule_at_once(client):
    draft_id, _ = start(client, BIRTH)
    r = client.post(
        f"/drafts/{draft_id}/child/change?field=child.has_certificate",
        data={"child.has_certificate": "true"},
        headers=HTMX,
    )
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<div id="w-child-has_certificate"')
    assert 'id="eligibility" hx-swap-oob="innerHTML"' in r.text
    # once: the banner is not repeated above the buttons (issue 15, item 6)
    assert "eligibility-end" not in r.text
    assert "首次签发不能重复办理" in r.text
    assert "<html" not in r.text
    # untouched empty required fields are not reported on a live change
    assert "请填写新生儿姓名" not in r.text
    # answering "no" clears the banner again
    r = client.post(
        f"/drafts/{draft_id}/child/change?field=child.has_certificate",
        data={"child.has_certificate": "false"},
        headers=HTMX,
    )
    assert 'id="eligibility" hx-swap-oob="innerHTML"></div>' in r.text.replace("\n", "")


def test_htmx_change_validates_the_touched_field_and_decodes_id_card(client):
    draft_id, _ = start(client, BIRTH)
    r = client.post(
        f"/drafts/{draft_id}/parents/change?field=mother.id_number",
        data={"mother.id_number": "11010519491231002X"},
        headers=HTMX,
    )
    assert "出生日期 1949 年 12 月 31 日" in r.text and "性别 女" in r.text
    assert 'hx-post="/drafts/' in r.text and 'hx-target="#w-mother-id_number"' in r.text
    r = client.post(
        f"/drafts/{draft_id}/parents/change?field=mother.id_number",
        data={"mother.id_number": "1101"},
        headers=HTMX,
    )
    assert "公民身份号码不正确" in r.text
    assert "eligibility" not in r.text  # nothing else changed: only the field comes back


def test_blocking_rule_stops_submission_with_its_reason(client, app):
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        values = {**values, "child.has_certificate": "true"} if name == "child" else values
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 422 and "申请未提交" in r.text and "首次签发不能重复办理" in r.text
    assert app.state.store.drafts.get(draft_id).status == "open"


def test_submit_with_missing_answers_goes_to_the_first_page_with_errors(client):
    draft_id, _ = start(client, BIRTH)
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.headers["location"] == f"/drafts/{draft_id}/child?check=1&return=review"
    page = client.get(r.headers["location"])
    assert "请填写新生儿姓名" in page.text and "返回核对页" in page.text


def relief_page(client, draft_id: str, values: dict, action: str, rows: int = 0):
    data = with_markers(values, ("members",))
    data.update({"_action": action, "_rows.members": str(rows)})
    return client.post(f"/drafts/{draft_id}/family", data=data)


def test_repeat_rows_add_and_remove_without_js(client, app):
    draft_id, _ = start(client, RELIEF)
    r = relief_page(client, draft_id, {}, "add:members", 0)
    assert 'name="members.0.name"' in r.text and "家庭成员（第 1 项）" in r.text
    r = relief_page(client, draft_id, {"members.0.name": "张一"}, "add:members", 1)
    assert 'value="张一"' in r.text and 'name="members.1.name"' in r.text
    r = relief_page(
        client,
        draft_id,
        {"members.0.name": "张一", "members.1.name": "", "members.1.income": "abc"},
        "add:members",
        2,
    )
    assert 'name="members.2.name"' in r.text
    assert "最多可添加 3 项" in r.text  # max_items reached: no add button
    r = relief_page(
        client,
        draft_id,
        {"members.0.name": "张一", "members.1.name": "", "members.2.name": ""},
        "add:members",
        3,
    )
    assert 'name="members.3.name"' not in r.text
    # continue: each row validated, an empty row reported, never stuck
    r = relief_page(
        client,
        draft_id,
        {
            "members.0.name": "张一",
            "members.1.name": "",
            "members.1.income": "abc",
            "members.2.name": "",
        },
        "continue",
        3,
    )
    assert "第 2 项家庭成员：请填写姓名" in r.text
    assert "f-members-1-name" in summary_links(r.text)
    r = relief_page(
        client,
        draft_id,
        {"members.0.name": "张一", "members.1.name": "", "members.2.name": ""},
        "remove:members:1",
        3,
    )
    r = relief_page(
        client, draft_id, {"members.0.name": "张一", "members.1.name": ""}, "remove:members:1", 2
    )
    rows = app.state.store.drafts.get(draft_id).answers["members"]
    assert [row["name"] for row in rows] == ["张一"]
    r = relief_page(client, draft_id, {"members.0.name": "张一"}, "continue", 1)
    assert r.status_code == 200 and "/upload" in str(r.url)


def test_region_in_a_repeat_row_is_checked_by_the_shared_checker(client, app):
    """A row's region must reach the child's ``region_level``: the message comes from
    ``fieldcheck.region_message`` (no second check in the web layer), names the row, and a
    province alone keeps the citizen on the page; the city lets them go on."""
    draft_id, _ = start(client, RELIEF)
    row = {"members.0.name": "张一", "members.0.lives_in-1": "450000"}
    r = relief_page(client, draft_id, row, "continue", 1)
    assert r.status_code == 200
    assert "f-members-0-lives_in" in summary_links(r.text)
    assert "第 1 项家庭成员：请选择现居住地的市" in r.text
    assert app.state.store.drafts.get(draft_id).answers["members"][0]["lives_in"] == "450000"
    r = relief_page(client, draft_id, {**row, "members.0.lives_in-2": "450100"}, "continue", 1)
    assert r.status_code == 200 and "/upload" in str(r.url)


def test_repeat_rows_with_htmx(client):
    draft_id, _ = start(client, RELIEF)
    r = client.post(
        f"/drafts/{draft_id}/family/change?field=members&action=add%3Amembers",
        data={"_rows.members": "0"},
        headers=HTMX,
    )
    assert r.text.lstrip().startswith('<div id="w-members"') and 'name="members.0.name"' in r.text
    r = client.post(
        f"/drafts/{draft_id}/family/change?field=members.0.name",
        data={"members.0.name": "王五"},
        headers=HTMX,
    )
    assert r.text.lstrip().startswith('<div id="w-members-0-name"')
    r = client.post(
        f"/drafts/{draft_id}/family/change?field=members&action=remove%3Amembers%3A0",
        data={"_rows.members": "1", "members.0.name": "王五"},
        headers=HTMX,
    )
    assert 'name="members.0.name"' not in r.text and "还没有添加家庭成员" in r.text


def test_conditional_field_appears_out_of_band(client):
    draft_id, _ = start(client, RELIEF)
    page = client.get(f"/drafts/{draft_id}/applicant")
    assert (
        '<div id="w-applicant-kind_other" class="yj-field yj-field--textarea" hidden>' in page.text
    )
    r = client.post(
        f"/drafts/{draft_id}/applicant/change?field=applicant.kind",
        data={"applicant.kind": "other"},
        headers=HTMX,
    )
    assert (
        'id="w-applicant-kind_other" class="yj-field yj-field--textarea" hx-swap-oob="outerHTML">'
        in r.text
    )
    assert "请填写请说明困难情况" not in r.text  # shown, not yet complained about


def test_region_cascade_without_and_with_js(client, app):
    draft_id, _ = start(client, RELIEF)
    data = with_markers({"applicant.region-1": "450000"})
    data["_action"] = "refresh"
    r = client.post(f"/drafts/{draft_id}/applicant", data=data)
    assert 'name="applicant.region-2"' in r.text and "南宁市" in r.text
    r = client.post(
        f"/drafts/{draft_id}/applicant/change?field=applicant.region",
        data={"applicant.region-1": "450000", "applicant.region-2": "450100"},
        headers=HTMX,
    )
    assert 'name="applicant.region-3"' in r.text
    # a changed province drops a city that is not in it
    r = client.post(
        f"/drafts/{draft_id}/applicant/change?field=applicant.region",
        data={"applicant.region-1": "440000", "applicant.region-2": "450100"},
        headers=HTMX,
    )
    assert app.state.store.drafts.get(draft_id).answers["applicant"]["region"] == "440000"
    assert "请选择户籍所在地的市" in r.text


def test_invalid_date_is_kept_as_typed(client):
    draft_id, _ = start(client, RELIEF)
    data = with_markers(
        {"applicant.since-year": "2025", "applicant.since-month": "2", "applicant.since-day": "30"}
    )
    r = client.post(f"/drafts/{draft_id}/applicant", data=data)
    assert "必须是有效日期" in r.text and 'value="30"' in r.text
    assert "f-applicant-since-year" in summary_links(r.text)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_upload_accepted_and_removed(client, app):
    draft_id, _ = start(client, RELIEF)
    r = client.post(
        f"/drafts/{draft_id}/upload",
        data={"_action": "upload:files.income_proof"},
        files={"files.income_proof": ("收入.png", PNG, "image/png")},
    )
    assert "已上传：<strong>收入.png</strong>" in r.text
    ref = app.state.store.drafts.get(draft_id).answers["files"]["income_proof"]
    assert ref["mime"] == "image/png" and len(ref["sha256"]) == 64
    r = client.post(
        f"/drafts/{draft_id}/upload", data={"_action": "remove-file:files.income_proof"}
    )
    assert "已上传" not in r.text and 'type="file"' in r.text


def test_upload_refused_by_sniffed_type_and_size(client, app):
    draft_id, _ = start(client, RELIEF)
    r = client.post(
        f"/drafts/{draft_id}/upload",
        data={"_action": "upload:files.income_proof"},
        files={"files.income_proof": ("证明.pdf", b"MZ\x90\x00not a pdf", "application/pdf")},
    )
    assert "yj-error-summary" in r.text and "已上传" not in r.text
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    r = client.post(
        f"/drafts/{draft_id}/upload",
        data={"_action": "upload:files.income_proof"},
        files={"files.income_proof": ("big.pdf", big, "application/pdf")},
    )
    assert "不能超过 1 MB" in r.text
    assert not (app.state.store.drafts.get(draft_id).answers.get("files") or {}).get("income_proof")


def test_hidden_pages_and_unknown_pages(client):
    draft_id, _ = start(client, BIRTH)
    assert client.get(f"/drafts/{draft_id}/nope").status_code == 404
    r = client.post(f"/drafts/{draft_id}/child/change?field=not.a.field", data={}, headers=HTMX)
    assert r.status_code == 404


def test_anonymous_submitter_keeps_the_case_and_receipt_other_browsers_do_not(client, other_client):
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")
    case_url = r.headers["location"]
    page = client.get(case_url)
    assert page.status_code == 200 and "申请已提交" in page.text
    assert client.get(case_url + "/receipt.pdf").status_code in (200, 503)  # 503: no CJK font
    assert other_client.get(case_url).status_code == 404
    assert other_client.get(case_url + "/receipt.pdf").status_code == 404
