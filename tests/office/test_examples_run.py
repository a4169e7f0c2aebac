"""Every example matter and bundle runs from acceptance to its result: its first eligible case
of cases.yaml is submitted, accepted at the window, and every task is worked by staff holding
the example organisation's real department grants until the case is concluded and handed out.

A step the organisation cannot route (a department or post that no grant reaches) would stop
here, with the task named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from taskfixtures import REPO, drop_store, member, registry, services

from yijian.apply import materials
from yijian.apply.evaluation import outcome
from yijian.apply.submit import submit
from yijian.calendar.clock import CHINA_TZ
from yijian.office import taskactions as ta
from yijian.office.delivery import deliver
from yijian.office.review import TaskRef, department_for, task_roles
from yijian.office.tasks import fold_case
from yijian.office.window import accept
from yijian.runtime.answers import put

PDF = b"%PDF-1.4\n% a material\n%%EOF\n"
#: answers a case of cases.yaml leaves out on purpose (it tests what is asked, not a submission)
EXTRA = {
    "social-security-card": {
        "card.address": "中山市石岐街道兴中道 1 号",
        "card.recipient": "王芳",
        "card.recipient_phone": "13800138000",
    }
}


def _first_eligible(matter: str) -> tuple[dict[str, Any], dt.date] | None:
    path = REPO / "matters" / matter / "cases.yaml"
    if not path.is_file():
        return None
    cases = yaml.safe_load(path.read_text("utf-8"))["cases"]
    complete = [c for c in cases if c.get("expect", {}).get("complete") is True]
    for case in complete or cases:
        expect = case.get("expect", {})
        if expect.get("eligible") is True and case.get("answers") and not expect.get("errors"):
            answers: dict[str, Any] = {}
            for k, v in case["answers"].items():
                put(answers, k, v.isoformat() if isinstance(v, dt.date) else v)
            today = (case.get("context") or {}).get("today") or dt.date(2025, 9, 30)
            return answers, dt.date.fromisoformat(str(today))
    return None


def _examples() -> list[str]:
    return sorted(p.name for p in (REPO / "matters").iterdir() if (p / "cases.yaml").is_file())


def _staff() -> list[Any]:
    """One member per grant of the example county, least privileged first: the window clerk,
    a reviewer of each department, then the head (approver)."""
    org = registry().current.org
    out = [member(1, "clerk", ("clerk", "442000", None))]
    out += [
        member(10 + i, d.id, ("reviewer", "442000", d.id)) for i, d in enumerate(org.departments)
    ]
    return [*out, member(99, "head", ("approver", "442000", None))]


def _who(s: Any, staff: list[Any], task: Any, region: str) -> Any:
    """The least privileged member who may work the task (a decision with an approver's post
    needs the head)."""
    decide = task.step.kind == "decide" and task_roles(s, task.step) == "approver"
    for m in staff[-1:] if decide else staff[:-1]:
        if department_for(s, m, region, task) is not None:
            return m
    raise AssertionError(f"nobody may work {task.step.pid} ({task.step.departments})")


def _value(f: Any) -> str:
    kind = str(getattr(f.type, "value", f.type))
    if f.options:
        return f.options[0].value
    return {"number": "1", "date": "2025-10-01", "boolean": "1"}.get(kind, "已核查")


def work_through(s: Any, staff: list[Any], case_no: str) -> Any:
    """Accept at the window, then work every task as the least privileged member who may,
    entering each step's facts, until nothing is open; the last fold."""
    accept(s, staff[0], case_no)
    region = s.store.cases.get(case_no).region
    for _ in range(40):
        _, f = fold_case(s, s.store.cases.get(case_no))
        live = [t for t in f.tasks if t.state in ("open", "claimed")]
        if not live:
            break
        t = live[0]
        facts = {x.key: _value(x) for x in t.step.fields}
        ref = TaskRef(case_no, t.step.owner, t.step.step)
        who = _who(s, staff, t, region)
        ta.pass_step(s, who, ref, "同意", facts, approve=t.step.kind == "decide")
    return f


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("matter", _examples())
def test_the_example_runs_from_acceptance_to_its_result(
    matter: str, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    found = _first_eligible(matter)
    if found is None:
        pytest.skip(f"{matter}: no eligible case in cases.yaml")  # listed in the note
    answers, today = found
    for key, value in EXTRA.get(matter, {}).items():
        put(answers, key, value)
    when = dt.datetime(today.year, today.month, today.day, 10, 0, tzinfo=CHINA_TZ)
    s = services(tmp_path, when, backend)
    request.addfinalizer(lambda: drop_store(s))
    m = s.registry.current.matter(matter)
    draft = s.store.drafts.create(m.id, m.version, None)
    s.store.drafts.save(draft.id, answers, "review")
    out = outcome(s, m, answers)
    for spec in materials.pending(m, out):
        s.store.files.put(PDF, f"{spec.material.id}.pdf", None, draft.id, spec.material.id)
    done = submit(s, s.store.drafts.get(draft.id), m)
    assert done.case is not None, (matter, done)
    case_no = done.case.case_no
    staff = _staff()
    f = work_through(s, staff, case_no)
    case = s.store.cases.get(case_no)
    assert case.status == "concluded", (matter, [(t.step.pid, t.state) for t in f.tasks])
    assert all(c.status == "concluded" for c in case.children)
    # 审管联动: each supervised matter's decision went out, on the chain that decided it
    rows = s.store.db.conn().execute("SELECT case_no FROM outbox WHERE channel = 'webhook'")
    sent = {r[0] for r in rows}
    chains = [(case_no, m)] + [
        (c.case_no, next(x for x in m.members if x.id == c.matter_id)) for c in case.children
    ]
    for no, pinned in chains:
        supervised = getattr(pinned.definition, "supervision", None) is not None
        assert (no in sent) == supervised, (no, pinned.id)
    if matter == "food-business-licence":  # the licence itself: 照面信息, identifier, facts
        _licence_document(s, case_no)
    deliver(s, staff[0], case_no, "window")
    assert s.store.cases.get(case_no).status == "delivered"
    # what is left after 出件 is a 告知承诺 核查, due after the decision, never a step
    assert {r.kind for r in s.store.tasks.of_case(case_no)} <= {"check"}


def _licence_document(s: Any, case_no: str) -> None:
    import subprocess

    from yijian.apply.issued import issue_result
    from yijian.documents.result import render_result

    case = s.store.cases.get(case_no)
    seq = next(e.seq for e in s.store.cases.events(case_no)
               if e.kind == "concluded" and e.data.get("decision") == "approved")  # fmt: skip
    pdf = issue_result(s, case, seq, "http://gov.example/verify", render_result)
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
    text = out.decode().replace(" ", "")  # the title is letter-spaced
    [licence] = s.store.licences.of_case(case_no)
    assert "食品经营许可证" in text and "现场核查结论" in text and "符合" in text
    assert "某县好味餐饮有限公司" in text  # the holder: the business
    assert licence.identifier.replace(".", "")[:20] in text.replace(".", "").replace("\n", "")
