"""Why a rule is false: the sub-conditions of a compiled rule that made it fail, with values.

A citizen refused by ``{"and": [A, {"or": [B, C]}, {"!": D}]}`` needs to read which parts
failed on *their* answers, not the rule. :func:`failing_leaves` walks the rule top down and
evaluates each sub-expression on the same data with the same engine (so the semantics are the
engine's, rule functions included, never a second interpreter's): through ``and``, ``or``,
``!``, ``!!`` and the branch an ``if`` took, down to the leaves (comparisons, ``in``, rule
functions, a bare ``var``) whose truth is the opposite of what the rule needed.

- ``and`` false: every false child is explained, not only the first (JsonLogic stops at the
  first; a citizen wants to fix everything at once).
- ``or`` false: every child is false, each is explained.
- ``!`` flips what is wanted: ``{"!": X}`` false means X is true, so X's true parts are the
  reason (an ``and`` true: all its children; an ``or`` true: its true children).

Pure: no labels or wording here (that is :mod:`yijian.runtime.explanation`), no clock but the
evaluation day the caller sets. Sub-expressions are compiled once per engine and text.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from datalogic_py import DataHandle

from yijian.rules.engine import CompiledRule, RuleEngine, _as_native, truthy

__all__ = ["Leaf", "failing_leaves", "holding_leaves", "sub_value"]

_CACHE_SIZE = 4096
#: (engine, rule text) → compiled part; a compiled part holds its engine, so an engine's id is
#: never reused while its parts are cached (the cache empties itself when full)
_cache: dict[tuple[int, str], CompiledRule | None] = {}
_lock = threading.Lock()
Data = Mapping[str, Any] | DataHandle
_ERROR = object()  # a sub-expression that could not be evaluated (counts as null)


@dataclass(frozen=True)
class Leaf:
    """One sub-condition whose truth is not what was wanted of it.

    ``wanted`` is the truth the rule needed from it to pass (``False`` under a ``!``; for
    :func:`holding_leaves`, the truth that would have made the rule fail); ``values`` are its
    arguments' values on the data, in order, for the wording (``None`` where one failed).
    """

    pointer: str  # RFC 6901 pointer into the rule's source
    expr: Any
    op: str | None  # the operator, "var" for a bare variable, None for a literal
    args: tuple[Any, ...]
    values: tuple[Any, ...]
    value: Any
    wanted: bool
    either: bool = False  # one of alternatives (under an or): fixing any one of them suffices
    #: it could not be evaluated ("12a" compared as a number): the whole rule then counts as
    #: false whatever is wanted here, as the runtime counts it (yijian.runtime.evaluate._truthy)
    error: bool = False


def operation(node: Any) -> tuple[str | None, tuple[Any, ...]]:
    """The operator and argument expressions of a node (``{"op": x}`` is ``{"op": [x]}``)."""
    if isinstance(node, dict) and len(node) == 1:
        op, args = next(iter(node.items()))
        return str(op), tuple(args) if isinstance(args, list) else (args,)
    return None, ()


def _compiled(engine: RuleEngine, node: Any) -> CompiledRule | None:
    key = (id(engine), repr(node))
    found = _cache.get(key, _ERROR)
    if found is not _ERROR:
        return found  # type: ignore[return-value]
    try:
        rule: CompiledRule | None = engine.compile(node)
    except Exception:  # a part that cannot stand alone (a bare operator list): no value
        rule = None
    with _lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = rule
    return rule


def sub_value(engine: RuleEngine, node: Any, data: Data) -> Any:
    """The value of one sub-expression on ``data``; ``None`` if it cannot be evaluated."""
    value = _value(engine, node, data)
    return None if value is _ERROR else value


def _value(engine: RuleEngine, node: Any, data: Data) -> Any:
    if node is None or isinstance(node, str | int | float | bool):
        return node
    rule = _compiled(engine, node)
    if rule is None:
        return _ERROR
    try:
        return rule.evaluate(data)
    except Exception:
        return _ERROR


def holding_leaves(rule: CompiledRule, data: Mapping[str, Any]) -> list[Leaf]:
    """The leaves that make ``rule`` true on ``data`` (why a material is asked for); ``[]``
    if it does not hold. The same walk as :func:`failing_leaves`, wanting false: a leaf's
    ``wanted`` is then the truth that would have made the rule false."""
    return _leaves(rule, data, hold=True)


def failing_leaves(rule: CompiledRule, data: Mapping[str, Any]) -> list[Leaf]:
    """The leaves that make ``rule`` false on ``data``, in rule order; ``[]`` if it holds.

    ``data`` is what the rule was evaluated on (answers, derived values, ``params``,
    ``context``); set the evaluation day (:func:`yijian.rules.context.evaluation_day`) as the
    evaluation did, for rules that read today.
    """
    return _leaves(rule, data, hold=False)


def _leaves(rule: CompiledRule, data: Mapping[str, Any], hold: bool) -> list[Leaf]:
    engine = rule.engine
    if engine is None:
        raise ValueError("the rule was not compiled by a RuleEngine")
    handle: Data = data
    # parsed once for every part (converting the dict per part costs 7x); data that is not
    # JSON stays as it is, and each part then fails on it alone
    with contextlib.suppress(Exception):
        handle = DataHandle(_as_native(data))
    if truthy(sub_value(engine, rule.source, handle)) != hold:
        return []
    found: list[Leaf] = []
    _walk(engine, rule.source, "", not hold, handle, found, False)
    return found


def _walk(
    engine: RuleEngine,
    node: Any,
    pointer: str,
    want: bool,
    data: Data,
    out: list[Leaf],
    either: bool,
) -> None:
    """Explain why ``node`` is not ``want`` (the caller knows it is not); ``either``: under
    alternatives, any one of which would do."""
    op, args = operation(node)
    at = f"{pointer}/{_escape(op)}" if op is not None else pointer
    if op in ("and", "or") and isinstance(node[op], list):
        # and false / or true: the children without the wanted truth; or false / and true: all
        # of them (alternatives: one of them turned would do); a child that cannot be evaluated
        # is always one (it makes the whole rule fail)
        deciding = (op == "and") == want
        alternatives = either or (not deciding and len(args) > 1)
        for i, child in enumerate(args):
            value = _value(engine, child, data)
            if value is _ERROR or truthy(value) != want:
                _walk(engine, child, f"{at}/{i}", want, data, out, alternatives)
        return
    if op in ("!", "!!") and len(args) == 1:
        inner = f"{at}/0" if isinstance(node[op], list) else at
        _walk(engine, args[0], inner, want if op == "!!" else not want, data, out, either)
        return
    if op in ("if", "?:") and len(args) >= 2:
        taken, broken = _branch(engine, args, data)
        if taken is not None and (broken or _is_rule(args[taken])):
            _walk(engine, args[taken], f"{at}/{taken}", want, data, out, either)
            return
    values = tuple(sub_value(engine, a, data) for a in args) if op != "var" else ()
    value = _value(engine, node, data)
    error = value is _ERROR
    value = None if error else value
    out.append(Leaf(pointer, node, op, args, values, value, want, either, error))


def _branch(engine: RuleEngine, args: tuple[Any, ...], data: Data) -> tuple[int | None, bool]:
    """The index of the value an ``if`` returned (its else branch if no condition held), or of
    the condition that could not be evaluated (which makes the ``if`` fail)."""
    for i in range(0, len(args) - 1, 2):
        value = _value(engine, args[i], data)
        if value is _ERROR:
            return i, True
        if truthy(value):
            return i + 1, False
    return (len(args) - 1 if len(args) % 2 == 1 else None), False


def _is_rule(node: Any) -> bool:
    op, _ = operation(node)
    return op is not None and op != "var"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
