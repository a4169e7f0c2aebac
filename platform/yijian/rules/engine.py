"""The rule engine: check, compile once, evaluate many, on datalogic-py.

Choices, and why:

- Semantics are datalogic's default configuration, no ``preset``: standard JsonLogic
  (JavaScript) semantics, which the official suite checks (tests/rules). ``strict`` would
  raise on ``null`` arithmetic, the normal state of a half-filled form, and
  ``safe_arithmetic`` silently drops non-numbers; a missing variable reads as ``null``.
- Operator families: the JsonLogic core plus the string, array, object, control, error and
  math extensions. The ``DateTime`` family is left out: its ``now`` makes a rule depend on
  the clock instead of the evaluation day, and our ``date_diff`` (ISO text, whole months) takes
  its name. ``Tensor`` and ``Flagd`` have no use in a form and would only widen "did you mean".
- A rule that is a bare string is passed to datalogic as JSON text (it reads every ``str``
  as JSON), so ``"apple"`` is the string it is in JsonLogic, not a parse error.
- Rule functions receive their arguments as a JSON array and answer JSON: ``json.loads`` and
  one ``JSONEncoder(ensure_ascii=False)`` built once (booleans and null skip even that) are all
  the marshalling there is; a Python call still costs microseconds, see bench/bench_rules.py.
- Unlike datalogic's ``facts()``, a rule calling our functions still has complete ``reads``:
  a function sees only its evaluated arguments, never the data.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from inspect import Parameter, signature
from types import MappingProxyType
from typing import Any

import datalogic_py as dl

from yijian.located.diagnostics import loc_text
from yijian.located.yamlsrc import locate
from yijian.rules.functions import RuleFunction

# Finding and importing rule functions lives in yijian.rules.loading; re-exported here because
# callers (load/build.py, docgen, the docs) import them from the engine.
from yijian.rules.loading import BUILTIN_MODULES, builtin_functions, load_rule_module

__all__ = [
    "BUILTIN_MODULES",
    "FAMILIES",
    "CompiledRule",
    "RuleCompileError",
    "RuleEngine",
    "RuleEvaluationError",
    "RuleProblem",
    "builtin_functions",
    "load_rule_module",
    "truthy",
]

FAMILIES = ("ExtString", "ExtArray", "ExtObject", "ExtControl", "ErrorHandling", "ExtMath")
_CODES = {"UnknownOperator": "unknown-operator", "ArgumentCount": "arg-count"}
_JSON_SCALARS = (str, int, float, bool, type(None))
_failure = threading.local()  # the exception a rule function raised, for RuleEvaluationError


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule, located by an RFC 6901 pointer into the expression."""

    pointer: str
    code: str  # "unknown-operator" | "arg-count" | "invalid" | "warning"
    message: str


class RuleCompileError(ValueError):
    """A rule that cannot run; ``problems`` lists every error found in it."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.pointer or '/'}: {p.message}" for p in self.problems))


class RuleEvaluationError(RuntimeError):
    """A rule failed while running; ``function`` names the rule function that raised, if one
    did (the original exception is the ``__cause__``)."""

    def __init__(self, message: str, function: str | None = None) -> None:
        self.function = function
        super().__init__(message)


def truthy(value: Any) -> bool:
    """JsonLogic truthiness as the engine applies it in ``if``/``and``/``or``: ``[]``, ``{}``,
    ``""``, ``0`` and ``null`` are false, ``"0"`` and ``[0]`` true."""
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return bool(value)


def _evaluation_error(exc: dl.DataLogicError) -> tuple[RuleEvaluationError, BaseException]:
    """Translate a datalogic failure, recovering the Python exception of a rule function."""
    name, cause = getattr(_failure, "last", (None, None))
    _failure.last = (None, None)
    if exc.error_type == "Custom" and cause is not None and name == exc.operator:
        message = f"rule function {name!r} failed: {type(cause).__name__}: {cause}"
        return RuleEvaluationError(message, name), cause
    return RuleEvaluationError(str(exc)), exc


def _as_native(value: Any) -> Any:
    """A ``str`` goes to datalogic as JSON text, because it reads every ``str`` as JSON."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else value


@dataclass(frozen=True, eq=False)
class RuleSite:
    """Where a rule is written, for a log line when it fails at run time. The line is found
    only then (from the file's text, shared with the loaded source, not copied): locating
    every rule of a cold load up front would compose every rules file again."""

    path: str  # relative to the definitions root
    loc: tuple[str | int, ...]
    text: str = field(repr=False)

    def __str__(self) -> str:
        line, _col = locate(self.text, self.loc)
        return f"{self.path}:{line}: {loc_text(self.loc)}"


@dataclass(frozen=True, eq=False)
class CompiledRule:
    """A checked, compiled rule; thread-safe, evaluate it as often as you like."""

    source: Any
    reads: tuple[str, ...]
    reads_complete: bool
    native: dl.Rule = field(repr=False)
    site: RuleSite | None = field(default=None, repr=False)  # set by the loader
    #: the engine that compiled it, for evaluating its parts (yijian.rules.explain)
    engine: RuleEngine | None = field(default=None, repr=False, compare=False)

    def evaluate(self, data: Mapping[str, Any] | dl.DataHandle) -> Any:
        """The rule's value on ``data`` (answers, derived values, context)."""
        try:
            if isinstance(data, dl.DataHandle):
                return self.native.evaluate_data(data)
            return self.native.evaluate(_as_native(data))
        except dl.DataLogicError as exc:
            error, cause = _evaluation_error(exc)
            raise error from cause

    def truthy(self, data: Mapping[str, Any] | dl.DataHandle) -> bool:
        """Whether the rule holds on ``data``, by JsonLogic truthiness."""
        return truthy(self.evaluate(data))


def _json_default(value: Any) -> Any:
    """Let rule functions return dates and sets; JSON has neither."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not a JSON value")


# Built once: json.dumps with any non-default option builds a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_json_default)


def _operator(fn: RuleFunction, inject: Mapping[str, Any]) -> Callable[[str], str]:
    """The datalogic callable for ``fn``: JSON args in, injected keywords added, JSON out."""
    params = signature(fn.func).parameters.values()
    wanted = [p for p in params if p.kind is Parameter.KEYWORD_ONLY]
    kwargs = {p.name: inject[p.name] for p in wanted if p.name in inject}
    missing = [p.name for p in wanted if p.name not in inject and p.default is Parameter.empty]
    func, name, loads, encode = fn.func, fn.name, json.loads, _ENCODER.encode

    def call(args_json: str) -> str:
        try:
            if missing:
                raise TypeError(f"needs {', '.join(missing)}, which this engine was built without")
            result = func(*loads(args_json), **kwargs)
            # validators answer booleans: skip the encoder for the commonest results
            if result is True:
                return "true"
            if result is False:
                return "false"
            return "null" if result is None else encode(result)
        except Exception as exc:
            _failure.last = (name, exc)
            raise

    return call


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _arity(fn: RuleFunction, given: int) -> str | None:
    low, high = fn.min_args, fn.max_args
    if low <= given and (high is None or given <= high):
        return None
    if high == 0:
        return f"`{fn.name}` takes no arguments, not {given}"
    if high is None:
        wants = f"at least {low}"
    elif low == high:
        wants = f"exactly {low}"
    else:
        wants = f"{low} to {high}"
    noun = "argument" if (high if high is not None else low) == 1 else "arguments"
    return f"`{fn.name}` takes {wants} {noun}, not {given}"


class RuleEngine:
    """Built-in operators plus our rule functions, with injected services (the calendar).

    ``functions`` may repeat a name: the later one wins, so a definitions root overrides a
    built-in by listing its functions after them. A name that is also a built-in operator
    is refused, because datalogic would never call it.
    """

    def __init__(
        self, functions: Sequence[RuleFunction], inject: Mapping[str, Any] | None = None
    ) -> None:
        table = {fn.name: fn for fn in functions}
        names: set[str] = set()
        for op in dl.Engine(families=list(FAMILIES)).operators():
            names.update([op["name"], *op["aliases"]])
        if clash := sorted(names & table.keys()):
            origins = ", ".join(f"{n} ({table[n].origin})" for n in clash)
            raise ValueError(f"rule functions named like built-in operators: {origins}")
        self._builtins = frozenset(names)
        self.functions: Mapping[str, RuleFunction] = MappingProxyType(table)
        self.inject: Mapping[str, Any] = MappingProxyType(dict(inject or {}))
        self._engine = dl.Engine(
            families=list(FAMILIES),
            strict_operator_names=True,
            custom_operators={n: _operator(fn, self.inject) for n, fn in table.items()},
        )

    def operator_names(self) -> frozenset[str]:
        """Every operator a rule may call: built-ins and ours (for "did you mean")."""
        return self._builtins | self.functions.keys()

    def check(self, expr: Any) -> list[RuleProblem]:
        """Every problem in ``expr``: unknown operators (with "did you mean"), argument
        counts of built-ins and of our functions, values that are not JSON."""
        problems: list[RuleProblem] = []
        order: dict[str, int] = {}
        self._walk(expr, "", problems, order)
        if any(p.code == "invalid" for p in problems):
            return problems  # datalogic cannot even read it
        try:
            found = self._engine.check(_as_native(expr))
        except dl.DataLogicError as exc:
            return [*problems, RuleProblem("", "invalid", str(exc))]
        problems += [
            RuleProblem(
                d["pointer"],
                "warning" if d["severity"] == "warning" else _CODES.get(d["code"], "invalid"),
                d["message"],
            )
            for d in found
        ]
        return sorted(problems, key=lambda p: order.get(p.pointer, len(order)))

    def _walk(self, node: Any, pointer: str, out: list[RuleProblem], order: dict[str, int]) -> None:
        """Arity of our functions (datalogic knows only its own) and non-JSON values; records
        the document order of pointers so problems are reported top to bottom."""
        order.setdefault(pointer, len(order))
        if isinstance(node, list):
            for i, item in enumerate(node):
                self._walk(item, f"{pointer}/{i}", out, order)
        elif isinstance(node, dict):
            for key, args in node.items():
                if not isinstance(key, str):
                    out.append(RuleProblem(pointer, "invalid", f"object key {key!r} is not text"))
                    continue
                fn = self.functions.get(key) if len(node) == 1 else None
                given = len(args) if isinstance(args, list) else 1
                if fn is not None and (message := _arity(fn, given)):
                    out.append(RuleProblem(pointer, "arg-count", message))
                self._walk(args, f"{pointer}/{_escape(key)}", out, order)
        elif not isinstance(node, _JSON_SCALARS):
            hint = "; write a date as quoted text 'YYYY-MM-DD'" if isinstance(node, date) else ""
            message = f"{type(node).__name__} value {node!r} is not a JSON value{hint}"
            out.append(RuleProblem(pointer, "invalid", message))

    def compile(self, expr: Any) -> CompiledRule:
        """Check and compile ``expr``; raises :class:`RuleCompileError` listing every error."""
        errors = [p for p in self.check(expr) if p.code != "warning"]
        if errors:
            raise RuleCompileError(errors)
        try:
            native = self._engine.compile(_as_native(expr))
        except dl.DataLogicError as exc:
            raise RuleCompileError([RuleProblem("", "invalid", str(exc))]) from exc
        facts = native.facts()
        # Our functions see only their arguments, never the data, so unlike datalogic we do
        # not count them as hidden reads; reading the whole data ({"var": ""}) is one.
        whole = any(not path for path in facts["reads"])
        return CompiledRule(
            source=expr,
            reads=tuple(".".join(path) for path in facts["reads"] if path),
            reads_complete=not facts["computed_reads"] and not whole,
            native=native,
            engine=self,
        )

    def evaluate_many(
        self, rules: Sequence[CompiledRule], data: Mapping[str, Any] | dl.DataHandle
    ) -> list[Any]:
        """Evaluate several rules on one answer set, converting the data once."""
        if not isinstance(data, dl.DataHandle):
            try:
                data = dl.DataHandle(_as_native(data))
            except dl.DataLogicError as exc:
                raise RuleEvaluationError(f"the data is not JSON: {exc}") from exc
        try:
            return [rule.native.evaluate_data(data) for rule in rules]
        except dl.DataLogicError as exc:
            error, cause = _evaluation_error(exc)
            raise error from cause
