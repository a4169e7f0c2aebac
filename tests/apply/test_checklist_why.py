"""The material checklist says why a material some answers ask for is asked: the answers that
made its rule hold, with their pages (issue 12: every decision explained)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from explaincases import SNAP
from yijian.apply.checklist import items
from yijian.apply.guide import CONDITIONAL
from yijian.runtime.evaluate import Context, evaluate

RETIRE = SNAP.matters["retirement-eligibility"]
SERVICES = SimpleNamespace(registry=SimpleNamespace(current=SNAP), regions=None)


def _notes(answers: dict) -> dict[str, list[str]]:
    out = evaluate(RETIRE, answers, Context(date(2025, 1, 10)))
    return {i["name"]: i["notes"] for i in items(SERVICES, RETIRE, out, answers)}  # type: ignore[arg-type]


def test_a_conditional_material_names_the_answers_that_ask_for_it() -> None:
    answers = {"retirement": {"bonus": "独生子女", "reviewed": False}}
    notes = [n for ns in _notes(answers).values() for n in ns if n.startswith("需要提交，因为")]
    assert notes == [
        "需要提交，因为增发情形为独生子女父母（第 2 页 增发情形）；"
        "是否已通过退休审档（或提前退休审定）并公示无异议为“否”"
        "（第 2 页 是否已通过退休审档（或提前退休审定）并公示无异议）"
    ]
    assert CONDITIONAL not in [n for ns in _notes(answers).values() for n in ns]
