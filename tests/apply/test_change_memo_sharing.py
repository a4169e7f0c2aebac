"""The evaluation an answer change keeps for the next one (``LastOutcomes``) shares its data
with the answers it evaluated (evaluations no longer copy answers, issue 14): the next change
must edit a copy, so the kept outcome still says what the draft held when it was made."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

from test_journey import REPO, _services

from yijian.apply import drafts
from yijian.apply.change import Target, change_answer, edit_answer, judge, target_of
from yijian.apply.evaluation import page_of

CARD = "social-security-card"


def test_the_kept_outcome_is_not_changed_by_the_next_change(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    new = drafts.start(services, CARD, None)
    draft, m = drafts.open_for_form(services, new.draft_id, None, {new.draft_id})
    page = page_of(m, "card")
    target = Target(target_of(page, "card.delivery").spec)
    first = change_answer(services, draft, m, page, target, "邮寄")
    kept = copy.deepcopy(first.after.data)
    assert first.after.data["card"] is first.answers["card"]  # shared, not copied
    stored = services.store.drafts.get(draft.id)
    assert stored is not None
    # a draft held in memory with the very answers the kept outcome shares (as a hot draft
    # would be): the next change must not edit them in place
    held = dataclasses.replace(stored, answers=first.answers)
    edit = edit_answer(services, held, m, page, target, "网点自取")
    assert edit.before is first.after
    assert first.after.data == kept and first.answers["card"]["delivery"] == "邮寄"
    services.store.drafts.save(draft.id, edit.answers, page.id, text=edit.text)
    second = judge(services, held, m, edit)
    assert second.before.data["card"]["delivery"] == "邮寄"
    assert second.after.data["card"]["delivery"] == "网点自取"
    assert "card.address" in second.before.visible and "card.address" not in second.after.visible
