"""An answer change resends the eligibility banner when what it explains changed, not only
when a rule flips (the explanation shows the citizen's answer: it must not go stale)."""

from __future__ import annotations

import copy
from datetime import date

from explaincases import SNAP
from yijian.apply.change import Changed
from yijian.runtime.evaluate import Context, evaluate

RETIRE = SNAP.matters["retirement-eligibility"]
CTX = Context(date(2025, 1, 10))


def _out(months: int | None, identity: str = "企业职工"):
    answers = {
        "applicant": {"id_number": "371702196412201232"},
        "insurance": {"identity": identity, "contribution_months": months},
    }
    return answers, evaluate(RETIRE, answers, CTX)


def test_a_failing_rule_read_another_value_so_the_banner_is_redrawn() -> None:
    _, before = _out(100)
    answers, after = _out(120)
    assert [r.passed for r in before.rules] == [r.passed for r in after.rules]  # R3 still fails
    assert Changed(answers, before, after, CTX).rules_changed


def test_nothing_the_rules_read_changed_so_the_banner_stays() -> None:
    _, before = _out(100)
    answers, after = _out(100)
    assert not Changed(answers, before, after, CTX).rules_changed


def test_other_pages_shown_redraw_the_banner_whose_reasons_cite_page_numbers() -> None:
    answers, before = _out(100)
    after = copy.copy(before)
    after.pages = before.pages[1:]  # the same rules, but 第 N 页 counts differently now
    assert Changed(answers, before, after, CTX).rules_changed
