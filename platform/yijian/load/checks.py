"""Cross-reference checks and the national quality rules (domain reference §1.4) for a matter.

Each check has a stable code; they are the lint a provincial catalogue runs on 实施清单 data,
done here before a definition reaches a citizen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from yijian.compiled.matter import StepSpec
from yijian.compose.plan import longest_path
from yijian.defs.common import CaseType, HandleForm, ResultType, TimeUnit
from yijian.defs.matter import MatterDef, Source
from yijian.defs.routing import RoutingDef
from yijian.defs.rules import RulesDef
from yijian.load.source import FolderSource, SourceFile
from yijian.located.diagnostics import Diagnostic, did_you_mean, known_list, loc_text
from yijian.located.yamlsrc import locate


def diagnostic_at(
    src: SourceFile,
    loc: tuple[str | int, ...],
    message: str,
    code: str,
    hint: str | None = None,
    key: bool = False,
) -> Diagnostic:
    line, col = locate(src.text, loc, key=key)
    return Diagnostic(src.rel, line, col, loc_text(loc), message, code, hint)


def unknown_ref(
    src: SourceFile,
    loc: tuple[str | int, ...],
    what: str,
    ref: str,
    known: Iterable[str],
    code: str,
    key: bool = False,
) -> Diagnostic:
    known = list(known)
    return diagnostic_at(
        src,
        loc,
        f"unknown {what} '{ref}'{did_you_mean(ref, known)}",
        code,
        f"known {what}s: {known_list(known, 8, ref) or '(none)'}",
        key=key,
    )


def check_matter(
    folder: FolderSource,
    m: MatterDef,
    rules: RulesDef,
    matter_ids: frozenset[str],
    out: list[Diagnostic],
) -> None:
    src = folder.files["matter.yaml"]
    tl = m.time_limits
    if tl.promised.unit == tl.legal.unit and tl.promised.days > tl.legal.days:
        out.append(
            diagnostic_at(
                src,
                ("time_limits", "promised", "days"),
                f"promised limit {tl.promised.days} exceeds the legal limit {tl.legal.days}",
                "E-TIME-PROMISED",
                "承诺办结时限不得超过法定办结时限",
            )
        )
    if m.visits > 0 and not m.visits_reason:
        out.append(
            diagnostic_at(
                src,
                ("visits",),
                f"visits is {m.visits} but visits_reason is missing",
                "E-VISITS-REASON",
                "到现场次数不为 0 时须填写必须现场办理原因说明 (visits_reason)",
            )
        )
    if (
        m.visits == 0
        and HandleForm.网上 not in m.handle_forms
        and HandleForm.快递申请 not in m.handle_forms
    ):
        out.append(
            diagnostic_at(
                src,
                ("handle_forms",),
                "0 visits but neither 网上 nor 快递申请 is offered",
                "E-VISITS-ZERO",
                "0 次跑动且不支持网办的，办理形式须含快递申请",
            )
        )
    if HandleForm.网上 in m.handle_forms and not m.online_depth:
        d = diagnostic_at(
            src,
            ("handle_forms",),
            "网上 is offered but online_depth is not set: the catalog would show the depth "
            "reached online as plain 网上申请, not the national level (全程网办, 网上受理 …)",
            "E-ONLINE-DEPTH",
            "list the stages done online, e.g. online_depth: [互联网咨询, 收件, 预审, 受理, 办理, "
            "办理结果信息反馈] for 全程网办 (docs/tutorial.md#online-depth)",
        )
        out.append(replace(d, severity="warning"))
    name = m.result.name
    if (
        name.endswith(("证", "证书"))
        and not name.endswith(("凭证", "证明"))
        and m.result.type != ResultType.出证办结
    ):
        out.append(
            diagnostic_at(
                src,
                ("result", "type"),
                f"result '{name}' is a licence but type is {m.result.type.value}",
                "E-RESULT-TYPE",
                "结果名称为“××证/证书”时结果类型须为“出证办结”",
            )
        )
    if name.endswith(("批复", "批文")) and m.result.type != ResultType.审批办结:
        out.append(
            diagnostic_at(
                src,
                ("result", "type"),
                f"result '{name}' is an approval but type is {m.result.type.value}",
                "E-RESULT-TYPE",
                "结果名称为“××批复/批文”时结果类型须为“审批办结”",
            )
        )
    if m.case_type == CaseType.即办件 and tl.promised.days > 1:
        out.append(
            diagnostic_at(
                src,
                ("case_type",),
                f"即办件 with a promised limit of {tl.promised.days} days",
                "E-CASE-TYPE",
                "即办件当场或当日办结 (promised days 0 or 1); otherwise use 承诺件",
            )
        )
    if m.case_type == CaseType.承诺件 and tl.promised.days == 0:
        out.append(
            diagnostic_at(
                src,
                ("case_type",),
                "承诺件 with a promised limit of 0 days",
                "E-CASE-TYPE",
                "a case decided on the spot is a 即办件",
            )
        )
    if m.fee.charged is False and m.fee.items:
        out.append(
            diagnostic_at(
                src, ("fee", "items"), "fee items listed but charged is false", "E-FEE-ITEMS"
            )
        )
    ids: dict[str, int] = {}
    for i, mat in enumerate(m.materials):
        if mat.id in ids:
            out.append(
                diagnostic_at(
                    src,
                    ("materials", i, "id"),
                    f"material id '{mat.id}' is used twice",
                    "E-MATERIAL-DUPLICATE",
                    f"first at materials[{ids[mat.id]}]",
                )
            )
        ids.setdefault(mat.id, i)
        if mat.source == Source.前序事项产出 and mat.produced_by not in matter_ids:
            out.append(
                unknown_ref(
                    src,
                    ("materials", i, "produced_by"),
                    "matter",
                    mat.produced_by or "",
                    matter_ids,
                    "E-REF-MATTER",
                )
            )
    sit_ids = {s.id for s in m.situations}
    for si, s in enumerate(m.situations):
        for mi, ref in enumerate(s.materials):
            if ref not in ids:
                out.append(
                    unknown_ref(
                        src,
                        ("situations", si, "materials", mi),
                        "material",
                        ref,
                        ids,
                        "E-REF-MATERIAL",
                    )
                )
    if "rules.yaml" in folder.files:
        rsrc = folder.files["rules.yaml"]
        for ref in rules.materials:
            if ref not in ids:
                out.append(
                    unknown_ref(
                        rsrc, ("materials", ref), "material", ref, ids, "E-REF-MATERIAL", key=True
                    )
                )
        for ref in rules.situations:
            if ref not in sit_ids:
                out.append(
                    unknown_ref(
                        rsrc,
                        ("situations", ref),
                        "situation",
                        ref,
                        sit_ids,
                        "E-REF-SITUATION",
                        key=True,
                    )
                )
        seen: set[str] = set()
        for i, e in enumerate(rules.eligibility):
            if e.id in seen:
                out.append(
                    diagnostic_at(
                        rsrc,
                        ("eligibility", i, "id"),
                        f"rule id '{e.id}' is used twice",
                        "E-RULE-DUPLICATE",
                    )
                )
            seen.add(e.id)
    if "form.yaml" in folder.files:
        fsrc = folder.files["form.yaml"]
        form = folder.model("form.yaml")
        for pi, page in enumerate(form.pages):
            for fi, f in enumerate(page.fields):
                if f.material and f.material not in ids:
                    out.append(
                        unknown_ref(
                            fsrc,
                            ("pages", pi, "fields", fi, "material"),
                            "material",
                            f.material,
                            ids,
                            "E-REF-MATERIAL",
                        )
                    )


def find_cycle(edges: dict[str, Sequence[str]]) -> list[str] | None:
    """A cycle in a dependency graph as a list of nodes (first repeated last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in edges.get(n, ()):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (c := visit(m)):
                return c
        stack.pop()
        state[n] = 2
        return None

    for n in edges:
        if n not in state and (c := visit(n)):
            return c
    return None


def check_routing(src: SourceFile, routing: RoutingDef, out: list[Diagnostic]) -> None:
    ids: dict[str, int] = {}
    for i, s in enumerate(routing.steps):
        if s.id in ids:
            out.append(
                diagnostic_at(
                    src, ("steps", i, "id"), f"step id '{s.id}' is used twice", "E-STEP-DUPLICATE"
                )
            )
        ids.setdefault(s.id, i)
    facts: set[str] = set()
    for i, s in enumerate(routing.steps):
        for fi, f in enumerate(s.fields):
            if f.key in facts:
                msg = f"fact '{f.key}' is entered at two steps; later rules could not tell which"
                hint = "give each staff-entered fact its own key"
                loc = ("steps", i, "fields", fi, "key")
                out.append(diagnostic_at(src, loc, msg, "E-FACT-DUPLICATE", hint))
            facts.add(f.key)
    for i, s in enumerate(routing.steps):
        for ai, ref in enumerate(s.after):
            if ref not in ids:
                out.append(
                    unknown_ref(src, ("steps", i, "after", ai), "step", ref, ids, "E-REF-STEP")
                )
    # with a repeated id the graph is ambiguous: E-STEP-DUPLICATE says it, a cycle would be noise
    first = [s for i, s in enumerate(routing.steps) if ids[s.id] == i]
    cycle = find_cycle({s.id: [a for a in s.after if a in ids] for s in first})
    if cycle:
        out.append(
            diagnostic_at(
                src,
                ("steps", ids[cycle[0]], "after"),
                "steps depend on each other in a cycle: " + " → ".join(cycle),
                "E-STEP-CYCLE",
                "remove one of the `after:` links",
            )
        )


def check_promise(
    folder: FolderSource, m: MatterDef, steps: Sequence[StepSpec], out: list[Diagnostic]
) -> None:
    """The promised limit the guide and the case clock show is at least what the routing's
    steps take: the longest path of the steps that count toward it (制证 and 邮寄 need not,
    ``counts_toward_limit: false``), as a bundle's plan is checked (E-BUNDLE-PROMISE). A
    自然日 promise is held to the same number (fewer working days than that, not more)."""
    src = folder.files.get("matter.yaml")
    if src is None or not steps:
        return
    days, path = longest_path(steps)
    promised = m.time_limits.promised
    if promised.days >= days:
        return
    out.append(
        diagnostic_at(
            src,
            ("time_limits", "promised", "days"),
            f"the promised limit ({promised.days} {promised.unit.value}) is shorter than its "
            f"steps take: {days} working days ({' → '.join(path)})",
            "E-MATTER-PROMISE",
            "promise what the steps take, shorten their time_limit, or mark a step that does "
            "not count (制证, 邮寄) with counts_toward_limit: false",
        )
    )


def horizon_warnings(
    folders: Iterable[FolderSource], calendar: object | None, today: date
) -> list[Diagnostic]:
    """A warning for each matter whose promised limit (what the citizen is told and the case
    clock counts, :mod:`yijian.runtime.deadline`), counted in working days from today, runs
    past the last year of the calendar: a deadline there cannot be computed, and a rule that
    counts into it (``workdays_add``) could not decide an application
    (:mod:`yijian.runtime.evaluate` then says so and stops submission). Foreseen here so an
    admin adds next year's calendar file before the first citizen meets it."""
    add = getattr(calendar, "add_workdays", None)
    if add is None:
        return []
    out = []
    for folder in folders:
        src = folder.files.get("matter.yaml")
        m = folder.model("matter.yaml")
        if src is None or not isinstance(m, MatterDef):
            continue
        limit = m.time_limits.promised
        if limit.unit != TimeUnit.工作日 or limit.days == 0:
            continue
        try:
            add(today, limit.days)
        except LookupError as exc:
            d = diagnostic_at(
                src,
                ("time_limits", "promised", "days"),
                f"{limit.days} working days from {today.isoformat()} reach "
                f"{getattr(exc, 'year', 'a year')}, which has no calendar file",
                "E-CALENDAR-HORIZON",
                "add the next year's file under rules/calendar/ (see docs/calendar.md)",
            )
            out.append(replace(d, severity="warning"))
    return out
