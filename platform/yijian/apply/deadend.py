"""When an application can no longer be submitted, and what the person can do instead.

A refusal is told at the first page where it is known (issue 15, item 3), not on a review page
reached through every other page. It is *known* once one of the rules that refuse the
application (a block rule of the matter or of the bundle, of a required member, or of any chosen
member when the bundle is not ``partial``) fails on questions the person has already passed:
answered, or on the page just posted (or an earlier one) and left empty without a message. A
rule that fails only because a question still to come is empty does not stop anyone: the
person could not have answered it yet.

What remains: for a bundle, the members chosen whose own rules pass, each a matter of its own
with a guide (a person can apply for it singly).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from yijian.compiled.matter import CompiledMatter
from yijian.defs.bundle import Inclusion
from yijian.runtime.answers import get, is_empty
from yijian.runtime.evaluate import Outcome, RuleResult

__all__ = ["PAGE", "alternatives", "deciding", "known"]

#: The page a refused application goes to (``/drafts/<id>/_cannot-apply``); a form's page id
#: starts with a letter or digit, so it never clashes with one (like ``materials.UPLOAD_PAGE``).
PAGE = "_cannot-apply"


def deciding(m: CompiledMatter, out: Outcome) -> list[RuleResult]:
    """The failing block rules that refuse the application (empty when it is eligible)."""
    if out.eligible:
        return []
    members: Mapping[str, Any] = (out.extra or {}).get("members") or {}
    partial = bool((m.extra or {}).get("partial"))
    found = []
    for r in out.rules:
        if r.passed is not False or not r.spec.block:
            continue
        if r.spec.matter:
            info = members.get(r.spec.matter) or {}
            if not info.get("selected"):
                continue
            if partial and info.get("include") != Inclusion.required:
                continue  # it drops out; the others go ahead
        found.append(r)
    return found


def known(
    m: CompiledMatter, out: Outcome, page_id: str | None, asked: Collection[str] | None = None
) -> bool:
    """Whether the refusal of ``out`` is settled once page ``page_id`` is posted (``None``:
    the whole application, as submitted).

    ``asked``: the questions of that page the post answered (长辈版, one question per screen);
    ``None``: the whole page. Needs ``out`` evaluated with that page validated (its messages)."""
    if page_id is None:
        passed = set(out.pages)
    else:
        passed = set(out.pages[: out.pages.index(page_id)]) if page_id in out.pages else set()
    return any(_settled(m, out, r, passed, page_id, asked) for r in deciding(m, out))


def _settled(
    m: CompiledMatter,
    out: Outcome,
    r: RuleResult,
    passed: set[str],
    page_id: str | None,
    asked: Collection[str] | None,
) -> bool:
    """Whether the failing rule ``r`` reads only questions settled: answered, or on a page
    passed (``passed``, or ``page_id`` itself: all of it, or its ``asked`` questions) and left
    empty without a message, or on no page shown; the context and parameters are settled."""
    derived = dict(m.derived)

    def settled(key: str, seen: frozenset[str] = frozenset()) -> bool:
        if key in derived:  # a derived value: settled when what it reads is
            rule = derived[key]
            return (
                key not in seen
                and rule.reads_complete
                and all(settled(k, seen | {key}) for k in rule.reads)
            )
        f = _field(m, key)
        if f is None:  # the context, a parameter: not the person's to answer
            return key.startswith(("context.", "params.")) or not is_empty(get(out.data, key))
        if f.key in out.errors or any(e.startswith(f.key + ".") for e in out.errors):
            return False  # a message on it (empty, or not valid): the message comes first
        if not is_empty(get(out.data, f.key)):
            return True
        if f.page in passed:
            return True
        if f.page == page_id:
            return asked is None or f.key in asked
        return f.page not in out.pages  # on a page not shown: nothing will ask it

    rules = [r.spec.when, *([r.spec.applies_if] if r.spec.applies_if else [])]
    if not all(x.reads_complete for x in rules):
        return False  # what it reads is not known: never a reason to stop
    return all(settled(k) for x in rules for k in x.reads)


def _field(m: CompiledMatter, key: str) -> Any:
    """The question ``key`` reads (a repeat's child key: its repeat group)."""
    while key:
        f = m.fields.get(key)
        if f is not None and f.key:
            return f
        key = key.rpartition(".")[0]
    return None


def alternatives(m: CompiledMatter | None, out: Outcome) -> list[tuple[str, str]]:
    """(matter id, name) of the bundle's chosen members still open, in bundle order: what the
    person can apply for singly when the bundle refuses. A member is open when none of its
    block rules fails on what is answered (one failing only for a question not answered yet
    does not close it). Empty for a matter."""
    if out.eligible:
        return []
    members: Mapping[str, Any] = (out.extra or {}).get("members") or {}
    closed = {
        r.spec.matter
        for r in out.rules
        if r.passed is False
        and r.spec.block
        and r.spec.matter
        and (m is None or _settled(m, out, r, set(), "", None))
    }
    return [
        (mid, str(info["name"]))
        for mid, info in members.items()
        if info.get("selected") and mid not in closed
    ]
