"""The task fold (casework.tasks) on small plans written out by hand, on the 2026 calendar:
order, joint steps, conditions on staff facts, send back, suspension, drops and conclusions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from yijian.calendar import WorkCalendar
from yijian.casework import kinds
from yijian.casework.tasks import Application, PlanStep, fold
from yijian.store.events import Event

CAL = WorkCalendar.load(Path(__file__).resolve().parents[2] / "rules" / "calendar")
TODAY = date(2026, 3, 2)
_seq: dict[str, int] = {}


def ev(case: str, kind: str, on: str, actor: str = "staff:1:li", **data: Any) -> Event:
    _seq[case] = _seq.get(case, 0) + 1
    return Event(
        case, _seq[case], kind, kinds.STATUS.get(kind), actor, f"{on}T10:00:00+08:00", data
    )


def step(
    pid: str,
    kind: str = "review",
    days: int = 2,
    after: tuple[str, ...] = (),
    depts: tuple[str, ...] = ("market",),
) -> PlanStep:
    owner, _, sid = pid.rpartition(".")
    return PlanStep(pid, owner, sid, sid, kind, depts, days, after)


def always(_s: PlanStep, _f: Any) -> bool:
    return True


SINGLE = Application(
    (
        step("accept", "accept", 0),
        step("review", after=("accept",)),
        step("inspect", "inspect", 5, ("review",), ("market", "fire")),  # joint
        step("decide", "decide", 2, ("inspect",)),
    )
)


def test_nothing_before_acceptance_then_the_first_step_opens_with_its_own_deadline() -> None:
    top = [ev("c1", kinds.SUBMITTED, "2026-02-24")]
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    assert f.accepted_on is None and f.open == []
    top.append(ev("c1", kinds.ACCEPTED, "2026-02-25"))
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    review = f.task("", "review")
    assert review.state == "open" and review.opened_on == date(2026, 2, 25)
    assert review.due == date(2026, 2, 27)  # two working days after Wednesday
    assert f.task("", "inspect").state == "waiting"


def test_a_joint_step_is_done_when_every_department_signed() -> None:
    top = [
        ev("c2", kinds.SUBMITTED, "2026-02-24"),
        ev("c2", kinds.ACCEPTED, "2026-02-24"),
        ev("c2", kinds.STEP_PASSED, "2026-02-25", step="review", department="market"),
    ]
    top.append(ev("c2", kinds.STEP_PASSED, "2026-02-26", step="inspect", department="fire"))
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    joint = f.task("", "inspect")
    assert joint.state == "open" and joint.signed == ("fire",) and joint.pending == ("market",)
    top.append(ev("c2", kinds.STEP_PASSED, "2026-02-27", step="inspect", department="market"))
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    assert f.task("", "inspect").state == "done"
    assert f.task("", "decide").opened_on == date(2026, 2, 27)


def test_send_back_reopens_the_step_and_everything_after_it() -> None:
    top = [
        ev("c3", kinds.SUBMITTED, "2026-02-24"),
        ev("c3", kinds.ACCEPTED, "2026-02-24"),
        ev("c3", kinds.STEP_PASSED, "2026-02-25", step="review", department="market"),
        ev("c3", kinds.STEP_PASSED, "2026-02-26", step="inspect", department="market"),
        ev("c3", kinds.STEP_PASSED, "2026-02-26", step="inspect", department="fire"),
        ev("c3", kinds.SENT_BACK, "2026-02-27", step="decide", to="review", reason="补查"),
    ]
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    assert f.task("", "review").state == "open"
    assert f.task("", "review").opened_on == date(2026, 2, 27)
    assert f.task("", "inspect").state == "waiting" and f.task("", "decide").state == "waiting"


def test_a_suspension_holds_the_task_and_moves_its_deadline_by_its_working_days() -> None:
    top = [
        ev("c4", kinds.SUBMITTED, "2026-02-24"),
        ev("c4", kinds.ACCEPTED, "2026-02-24"),
        ev("c4", kinds.SUSPENDED, "2026-02-25", step="review", procedure="检验检测"),
    ]
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    assert f.task("", "review").state == "suspended"
    top.append(ev("c4", kinds.RESUMED, "2026-03-02", step="review"))
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    review = f.task("", "review")
    assert review.state == "open"
    # due 2026-02-26 (2 working days after Tue 24th) + 3 working days stopped (26, 27, 2)
    assert review.due == date(2026, 3, 3)


def test_a_condition_on_staff_facts_adds_a_step() -> None:
    app = Application(
        (
            step("accept", "accept", 0),
            step("inspect", "inspect", 5, ("accept",)),
            step("recheck", "inspect", 3, ("inspect",)),
            step("decide", "decide", 2, ("inspect", "recheck")),
        )
    )

    def applies(s: PlanStep, facts: Any) -> bool:
        return s.step != "recheck" or facts.get("site_result") == "需整改"

    top = [
        ev("c5", kinds.SUBMITTED, "2026-02-24"),
        ev("c5", kinds.ACCEPTED, "2026-02-24"),
        ev(
            "c5",
            kinds.STEP_PASSED,
            "2026-02-25",
            step="inspect",
            department="market",
            facts={"site_result": "需整改"},
        ),
    ]
    f = fold(app, {"": top}, applies, CAL, TODAY)
    assert f.facts == {"site_result": "需整改"}
    assert f.task("", "recheck").state == "open" and f.task("", "decide").state == "waiting"
    top[-1] = ev(
        "c5",
        kinds.STEP_PASSED,
        "2026-02-25",
        step="inspect",
        department="market",
        facts={"site_result": "符合"},
    )
    f = fold(app, {"": top}, applies, CAL, TODAY)
    assert f.task("", "recheck").state == "skipped" and f.task("", "decide").state == "open"


def test_every_step_done_concludes_a_single_matter_and_a_refusal_closes_it() -> None:
    top = [
        ev("c6", kinds.SUBMITTED, "2026-02-24"),
        ev("c6", kinds.ACCEPTED, "2026-02-24"),
        ev("c6", kinds.STEP_PASSED, "2026-02-25", step="review", department="market"),
    ]
    denied = [*top, ev("c6", kinds.CONCLUDED, "2026-02-26", step="inspect", decision="denied")]
    f = fold(SINGLE, {"": denied}, always, CAL, TODAY)
    assert f.open == [] and f.follow == []
    assert f.task("", "inspect").state == "closed"
    for s in ("inspect", "inspect", "decide"):
        dept = "fire" if s == "inspect" and len(top) == 3 else "market"
        top.append(ev("c6", kinds.STEP_PASSED, "2026-02-26", step=s, department=dept))
    f = fold(SINGLE, {"": top}, always, CAL, TODAY)
    assert [(x.owner, x.kind, x.data["decision"]) for x in f.follow] == [
        ("", kinds.CONCLUDED, "approved")
    ]


BUNDLE = Application(
    (
        step("accept", "accept", 0),
        step("a.issue", "issue", 0, ("accept",), ("health",)),
        step("b.register", "decide", 2, ("accept", "a.issue"), ("police",)),
        step("c.enrol", "decide", 2, ("accept", "b.register"), ("medical",)),
        step("d.guide", "review", 1, ("accept",), ("health",)),
    ),
    requires={"b": ("a",), "c": ("b",)},
    names={"a": "出生医学证明", "b": "出生登记", "c": "医保参保", "d": "科学育儿"},
    bundle=True,
)


def test_a_refused_member_drops_those_that_need_it_and_the_bundle_closes_partly() -> None:
    top = [ev("b1", kinds.SUBMITTED, "2026-02-24"), ev("b1", kinds.ACCEPTED, "2026-02-24")]
    chains = {
        "": top,
        "a": [
            ev("b1-01", kinds.SUBMITTED, "2026-02-24"),
            ev("b1-01", kinds.STEP_PASSED, "2026-02-24", step="issue", department="health"),
            ev("b1-01", kinds.CONCLUDED, "2026-02-24", step="issue", decision="approved"),
        ],
        "b": [
            ev("b1-02", kinds.SUBMITTED, "2026-02-24"),
            ev("b1-02", kinds.CONCLUDED, "2026-02-25", step="register", decision="denied"),
        ],
        "c": [ev("b1-03", kinds.SUBMITTED, "2026-02-24")],
        "d": [
            ev("b1-04", kinds.SUBMITTED, "2026-02-24"),
            ev("b1-04", kinds.STEP_PASSED, "2026-02-25", step="guide", department="health"),
        ],
    }
    f = fold(BUNDLE, chains, always, CAL, TODAY)
    assert f.members["c"].status == "dropped" and "出生登记" in f.members["c"].reason
    follow = [(x.owner, x.kind, x.data.get("decision")) for x in f.follow]
    assert ("c", kinds.TERMINATED, None) in follow
    assert ("d", kinds.CONCLUDED, "approved") in follow
    assert follow[-1] == ("", kinds.CONCLUDED, "partial")


def test_without_partial_a_refusal_ends_the_members_still_running() -> None:
    strict = Application(BUNDLE.steps, BUNDLE.requires, BUNDLE.names, partial=False, bundle=True)
    chains = {
        "": [ev("b2", kinds.SUBMITTED, "2026-02-24"), ev("b2", kinds.ACCEPTED, "2026-02-24")],
        "a": [
            ev("b2-01", kinds.SUBMITTED, "2026-02-24"),
            ev("b2-01", kinds.CONCLUDED, "2026-02-24", step="issue", decision="denied"),
        ],
        "b": [ev("b2-02", kinds.SUBMITTED, "2026-02-24")],
        "c": [ev("b2-03", kinds.SUBMITTED, "2026-02-24")],
        "d": [ev("b2-04", kinds.SUBMITTED, "2026-02-24")],
    }
    f = fold(strict, chains, always, CAL, TODAY)
    assert f.members["d"].status == "dropped" and "不办理部分事项" in f.members["d"].reason
    assert f.follow[-1].data["decision"] == "denied"


def test_a_member_drops_out_when_the_facts_it_requires_do_not_hold() -> None:
    """The 残疾人证 case: the assessment is approved but the grade it found does not qualify
    for the subsidy that waits for it; the subsidy drops out with the bundle's reason."""

    def grade_one_or_two(facts: Any) -> str | None:
        return (
            None if facts.get("grade") in ("一级", "二级") else "残疾等级为三级，不符合护理补贴条件"
        )

    app = Application(BUNDLE.steps, BUNDLE.requires, BUNDLE.names, bundle=True,
                      gates={"b": grade_one_or_two})  # fmt: skip
    chains = {
        "": [ev("g1", kinds.SUBMITTED, "2026-02-24"), ev("g1", kinds.ACCEPTED, "2026-02-24")],
        "a": [ev("g1-01", kinds.SUBMITTED, "2026-02-24")],
        "b": [ev("g1-02", kinds.SUBMITTED, "2026-02-24")],
        "c": [ev("g1-03", kinds.SUBMITTED, "2026-02-24")],
        "d": [ev("g1-04", kinds.SUBMITTED, "2026-02-24")],
    }
    f = fold(app, chains, always, CAL, TODAY)
    assert f.members["b"].status == "open"  # not asked before its requirement is done
    chains["a"] += [
        ev("g1-01", kinds.STEP_PASSED, "2026-02-25", step="issue", department="health",
           facts={"grade": "三级"}),
        ev("g1-01", kinds.CONCLUDED, "2026-02-25", step="issue", decision="approved"),
    ]  # fmt: skip
    f = fold(app, chains, always, CAL, TODAY)
    assert f.members["b"].status == "dropped" and "三级" in f.members["b"].reason
    assert f.members["c"].status == "dropped"  # and what needed b, with b named
    assert "出生登记" in f.members["c"].reason
