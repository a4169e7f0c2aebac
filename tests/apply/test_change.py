"""An answer changed while typing (apply.change), with no HTTP: saved first, then judged."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_journey import REPO, _services

from yijian.apply import drafts
from yijian.apply.change import Target, change_answer, edit_answer, judge, messages, target_of
from yijian.apply.errors import NotFound
from yijian.apply.evaluation import page_of
from yijian.apply.services import Services

CARD = "social-security-card"


def _open(services: Services, matter: str) -> tuple:  # type: ignore[type-arg]
    new = drafts.start(services, matter, None)
    draft, m = drafts.open_for_form(services, new.draft_id, None, {new.draft_id})
    return draft, m


def test_target_of_names_fields_repeat_children_and_nothing_else(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    _, m = _open(services, CARD)
    page = page_of(m, "card")
    assert target_of(page, "card.delivery").spec.key == "card.delivery"
    with pytest.raises(NotFound):
        target_of(page, "card.nothing")
    with pytest.raises(NotFound):
        target_of(page, "mother.name")  # on another page


def test_a_change_is_saved_before_it_is_judged_and_flips_the_fields_it_shows(
    tmp_path: Path,
) -> None:
    services = _services(REPO, tmp_path)
    draft, m = _open(services, CARD)
    page = page_of(m, "card")
    done = change_answer(services, draft, m, page, target_of(page, "card.delivery"), "邮寄")
    stored = services.store.drafts.get(draft.id)
    assert stored is not None and stored.answers["card"]["delivery"] == "邮寄"
    shown = {f.key for f in done.toggled(page, target_of(page, "card.delivery").spec)}
    assert shown == {"card.address", "card.recipient", "card.recipient_phone"}
    assert all(k in done.after.visible for k in shown)
    assert not any(k in done.before.visible for k in shown)
    # only the fields of the screen on show (长辈版): nothing else is drawn again
    assert done.toggled(page, target_of(page, "card.delivery").spec, among=set()) == []


def test_a_bad_value_is_kept_and_gets_its_message(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    draft, m = _open(services, CARD)
    page = page_of(m, "parents")
    target = target_of(page, "mother.id_number")
    done = change_answer(services, draft, m, page, target, "123")
    assert services.store.drafts.get(draft.id).answers["mother"]["id_number"] == "123"  # type: ignore[union-attr]
    assert "mother.id_number" in messages(m, done, page, [target.spec])


def test_the_next_change_reuses_the_last_evaluation_as_its_before(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    draft, m = _open(services, CARD)
    page = page_of(m, "card")
    target = Target(target_of(page, "card.delivery").spec)
    first = change_answer(services, draft, m, page, target, "邮寄")
    draft = services.store.drafts.get(draft.id)
    edit = edit_answer(services, draft, m, page, target, "网点自取")
    assert edit.before is first.after  # the memo: no second evaluation of the same answers
    services.store.drafts.save(draft.id, edit.answers, page.id, text=edit.text)  # type: ignore[union-attr]
    second = judge(services, draft, m, edit)
    assert second.pages_changed(m) is False
    assert "card.address" in second.before.visible and "card.address" not in second.after.visible
