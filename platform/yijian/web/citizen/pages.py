"""Rendering one form page (full page or htmx fragments) from a draft and an evaluation.

Shared by the page GET/POST handlers, the live-change handler and submission, so the page a
citizen sees without JavaScript and the fragments htmx swaps come from the same views and the
same templates.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.apply import evaluation
from yijian.apply.checklist import items
from yijian.apply.deadend import alternatives
from yijian.apply.evaluation import LastOutcomes
from yijian.apply.materials import TITLE as UPLOAD_TITLE
from yijian.apply.materials import UPLOAD_PAGE, has_step, uploaded
from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, is_empty
from yijian.runtime.evaluate import Context, Outcome
from yijian.web.citizen import questions
from yijian.web.explainview import explained, reasons
from yijian.web.fieldview import FieldView, ViewBuilder, dom_id
from yijian.web.offload import services_of

log = logging.getLogger("yijian.web")


def context_of(request: Request) -> Context:
    return services_of(request).context()


def outcome(
    request: Request,
    m: CompiledMatter,
    answers: dict[str, Any],
    validate: bool | set[str] = False,
    ctx: Context | None = None,
) -> Outcome:
    """``apply.evaluation.outcome`` with this app's services."""
    return evaluation.outcome(services_of(request), m, answers, validate, ctx)


def field_errors(
    request: Request,
    m: CompiledMatter,
    out: Outcome,
    ctx: Context,
    page_id: str,
    fields: list[FieldSpec],
) -> dict[str, str]:
    return evaluation.field_errors(m, out, ctx, page_id, fields)


def builder(
    request: Request,
    m: CompiledMatter,
    draft_id: str,
    page: PageSpec,
    answers: dict[str, Any],
    out: Outcome,
    errors: dict[str, str],
) -> ViewBuilder:
    return ViewBuilder(
        m,
        draft_id,
        page.id,
        answers,
        out.visible,
        out.required,
        errors,
        request.app.state.regions,
        out.data,
    )


def revealed_questions(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    page: PageSpec,
    answers: dict[str, Any],
    errors: dict[str, str],
    rendered: set[str],
) -> set[str]:
    """Keys among ``errors`` that are questions this very post revealed, still unanswered.

    Why: without JavaScript a follow-up question (开户银行 once a bank card is typed) appears
    only after the page is posted, and "继续" validates it at once: the citizen would meet a
    question first as "请填写开户银行" though they never saw it. Such a message is left out and
    the page comes back with the new question. A key qualifies only if the citizen could not
    have seen it: not rendered on the page they posted (no ``_f`` marker in ``rendered``) and
    not shown by the rules for the draft's answers before this post (``draft.answers``; with
    JavaScript the change endpoint already saved the answer that reveals it, so it counts as
    seen). Only "required but empty" counts: any other message about it is a real error.
    """
    candidates = {
        f.key
        for f in page.fields
        if f.key
        and f.key in errors
        and f.key not in rendered
        and (
            is_empty(value := get(answers, f.key))
            or (f.type == FieldType.declaration and value in (False, "false"))
        )
    }
    if not candidates:
        return set()
    last: LastOutcomes | None = getattr(request.app.state, "last_outcomes", None)
    before = (last.get(draft, m, context_of(request)) if last is not None else None) or outcome(
        request, m, draft.answers
    )
    return {k for k in candidates if k not in before.visible}


def summary_items(
    page: PageSpec | None, views: list[FieldView], errors: dict[str, str]
) -> list[dict[str, str]]:
    """Error summary in page order, each linking to its field (rows: to the row's input)."""
    items = []
    for fv in views:
        if fv.name in errors:
            items.append({"href": "#" + fv.anchor, "text": errors[fv.name]})
        for row in fv.rows:
            for child in row:
                if child.name in errors:
                    items.append({"href": "#" + child.anchor, "text": errors[child.name]})
    known = {i["href"] for i in items}
    for key, msg in errors.items():  # anything else still gets listed, never lost
        href = "#" + dom_id(key)
        if href not in known and not any(i["text"] == msg for i in items):
            items.append({"href": href, "text": msg})
    return items


def banner(
    out: Outcome, m: CompiledMatter | None = None, regions: Any = None
) -> dict[str, Any] | None:
    """The live eligibility banner: failing rules' own messages and, for a 一件事, every chosen
    matter with whether it qualifies (a citizen learns at once which matters go ahead).
    Refused, ``instead`` lists the members still open to apply for singly
    (``apply.deadend``; ``[]`` for a matter): the theme says what to do instead.

    With ``m``, each message carries why (``why``, aligned with ``messages``): the failed
    conditions with the citizen's answers, linking to the questions (``web.explainview``)."""
    failing = [r for r in out.rules if r.passed is False]
    text = {r.spec.id: r.text for r in failing}
    why = {k: reasons(e) for k, e in explained(m, out, regions).items()} if failing else {}
    rows = []
    for info in ((out.extra or {}).get("members") or {}).values():
        if not info.get("selected"):
            continue
        ids = [f["id"] for f in info.get("failing", [])]
        texts = [text.get(f["id"], f["message"]) for f in info.get("failing", [])]
        rows.append(
            {
                "name": info["name"],
                "ok": bool(info.get("eligible", True)),
                "going": bool(info.get("included")),
                "messages": texts,
                "why": [why.get(i, []) for i in ids],
            }
        )
    # with member rows, the list above them holds only the bundle's own rules
    shown = [r for r in failing if not (rows and r.spec.matter)]
    messages = [r.text for r in shown]
    if not failing and not rows:
        return None
    instead = None  # refused: what the person can do instead (the theme's `instead` macro)
    if not out.eligible:
        kind, title = "error", "根据您填写的信息，暂不符合申请条件"
        instead = [{"name": n, "href": f"/matters/{mid}"} for mid, n in alternatives(m, out)]
    elif failing:
        kind = "warning"
        title = "部分事项暂不符合条件，其余事项可以继续办理" if rows else "请注意"
    else:
        kind, title = "info", "您将一并办理以下事项"
    return {
        "kind": kind,
        "title": title,
        "messages": messages,
        "members": rows,
        "why": [why.get(r.spec.id, []) for r in shown],
        "instead": instead,
    }


def checklist(
    request: Request,
    m: CompiledMatter,
    out: Outcome,
    answers: dict[str, Any],
    files: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The material checklist (``apply.checklist.items``) with this app's definitions."""
    return items(services_of(request), m, out, answers, files)


def materials_panel(
    request: Request,
    m: CompiledMatter,
    out: Outcome,
    answers: dict[str, Any],
    draft_id: str,
    files: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The checklist with the draft's uploads when the upload step is needed (``files``: the
    caller read them already; otherwise read here, only then)."""
    if not has_step(m, out):
        return checklist(request, m, out, answers, None)
    if files is None:
        files = uploaded(request.app.state.store, draft_id)
    return checklist(request, m, out, answers, files)


def progress(
    m: CompiledMatter, out: Outcome, page_id: str | None, done: list[bool] | None = None
) -> dict[str, Any]:
    """The step indicator: shown pages, the upload step when it is needed, then 核对并提交.

    ``done`` (one flag per step before the current one) marks which steps are really complete;
    without it every earlier step counts as done (the citizen has just come through them).
    """
    titles = {p.id: p.title for p in m.pages}
    labels = [titles[p] for p in out.pages]
    if has_step(m, out):
        labels.append(UPLOAD_TITLE)
    labels.append("核对并提交")
    if page_id in out.pages:
        current = out.pages.index(page_id) + 1
    elif page_id == UPLOAD_PAGE:
        current = len(out.pages) + 1
    else:
        current = len(labels)
    # "question": 第 N 题，共 M 题 when the elder theme shows this page one question at a time
    return {
        "current": current,
        "total": len(labels),
        "labels": labels,
        "done": done,
        "question": None,
    }


def has_files(page: PageSpec) -> bool:
    """The page posts files (multipart)."""
    return any(
        f.type == FieldType.file or any(c.type == FieldType.file for c in f.children)
        for f in page.fields
    )


def back_link(
    request: Request,
    m: CompiledMatter,
    draft_id: str,
    page: PageSpec,
    out: Outcome,
    answers: dict[str, Any],
    screen: questions.Screen | None,
    back_to_review: bool,
) -> str:
    """返回: check-your-answers when come from there, else the question or page before."""
    if back_to_review:
        return f"/drafts/{draft_id}/review"
    if screen is not None and screen.index > 0:
        return questions.url(draft_id, page.id, screen.index - 1)
    pages = out.pages
    i = pages.index(page.id) if page.id in pages else 0
    if i == 0:
        return f"/matters/{m.id}"
    return questions.page_url(request, m, draft_id, pages[i - 1], out, answers, last=True)


def render_page(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    page: PageSpec,
    answers: dict[str, Any],
    out: Outcome,
    errors: dict[str, str],
    notice: Any = None,
    back_to_review: bool = False,
    revealed: bool = False,
    screen: questions.Screen | None = None,
    files: dict[str, Any] | None = None,
    unsaved: bool = False,
) -> Response:
    """The page; ``unsaved``: the store refused this post, the page says so above what was
    typed (web/citizen/saving.py). ``revealed``: the answers just posted revealed new
    questions to answer here (the page says so in one line, instead of flagging them as
    errors). ``screen``: only that question (长辈版, web/questions.py); 返回 then leads to
    the question before it."""
    b = builder(request, m, draft.id, page, answers, out, errors)
    views = [b.view(f) for f in (screen.fields if screen else page.fields)]
    back = back_link(request, m, draft.id, page, out, answers, screen, back_to_review)
    steps = progress(m, out, page.id)
    heading_in_field = False  # 长辈版: the question's label is the page's <h1>
    if screen is not None:
        steps["question"] = screen.counter()
        asked = next((v for v in views if v.name == screen.question.key), None)
        heading_in_field = asked is not None and asked.as_page_heading()
    context = {
        "m": m,
        "draft": draft,
        "page": page,
        "views": views,
        "errors": summary_items(page, views, errors),
        "banner": banner(out, m, request.app.state.regions),
        "materials": materials_panel(request, m, out, answers, draft.id, files),
        "progress": steps,
        "screen": screen,
        "heading_in_field": heading_in_field,
        "notice": notice,
        "revealed": revealed,
        "unsaved": unsaved,
        "back": back,
        "return_review": back_to_review,
        "multipart": has_files(page),
        "title": page.title,
    }
    return request.app.state.templates.render(
        request, "form/page.html", context, headers={"cache-control": "no-store"}
    )
