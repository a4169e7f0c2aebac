"""Prefill from the signed-in account: filled once if empty, read-only when not editable."""

from __future__ import annotations

from test_web_drafts import sign_in
from test_web_materials import PROOF
from webtools import BIRTH, HTMX, start, with_markers


def test_signed_in_phone_is_prefilled_and_anonymous_sees_it_empty(client, other_client, app):
    sign_in(app, client, "13912345678")
    draft_id, _ = start(client, BIRTH)
    page = client.get(f"/drafts/{draft_id}/parents").text
    assert 'id="f-contact-phone" name="contact.phone" type="tel" value="13912345678"' in page
    assert "readonly" not in page  # editable (the default): an ordinary field
    assert app.state.store.drafts.get(draft_id).answers["contact"]["phone"] == "13912345678"
    other_id, _ = start(other_client, BIRTH)
    page = other_client.get(f"/drafts/{other_id}/parents").text
    assert 'id="f-contact-phone" name="contact.phone" type="tel" autocomplete' in page  # no value
    assert "contact" not in app.state.store.drafts.get(other_id).answers


def test_claimed_draft_is_prefilled_on_first_opening_without_overwriting(client, app):
    draft_id, _ = start(client, PROOF)
    client.post(f"/drafts/{draft_id}/applicant", data=with_markers({"applicant.name": "李四"}))
    sign_in(app, client, "13912345678")  # the account's name is 测试
    page = client.get(f"/drafts/{draft_id}/applicant").text
    assert 'value="李四"' in page  # typed first: the citizen's answer wins
    assert 'value="13912345678"' in page
    # emptied on purpose afterwards: not filled again on the next opening
    client.post(f"/drafts/{draft_id}/applicant", data=with_markers({"applicant.name": ""}))
    client.get(f"/drafts/{draft_id}/applicant")
    assert app.state.store.drafts.get(draft_id).answers["applicant"].get("name") is None


def test_not_editable_prefill_is_read_only_and_kept_by_the_server(client, app):
    sign_in(app, client, "13912345678")
    draft_id, first = start(client, PROOF)
    page = client.get(first).text
    assert 'name="applicant.phone" type="tel" value="13912345678"' in page
    assert "已根据您的账户信息填写，不能修改" in page and 'readonly="readonly"' in page
    assert 'hx-post="/drafts/' in page and "field=applicant.phone" not in page
    data = with_markers({"applicant.name": "测试", "applicant.phone": "13800000000"})
    client.post(f"/drafts/{draft_id}/applicant", data=data)
    assert app.state.store.drafts.get(draft_id).answers["applicant"]["phone"] == "13912345678"
    client.post(
        f"/drafts/{draft_id}/applicant/change?field=applicant.phone",
        data={"applicant.phone": "13800000000"},
        headers=HTMX,
    )
    assert app.state.store.drafts.get(draft_id).answers["applicant"]["phone"] == "13912345678"


def test_read_only_markup_is_not_served_from_the_field_cache_to_others(client, other_client, app):
    """Another draft holding the very same phone, typed by hand, gets the ordinary input."""
    sign_in(app, client, "13912345678")
    _, first = start(client, PROOF)
    assert "readonly" in client.get(first).text
    other_id, other_first = start(other_client, PROOF)
    data = with_markers({"applicant.phone": "13912345678"})
    other_client.post(f"/drafts/{other_id}/applicant", data=data)
    page = other_client.get(other_first).text
    assert 'value="13912345678"' in page
    assert "readonly" not in page and "field=applicant.phone" in page
