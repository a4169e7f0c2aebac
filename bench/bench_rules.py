"""How much compiling a rule once buys over re-interpreting it per call.

Run: ``.venv/bin/python bench/bench_rules.py [seconds per figure]``.
Prints evaluations per second of one realistic eligibility rule (five comparisons of
answers, one 身份证 check, one date comparison) for:

  (a) compiled once, ``CompiledRule.evaluate(dict)`` per call
  (b) compiled once, ``RuleEngine.evaluate_many`` of 10 rules on one DataHandle per call
  (c) baseline: ``datalogic_py.Engine(...).eval(rule, data)`` per call (datalogic compiles
      the Python rule each time, but never reads JSON text)
  (c') baseline, literally "re-interpreting its JSON": ``json.loads`` of the rule text,
      compile, evaluate, per call
  (d) a plain-Python JsonLogic interpreter, if one is installed

The design target is (a) >= 20x (c'); the ratios against (c) are printed too.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import datalogic_py as dl

from yijian.rules.builtins import cnid
from yijian.rules.engine import RuleEngine, builtin_functions

RULE: dict[str, Any] = {
    "and": [
        {">=": [{"var": "applicant.age"}, 18]},
        {"==": [{"var": "applicant.hukou_county"}, {"var": "context.county"}]},
        {"<": [{"var": "household.income_per_capita"}, 1200]},
        {"<=": [{"var": "household.size"}, 8]},
        {"!=": [{"var": "applicant.status"}, "blocked"]},
        {"id_card_valid": [{"var": "applicant.id_number"}]},
        {">=": [{"var": "child.birth_date"}, {"var": "context.six_months_ago"}]},
    ]
}
DATA: dict[str, Any] = {
    "applicant": {
        "name": "王芳",
        "age": 31,
        "id_number": "110101199003071233",
        "hukou_county": "城关区",
        "status": "active",
        "phone": "13812345678",
    },
    "household": {"size": 3, "income_per_capita": 980, "members": ["王芳", "李强", "李小宝"]},
    "child": {"name": "李小宝", "birth_date": "2025-03-02", "sex": "男"},
    "context": {"county": "城关区", "six_months_ago": "2024-12-30", "today": "2025-06-30"},
}


Variant = tuple[Callable[[], object], int]  # the call, and evaluations per call


def rates(variants: dict[str, Variant], seconds: float, rounds: int = 15) -> dict[str, float]:
    """Evaluations per second of each variant: the best of ``rounds`` short slices, taken in
    turn, so that load from other processes on a shared machine hits every variant alike."""
    best = dict.fromkeys(variants, 0.0)
    for _ in range(rounds):
        for label, (call, per_call) in variants.items():
            n, start = 0, time.perf_counter()
            deadline = start + seconds / rounds
            while True:
                for _ in range(50):
                    call()
                n += 50
                now = time.perf_counter()
                if now >= deadline:
                    break
            best[label] = max(best[label], n * per_call / (now - start))
    return best


def plain_python() -> tuple[str, Callable[[Any, Any], Any]] | None:
    """A pure-Python JsonLogic interpreter (json-logic-qubit / json-logic-py), if installed."""
    for module_name in ("json_logic", "jsonlogic"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        apply = getattr(module, "jsonLogic", None) or getattr(module, "json_logic", None)
        if apply is not None:
            return module_name, apply
    return None


def measure(rule: Any, seconds: float) -> dict[str, float]:
    """Evaluations per second of ``rule`` on DATA, compiled and re-interpreted."""
    engine = RuleEngine(builtin_functions())
    compiled = engine.compile(rule)
    ten = [engine.compile(rule) for _ in range(10)]
    text = json.dumps(rule, ensure_ascii=False)
    assert compiled.evaluate(DATA) is True
    assert engine.evaluate_many(ten, DATA) == [True] * 10

    def id_card_valid(args: str) -> str:
        return json.dumps(cnid.id_card_valid(*json.loads(args)))

    raw = dl.Engine(custom_operators={"id_card_valid": id_card_valid})
    assert raw.eval(rule, DATA) is True

    variants: dict[str, Variant] = {
        "(a) compiled, evaluate(dict)": (lambda: compiled.evaluate(DATA), 1),
        "(b) compiled, evaluate_many x10": (lambda: engine.evaluate_many(ten, DATA), 10),
        "(c) Engine.eval(rule, data)": (lambda: raw.eval(rule, DATA), 1),
        "(c') json.loads + compile + evaluate": (
            lambda: raw.compile(json.loads(text)).evaluate(DATA),
            1,
        ),
        "(c'') json.loads + RuleEngine.compile": (
            lambda: engine.compile(json.loads(text)).evaluate(DATA),
            1,
        ),
    }
    interpreter = plain_python()
    if interpreter is not None:
        name, apply = interpreter
        variants[f"(d) plain Python ({name})"] = (lambda: apply(rule, DATA), 1)
    figures = rates(variants, seconds * len(variants))
    return figures


def report(title: str, figures: dict[str, float]) -> None:
    print(title)
    width = max(map(len, figures))
    for label, value in figures.items():
        print(f"  {label:<{width}}  {value:>12,.0f} evaluations/s")
    a = figures["(a) compiled, evaluate(dict)"]
    b = figures["(b) compiled, evaluate_many x10"]
    print("  ratios, compiled / re-interpreted (target >= 20x):")
    for label in [k for k in figures if k.startswith(("(c", "(d"))]:
        base = figures[label]
        print(f"    vs {label:<{width}}  (a) {a / base:5.1f}x   (b) {b / base:5.1f}x")


def main(seconds: float = 3.0) -> None:
    python = sys.version.split()[0]
    print(f"datalogic-py {dl.__version__}, Python {python}, ~{seconds:g} s per figure")
    if plain_python() is None:
        print("(d) skipped: no plain-Python JsonLogic interpreter is installed")
    report("eligibility rule (5 comparisons, id_card_valid, a date):", measure(RULE, seconds))
    without = {"and": [c for c in RULE["and"] if "id_card_valid" not in c]}
    report("the same rule without the Python function:", measure(without, seconds))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)
