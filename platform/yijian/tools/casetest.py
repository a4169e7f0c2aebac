"""Running ``cases.yaml``: example applications and what must come out (``yijian test``).

Each case is evaluated exactly as the form runtime evaluates a submission; a failure prints
the file and line of the case, its name, and what differed. pytest collects the same cases
(tests/test_cases.py), so CI runs every county's examples.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from yijian.apply import commitments
from yijian.compiled.matter import CompiledMatter
from yijian.defs.cases import Case
from yijian.defs.common import DatedValue
from yijian.defs.rules import Parameter
from yijian.located.yamlsrc import locate
from yijian.registry.snapshot import Registry, Snapshot
from yijian.runtime import deadline
from yijian.runtime.answers import get, is_empty, nest
from yijian.runtime.evaluate import Context, evaluate
from yijian.runtime.explanation import explain


@dataclass(frozen=True)
class CaseRun:
    path: str  # cases.yaml, relative to the root
    line: int
    matter: str
    case: Case
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        head = f"{self.path}:{self.line}: {self.matter}: case '{self.case.name}'"
        if self.ok:
            return f"{head}: ok"
        return head + " failed:\n" + "\n".join(f"    {p}" for p in self.problems)


def promised_deadline(m: CompiledMatter, snap: Snapshot, ctx: Context, out: Any = None):
    """The promised deadline of the application ``out`` of ``m`` when accepted on
    ``ctx.today`` (``runtime.deadline``: a bundle's own plan over its included members)."""
    return deadline.promised_deadline(m, ctx.today, snap.calendar, out)


def _cmp(problems: list[str], what: str, expected: Any, got: Any) -> None:
    if expected is None:
        return
    if isinstance(expected, tuple):
        exp, act = sorted(expected), sorted(got)
        if exp != act:
            missing = [x for x in exp if x not in act]
            extra = [x for x in act if x not in exp]
            problems.append(
                f"{what}: expected {exp}, got {act} (missing {missing}, unexpected {extra})"
            )
    elif expected != got:
        problems.append(f"{what}: expected {expected!r}, got {got!r}")


def _ticked(m: CompiledMatter, case: Case) -> list[str]:
    """The case's ticked commitments as the draft keeps them (``apply.commitments``)."""
    if m.kind == "bundle":
        return [ref.replace(".", ":", 1) for ref in case.commitments]
    return [f"{m.id}:{ref}" for ref in case.commitments]


def with_params(m: CompiledMatter, values: dict[str, Any]) -> CompiledMatter:
    """``m`` whose parameters ``values`` hold one value from the beginning of time: the case's
    ``params:``, which win over the dated values on any ``context.today``."""
    if not values:
        return m
    fixed = {
        name: Parameter(
            description="cases.yaml params",
            values=(DatedValue.model_validate({"from": date.min, "value": value}),),
        )
        for name, value in values.items()
    }
    return replace(m, parameters={**m.parameters, **fixed})


def implied_visits(m: CompiledMatter, out: Any, channel: str) -> int:
    """跑动次数 of one application: the matter's ``visits``; a bundle's is the most any member
    it includes needs (one trip serves them all, ``compose.savings``); applying at the window
    is a visit itself."""
    if m.kind == "bundle":
        visits = int(((out.extra or {}).get("savings") or {}).get("visits", {}).get("bundled", 0))
    else:
        visits = int(getattr(m.definition, "visits", 0))
    return max(visits, 1) if channel == "window" else visits


def _why(m: CompiledMatter, out: Any, expected: set[str]) -> list[str]:
    """Each unexpectedly failing rule explained as the citizen reads it, with the rule's
    file:line (``runtime.explanation``): the author sees which answer decided, and where."""
    return [
        f"why {rid} ({e.site or 'rule'}): {e.summary or e.message}"
        for rid, e in explain(m, out).items()
        if rid not in expected
    ]


def check_case(m: CompiledMatter, snap: Snapshot, case: Case) -> list[str]:
    ctx = Context(case.context.today, case.context.region, case.context.channel or "online")
    m = with_params(m, case.params)
    answers = nest(case.answers)
    out = commitments.effective(m, evaluate(m, answers, ctx, validate=True), _ticked(m, case))
    e = case.expect
    problems: list[str] = []
    in_force = [k.replace(":", ".") if m.kind == "bundle" else k.split(":", 1)[1]
                for k in out.extra.get(commitments.KEY) or ()]  # fmt: skip
    _cmp(problems, "commitments", e.commitments, in_force)
    before = len(problems)
    _cmp(problems, "eligible", e.eligible, out.eligible)
    if e.eligible is not None and e.eligible != out.eligible:
        problems[-1] += f"; failing rules: {out.failing}"
    _cmp(problems, "failing", e.failing, out.failing)
    if len(problems) > before:  # say why each rule the case did not expect to fail failed
        problems += _why(m, out, set(e.failing or ()))
    _cmp(problems, "materials", e.materials, [ms.material.id for ms in out.materials])
    _cmp(problems, "uploads", e.uploads, [ms.material.id for ms in out.uploads])
    _cmp(problems, "situations", e.situations, out.situations)
    _cmp(problems, "steps", e.steps, [_step_id(s) for s in out.steps])
    if e.matters is not None:
        _cmp(problems, "matters", e.matters, out.matters)
    for key in e.visible or ():
        if key not in out.visible:
            problems.append(f"visible: '{key}' is hidden")
    for key in e.hidden or ():
        if key in out.visible:
            problems.append(f"hidden: '{key}' is visible")
    if e.required is not None:
        for key in e.required:
            if key not in out.required:
                problems.append(f"required: '{key}' is not required")
    for key, value in (e.derived or {}).items():
        if out.derived.get(key) != value and str(out.derived.get(key)) != str(value):
            problems.append(f"derived {key}: expected {value!r}, got {out.derived.get(key)!r}")
    if e.errors is not None:
        for key, text in e.errors.items():
            got = out.errors.get(key)
            if got is None or text not in got:
                problems.append(
                    f"errors {key}: expected a message containing '{text}', got {got!r}"
                )
        for key, msg in out.errors.items():
            if key not in e.errors and not is_empty(get(answers, key)):
                problems.append(f"errors {key}: unexpected error '{msg}'")
    if e.complete is True and out.errors:
        problems.append(
            "complete: expected no errors, got "
            + "; ".join(f"{k}: {v}" for k, v in out.errors.items())
        )
    _cmp(problems, "visits", e.visits, implied_visits(m, out, ctx.channel))
    if e.deadline is not None:
        got = promised_deadline(m, snap, ctx, out)
        if got != e.deadline:
            limit = deadline.application_limit(m, out)
            plan = f" (this application's promise: {limit.text()})" if limit else ""
            problems.append(f"deadline: expected {e.deadline}, got {got}{plan}")
    return problems


def _step_id(s: Any) -> str:
    return f"{s.matter}.{s.step.id}" if s.matter else s.step.id


def collect(
    root: Path, prefix: str | None = None, region: str | None = None
) -> tuple[Snapshot | None, list[CaseRun], list[str]]:
    """Run every case under ``prefix``; returns the snapshot, the runs, and load errors."""
    reg = Registry(root, region=region)
    reg.load()
    snap = reg.current
    if snap is None:
        return None, [], ["nothing loaded"]
    load_errors = [d.format() for d in reg.last_errors]
    runs: list[CaseRun] = []
    for mid in sorted(snap.matters):
        m = snap.matters[mid]
        rel = f"matters/{mid}/cases.yaml"
        if prefix and not (
            rel.startswith(prefix.rstrip("/")) or prefix.startswith(f"matters/{mid}")
        ):
            continue
        path = root / rel
        cases = _cases_of(m, root, mid)
        if cases is None:
            continue
        text = path.read_text(encoding="utf-8")
        for i, case in enumerate(cases):
            line, _ = locate(text, ("cases", i))
            try:
                problems = check_case(m, snap, case)
            except Exception as exc:  # a case must report, never crash the run
                problems = [f"error while evaluating: {type(exc).__name__}: {exc}"]
            runs.append(CaseRun(rel, line, mid, case, tuple(problems)))
    return snap, runs, load_errors


def _cases_of(m: CompiledMatter, root: Path, mid: str):
    from yijian.defs.cases import CasesDef
    from yijian.load.source import FileCache

    path = root / "matters" / mid / "cases.yaml"
    if not path.exists():
        return None
    src = FileCache().read(root, path, CasesDef)
    return src.model.cases if src.model is not None else None


def run_cases(
    root: Path, prefix: str | None, region: str | None = None, verbose: bool = False
) -> int:
    _snap, runs, load_errors = collect(root, prefix, region)
    for e in load_errors:
        print(e)
    failed = [r for r in runs if not r.ok]
    for r in runs:
        if verbose or not r.ok:
            print(r.report())
    folders = len({r.matter for r in runs})
    passed = len(runs) - len(failed)
    print(f"{passed} passed, {len(failed)} failed ({len(runs)} cases in {folders} folders)")
    if load_errors:
        print(f"{len(load_errors)} definition errors; run `yijian check`", file=sys.stderr)
    return 1 if failed or load_errors else 0
