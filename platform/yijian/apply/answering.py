"""Answering a page: put posted values into the answers, run a repeat action, judge the page.

The web parses a post into values (``web.formstate``) and calls these; a clerk filling a form on
a citizen's behalf (帮办代办), a reviewer correcting an answer or a batch job call them with
plain values. The answers are saved before they are judged, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yijian.apply import prefill
from yijian.apply.evaluation import next_page, outcome, page_of
from yijian.apply.materials import after_pages
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, put
from yijian.runtime.evaluate import Outcome, copy_answers


def repeat_action(
    m: CompiledMatter, page: PageSpec, answers: dict[str, Any], action: str
) -> str | None:
    """``add:<key>`` / ``remove:<key>:<n>``; returns the key of the repeat changed, if any.

    A row may always be removed, even an empty or invalid one; adding stops at ``max_items``.
    """
    kind, _, rest = action.partition(":")
    key, _, index = rest.partition(":")
    spec = next((f for f in page.fields if f.key == key and f.type == FieldType.repeat), None)
    if spec is None:
        return None
    rows = get(answers, key)
    rows = list(rows) if isinstance(rows, list) else []
    if kind == "add" and len(rows) < spec.definition.max_items:
        rows.append({})
    elif kind == "remove" and index.isdigit() and int(index) < len(rows):
        del rows[int(index)]
    put(answers, key, rows)
    return key


@dataclass(frozen=True)
class Answered:
    """The page judged: its messages (empty: it passed) and where the journey goes next
    (a page id, the upload step or ``review``)."""

    answers: dict[str, Any]
    out: Outcome
    errors: dict[str, str]
    next: str | None


def answer_page(
    services: Services,
    draft: Any,
    m: CompiledMatter,
    page_id: str,
    values: Mapping[str, Any],
    action: str = "continue",
) -> Answered:
    """Save ``values`` (answer key → value) on ``page_id``, run ``action`` (``continue``, a
    repeat ``add:``/``remove:``), and judge the page when continuing."""
    page = page_of(m, page_id)
    answers = copy_answers(draft.answers)
    for key, value in values.items():
        put(answers, key, value)
    if action.startswith(("add:", "remove:")):
        repeat_action(m, page, answers, action)
    prefill.enforce(m, answers)  # a read-only account value stays what the account says
    if action != "continue":
        services.store.drafts.save(draft.id, answers, page.id)
        return Answered(answers, outcome(services, m, answers), {}, None)
    out = outcome(services, m, answers, validate={page.id})
    if out.errors and page.id in out.pages:
        services.store.drafts.save(draft.id, answers, page.id)
        return Answered(answers, out, dict(out.errors), None)
    # the draft remembers where the citizen goes next, so 继续填写 (我的办件, a resume link)
    # opens the page still to fill, not the one just finished
    nxt = next_page(m, out, page.id) or after_pages(m, out)
    services.store.drafts.save(draft.id, answers, nxt or page.id)
    return Answered(answers, out, {}, nxt)
