"""A page post saved in the right order, and said honestly when the store refuses it.

Why its own module: issue 13 found a page with an upload saved its answers only after the
upload step, so a refused upload lost what was typed, and a failed save answered 500 with
"您已填写的内容已保存". Here the typed answers are saved first; then the files; then the answers
again with the new files' references; and only then are files that nothing refers to any more
(removed, or replaced by a new upload) deleted. When a save fails, :class:`NotSaved` carries
what was typed, and the page comes back with it and a message that it was not saved (503).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.apply import prefill
from yijian.apply.answering import repeat_action
from yijian.compiled.matter import CompiledMatter, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, put
from yijian.runtime.evaluate import copy_answers
from yijian.web.citizen import questions
from yijian.web.citizen.pages import outcome, render_page
from yijian.web.citizen.uploads import take_uploads
from yijian.web.failures import RETRY_AFTER_S, store_failed
from yijian.web.formstate import apply_post, rendered_keys

log = logging.getLogger("yijian.web")


@dataclass(frozen=True)
class Posted:
    """A page post once its answers (and uploads) are saved: what the citizen asked for."""

    answers: dict[str, Any]
    upload_errors: dict[str, str]
    action: str  # continue, save, add:/remove: (repeat), remove-file:
    back_to_review: bool
    asked: str  # the question a 长辈版 screen showed, or ""
    rendered: set[str]  # keys the posted page drew (``_f`` markers)
    #: False: nothing is saved yet (``save_post(defer=True)``); the caller saves once, with the
    #: page it then knows the draft is at, through :func:`save_once`
    saved: bool = True


class NotSaved(Exception):
    """The store refused the answers: what was typed, to show again."""

    def __init__(self, answers: dict[str, Any], errors: dict[str, str]):
        super().__init__("answers not saved")
        self.answers = answers
        self.errors = errors


def save_post(
    request: Request,
    form: Any,
    draft: Any,
    user: Any,
    m: CompiledMatter,
    page: PageSpec,
    defer: bool = False,
) -> Posted:
    """Everything typed goes into the draft first, whatever its checks say; then uploads.

    ``defer``: a plain 继续 of a page without a file field (no upload to save around, no
    question screen) is not saved here: the caller evaluates it and saves it once with the
    page it leads to (:func:`save_once`), instead of saving it here and again with that page
    (each save encodes and writes the whole draft: for a 200-field draft, most of the cost of
    the post).
    """
    store = request.app.state.store
    answers = copy_answers(draft.answers)
    apply_post(page.fields, form, answers, request.app.state.regions)
    prefill.enforce(m, answers)  # a read-only account value stays what the account says
    action = str(form.get("_action") or "continue")[:200]
    files = [f for f in page.fields if f.type == FieldType.file]
    unused: list[str] = []  # file ids the answers no longer refer to, once saved
    if action.startswith("remove-file:"):
        key = action.split(":", 1)[1]
        if any(f.key == key for f in files):
            old = get(answers, key)
            if isinstance(old, dict) and isinstance(old.get("id"), str):
                unused.append(old["id"])
            put(answers, key, None)
    elif action.startswith(("add:", "remove:")):
        repeat_action(m, page, answers, action)
    asked = str(form.get(questions.ASKED) or "")[:200]  # posted from one question's screen
    back = form.get("_return") == "review"
    rendered = set(rendered_keys(form))
    if defer and not files and action == "continue" and not asked:
        return Posted(answers, {}, action, back, asked, rendered, saved=False)
    _save(store, draft.id, answers, page.id, {})
    materials = {ms.material.id: ms.material for ms in m.materials}
    owner = user.id if user else None
    taken = take_uploads(store, files, form, answers, materials, owner, draft.id)
    if taken.added:  # the answers now name the new files
        try:
            _save(store, draft.id, answers, page.id, taken.errors)
        except NotSaved:
            _forget(store, draft.id, taken.added)  # rows nothing refers to
            raise
    for file_id in [*unused, *taken.replaced]:
        _forget(store, draft.id, [file_id])
    return Posted(answers, taken.errors, action, back, asked, rendered)


def save_once(request: Request, draft: Any, posted: Posted, page_id: str, text: str) -> None:
    """The deferred save of ``posted`` (``text``: its answers encoded), the draft at
    ``page_id``; :class:`NotSaved` when the store refuses it, as ``save_post`` would."""
    _save(request.app.state.store, draft.id, posted.answers, page_id, {}, text)


def _save(
    store: Any,
    draft_id: str,
    answers: dict[str, Any],
    page_id: str,
    errors: dict,
    text: str | None = None,
) -> None:
    try:
        store.drafts.save(draft_id, answers, page_id, text=text)
    except Exception as exc:
        if store_failed(exc):
            raise NotSaved(answers, errors) from exc
        raise


def _forget(store: Any, draft_id: str, file_ids: list[str]) -> None:
    """Remove files nothing refers to; a store that refuses now leaves them for the purge."""
    for file_id in file_ids:
        try:
            store.files.remove(file_id, draft_id)
        except Exception as exc:
            if not store_failed(exc):
                raise
            log.warning("an unused upload could not be removed now: %s", type(exc).__name__)


def not_saved_page(
    request: Request, m: CompiledMatter, draft: Any, page: PageSpec, failed: NotSaved, back: bool
) -> Response:
    """The page again, with what was typed and the message that it was not saved (503)."""
    out = outcome(request, m, failed.answers)
    response = render_page(
        request, m, draft, page, failed.answers, out, failed.errors, None, back, unsaved=True
    )
    response.status_code = 503
    response.headers["retry-after"] = str(RETRY_AFTER_S)
    return response
