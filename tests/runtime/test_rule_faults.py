"""A rule that fails is the platform's fault, not the citizen's (issue 13, item 2).

A rule function that raises (working days counted into a year with no calendar file) used to
evaluate to false: the citizen was refused and nothing was logged. Now it is logged with the
rule's file:line, the citizen reads a neutral message instead of a refusal, and submission is
impossible while it stands; `yijian check` warns of the case it can foresee.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from demo_root import RULES, make_root
from yijian.cli import main
from yijian.registry.snapshot import Registry
from yijian.runtime.evaluate import FAULT_KEY, RULE_FAULT, Context, evaluate

#: a rule counting 5 working days from the application date: 2031 has no calendar file
HORIZON = """
  - id: horizon
    name: 期限可计算
    when: {"!!": {"workdays_add": [{"var": "context.today"}, 5]}}
    message: 期限无法计算
"""
RULES_WITH_HORIZON = RULES.replace("materials:\n", HORIZON.lstrip("\n") + "materials:\n", 1)
ADULT = {"name": "王芳", "id_number": "11010519491231002X", "income": 500}


@pytest.fixture
def demo(tmp_path: Path):
    reg = Registry(make_root(tmp_path, rules_yaml=RULES_WITH_HORIZON))
    assert reg.load() is not None, [d.format() for d in reg.last_errors]
    return reg.current.matters["demo"]


def test_a_failing_rule_function_is_logged_and_never_refuses(
    demo, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="yijian.runtime.evaluate"):
        out = evaluate(demo, {"applicant": ADULT}, Context(date(2031, 3, 3)), validate=True)
    assert "horizon" not in out.failing  # not a refusal
    assert out.errors[FAULT_KEY] == RULE_FAULT  # a neutral word, and submission is blocked
    assert "12345" in RULE_FAULT and "不符合" not in RULE_FAULT
    line = 1 + RULES_WITH_HORIZON.splitlines().index(HORIZON.splitlines()[3])
    site = f"matters/demo/rules.yaml:{line}: eligibility[2].when"
    assert out.faults == [site]
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and all(site in m and "workdays_add" in m for m in logged), logged


def test_the_same_rule_decides_when_the_calendar_has_the_year(demo) -> None:
    out = evaluate(demo, {"applicant": ADULT}, Context(date(2025, 9, 30)), validate=True)
    assert out.faults == [] and FAULT_KEY not in out.errors
    assert out.eligible and "horizon" not in out.failing


def test_check_warns_of_a_promised_limit_past_the_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today is past every calendar year of this root (only 2025 is kept, and the platform's
    own calendar is out of the way): the promised limit of the matter cannot be counted, which
    `yijian check` says, as a warning."""
    from yijian import packaged

    monkeypatch.setattr(packaged, "CALENDAR", tmp_path / "no-platform-calendar")
    root = make_root(tmp_path)
    for path in (root / "rules" / "calendar").glob("*.yaml"):
        if path.name != "cn-2025.yaml":
            path.unlink()
    assert main(["--root", str(root), "check"]) == 0
    out = capsys.readouterr().out
    assert "matters/demo/matter.yaml:" in out and "[E-CALENDAR-HORIZON]" in out
    assert f"from {date.today().isoformat()} reach {date.today().year}" in out
    assert out.count("[E-CALENDAR-HORIZON]") == 1 and out.rstrip().endswith(" warnings")
