"""A rule that cannot be evaluated (the platform's fault) is never a refusal on the web: the
citizen reads a neutral message, what they typed is kept, and no case is made (issue 13, 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from webtools import BIRTH, BIRTH_PAGES, start, with_markers

from yijian.runtime.evaluate import RULE_FAULT

#: counts working days into 2031, a year without a calendar file (the function raises)
BROKEN = """
  - id: R-horizon
    name: 期限可计算
    when: {"!!": {"workdays_add": ["2031-06-02", 5]}}
    message: 期限无法计算
"""


@pytest.fixture
def web_root(web_root: Path) -> Path:
    rules = web_root / "matters" / BIRTH / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("eligibility:\n", "eligibility:" + BROKEN, 1), encoding="utf-8")
    return web_root


def test_a_failing_rule_shows_a_neutral_message_and_blocks_submission(client, app) -> None:
    draft_id, _ = start(client, BIRTH)
    r = client.post(f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]))
    assert RULE_FAULT in r.text
    assert "不符合" not in r.text and "期限无法计算" not in r.text  # never a refusal
    assert app.state.store.drafts.get(draft_id).answers["child"]["name"] == "李小安"  # kept
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=True)
    assert RULE_FAULT in r.text
    draft = app.state.store.drafts.get(draft_id)
    assert draft.status == "open" and not draft.case_no
