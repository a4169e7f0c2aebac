"""One answer changed while the citizen types (the htmx change): save it, judge what changed.

The web parses the posted value (``web.formstate``) and draws fragments; everything between is
here, so a clerk's 帮办代办 screen or a test changes an answer the same way. The answers are
saved before anything is judged: a value that fails its checks is kept, never lost.

Two evaluations, before and after: only the fields whose visibility or requirement flipped,
the banner when a rule flipped, the checklist when the materials changed and the progress line
when the pages changed are drawn again. "Before" is the previous change's "after" when the
draft still holds the text that change saved (``evaluation.LastOutcomes``), so a run of
changes evaluates once each.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from yijian.apply import prefill
from yijian.apply.answering import repeat_action
from yijian.apply.errors import NotFound
from yijian.apply.evaluation import field_errors, last_outcomes, outcome
from yijian.apply.materials import has_step
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, put
from yijian.runtime.evaluate import Context, Outcome, copy_answers
from yijian.store.drafts import encode_answers


@dataclass(frozen=True)
class Target:
    """What a posted name points at: a top-level field, or one child of one repeat row."""

    spec: FieldSpec
    child: FieldSpec | None = None
    row: int = -1

    @property
    def shown(self) -> FieldSpec:
        """The field whose input the citizen edited."""
        return self.child or self.spec


def target_of(page: PageSpec, name: str) -> Target:
    """The field a posted name (``key`` or ``repeat.N.child``) names on ``page``; a file field
    changes through its own upload, never here."""
    for f in page.fields:
        if f.key == name and f.type != FieldType.file:
            return Target(f)
        if f.type == FieldType.repeat and name.startswith(f.key + "."):
            index, _, child_key = name[len(f.key) + 1 :].partition(".")
            child = next((c for c in f.children if c.key == child_key), None)
            if index.isdigit() and child is not None:
                return Target(f, child, int(index))
    raise NotFound()


def _rule_state(out: Outcome) -> list[tuple[Any, ...]]:
    """What the banner shows of the rules: each rule's verdict; for a failing one also its
    message, the values it read and the pages shown (its reasons cite 第 N 页)."""
    return [
        (r.spec.id, r.passed)
        if r.passed is not False
        else (
            r.spec.id,
            r.passed,
            r.message,
            [get(out.data, k) for k in r.spec.when.reads],
            out.pages,
        )
        for r in out.rules
    ]


@dataclass(frozen=True)
class Changed:
    """The answers as saved, and the evaluations before and after the change."""

    answers: dict[str, Any]
    before: Outcome
    after: Outcome
    ctx: Context

    @property
    def rules_changed(self) -> bool:
        """A rule passes or fails otherwise, or a failing rule's message or the values it read
        changed (the banner words them: its explanation shows the citizen's answer)."""
        return _rule_state(self.before) != _rule_state(self.after)

    @property
    def materials_changed(self) -> bool:
        return [x.material.id for x in self.before.materials] != [
            x.material.id for x in self.after.materials
        ]

    def pages_changed(self, m: CompiledMatter) -> bool:
        """The step list differs: other pages shown, or the upload step came or went."""
        before, after = self.before, self.after
        return before.pages != after.pages or has_step(m, before) != has_step(m, after)

    def toggled(
        self, page: PageSpec, edited: FieldSpec, among: Container[str] | None = None
    ) -> list[FieldSpec]:
        """The page's other fields whose visibility or requirement flipped (``among``: only
        these keys, the fields of the screen on show in 长辈版)."""
        b, a = self.before, self.after
        flipped = (b.visible ^ a.visible) | (b.required ^ a.required)  # sets: a few C loops
        if not flipped:
            return []
        return [
            f
            for f in page.fields
            if f.key in flipped and f is not edited and (among is None or f.key in among)
        ]


@dataclass(frozen=True)
class Edit:
    """The answers with the change made, not yet saved, and the evaluation before it."""

    answers: dict[str, Any]
    text: str  # ``encode_answers(answers)``: what the save stores and the memo recognises
    before: Outcome
    ctx: Context


def edit_answer(
    services: Services,
    draft: Any,
    m: CompiledMatter,
    page: PageSpec,
    target: Target,
    value: Any,
    action: str = "",
) -> Edit:
    """Put ``value`` (parsed; for a whole repeat group its rows) where ``target`` says and run
    a repeat ``action`` if any. Pure but for the memo: the caller saves ``Edit.answers``."""
    ctx = services.context()
    before = last_outcomes(services).get(draft, m, ctx) or outcome(
        services, m, draft.answers, ctx=ctx
    )
    answers = copy_answers(draft.answers)
    if target.child is None:
        put(answers, target.spec.key, value)
        if action and target.spec.type == FieldType.repeat:
            repeat_action(m, page, answers, action)
    else:
        rows = get(answers, target.spec.key)
        if isinstance(rows, list) and target.row < len(rows) and isinstance(rows[target.row], dict):
            put(rows[target.row], target.child.key, value)
    prefill.enforce(m, answers)  # a read-only account value stays what the account says
    return Edit(answers, encode_answers(answers), before, ctx)


def judge(services: Services, draft: Any, m: CompiledMatter, edit: Edit) -> Changed:
    """Evaluate the saved edit; remember it as the next change's "before"."""
    after = outcome(services, m, edit.answers, ctx=edit.ctx)
    last_outcomes(services).put(draft.id, m, edit.ctx, edit.text, after, edit.answers)
    return Changed(edit.answers, edit.before, after, edit.ctx)


def change_answer(
    services: Services,
    draft: Any,
    m: CompiledMatter,
    page: PageSpec,
    target: Target,
    value: Any,
    action: str = "",
) -> Changed:
    """Edit, save (before anything is judged), judge: the whole change in one call. The web
    runs the same three steps with the save on its store thread (``web.offload.in_store``)."""
    edit = edit_answer(services, draft, m, page, target, value, action)
    services.store.drafts.save(draft.id, edit.answers, page.id, text=edit.text)
    return judge(services, draft, m, edit)


def messages(
    m: CompiledMatter, changed: Changed, page: PageSpec, fields: list[FieldSpec]
) -> dict[str, str]:
    """The page validation's messages for the fields about to be drawn again."""
    return field_errors(m, changed.after, changed.ctx, page.id, fields)
