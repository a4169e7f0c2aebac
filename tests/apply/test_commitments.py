"""告知承诺 on the citizen's side, on a copy of the example root whose 独生子女父母奖励金 accepts a
commitment instead of the 光荣证 (and of rule R1): the guide says so, ticking it drops the
material (and unblocks the rule), the case records it, a flagged applicant cannot tick it,
and the loader locates wrong references."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from yijian.apply import commitments
from yijian.apply.evaluation import outcome
from yijian.apply.guide import material_lines
from yijian.apply.services import Services
from yijian.apply.submission import submission
from yijian.apply.submit import submit
from yijian.calendar.clock import CHINA_TZ, fixed_clock
from yijian.registry import Registry
from yijian.runtime.answers import put
from yijian.runtime.regions import RegionTable
from yijian.store import Store

REPO = Path(__file__).resolve().parents[2]
REWARD = "only-child-parent-reward"
KEY = f"{REWARD}:only_child"
ID_NUMBER = "371702196412201232"
COMMITMENT = """
commitments:
  - id: only_child
    text: 本人承诺本人系独生子女父母，所填子女情况属实。
    replaces: {materials: [bonus_proof], rules: [R1]}
    check_after: 10
    check_department: %s
"""


def _root(base: Path, department: str = "县卫生健康局") -> Path:
    root = base / "root"
    for part in ("matters", "rules", "forms"):
        shutil.copytree(REPO / part, root / part)
    matter = root / "matters" / REWARD / "matter.yaml"
    matter.write_text(matter.read_text("utf-8") + COMMITMENT % department, "utf-8")
    return root


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    reg = Registry(_root(tmp_path_factory.mktemp("commit")))
    assert reg.load() is not None, reg.last_errors
    return reg


@pytest.fixture
def app(registry: Registry, tmp_path: Path) -> Any:
    from datetime import datetime

    clock = fixed_clock(datetime(2025, 9, 1, 10, tzinfo=CHINA_TZ))
    store = Store.open(tmp_path / "yijian.db", clock=clock)
    yield Services(registry, store, RegionTable.load(), "442000", clock=clock)
    store.close()


def _answers(bonus: str = "独生子女") -> dict[str, Any]:
    flat = {
        "applicant": {"name": "张建国", "id_number": ID_NUMBER},
        "retirement": {"bonus": bonus, "reviewed": False},
        "bank": {"card_number": "6222020200112345679", "bank_name": "中国工商银行县支行"},
        "contact": {"phone": "13800138000"},
        "declaration": {"truthful": True},
    }
    out: dict[str, Any] = {}
    for k, v in flat.items():
        put(out, k, v)
    return out


def _draft(app: Services, answers: dict[str, Any]) -> Any:
    m = app.registry.current.matter(REWARD)
    draft = app.store.drafts.create(m.id, m.version, None)
    app.store.drafts.save(draft.id, answers, "review")
    return m, app.store.drafts.get(draft.id)


def test_the_guide_says_the_material_may_be_committed(app: Services) -> None:
    m = app.registry.current.matter(REWARD)
    (line,) = [x for x in material_lines(m, {}) if x.id == "bonus_proof"]
    assert any(n.startswith("可告知承诺") and "县卫生健康局" in n for n in line.notes)


def test_ticking_the_commitment_replaces_the_material(app: Services) -> None:
    m, draft = _draft(app, _answers())
    assert submit(app, draft, m).missing_materials  # the 光荣证 is asked for
    _, out = submission(app, m, draft.answers)
    (box,) = commitments.boxes(m, out, draft.answers)
    assert (box["key"], box["replaces"], box["checked"]) == (
        KEY,
        ["独生子女父母光荣证或承诺书", "独生子女父母"],
        False,
    )
    commitments.choose(app.store, m, out, draft, [KEY])
    draft = app.store.drafts.get(draft.id)
    _, out = submission(app, m, draft.answers)
    assert "bonus_proof" not in [ms.material.id for ms in out.materials]
    assert commitments.boxes(m, out, draft.answers)[0]["checked"]  # still offered: untick
    done = submit(app, draft, m)
    assert done.case is not None
    summary = done.case.summary
    assert "bonus_proof" not in [x["id"] for x in summary["materials"]]
    (entry,) = summary["commitments"]
    assert entry["materials"] == [{"id": "bonus_proof", "name": "独生子女父母光荣证或承诺书"}]
    assert (entry["via"], entry["check_after"], entry["check_department"]) == (
        "choice",
        10,
        "县卫生健康局",
    )
    assert "_meta" not in done.case.answers  # the choice is no answer of the form


def test_a_replaced_rule_does_not_block(app: Services) -> None:
    m = app.registry.current.matter(REWARD)
    plain = outcome(app, m, _answers("终身无子女"))
    assert not plain.eligible
    assert outcome(app, m, _answers("终身无子女"), chosen=[KEY]).eligible


def test_a_flagged_applicant_cannot_commit(app: Services) -> None:
    app.store.credit.flag(ID_NUMBER, "EARLIER-1")
    m, draft = _draft(app, _answers())
    _, out = submission(app, m, draft.answers)
    with pytest.raises(commitments.CommitmentError, match="信用修复前不适用告知承诺"):
        commitments.choose(app.store, m, out, draft, [KEY])
    assert commitments.chosen(app.store.drafts.get(draft.id).answers) == []
    # a choice kept from before the flag is refused at submission, nothing created
    sneaked = commitments.with_choice(m, out, draft.answers, [KEY])
    app.store.drafts.save(draft.id, sneaked, "review")
    done = submit(app, app.store.drafts.get(draft.id), m)
    assert done.case is None and done.barred == commitments.FLAGGED


def test_unknown_commitments_are_refused(app: Services) -> None:
    m, draft = _draft(app, _answers())
    _, out = submission(app, m, draft.answers)
    with pytest.raises(commitments.CommitmentError, match="没有可选择的告知承诺"):
        commitments.choose(app.store, m, out, draft, ["other:thing"])


def test_an_unknown_check_department_is_located(tmp_path: Path) -> None:
    reg = Registry(_root(tmp_path, "县卫健委"))
    assert reg.load() is None
    (found,) = [d for d in reg.last_errors if d.code == "E-ORG-DEPARTMENT"]
    assert found.path == f"matters/{REWARD}/matter.yaml"
    assert found.loc == "commitments[0].check_department" and found.line > 0


def test_cases_yaml_ticks_commitments_and_expects_them(app: Services) -> None:
    from yijian.defs.cases import Case
    from yijian.tools.casetest import check_case

    snap = app.registry.current
    m = snap.matter(REWARD)
    case = Case.model_validate(
        {
            "name": "ticked",
            "context": {"today": "2025-09-01"},
            "answers": _answers(),
            "commitments": ["only_child"],
            "expect": {"commitments": ["only_child"], "uploads": []},
        }
    )
    assert check_case(m, snap, case) == []
    wrong = case.model_copy(update={"commitments": ()})
    problems = check_case(m, snap, wrong)
    assert any(p.startswith("commitments: expected") for p in problems)
    assert any(p.startswith("uploads: expected") for p in problems)
