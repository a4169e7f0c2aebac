"""长辈版: one question per screen (GOV.UK's "one thing per page") on pages with several questions.

Why: older citizens (and anyone on a small phone with large type) lose their place on a long
page of questions; one question at a time, with "第 3 题，共 9 题", is the pattern that helps them
most. The standard theme keeps whole pages, so this is decided per request from the theme cookie
and touches nothing but which fields a page shows: the same field views, templates, messages
and field cache (``FieldCache``) serve both.

A *screen* is one answerable question (a visible field with a key that is not an info text and
not a read-only account value), preceded by the info texts and read-only values just before it
(texts after the last question join the last screen). A repeat group is one question. Hidden
questions are on no screen: once an answer shows them they get a screen of their own, right
after the question that revealed them. Screens are recomputed from each evaluation, so ``?q=N``
(N = index among the page's visible answerable fields) is only a place in the current sequence;
the form also posts the question's key (``_q``), which says exactly what was on the screen.

Pure functions of a page and an evaluation: the request handlers (``forms.py``), the page
renderer (``pages.py``), check-your-answers and the upload step call them.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from yijian.apply.prefill import locked
from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.defs.form import FieldType
from yijian.extend import THEMES
from yijian.runtime.answers import get, is_empty
from yijian.runtime.evaluate import Outcome

ASKED = "_q"  # hidden input: the key of the question a screen showed


@dataclass(frozen=True)
class Screen:
    index: int  # among the page's visible answerable fields: the ``?q=`` of the URL
    total: int
    question: FieldSpec
    fields: tuple[FieldSpec, ...]  # info texts and read-only values before it, then it

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def keys(self) -> set[str]:
        return {f.key for f in self.fields if f.key}

    def counter(self) -> dict[str, int]:
        """For the progress line: 第 {current} 题，共 {total} 题."""
        return {"current": self.index + 1, "total": self.total}


def wanted(request: Request) -> bool:
    """One question per screen where the chosen theme presents pages so (长辈版)."""
    theme = THEMES.plugins().get(request.app.state.templates.theme_of(request))
    return bool(getattr(theme, "one_question_per_screen", False))


def screens(page: PageSpec, out: Outcome, fixed: Container[str]) -> list[Screen]:
    """The page's screens for this evaluation; empty when it has one question or none (then
    the page is shown whole, as in the standard theme). ``fixed``: read-only keys
    (``prefill.locked``), shown beside a question rather than as one."""
    groups: list[tuple[FieldSpec, tuple[FieldSpec, ...]]] = []
    pending: list[FieldSpec] = []
    for f in page.fields:
        if f.key and f.key not in out.visible:
            continue  # hidden: on no screen until an answer shows it
        if f.key and f.type != FieldType.info and f.key not in fixed:
            groups.append((f, (*pending, f)))
            pending = []
        else:
            pending.append(f)
    if len(groups) <= 1:
        return []
    if pending:  # texts after the last question stay with it
        last, fields = groups[-1]
        groups[-1] = (last, (*fields, *pending))
    return [Screen(i, len(groups), q, fields) for i, (q, fields) in enumerate(groups)]


def screens_for(
    request: Request, m: CompiledMatter, page: PageSpec, out: Outcome, answers: dict[str, Any]
) -> list[Screen]:
    """``screens`` when the citizen uses the elder theme, else none (the page stays whole)."""
    return screens(page, out, locked(m, answers)) if wanted(request) else []


def find(found: list[Screen], key: str) -> Screen | None:
    return next((s for s in found if s.key == key), None)


def chosen(found: list[Screen], q: str | None) -> Screen | None:
    """The screen ``?q=`` names; None for a missing, odd or out-of-range index."""
    if q is None or not q.isdigit() or len(q) > 4:
        return None
    index = int(q)
    return found[index] if index < len(found) else None


def _under(key: str, keys: set[str]) -> bool:
    return key in keys or any(key.startswith(k + ".") for k in keys)


def errors_of(screen: Screen, errors: dict[str, str], page: PageSpec) -> dict[str, str]:
    """The messages this screen answers for: its fields' (rows included), and on the last
    screen any message about no field of the page, so that nothing blocks unseen."""
    mine = screen.keys
    everything = {f.key for f in page.fields if f.key}
    last = screen.index == screen.total - 1
    return {
        k: msg
        for k, msg in errors.items()
        if _under(k, mine) or (last and not _under(k, everything))
    }


def unanswered(screen: Screen, answers: dict[str, Any]) -> bool:
    q = screen.question
    value = get(answers, q.key)
    return is_empty(value) or (q.type == FieldType.declaration and value in (False, "false"))


def first_open(
    found: list[Screen],
    answers: dict[str, Any],
    errors: dict[str, str],
    page: PageSpec,
    only_errors: bool = False,
) -> int:
    """Where a page opened without ``?q=`` starts: the first question not yet answered (or
    answered with a message); ``only_errors``: the first with a message (after a refused
    submission). Everything answered: the first question."""
    for s in found:
        if errors_of(s, errors, page) or (not only_errors and unanswered(s, answers)):
            return s.index
    return 0


def next_index(
    found: list[Screen],
    screen: Screen,
    errors: dict[str, str],
    page: PageSpec,
    back_to_review: bool,
) -> int | None:
    """The screen after ``screen``; None: the page is done. Coming from check-your-answers,
    only a later question that still needs an answer (one the change revealed) is shown."""
    later = found[screen.index + 1 :]
    if back_to_review:
        return next((s.index for s in later if errors_of(s, errors, page)), None)
    return later[0].index if later else None


def url(
    draft_id: str,
    page_id: str,
    index: int | None,
    back_to_review: bool = False,
    check: bool = False,
) -> str:
    params = [f"q={index}"] if index is not None else []
    params += ["check=1"] if check else []
    params += ["return=review"] if back_to_review else []
    return f"/drafts/{draft_id}/{page_id}" + ("?" + "&".join(params) if params else "")


def page_url(
    request: Request,
    m: CompiledMatter,
    draft_id: str,
    page_id: str,
    out: Outcome,
    answers: dict[str, Any],
    last: bool = False,
) -> str:
    """A link to a page (or the upload step, or review): in the elder theme to its first
    question, or its ``last`` one for 返回, so no question is skipped either way."""
    page = next((p for p in m.pages if p.id == page_id), None)
    found = screens_for(request, m, page, out, answers) if page is not None else []
    if not found:
        return f"/drafts/{draft_id}/{page_id}"
    return url(draft_id, page_id, found[-1].index if last else 0)


def holding(found: list[Screen], key: str) -> Screen | None:
    """The screen among ``found`` that shows the question ``key``."""
    return next((s for s in found if key in s.keys), None)


def counter_after(
    request: Request,
    m: CompiledMatter,
    page: PageSpec,
    out: Outcome,
    answers: dict[str, Any],
    here: Screen | None,
) -> dict[str, int] | None:
    """第 N 题，共 M 题 for the screen ``here`` once an answer changed the page's screens."""
    if here is None:
        return None
    now = find(screens_for(request, m, page, out, answers), here.key)
    return now.counter() if now else None
