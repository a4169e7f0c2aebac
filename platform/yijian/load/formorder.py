"""A form rule reading a derived value computed from the very field it shows or requires.

``visible_if`` and ``required`` may read derived values (rules.yaml ``derived``): the runtime
computes every derived value from the answers first, then decides what is shown. That order
has one trap: a field whose ``visible_if`` reads a derived value computed from the field itself
can never be answered (hidden while empty, so its value never comes), and a page likewise. Such
a rule is refused here with the chain that closes the loop (``E-FORM-CYCLE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from yijian.compiled.matter import PageSpec
from yijian.load.checks import diagnostic_at
from yijian.load.source import SourceFile
from yijian.located.diagnostics import Diagnostic
from yijian.rules.engine import CompiledRule

CODE = "E-FORM-CYCLE"


def _covers(read: str, key: str) -> bool:
    """Whether reading ``read`` reads the answer ``key`` (itself, or an object holding it)."""
    return key == read or key.startswith(read + ".")


def derived_inputs(derived: Iterable[tuple[str, CompiledRule]]) -> dict[str, set[str]]:
    """Derived key → every variable it reads, through the derived values it reads (each reads
    only the ones before it, so one pass in order closes the chain)."""
    inputs: dict[str, set[str]] = {}
    for key, rule in derived:
        reads = set(rule.reads)
        for r in list(reads):
            reads |= inputs.get(r, set())
        inputs[key] = reads
    return inputs


def _loop(rule: CompiledRule | None, keys: Sequence[str], inputs: dict[str, set[str]]):
    """(derived key, field key) when ``rule`` reads a derived value computed from one of
    ``keys``; None when it does not."""
    if rule is None or isinstance(rule, bool):
        return None
    for read in rule.reads:
        for key in keys:
            if read in inputs and any(_covers(r, key) for r in inputs[read]):
                return read, key
    return None


def form_cycles(
    src: SourceFile,
    raw_pages: Sequence[tuple[Any, ...]],
    pages: Sequence[PageSpec],
    derived: Iterable[tuple[str, CompiledRule]],
) -> list[Diagnostic]:
    """An error for each page or field rule that reads a derived value of its own answers."""
    inputs = derived_inputs(derived)
    if not inputs:
        return []
    out = []
    for pi, ((_page, resolved), spec) in enumerate(zip(raw_pages, pages, strict=True)):
        keys = [f.key for f in spec.fields if f.key]
        found = _loop(spec.visible, keys, inputs)
        if found:
            out.append(_diag(src, ("pages", pi, "visible_if"), "page", found))
        for (_r, loc), f in zip(resolved, spec.fields, strict=True):
            if not f.key:
                continue
            for what, rule in (("visible_if", f.visible), ("required", f.required)):
                found = _loop(rule, [f.key], inputs)  # type: ignore[arg-type]
                if found:
                    out.append(_diag(src, (*loc, what), f"field '{f.key}'", found))
    return out


def _diag(src: SourceFile, loc: tuple, what: str, found: tuple[str, str]) -> Diagnostic:
    derived, key = found
    whence = f"'{key}' on this page" if what == "page" else f"'{key}' itself"
    why = (
        "hidden until answered, it could never be answered"
        if loc[-1] == "visible_if"
        else "an answer cannot make itself required"
    )
    return diagnostic_at(
        src,
        loc,
        f"{loc[-1]} of {what} reads derived '{derived}', which is computed from {whence}: {why}",
        CODE,
        "decide it from an answer asked before it (another field or page), not from a value "
        "computed from the answer itself (docs/rules.md#variables)",
    )
