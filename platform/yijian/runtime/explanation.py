"""Every decision explained: why a rule refused or warned, in words, with the person's values.

An author's message says what the rule means ("本事项办理企业职工基本养老保险待遇资格确认…");
the explanation adds the facts of *this* application: which sub-conditions failed, each worded
with the field labels and the answers as the form showed them, and the questions to change,
with their page. It is built from the compiled rule and the data the evaluation read
(:mod:`yijian.rules.explain`, worded by :mod:`yijian.runtime.wording`), so it can never say
something the rule did not decide. Pure: the citizen's banner, the review page, the staff case
page and ``yijian test`` all call :func:`explain`; links are theirs to build from ``page`` and
``anchor``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.rules.context import evaluation_day
from yijian.rules.engine import CompiledRule
from yijian.rules.explain import failing_leaves, holding_leaves
from yijian.runtime.evaluate import Outcome, RuleResult, _read_part
from yijian.runtime.messages import value_text
from yijian.runtime.wording import Namer, facts, sentence

__all__ = ["Cite", "Explanation", "Reason", "because", "explain", "explain_rule"]


@dataclass(frozen=True)
class Cite:
    """A question a reason read: where it is asked and what the person answered."""

    key: str
    label: str
    page: str  # page id ("" when the question is on no page)
    page_no: int | None  # 1-based among the pages the person sees; None if hidden now
    page_title: str
    answer: str  # as the form shows it; "—" when not answered
    anchor: str  # the field's HTML id on its page

    @property
    def place(self) -> str:
        """ "第 3 页 残疾等级", or the label alone for a question on a hidden page."""
        return f"第 {self.page_no} 页 {self.label}" if self.page_no else self.label


@dataclass(frozen=True)
class Reason:
    """One failed sub-condition in words, with the questions behind it."""

    text: str
    cites: tuple[Cite, ...]
    pointer: str  # where in the rule (RFC 6901), for staff and authors
    either: bool = False  # one of alternatives: meeting any one of them would do

    @property
    def line(self) -> str:
        """The reason and its places as plain text (PDFs, logs, ``yijian test``)."""
        places = "、".join(c.place for c in self.cites)
        return f"{self.text}（{places}）" if places else self.text


@dataclass(frozen=True)
class Explanation:
    """Why one rule did not pass: the author's words, then the facts."""

    rule: str  # the rule id as reported (bundles: "member.R1")
    name: str
    message: str  # the author's message, placeholders filled
    block: bool
    reasons: tuple[Reason, ...]
    site: str  # "matters/x/rules.yaml:12: eligibility[0].when", "" if unknown

    @property
    def either(self) -> bool:
        """Whether the reasons are alternatives (meeting any one of them would do)."""
        return any(r.either for r in self.reasons)

    @property
    def summary(self) -> str:
        """One line: "暂不符合：参保身份须为企业职工，您填写的是灵活就业（第 1 页 参保身份）"."""
        if not self.reasons:
            return ""
        head = "暂不符合" if self.block else "请注意"
        if self.either:
            return f"{head}（满足其一即可）：" + "；或".join(r.line for r in self.reasons)
        return f"{head}：" + "；".join(r.line for r in self.reasons)


def explain(
    m: CompiledMatter, out: Outcome, regions: Any = None, rules: list[RuleResult] | None = None
) -> dict[str, Explanation]:
    """The explanation of each failing rule of ``out`` (an evaluation of ``m``), by rule id.

    ``regions`` words region codes as the form does (without it they show as codes). The
    reasons' words are remembered per rule and the values it read (:class:`_Words`); the
    places and answers they cite are looked up on ``out`` every time."""
    chosen = [r for r in (out.rules if rules is None else rules) if r.passed is False]
    if not chosen:
        return {}
    namer = _namer(m, out, regions)
    today = _today(out)
    found = {}
    for r in chosen:
        rule = r.spec.when
        words = _words(m, out, rule, namer, regions, today)
        reasons = tuple(
            Reason(text, _cites(m, out, rule, keys, namer), pointer, either)
            for text, keys, pointer, either in words.reasons
        )
        found[r.spec.id] = Explanation(
            r.spec.id, r.spec.name, r.text, r.spec.block, reasons, words.site
        )
    return found


def explain_rule(m: CompiledMatter, out: Outcome, result: RuleResult, namer: Namer) -> Explanation:
    """The explanation of one failing rule, built afresh (:func:`explain` remembers words)."""
    rule = result.spec.when
    words = _worded(rule, out.data, namer, _today(out))
    reasons = tuple(
        Reason(text, _cites(m, out, rule, keys, namer), pointer, either)
        for text, keys, pointer, either in words
    )
    return Explanation(
        result.spec.id, result.spec.name, result.text, result.spec.block, reasons, _site(rule)
    )


#: what a reason says without its places: text, the keys it cites, pointer, either
Worded = tuple[tuple[str, tuple[str, ...], str, bool], ...]


@dataclass(frozen=True, eq=False)
class _Words:
    """A rule's explanation as far as the rule decides it: the reasons' words and the keys
    they cite, and where the rule is written. The same for every evaluation on which the
    rule read the same values (and the day was the same: rule functions may read it)."""

    owners: tuple[Any, ...]  # matter, rule, regions: held, so their ids are not reused
    reasons: Worded
    site: str


#: Bounded (emptied when full): a citizen toggling an answer goes between a few values.
_WORDS_SIZE = 1024
#: (matter, rule, regions ids, the day, repr of the values the rule read) → its words. A hot
#: reload compiles a new matter and new rules, so an old entry never matches one of theirs.
_words_cache: dict[tuple[int, int, int, date, str], _Words] = {}
_words_lock = threading.Lock()


def _words(
    m: CompiledMatter,
    out: Outcome,
    rule: CompiledRule,
    namer: Namer,
    regions: Any,
    today: date | None,
) -> _Words:
    """The words of ``rule``'s explanation on ``out``: remembered when the rule's reads are
    known exactly (``reads_complete``, as the evaluation reads a derived value's part)."""
    part = _read_part(rule, out.data) if rule.engine is not None else out.data
    if part is out.data:  # the values behind the rule are not known exactly: no cache
        return _Words((), _worded(rule, out.data, namer, today), _site(rule))
    # the day rule functions read (``today``): the system date's when the context has none
    key = (id(m), id(rule), id(regions), today or date.today(), repr(part))
    found = _words_cache.get(key)
    if found is not None:
        return found
    words = _Words((m, rule, regions), _worded(rule, part, namer, today), _site(rule))
    with _words_lock:
        if len(_words_cache) >= _WORDS_SIZE:
            _words_cache.clear()
        _words_cache[key] = words
    return words


def _worded(rule: CompiledRule, data: Any, namer: Namer, today: date | None) -> Worded:
    """Each failing leaf of ``rule`` on ``data`` worded: (text, cited keys, pointer, either)."""
    if rule.engine is None:
        return ()
    with evaluation_day(today):
        leaves = failing_leaves(rule, data)
    worded = []
    for leaf in leaves:
        text, keys = sentence(leaf, namer)
        worded.append((text, tuple(dict.fromkeys(keys)), leaf.pointer, leaf.either))
    return tuple(worded)


def _cites(
    m: CompiledMatter, out: Outcome, rule: CompiledRule, keys: tuple[str, ...], namer: Namer
) -> tuple[Cite, ...]:
    """The questions behind a reason: a question behind a derived value is cited once
    answered, one the rule reads itself always."""
    direct = rule.reads
    return tuple(
        c for k in keys if (c := _cite(m, out, k, namer)) and (k in direct or c.answer != "—")
    )


def _site(rule: CompiledRule) -> str:
    return str(rule.site) if rule.site is not None else ""


def because(
    m: CompiledMatter, out: Outcome, rule: CompiledRule, regions: Any = None
) -> tuple[Reason, ...]:
    """Why ``rule`` holds on ``out`` (a material's condition: why it is asked for), as the
    answers it read: "增发情形为独生子女父母（第 2 页 增发情形）"; ``()`` if it does not hold."""
    if rule.engine is None:
        return ()
    namer = _namer(m, out, regions)
    with evaluation_day(_today(out)):
        leaves = holding_leaves(rule, out.data)
    reasons = []
    for leaf in leaves:
        text, keys = facts(leaf, namer)
        if text:
            cites = tuple(c for k in dict.fromkeys(keys) if (c := _cite(m, out, k, namer)))
            reasons.append(Reason(text, cites, leaf.pointer, leaf.either))
    return tuple(reasons)


def _today(out: Outcome) -> date | None:
    today = (out.data.get("context") or {}).get("today")
    return date.fromisoformat(today) if isinstance(today, str) else None


def _cite(m: CompiledMatter, out: Outcome, key: str, namer: Namer) -> Cite | None:
    f = m.fields.get(key)
    if f is None or not f.key:
        return None
    number = out.pages.index(f.page) + 1 if f.page in out.pages else None
    answer = namer.show(key, _get(out.data, key)) or "—"
    title = next((p.title for p in m.pages if p.id == f.page), "")
    return Cite(key, f.label, f.page, number, title, answer, f.id)


def _get(data: Any, key: str) -> Any:
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _namer(m: CompiledMatter, out: Outcome, regions: Any) -> Namer:
    derived = dict(m.derived)

    def label(key: str) -> str | None:
        f = m.fields.get(key)
        return f.label if f is not None else m.labels.get(key)

    def show(key: str, value: Any) -> str | None:
        f = m.fields.get(key)
        if f is None:
            return None
        return _shown(f, value, regions)

    known: dict[str, tuple[str, ...]] = {}

    def sources(key: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The questions a derived value is computed from, through other derived values."""
        if key in known:
            return known[key]
        rule = derived.get(key)
        if rule is None or key in seen:
            return ()
        found: list[str] = []
        for read in rule.reads:
            found += [read] if read in m.fields else list(sources(read, seen | {key}))
        known[key] = tuple(dict.fromkeys(found))
        return known[key]

    def param(name: str) -> tuple[str, str | None]:
        p = m.parameters.get(name)
        return (p.description, p.unit) if p is not None else (name, None)

    return Namer(label, show, sources, lambda k: k in m.fields, param)


def _shown(f: FieldSpec, value: Any, regions: Any) -> str:
    """A value as the form shows it in ``f`` (an option's label, 是/否, a full region name)."""
    if value is None or value == "":
        return "—"
    try:
        shown = f.kind.display(f, value, regions)
    except Exception:  # a value of another type than the field's (a literal in a rule)
        shown = None
    if shown is None:
        return value_text(value)
    return value_text(shown) if isinstance(shown, list) else str(shown)
