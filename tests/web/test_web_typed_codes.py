"""Numbers typed the way people write them are kept normalised, names keep no hidden characters
(issue 15, item 8): an ID number with spaces and a small x, a phone with dashes, full-width
digits; a name with a bidi override is refused inline, and a 生僻字 name is kept."""

from __future__ import annotations

from webtools import BIRTH, BIRTH_PAGES, start, with_markers


def _to_parents(client) -> str:
    draft_id, _ = start(client, BIRTH)
    r = client.post(
        f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]), follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return draft_id


def test_numbers_with_spaces_and_dashes_are_normalised(client, app) -> None:
    draft_id = _to_parents(client)
    typed = {
        **BIRTH_PAGES["parents"],
        "mother.name": "王𠮷𡘙芳",
        "mother.id_number": "110105 19491231 002x",
        "father.id_number": "４４０１０１－１９９００１０１－１２３３",
        "contact.phone": "138-0013 8000",
    }
    r = client.post(f"/drafts/{draft_id}/parents", data=with_markers(typed), follow_redirects=False)
    assert r.status_code == 303, r.text
    answers = app.state.store.drafts.get(draft_id).answers
    assert answers["mother"] == {"name": "王𠮷𡘙芳", "id_number": "11010519491231002X"}
    assert answers["father"]["id_number"] == "440101199001011233"
    assert answers["contact"]["phone"] == "13800138000"


def test_a_name_with_a_bidi_override_is_refused_not_stored_silently(client, app) -> None:
    draft_id = _to_parents(client)
    typed = {**BIRTH_PAGES["parents"], "father.name": "李\u202e明"}
    r = client.post(f"/drafts/{draft_id}/parents", data=with_markers(typed), follow_redirects=False)
    assert r.status_code == 200 and "yj-error-summary" in r.text
    assert "父亲姓名含有看不见的控制字符" in r.text
