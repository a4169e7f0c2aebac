"""Evaluating a draft's answers for the journey: the outcome, one page's messages, page order.

Every field check (region codes and depth included) is the shared checker's, so the form,
submission and ``yijian test`` say the same thing. A rule that cannot read an odd answer is
:class:`~yijian.apply.errors.Unreadable` (a 422 on the web), never a crash.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from yijian.apply import commitments
from yijian.apply.errors import NotFound, Unreadable
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.runtime.evaluate import Context, Outcome, check_fields, evaluate
from yijian.store.drafts import encode_answers

log = logging.getLogger("yijian.apply")


def outcome(
    services: Services,
    m: CompiledMatter,
    answers: dict[str, Any],
    validate: bool | set[str] = False,
    ctx: Context | None = None,
    chosen: Sequence[str] | None = None,
) -> Outcome:
    """Evaluate the compiled rules on ``answers`` (``ctx``: the caller's, when it has one),
    with the 告知承诺 in force applied (``chosen``: the ticked ones, when ``answers`` lacks
    the draft's ``_meta``; ``apply.commitments``)."""
    try:
        out = evaluate(m, answers, ctx or services.context(), validate=validate)
    except Exception as exc:  # a rule that cannot read an odd answer must not become a 500
        log.warning("evaluation failed for %s@%s: %s", m.id, m.version, type(exc).__name__)
        raise Unreadable() from None
    keys = commitments.chosen(answers) if chosen is None else chosen
    return commitments.effective(m, out, keys)


def field_errors(
    m: CompiledMatter, out: Outcome, ctx: Context, page_id: str, fields: list[FieldSpec]
) -> dict[str, str]:
    """The page validation's messages for ``fields`` alone (``evaluate.check_fields``)."""
    try:
        return check_fields(m, out, ctx, page_id, fields)
    except Exception as exc:
        log.warning("evaluation failed for %s@%s: %s", m.id, m.version, type(exc).__name__)
        raise Unreadable() from None


def page_of(m: CompiledMatter, page_id: str) -> PageSpec:
    for p in m.pages:
        if p.id == page_id:
            return p
    raise NotFound()


def next_page(m: CompiledMatter, out: Outcome, after: str) -> str | None:
    """The next page the rules show after ``after`` (None: the pages are done)."""
    ids = [p.id for p in m.pages]
    later = ids[ids.index(after) + 1 :] if after in ids else ids
    return next((p for p in later if p in out.pages), None)


class LastOutcomes:
    """Per draft, the evaluation of the answers it was last saved with by an answer change.

    Why: an answer change evaluates the matter twice, before and after the change, to send
    only the fragments that changed. "Before" is exactly the previous change's "after" as long
    as the draft still holds the answers that change saved, so it is kept here with the stored
    text of those answers and reused when the draft's stored text (``Draft.answers_text``, as
    read from the database: no encoding) is the same, for the same compiled matter and
    evaluation context. Any other save (a page post, another worker) changes the text and the
    entry is simply not used. Only visibility, requirement, rules, materials and pages are
    read from it (its errors are those of the fields the change drew, or none). Bounded,
    oldest first.
    """

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.entries: dict[str, tuple[CompiledMatter, Context, str, Outcome]] = {}
        #: per draft, (text, answers) an answer change saved: the next change of the draft
        #: opens it without decoding the same text again (``Drafts.get(known=)``); the answers
        #: are never changed in place (each change edits a copy)
        self.saved: dict[str, tuple[str, dict[str, Any]]] = {}

    def known(self, draft_id: str) -> tuple[str, dict[str, Any]] | None:
        return self.saved.get(draft_id)

    def get(self, draft: Any, m: CompiledMatter, ctx: Context) -> Outcome | None:
        entry = self.entries.get(draft.id)
        if entry is None or entry[0] is not m or entry[1] != ctx:
            return None
        text = getattr(draft, "answers_text", "") or encode_answers(draft.answers)
        return entry[3] if entry[2] == text else None

    def put(
        self,
        draft_id: str,
        m: CompiledMatter,
        ctx: Context,
        text: str,
        out: Outcome,
        answers: dict[str, Any] | None = None,
    ) -> None:
        """``text``: the answers ``out`` evaluated, as saved (``encode_answers``); ``answers``:
        those answers, kept for ``known`` (only an answer change passes them)."""
        self.entries.pop(draft_id, None)
        self.saved.pop(draft_id, None)
        if len(self.entries) >= self.size:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                oldest = next(iter(self.entries))
                del self.entries[oldest]
                self.saved.pop(oldest, None)
        self.entries[draft_id] = (m, ctx, text, out)
        if answers is not None:
            self.saved[draft_id] = (text, answers)


def last_outcomes(services: Services) -> LastOutcomes:
    """The app's memo of last outcomes (one per Services)."""
    memo = services.cache.get("last_outcomes")
    if memo is None:
        memo = services.cache["last_outcomes"] = LastOutcomes()
    return memo
