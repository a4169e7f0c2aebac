"""What a submission carries: the answers of the fields the rules show, and nothing else.

An answer to a field hidden by ``visible_if`` (or a repeat row's child hidden by its own rule),
or on a page the rules skip, stays in the draft, so nothing typed is lost if the citizen
changes their mind back; but it is left out of the case, its summary and a bundle's sub-cases:
a department must not receive (or decide on) an answer to a question that was not asked.
"""

from __future__ import annotations

from typing import Any

from datalogic_py import DataHandle

from yijian.apply.commitments import chosen
from yijian.apply.evaluation import outcome
from yijian.apply.labels import META
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, put
from yijian.runtime.evaluate import Outcome, copy_answers


def truthy(rule: Any, handle: Any) -> bool:
    """A compiled rule's value as a condition; a rule that cannot be read yet is false."""
    try:
        v = rule.evaluate(handle)
    except Exception:  # half-filled rows: a rule that cannot be read yet is false
        return False
    return not (v is None or v is False or v == 0 or v == "" or v == [])


def _row(f: FieldSpec, row: Any, data: dict[str, Any]) -> Any:
    """One repeat row without the answers of its hidden children."""
    if not isinstance(row, dict):
        return row
    handle = DataHandle({**data, "row": row})
    kept: dict[str, Any] = {}
    for c in f.children:
        if not c.key or c.type == FieldType.info:
            continue
        if c.visible is not None and not truthy(c.visible, handle):
            continue
        value = get(row, c.key)
        if value is not None:
            put(kept, c.key, copy_answers(value))
    return kept


def visible_answers(m: CompiledMatter, answers: dict[str, Any], out: Outcome) -> dict[str, Any]:
    """The answers of the fields ``out`` shows, on the pages it shows; nothing else."""
    kept: dict[str, Any] = {}
    for page in m.pages:
        if page.id not in out.pages:
            continue
        for f in page.fields:
            if not f.key or f.type == FieldType.info or f.key not in out.visible:
                continue
            value = get(answers, f.key)
            if value is None:
                continue
            if f.type == FieldType.repeat and isinstance(value, list):
                value = [_row(f, row, out.data) for row in value]
            put(kept, f.key, copy_answers(value))
    return kept


def submission(
    services: Services, m: CompiledMatter, answers: dict[str, Any]
) -> tuple[dict, Outcome]:
    """(answers to submit, their validated evaluation).

    Dropping a hidden answer can hide another field (its ``visible_if`` read the dropped
    value), so this repeats until nothing more is dropped: usually two evaluations.
    """
    kept = {k: v for k, v in answers.items() if k != META}
    keys = chosen(answers)  # 告知承诺 ticked: kept in _meta, applied to every evaluation
    for _ in range(6):
        out = outcome(services, m, kept, validate=True, chosen=keys)
        nxt = visible_answers(m, kept, out)
        if nxt == kept:
            return kept, out
        kept = nxt
    return kept, outcome(services, m, kept, validate=True, chosen=keys)
