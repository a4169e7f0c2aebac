"""Every eligibility rule of the examples, explained on answers that fail it: one golden file
per matter or bundle (tests/fixtures/explain/<id>.txt).

The failing answers come from the folder's own cases.yaml: the first case the rule fails on,
else a case with the rule's questions varied one at a time (each option, 是/否, a few numbers
and dates) until it fails. A rule no such answer fails is written as such, so a reader of the
golden file sees it (the definition analysis of issue 12 looks for those).

Regenerate after a deliberate change: ``YIJIAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/runtime``.
Line numbers of rules are left out of the files (an edit above a rule would change them all);
test_explanation.py checks the site.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator

import pytest

from explaincases import IDS, ROOT, SNAP, candidates, questions
from yijian.compiled.matter import CompiledMatter, EligibilitySpec
from yijian.defs.cases import Case
from yijian.runtime.answers import nest, put
from yijian.runtime.evaluate import Context, Outcome, evaluate
from yijian.runtime.explanation import Explanation, explain
from yijian.tools.casetest import _cases_of

GOLDEN = ROOT / "tests" / "fixtures" / "explain"


def _tries(
    m: CompiledMatter, spec: EligibilitySpec, cases: list[Case]
) -> Iterator[tuple[str, Case, dict]]:
    for case in cases:
        yield f"case '{case.name}'", case, nest(case.answers)
    keys = questions(m, spec)
    for case in cases:
        for key in keys:
            for value in candidates(m, key):
                answers = copy.deepcopy(nest(case.answers))
                put(answers, key, value)
                yield f"case '{case.name}' with {key} = {value!r}", case, answers
    for case in cases[:3]:  # two questions at once (a choice and the number it reveals)
        for i, key in enumerate(keys):
            for other in keys[i + 1 :]:
                for value in candidates(m, key):
                    for second in candidates(m, other):
                        answers = copy.deepcopy(nest(case.answers))
                        put(answers, key, value)
                        put(answers, other, second)
                        how = f"case '{case.name}' with {key} = {value!r}, {other} = {second!r}"
                        yield how, case, answers


def _failing(
    m: CompiledMatter, spec: EligibilitySpec, cases: list[Case]
) -> tuple[str, Outcome] | None:
    for how, case, answers in _tries(m, spec, cases):
        ctx = Context(case.context.today, case.context.region, case.context.channel or "online")
        out = evaluate(m, answers, ctx)
        if any(r.spec.id == spec.id and r.passed is False for r in out.rules):
            return how, out
    return None


def _write(e: Explanation) -> list[str]:
    lines = [f"  author: {e.message}", f"  {e.summary or '(no sub-condition found)'}"]
    for r in e.reasons:
        lines.append(f"  - {'(either) ' if r.either else ''}{r.text}  [{r.pointer or '/'}]")
        for c in r.cites:
            lines.append(f"      {c.place} -> {c.page}#{c.anchor}: {c.answer}")
    return lines


def render(mid: str) -> str:
    m = SNAP.matters[mid]
    cases = list(_cases_of(m, ROOT, mid) or [])
    out = [f"# {mid}: {m.name}", ""]
    for spec in m.eligibility:
        site = spec.when.site.path if spec.when.site is not None else "?"
        out.append(f"## {spec.id} {spec.name} ({site}, {'block' if spec.block else 'warn'})")
        found = _failing(m, spec, cases)
        if found is None:
            out += ["  (no answers from cases.yaml fail this rule)", ""]
            continue
        how, outcome = found
        out.append(f"  on: {how}")
        out += _write(explain(m, outcome)[spec.id])
        out.append("")
    return "\n".join(out)


@pytest.mark.parametrize("mid", IDS)
def test_every_rule_is_explained_as_the_golden_file_says(mid: str) -> None:
    text = render(mid)
    path = GOLDEN / f"{mid}.txt"
    if os.environ.get("YIJIAN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with YIJIAN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"the explanations of {mid} changed; if the change of its definitions or of the wording "
        "is deliberate: YIJIAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/runtime/"
        "test_explanation_golden.py, and read the diff of tests/fixtures/explain/"
    )


def test_every_failing_rule_of_the_examples_has_a_reason() -> None:
    missing = []
    for mid in IDS:
        for line in render(mid).splitlines():
            if "(no sub-condition found)" in line:
                missing.append(mid)
    assert missing == []
