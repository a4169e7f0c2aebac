"""Live answers while the person is still typing: no message yet (issue 15, item 5).

yijian.js sends ``YJ-Typing: 1`` with an answer posted on a pause in typing (keyup) or on a
region level chosen before the last, when the field shows no message. The answer is saved and
decoded as usual; only the field's own message waits until the field is left or the page sent.
"""

from __future__ import annotations

from webtools import BIRTH, HTMX, RELIEF, start

TYPING = {**HTMX, "yj-typing": "1"}


def test_a_half_typed_id_gets_no_message_while_typing_and_one_when_left(client, app):
    draft_id, _ = start(client, BIRTH)
    url = f"/drafts/{draft_id}/parents/change?field=mother.id_number"
    r = client.post(url, data={"mother.id_number": "110105"}, headers=TYPING)
    assert r.status_code == 200
    assert "公民身份号码不正确" not in r.text and "yj-error-message" not in r.text
    assert app.state.store.drafts.get(draft_id).answers["mother"]["id_number"] == "110105"
    # the complete number is still decoded as it is typed
    r = client.post(url, data={"mother.id_number": "11010519491231002X"}, headers=TYPING)
    assert "出生日期 1949 年 12 月 31 日" in r.text
    # left with a wrong number (change, no header): the message comes
    r = client.post(url, data={"mother.id_number": "110105"}, headers=HTMX)
    assert "公民身份号码不正确" in r.text


def test_a_province_just_chosen_does_not_ask_for_the_city_yet(client):
    draft_id, _ = start(client, RELIEF)
    url = f"/drafts/{draft_id}/applicant/change?field=applicant.region"
    r = client.post(url, data={"applicant.region-1": "450000"}, headers=TYPING)
    assert 'name="applicant.region-2"' in r.text  # the next level is offered
    assert "请选择户籍所在地的市" not in r.text
    r = client.post(url, data={"applicant.region-1": "450000"}, headers=HTMX)
    assert "请选择户籍所在地的市" in r.text
