"""Evaluating a compiled matter on answers: what is shown, required, wrong, eligible and needed.

One pure function, :func:`evaluate`, serves the live form (htmx), submission, ``yijian test``
and bundles (their selection, member decisions and plan come from :mod:`yijian.runtime.bundle`).
Derived values are computed first on a plain dict; then the data is parsed once into a
``DataHandle`` shared by every other rule (measured 7x faster than converting the dict per rule).
"""

from __future__ import annotations

import copy
import functools
import logging
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from datalogic_py import DataHandle

from yijian.compiled.matter import (
    CompiledMatter,
    EligibilitySpec,
    FieldSpec,
    MaterialSpec,
    PageSpec,
    StepSpec,
)
from yijian.defs.form import FieldType
from yijian.defs.matter import Necessity, Source
from yijian.defs.rules import Parameter
from yijian.rules.context import evaluation_day
from yijian.rules.engine import RuleEvaluationError
from yijian.runtime import bundle
from yijian.runtime.answers import get, is_empty
from yijian.runtime.fieldcheck import check_value, empty_message
from yijian.runtime.messages import render


@dataclass(frozen=True)
class Context:
    today: date
    region: str | None = None
    channel: str = "online"
    applicant_type: str = "自然人"

    def as_data(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "region": self.region,
            "channel": self.channel,
            "applicant": {"type": self.applicant_type},
        }


@dataclass(frozen=True)
class RuleResult:
    spec: EligibilitySpec
    passed: bool | None  # None: not evaluated yet (applies_if false)
    message: str = ""  # the spec's message with its placeholders filled in

    @property
    def text(self) -> str:
        """What the citizen reads when the rule fails."""
        return self.message or self.spec.message


@dataclass
class Outcome:
    data: dict[str, Any]
    derived: dict[str, Any]
    pages: list[str]  # visible page ids in order
    visible: set[str]
    required: set[str]
    rules: list[RuleResult]
    situations: list[str]
    materials: list[MaterialSpec]
    steps: list[StepSpec]
    errors: dict[str, str] = field(default_factory=dict)
    matters: list[str] = field(default_factory=list)  # bundles: member matter ids included
    extra: dict[str, Any] = field(default_factory=dict)  # bundles: per-member facts
    verdict: bool | None = None  # bundles: the composed decision (yijian.compose.inclusion)
    faults: list[str] = field(default_factory=list)  # rules that failed (file:line): see _truthy

    @property
    def failing(self) -> list[str]:
        return [r.spec.id for r in self.rules if r.passed is False]

    @property
    def eligible(self) -> bool:
        if self.verdict is not None:
            return self.verdict
        return not any(r.passed is False and r.spec.block for r in self.rules)

    @property
    def uploads(self) -> list[MaterialSpec]:
        """Materials the citizen must provide: neither fetched, pushed nor passed along."""
        return [
            m
            for m in self.materials
            if m.material.source == Source.申请人自备 and m.passed_from is None
        ]


def parameter_value(p: Parameter, on: date) -> Any:
    current = None
    for v in sorted(p.values, key=lambda v: v.from_):
        if v.from_ <= on:
            current = v.value
    return current


_SCALARS = frozenset((str, int, float, bool, type(None)))


def copy_answers(value: Any) -> Any:
    """A deep copy of JSON-shaped answers, about 4x faster than ``copy.deepcopy``.

    Answers are dicts, lists and scalars (they come from JSON or from the form parser), so a
    plain recursive copy is exact and skips deepcopy's memo and reduce machinery, which cost
    three deep copies per htmx answer. Anything else (a tuple, a dict subclass) still goes
    through ``copy.deepcopy``. Unlike deepcopy it does not preserve two references to one
    object as one; JSON has no such references.
    """
    kind = type(value)
    if kind is dict:  # copied whole in C, then what is not a scalar copied in turn: a
        out = value.copy()  # draft's 200 field labels cost no call each (35 -> 15 µs, big form)
        for k, v in value.items():
            if type(v) not in _SCALARS:
                out[k] = copy_answers(v)
        return out
    if kind is list:
        return [v if type(v) in _SCALARS else copy_answers(v) for v in value]
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


def _truthy(rule: Any, handle: Any, on_fault: bool = False) -> bool:
    """JsonLogic truthiness; a rule that fails on a citizen's value (``"12a"`` where a number is
    compared) counts as not true, so a typo hides a field or skips a step instead of locking the
    draft. The value itself is reported by its own field's check.

    A rule *function* that raises (working days counted into a year without a calendar) is the
    platform's fault, not the citizen's: it is logged with the rule's file:line, recorded for
    :func:`evaluate` (which then stops submission with a neutral message, never a refusal) and
    counts as ``on_fault``."""
    try:
        value = rule.evaluate(handle)
    except RuleEvaluationError as exc:
        if exc.function is None:
            return False
        _fault(rule, exc)
        return on_fault
    except Exception:
        return False
    return not (value is None or value is False or value == 0 or value == "" or value == [])


#: the rule faults of the evaluation running in this context (see :func:`_truthy`)
_FAULTS: ContextVar[list[str] | None] = ContextVar("yijian_rule_faults", default=None)
log = logging.getLogger("yijian.runtime.evaluate")
#: what the citizen reads while a rule cannot be evaluated (the platform's fault)
RULE_FAULT = "系统暂时无法判断您是否符合条件，请稍后再试或拨打12345咨询。"
FAULT_KEY = "_rules"  # the key of that message in Outcome.errors


def _fault(rule: Any, exc: RuleEvaluationError) -> None:
    site = str(rule.site) if getattr(rule, "site", None) is not None else repr(rule.source)[:80]
    log.error("rule failed at %s: %s", site, exc)
    faults = _FAULTS.get()
    if faults is not None:
        faults.append(site)


def evaluate(
    m: CompiledMatter, answers: Mapping[str, Any], ctx: Context, validate: bool | set[str] = False
) -> Outcome:
    """Evaluate everything; ``validate`` adds field errors (True: all pages, or a set of ids)."""
    faults: list[str] = []
    token = _FAULTS.set(faults)
    try:
        out = _evaluate(m, answers, ctx, validate)
    finally:
        _FAULTS.reset(token)
    if faults:  # cannot decide: no refusal, no submission, a neutral word to the citizen
        out.faults = list(dict.fromkeys(faults))
        out.errors.setdefault(FAULT_KEY, RULE_FAULT)
    return out


def _read_part(rule: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The answers a derived rule reads, or all of ``data`` when that is not known exactly.

    A rule evaluated on a Python mapping converts all of it first: with every derived value
    converting every answer, a 200-field form with 20 derived values spent more on converting
    than on its rules (bench_bigform, issue 14). A rule's reads are known when it has no
    computed ``var``; paths with list indexes, or one path inside another, take the whole.
    Paths are split once per rule; answers are plain dicts (anything else takes ``get``)."""
    reads = _plain_reads(rule)
    if reads is None:
        return data
    part: dict[str, Any] = {}
    for path, parts in reads:
        node: Any = data
        for name in parts:
            if type(node) is dict:
                node = node.get(name, _ABSENT)
                if node is _ABSENT:
                    break
            else:
                node = get(node, name, _ABSENT) if isinstance(node, Mapping) else _ABSENT
                if node is _ABSENT:
                    break
        if node is _ABSENT:
            continue
        if len(parts) == 1:
            part[path] = node
        else:  # no read is inside another: the levels on the way are this part's own dicts
            at = part
            for name in parts[:-1]:
                at = at.setdefault(name, {})
            at[parts[-1]] = node
    return part


@functools.lru_cache(maxsize=4096)
def _plain_reads(rule: Any) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The rule's read paths (each with its parts) when a part of the data can stand for all
    of it, else None (cached per compiled rule: rules live as long as their matter version)."""
    reads = getattr(rule, "reads", ())
    if not getattr(rule, "reads_complete", False) or not reads:
        return None
    for path in reads:
        if any(p.isdigit() for p in path.split(".")):
            return None
        if any(other != path and other.startswith(path + ".") for other in reads):
            return None
    return tuple((path, tuple(path.split("."))) for path in dict.fromkeys(reads))


def _put_own(data: dict[str, Any], key: str, value: Any, own: set[int]) -> None:
    """``put`` into evaluation data that shares its objects with the caller's answers: each
    dict on the way to a dotted key is copied the first time it is written (``own``: the ids
    of the dicts already copied), so the answers are never changed."""
    if "." not in key:
        data[key] = value
        return
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        nxt = node.get(part)
        if type(nxt) is not dict or id(nxt) not in own:
            nxt = dict(nxt) if isinstance(nxt, dict) else {}
            own.add(id(nxt))
            node[part] = nxt
        node = nxt
    node[parts[-1]] = value


@dataclass(frozen=True)
class _PagePlan:
    """What of a page's fields needs no rule: keys always shown, and of those always required;
    the rest are evaluated one by one (cached per page of a compiled matter)."""

    shown: tuple[str, ...]
    required: tuple[str, ...]
    dynamic: tuple[FieldSpec, ...]


_plans: dict[int, tuple[PageSpec, _PagePlan]] = {}


def _plan(page: PageSpec) -> _PagePlan:
    entry = _plans.get(id(page))
    if entry is not None and entry[0] is page:
        return entry[1]
    static = [f for f in page.fields if f.visible is None and isinstance(f.required, bool)]
    plan = _PagePlan(
        tuple(f.key for f in static),
        tuple(f.key for f in static if f.required),
        tuple(f for f in page.fields if not (f.visible is None and isinstance(f.required, bool))),
    )
    if len(_plans) > 50_000:  # many versions served: start again rather than grow
        _plans.clear()
    _plans[id(page)] = (page, plan)
    return plan


_ABSENT = object()


def _evaluate(
    m: CompiledMatter, answers: Mapping[str, Any], ctx: Context, validate: bool | set[str]
) -> Outcome:
    # a shallow copy: the evaluation only adds keys (context, params, derived values), and a
    # dotted derived key copies the dicts on its way (_put_own); copying every answer deeply
    # cost a 200-field draft ~250 µs per evaluation (issue 14). ``Outcome.data`` therefore
    # shares the answers' values: neither may be changed in place afterwards (callers that
    # edit answers copy them first: apply.change, apply.answering, web.citizen.saving).
    data = dict(answers)
    own: set[int] = set()
    data["context"] = ctx.as_data()
    data["params"] = {n: parameter_value(p, ctx.today) for n, p in m.parameters.items()}
    derived: dict[str, Any] = {}
    with evaluation_day(ctx.today):
        for key, rule in m.derived:
            try:
                value = rule.evaluate(_read_part(rule, data))
            except Exception:  # a half-filled form: a derived value is simply unknown yet
                value = None
            derived[key] = value
            _put_own(data, key, value, own)
        handle = DataHandle(data)
        sel = bundle.select(m, handle, _truthy) if m.kind == "bundle" else None
        pages, visible, required = [], set(), set()
        for page in m.pages:
            if sel is not None and not sel.shows_page(m, page):
                continue
            if page.visible is not None and not _truthy(page.visible, handle):
                continue
            pages.append(page.id)
            if sel is None:  # fields without rules in one step each
                plan = _plan(page)
                visible.update(plan.shown)
                required.update(plan.required)
                fields: Iterable[FieldSpec] = plan.dynamic
            else:
                fields = page.fields
            for f in fields:
                if sel is not None and not sel.shows_field(m, f):
                    continue
                if f.visible is not None and not _truthy(f.visible, handle):
                    continue
                visible.add(f.key)
                if f.required is True or (f.required and _truthy(f.required, handle)):
                    required.add(f.key)
        rules = []
        for e in m.eligibility:
            if e.applies_if is not None and not _truthy(e.applies_if, handle):
                rules.append(RuleResult(e, None))
                continue
            seen = len(_FAULTS.get() or ())
            try:
                passed: bool | None = _truthy(e.when, handle)
                if len(_FAULTS.get() or ()) > seen:
                    passed = None  # undecided by the platform's fault: not a refusal
                rules.append(RuleResult(e, passed, render(e.message, data)))
            except Exception:
                rules.append(RuleResult(e, None))
        decision = bundle.decide_members(m, sel, rules) if sel is not None else None
        going = set(decision.included) if decision is not None else set()
        if sel is not None:  # the bundle's own rules and those of the selected members
            rules = [r for r in rules if not r.spec.matter or r.spec.matter in sel.selected]
        sits = [(s, r) for s, r in m.situations if sel is None or s.id.split(".")[0] in going]
        situations = [s.id for s, r in sits if r is not None and _truthy(r, handle)]
        in_situation = {mid for s, _ in sits for mid in s.materials}
        active = {mid for s, _ in sits if s.id in situations for mid in s.materials}
        if sel is None:
            candidates = [
                ms for ms in m.materials if ms.condition is None or _truthy(ms.condition, handle)
            ]
            steps = [s for s in m.steps if s.when is None or _truthy(s.when, handle)]
        else:
            candidates = bundle.materials_for(m, going, handle, _truthy)
            steps = bundle.steps_for(m, going, handle, _truthy)
        materials = [
            ms
            for ms in candidates
            if ms.material.necessity != Necessity.非必要
            and (ms.material.id not in in_situation or ms.material.id in active)
        ]
        out = Outcome(data, derived, pages, visible, required, rules, situations, materials, steps)
        if decision is not None:
            out.matters = decision.included
            out.verdict = decision.eligible
            out.extra = bundle.extra_for(m, decision, materials, steps)
        if validate:
            pages_to_check = set(pages) if validate is True else validate
            for page in m.pages:
                if page.id in pages_to_check and page.id in pages:
                    for f in page.fields:
                        if f.key in visible:
                            _check_field(f, data, handle, f.key in required, out.errors)
    return out


def check_fields(
    m: CompiledMatter, out: Outcome, ctx: Context, page_id: str, fields: Iterable[FieldSpec]
) -> dict[str, str]:
    """The messages ``evaluate(..., validate={page_id})`` gives, for ``fields`` of that page only.

    Why: an htmx answer change draws one field and the few the answer showed or hid, yet a
    validated evaluation checks every field of the page (on a 40-field page that was half of
    the evaluation). Each field's messages (its rows' included) depend only on that field, the
    evaluated data and whether it is shown and required, so checking the drawn fields alone
    gives exactly their messages of the whole-page validation. ``out``: an evaluation of the
    same answers and ``ctx`` (with or without validation).
    """
    errors: dict[str, str] = {}
    if page_id not in out.pages:
        return errors
    wanted = [f for f in fields if f.key in out.visible]
    if not wanted:
        return errors
    with evaluation_day(ctx.today):
        # parsing the data for rules costs more than most checks: only for fields that have rules
        handle = DataHandle(out.data) if any(f.validations for f in wanted) else None
        for f in wanted:
            _check_field(f, out.data, handle, f.key in out.required, errors)
    return errors


def _check_field(
    f: FieldSpec, data: dict[str, Any], handle: Any, required: bool, errors: dict[str, str]
) -> None:
    value = get(data, f.key)
    if f.type == FieldType.info:
        return
    if is_empty(value) or (f.type == FieldType.declaration and value in (False, "false")):
        if required or (f.type == FieldType.repeat and f.definition.min_items > 0):
            errors[f.key] = empty_message(f.type, f.label)
        return
    message = check_value(f, value)
    if message is None:
        for rule, text in f.validations:
            if not _truthy(rule, handle, on_fault=True):  # a fault never blames the value
                message = render(text, data)
                break
    if message:
        errors[f.key] = message
        return
    if f.type == FieldType.repeat:
        _check_rows(f, value, data, errors)


def _check_rows(f: FieldSpec, rows: Any, data: dict[str, Any], errors: dict[str, str]) -> None:
    if not isinstance(rows, list):
        errors[f.key] = f"{f.label}格式不正确"
        return
    d = f.definition
    if len(rows) < d.min_items:
        errors[f.key] = f"请至少添加 {d.min_items} 项{d.item_label or f.label}"
    if len(rows) > d.max_items:
        errors[f.key] = f"{f.label}最多 {d.max_items} 项"
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"{f.key}.{i}"] = f"第 {i + 1} 项格式不正确"
            continue
        row_handle = DataHandle({**data, "row": row})
        for c in f.children:
            if c.type == FieldType.info:
                continue
            if c.visible is not None and not _truthy(c.visible, row_handle):
                continue
            req = c.required is True or (c.required and _truthy(c.required, row_handle))
            sub: dict[str, str] = {}
            _check_field(c, row, row_handle, bool(req), sub)
            for msg in sub.values():
                errors[f"{f.key}.{i}.{c.key}"] = f"第 {i + 1} 项{d.item_label or ''}：{msg}"
