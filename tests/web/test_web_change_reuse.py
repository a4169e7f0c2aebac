"""An answer change reuses the answers the previous change of the same draft saved instead of
decoding the same text again (``LastOutcomes.known``, ``Drafts.get(known=)``, issue 14): only
while the draft still holds exactly that text, and only for that draft."""

from __future__ import annotations

from webtools import BIRTH, HTMX, start, with_markers


def change(client, draft_id: str, key: str, value: str) -> None:
    url = f"/drafts/{draft_id}/child/change?field={key}"
    assert client.post(url, data={key: value}, headers=HTMX).status_code == 200


def test_a_page_post_between_two_changes_is_kept(client, app):
    draft_id, url = start(client, BIRTH)
    change(client, draft_id, "child.name", "李小安")
    # a save that is not an answer change: the text differs from the one the change kept
    typed = {"child.name": "李小安", "child.hospital": "中山市博爱医院", "_action": "stay"}
    assert client.post(url, data=with_markers(typed)).status_code == 200
    change(client, draft_id, "child.name", "李小宁")
    answers = app.state.store.drafts.get(draft_id).answers
    assert answers["child"]["name"] == "李小宁"
    assert answers["child"]["hospital"] == "中山市博爱医院"  # not the answers of the change before


def test_two_drafts_never_share_answers(client, other_client, app):
    a, _ = start(client, BIRTH)
    b, _ = start(other_client, BIRTH)
    change(client, a, "child.name", "甲某")
    change(other_client, b, "child.hospital", "乙医院")
    change(client, a, "child.hospital", "甲医院")
    store = app.state.store.drafts
    assert store.get(b).answers["child"]["hospital"] == "乙医院"
    assert "name" not in store.get(b).answers["child"]
    assert store.get(a).answers["child"]["name"] == "甲某"
    assert store.get(a).answers["child"]["hospital"] == "甲医院"
