"""Who reads what: the answer keys each rule, material, step and document of a matter uses.

One walk over a compiled matter gives every reader of every answer key; the unused-field
check and ``yijian graph`` both stand on it. A reader is named as the graph shows it
(``rule R2``, ``material id_card``, ``step review``, ``page applicant``, ``derived age``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.compose.inclusion import OPTIONAL_KEY
from yijian.rules.engine import CompiledRule

#: Answer keys the documents read by name (the receipt's applicant when the form does not say
#: with ``applicant:``: ``…name``, ``…id_number``); form.yaml ``on_receipt`` keys are read too.
DOCUMENT_SUFFIXES = ("name", "id_number")
#: Free text is written for the staff who read the case, not for a rule: never "unused".
FREE_TEXT = frozenset({"text", "textarea", "address"})


@dataclass(frozen=True)
class Edge:
    """``reader`` reads ``key`` (an answer key, a derived value or another reader)."""

    key: str
    reader: str  # "kind:id", e.g. "rule:R2", "material:id_card", "step:review"


def page_fields(matter: CompiledMatter) -> Iterator[FieldSpec]:
    """Every field on the matter's pages (repeat rows' fields too), as compiled with its rules;
    ``CompiledMatter.fields`` holds the specs before their rules are compiled."""

    def walk(specs: Iterable[FieldSpec]) -> Iterator[FieldSpec]:
        for spec in specs:
            yield spec
            yield from walk(spec.children)

    for page in matter.pages:
        yield from walk(page.fields)


def _reads(rule: CompiledRule | None) -> tuple[str, ...]:
    return rule.reads if rule is not None else ()


def edges(matter: CompiledMatter) -> Iterator[Edge]:
    """Every (key, reader) pair of a matter or bundle."""
    for page in matter.pages:
        for key in _reads(page.visible):
            yield Edge(key, f"page:{page.id}")
    for spec in page_fields(matter):
        for rule in (
            spec.visible,
            spec.required if isinstance(spec.required, CompiledRule) else None,
        ):
            for key in _reads(rule):
                yield Edge(key, f"field:{spec.key}")
        for rule, _message in spec.validations:
            for key in _reads(rule):
                if key != spec.key:  # a field checking itself does not use itself
                    yield Edge(key, f"field:{spec.key}")
        if spec.definition.material:
            yield Edge(spec.key, f"material:{spec.definition.material}")
    for key, rule in matter.derived:
        for read in _reads(rule):
            yield Edge(read, f"derived:{key}")
    for e in matter.eligibility:
        for rule in (e.when, e.applies_if):
            for key in _reads(rule):
                yield Edge(key, f"rule:{e.id}")
    for ms in matter.materials:
        for key in _reads(ms.condition):
            yield Edge(key, f"material:{ms.material.id}")
        if ms.material.from_field:
            yield Edge(ms.material.from_field, f"material:{ms.material.id}")
    for situation, rule in matter.situations:
        for key in _reads(rule):
            yield Edge(key, f"situation:{situation.id}")
        for material in situation.materials:
            yield Edge(f"situation:{situation.id}", f"material:{material}")
    for st in matter.steps:
        for key in _reads(st.when):
            yield Edge(key, f"step:{st.step.id}")
    if matter.matter is not None:
        for c in matter.matter.commitments:
            if c.answer:
                yield Edge(c.answer, f"commitment:{c.id}")


def reads(key: str, read: str) -> bool:
    """Whether reading ``read`` reads the answer ``key`` (an object reads its keys)."""
    return key == read or key.startswith(read + ".") or read.startswith(key + ".")


def unused(matter: CompiledMatter, others: Iterable[str] = ()) -> Iterator[FieldSpec]:
    """Optional structured answers nothing reads: no rule, material, step, commitment or
    document, and no bundle the matter is in (``others``: the keys the bundles read).

    A required question was asked for by whoever made it required, and free text is for the
    staff who read the case; an optional choice, number, date or yes/no that no rule looks at
    is data collected for a decision nobody makes."""
    read = {e.key for e in edges(matter)} | set(others) | {OPTIONAL_KEY}  # the platform's
    read |= {*matter.on_receipt, *(k for k in matter.applicant or () if k)}  # the receipt's
    for spec in page_fields(matter):
        if not spec.key or not spec.kind.answers or spec.required is not False:
            continue  # an info text, or a required question: someone asked for it
        if str(spec.type) in FREE_TEXT or spec.origin != matter.id:
            continue  # for the staff to read; or a bundle member's, checked with the member
        if spec.key.rsplit(".", 1)[-1] in DOCUMENT_SUFFIXES or spec.definition.prefill:
            continue  # on the receipt, or filled in from a source: kept for the case
        if spec.children or any(reads(spec.key, r) for r in read):
            continue
        yield spec
