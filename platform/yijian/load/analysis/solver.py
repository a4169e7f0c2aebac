"""A small finite-domain solver: which truth values can a rule take, for any answers allowed?

Why our own and not an SMT package (z3-solver, pysmt): the rules use a handful of JsonLogic
operators over answers whose domains are small and known (options, booleans, number bounds,
dates), and every claim we make is a *warning* that must never be a false alarm. Z3 would be a
~40 MB wheel for a check that finishes in milliseconds by enumeration; and modelling JsonLogic's
loose equality, null arithmetic and truthiness in SMT would be a second, subtly different
semantics. Here the compiled engine itself evaluates every candidate, so the semantics are
exactly those of the running form.

How: the rule is rewritten so that only comparison and logic operators remain (``==``, ``!=``,
``===``, ``!==``, ``<``, ``<=``, ``>``, ``>=``, ``in``, ``and``, ``or``, ``!``, ``!!``, ``if``,
``var``); a derived value is inlined; any other operator (rule functions, arithmetic, array
operators) becomes a *free* value that may be anything. Each variable then takes a finite set of
representatives: a choice field its options, a boolean true/false, a number the constants of
the rule and their neighbours inside the field's bounds, and a free value every constant of the
rule, its neighbours and a value equal to none of them, plus null for every one (an unanswered
question). Comparisons against constants only split a domain at those constants, so these
representatives reach every outcome the rule can have. The product of the domains is
enumerated (after a few random probes, which usually find both outcomes at once); when it is
too large the answer is "undecided" and no warning is given.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from yijian.rules.engine import RuleEngine, truthy
from yijian.runtime.answers import put

#: Operators the solver reasons through; anything else is a free value.
KEPT = frozenset(
    {"==", "!=", "===", "!==", "<", "<=", ">", ">=", "in", "and", "or", "!", "!!", "if", "?:"}
)
FREE = "__free"
#: Most candidate answer sets enumerated for one rule before it is called undecided.
LIMIT = 20_000
PROBES = 64
OTHER = "\u3007其他"  # a text equal to no constant of any rule
#: Inlining depth for derived values that read derived values.
DEPTH = 8

#: A variable's representatives, or None when it is free (any value).
Domains = Callable[[str, "Pool"], list[Any] | None]


@dataclass
class Pool:
    """The constants of a rule and their neighbours: the representatives of a free value."""

    numbers: set[float] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)

    def add(self, value: Any) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float):
            self.numbers.add(value)
        elif isinstance(value, str):
            self.texts.add(value)
            try:  # loose equality: 18 == "18", so a number may meet a numeric text
                number = float(value)
            except ValueError:
                return
            if number == number and abs(number) != float("inf"):
                self.numbers.add(int(number) if number.is_integer() else number)

    def number_values(self, low: float | None = None, high: float | None = None) -> list[Any]:
        out = {0}
        for c in self.numbers:
            out.update((c - 1, c - 0.5, c, c + 0.5, c + 1))
        out.update(v for v in (low, high) if v is not None)
        return sorted(v for v in out if (low is None or v >= low) and (high is None or v <= high))

    def date_values(self) -> list[str]:
        out = {"1900-01-01", "2999-12-31"}
        for t in self.texts:
            try:
                d = date.fromisoformat(t[:10])
            except ValueError:
                continue
            out.update(
                (t, (d - timedelta(days=1)).isoformat(), (d + timedelta(days=1)).isoformat())
            )
        return sorted(out)

    def free_values(self) -> list[Any]:
        texts = set(self.texts) | set(self.date_values()) | {"", OTHER}
        return [None, True, False, *self.number_values(), *sorted(texts)]


@dataclass
class Rewritten:
    expr: Any
    variables: list[str]
    frees: int
    pool: Pool


class _Rewriter:
    def __init__(self, derived: Mapping[str, Any]) -> None:
        self.derived = derived
        self.variables: list[str] = []
        self.frees = 0
        self.pool = Pool()

    def free(self) -> dict[str, str]:
        self.frees += 1
        return {"var": f"{FREE}.f{self.frees}"}

    def node(self, node: Any, depth: int = 0) -> Any:
        if isinstance(node, list):
            return [self.node(n, depth) for n in node]
        if not isinstance(node, dict):
            self.pool.add(node)
            return node
        if len(node) != 1:
            return self.free()
        ((op, args),) = node.items()
        if op == "var":
            name = args[0] if isinstance(args, list) and args else args
            if not isinstance(name, str) or not name or (isinstance(args, list) and len(args) > 1):
                return self.free()
            if name in self.derived:
                if depth >= DEPTH:
                    return self.free()
                return self.node(self.derived[name], depth + 1)
            if name not in self.variables:
                self.variables.append(name)
            return {"var": name}
        if op not in KEPT:
            return self.free()
        items = args if isinstance(args, list) else [args]
        return {op: [self.node(a, depth) for a in items]}


def rewrite(expr: Any, derived: Mapping[str, Any] | None = None) -> Rewritten:
    """``expr`` with only the operators the solver knows, and what it reads."""
    rw = _Rewriter(derived or {})
    out = rw.node(expr)
    return Rewritten(out, rw.variables, rw.frees, rw.pool)


def _assignments(
    domains: Sequence[list[Any]], rng: random.Random, exhaustive: bool
) -> Iterable[tuple[Any, ...]]:
    for _ in range(PROBES):
        yield tuple(rng.choice(d) for d in domains)
    if exhaustive:
        yield from itertools.product(*domains)


def outcomes(
    expr: Any,
    engine: RuleEngine,
    domains: Domains,
    derived: Mapping[str, Any] | None = None,
) -> frozenset[bool] | None:
    """The truth values ``expr`` can take (by JsonLogic truthiness), or None if undecided."""
    rw = rewrite(expr, derived)
    names = list(rw.variables) + [f"{FREE}.f{i}" for i in range(1, rw.frees + 1)]
    if any(a != b and b.startswith(a + ".") for a in names for b in names):
        return None  # an object and a key inside it: no independent values
    # a parameter's values are constants of the rule too: other variables are split at them
    for name in names:
        if name.startswith("params."):
            for value in domains(name, rw.pool) or ():
                rw.pool.add(value)
    free = rw.pool.free_values()
    doms = []
    for name in names:
        d = None if name.startswith(FREE + ".") else domains(name, rw.pool)
        doms.append([None, *d] if d is not None and None not in d else d or free)
    size = 1
    for d in doms:
        size *= max(len(d), 1)
    try:
        rule = engine.compile(rw.expr)
    except Exception:  # a rewrite the engine refuses: no claim
        return None
    seen: set[bool] = set()
    rng = random.Random(0)
    for values in _assignments(doms, rng, size <= LIMIT):
        data: dict[str, Any] = {}
        for name, value in zip(names, values, strict=True):
            put(data, name, value)
        try:
            seen.add(truthy(rule.evaluate(data)))
        except Exception:  # a candidate the engine cannot evaluate
            continue
        if len(seen) == 2:
            return frozenset(seen)
    if size > LIMIT:
        return None  # only probed: no claim
    return frozenset(seen) if seen else None


def conj(*rules: Any) -> Any:
    """``and`` of the rules given (None stands for true)."""
    parts = [r for r in rules if r is not None]
    if not parts:
        return True
    return parts[0] if len(parts) == 1 else {"and": parts}
