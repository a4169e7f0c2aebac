"""`yijian test` failures say why a rule failed: the explanation with the rule's file:line."""

from __future__ import annotations

from explaincases import SNAP
from yijian.defs.cases import Case
from yijian.tools.casetest import check_case

PENSION = SNAP.matters["pension-approval"]


def _case(expect: dict) -> Case:
    return Case.model_validate(
        {
            "name": "机关事业单位",
            "context": {"today": "2025-06-03"},
            "answers": {"insurance": {"identity": "机关事业单位"}},
            "expect": expect,
        }
    )


def test_an_unexpected_refusal_is_explained_with_the_rule_site() -> None:
    problems = check_case(PENSION, SNAP, _case({"eligible": True}))
    why = [p for p in problems if p.startswith("why R1")]
    assert len(why) == 1
    assert "matters/pension-approval/rules.yaml:" in why[0]
    assert "参保身份须为企业职工（由单位经办人代为申办）或灵活就业人员（本人申办），" in why[0]
    assert "您填写的是机关事业单位工作人员（第 1 页 参保身份）" in why[0]


def test_an_expected_refusal_is_not_explained_again() -> None:
    assert check_case(PENSION, SNAP, _case({"eligible": False, "failing": ["R1"]})) == []
