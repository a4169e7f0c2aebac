"""The form runtime: start a draft, one page at a time, live changes (htmx), without JS alike.

Every post saves what was typed before anything else happens, so nothing is lost, even values
that do not pass their checks. "继续" validates the page (errors: the page again with a
summary; success: the next page the rules show). Buttons named ``_action`` add or remove
repeat rows, refresh the region picker, remove an upload or save for later; the same actions
arrive as ``?action=`` on the htmx change endpoint, which answers with fragments only.

In the elder theme a page with several questions is shown one question per screen
(``?q=N``, web/questions.py): its form posts that question alone (``_q``), which is saved,
validated alone, and followed by the next question, then by the next page as usual.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from yijian.apply import drafts, prefill
from yijian.apply.change import Changed, Target, edit_answer, judge, target_of
from yijian.apply.change import messages as change_messages
from yijian.apply.deadend import PAGE as CANNOT_PAGE
from yijian.apply.deadend import known as refusal_known
from yijian.apply.evaluation import last_outcomes, next_page, page_of
from yijian.apply.materials import UPLOAD_PAGE, after_pages, has_step, uploaded
from yijian.compiled.matter import CompiledMatter, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.evaluate import Outcome
from yijian.store.drafts import encode_answers
from yijian.web.auth import current_user
from yijian.web.citizen import questions
from yijian.web.citizen.drafts import remember, remembered
from yijian.web.citizen.pages import (
    banner,
    builder,
    context_of,
    materials_panel,
    outcome,
    progress,
    render_page,
    revealed_questions,
)
from yijian.web.citizen.saving import NotSaved, Posted, not_saved_page, save_once, save_post
from yijian.web.citizen.upload_page import uploads_get, uploads_post
from yijian.web.failures import RETRY_AFTER_S, limited, max_body, store_failed
from yijian.web.fastform import small_urlencoded
from yijian.web.fieldview import shown_errors
from yijian.web.formstate import parse_field, parse_rows
from yijian.web.offload import autosave, in_store, run, services_of
from yijian.web.redirects import see_other
from yijian.web.templating import PageCache

NO_STORE = {"cache-control": "no-store"}

#: under a field whose live change the store refused (the page post will try again)
CHANGE_NOT_SAVED = "这项回答暂时没有保存，请稍后重试，或点击页面下方的按钮再次保存"
#: sent by yijian.js with an answer posted while the person is still typing (keyup) or still
#: choosing a region level, when the field shows no message yet: none is added until they
#: leave the field or submit (issue 15: no "号码不正确" after the first six digits)
TYPING_HEADER = "yj-typing"


async def apply_start(request: Request) -> Response:
    """POST /apply/{id}: a draft pinned to the current version, then its first page."""
    user = current_user(request)
    matter_id = request.path_params["matter_id"]
    new = await run(request, drafts.start, services_of(request), matter_id, user)
    first = questions.page_url(
        request, new.matter, new.draft_id, new.first_page, new.out, new.answers
    )
    response = see_other(first)
    if user is None:
        remember(request, response, new.draft_id)
    return response


async def apply_get(request: Request) -> Response:
    """A start link followed without the button: show the guide (its button posts)."""
    return see_other(f"/matters/{request.path_params['matter_id']}#start")


def open_form(
    request: Request, known: tuple[str, dict[str, Any]] | None = None
) -> tuple[Any, Any, CompiledMatter]:
    """The draft, its user and pinned matter (``apply.drafts.open_for_form``; ``known``: the
    answers an answer change last saved, see ``Drafts.get``); in a worker."""
    user = current_user(request)
    draft_id = request.path_params["draft_id"]
    services = services_of(request)
    draft, m = drafts.open_for_form(services, draft_id, user, remembered(request), known)
    return draft, user, m


async def draft_home(request: Request) -> Response:
    return await run(request, _draft_home, request)


def _draft_home(request: Request) -> Response:
    draft, _, m = open_form(request)
    out = outcome(request, m, draft.answers)
    page = draft.page if draft.page in out.pages or draft.page == "review" else None
    if draft.page == UPLOAD_PAGE and has_step(m, out):
        page = UPLOAD_PAGE
    return see_other(f"/drafts/{draft.id}/{page or (out.pages[0] if out.pages else 'review')}")


async def page_get(request: Request) -> Response:
    """A form page. Like the answer change, the page is drawn on the event loop; only the
    store calls go to the store thread (``offload.in_store``)."""
    if request.path_params["page_id"] == UPLOAD_PAGE:
        return await run(request, _uploads_get, request)
    draft, user, m = await in_store(request, open_form, request)
    page = page_of(m, request.path_params["page_id"])
    cache: PageCache | None = request.app.state.templates.page_cache
    key = page_key(request, draft, user, m, page) if cache is not None else None
    if key is not None and (hit := cache.get(key, m)) is not None:  # type: ignore[union-attr]
        shown, body = hit
        if shown is None or shown == repr(
            await in_store(request, uploaded, request.app.state.store, draft.id)
        ):
            return HTMLResponse(PageCache.body(body, draft.id), headers=NO_STORE)
    check = request.query_params.get("check") == "1"
    last = None if check else last_outcomes(services_of(request)).get(draft, m, context_of(request))
    out = last or outcome(request, m, draft.answers, validate={page.id} if check else False)
    files = None
    if has_step(m, out):  # the checklist counts the upload step's files
        files = await in_store(request, uploaded, request.app.state.store, draft.id)
    notice = drafts.notice_of(draft)
    response = _page_view(request, draft, m, page, out, check, notice, files)
    if notice and response.status_code == 200:  # shown once: cleared when it was shown
        await in_store(request, drafts.take_notice, services_of(request), draft)
    elif key is not None and response.status_code == 200:
        shown_files = None if files is None else repr(files)
        cache.put(key, m, draft.id, shown_files, bytes(response.body))  # type: ignore[union-attr]
    return response


def page_key(
    request: Request, draft: Any, user: Any, m: CompiledMatter, page: PageSpec
) -> tuple[Any, ...] | None:
    """What a form page GET is drawn from (``templating.PageCache``), or None: not cached (a
    draft without its stored text, whose answers hold its own id, or with a change notice
    to show once)."""
    text = getattr(draft, "answers_text", "")
    if not text or draft.id in text or drafts.notice_of(draft) or draft.status != "open":
        return None
    return (
        request.app.state.templates.theme_of(request),
        id(m),
        context_of(request),
        page.id,
        request.scope.get("query_string", b""),
        user.id if user is not None else None,
        text,
    )


def _uploads_get(request: Request) -> Response:
    draft, _, m = open_form(request)
    return uploads_get(request, draft, m)


def _page_view(
    request: Request,
    draft: Any,
    m: CompiledMatter,
    page: PageSpec,
    out: Outcome,
    check: bool,
    notice: Any,
    files: dict[str, Any] | None,
) -> Response:
    if page.id not in out.pages:  # hidden by the rules: go on to the next one shown
        nxt = next_page(m, out, page.id) or after_pages(m, out)
        return see_other(f"/drafts/{draft.id}/{nxt}")
    back_to_review = request.query_params.get("return") == "review"
    found = questions.screens_for(request, m, page, out, draft.answers)
    screen = questions.chosen(found, request.query_params.get("q")) if found else None
    at = questions.holding(found, request.query_params.get("at", "")[:200]) if found else None
    if screen is None and at is not None:  # ?at=<key>: a reason's link to its question (长辈版)
        return see_other(questions.url(draft.id, page.id, at.index, back_to_review, check))
    if found and screen is None:  # no (or a stale) ?q=: the first question still to answer
        seen = out if check else outcome(request, m, draft.answers, validate={page.id})
        first = questions.first_open(found, draft.answers, seen.errors, page, only_errors=check)
        return see_other(questions.url(draft.id, page.id, first, back_to_review, check))
    errors = out.errors if check else {}
    return render_page(
        request,
        m,
        draft,
        page,
        draft.answers,
        out,
        questions.errors_of(screen, errors, page) if screen else errors,
        notice,
        back_to_review,
        screen=screen,
        files=files,
    )


async def page_post(request: Request) -> Response:
    """The post; its body is refused past ``max_upload_mb`` as it streams in (``limited``)."""
    body = limited(request, max_body(request))
    async with body.form(max_files=20, max_fields=3000) as form:  # closes spooled uploads
        return await run(request, _page_post, request, form)


def _page_post(request: Request, form: Any) -> Response:
    """The post, in a worker thread while the form (and its spooled uploads) is open."""
    draft, user, m = open_form(request)
    if request.path_params["page_id"] == UPLOAD_PAGE:
        return uploads_post(request, form, draft, user, m)
    page = page_of(m, request.path_params["page_id"])
    try:
        posted = save_post(request, form, draft, user, m, page, defer=True)
        if not posted.saved:  # a plain 继续: saved once below, with the page it leads to
            return _judge_page(request, m, draft, page, posted)
    except NotSaved as failed:  # the page again with what was typed: "not saved", 503
        return not_saved_page(request, m, draft, page, failed, form.get("_return") == "review")
    if posted.action == "save":
        return see_other(f"/drafts/{draft.id}/save")
    if posted.asked:
        shown = _screen_post(request, m, draft, page, posted)
        if shown is not None:
            return shown
    return _judge_page(request, m, draft, page, posted)


def _judge_page(
    request: Request, m: CompiledMatter, draft: Any, page: PageSpec, posted: Posted
) -> Response:
    """继续: the page again with its messages, or the next page the rules show.

    A post not saved yet (``posted.saved`` False) is saved here once, at this page or the next
    one; :class:`NotSaved` when the store refuses it."""
    answers, back_to_review = posted.answers, posted.back_to_review
    if posted.action != "continue":  # an in-page action: the page again, messages only for uploads
        out = outcome(request, m, answers)
        errors = posted.upload_errors
        return render_page(request, m, draft, page, answers, out, errors, None, back_to_review)
    ctx = context_of(request)
    out = outcome(request, m, answers, validate={page.id}, ctx=ctx)
    if refusal_known(m, out, page.id):  # refused by what is answered: say so now (issue 15)
        _save_deferred(request, draft, posted, page.id)
        return see_other(f"/drafts/{draft.id}/{CANNOT_PAGE}?from={page.id}")
    errors = {**out.errors, **posted.upload_errors}
    if errors and page.id in out.pages:
        _save_deferred(request, draft, posted, page.id)
        # a question this post revealed (no JS) comes back to be answered, not as an error
        new = revealed_questions(request, m, draft, page, answers, errors, posted.rendered)
        errors = {k: v for k, v in errors.items() if k not in new}
        return render_page(
            request, m, draft, page, answers, out, errors, None, back_to_review, bool(new)
        )
    nxt = "review" if back_to_review else (next_page(m, out, page.id) or after_pages(m, out))
    # the draft remembers the page still to fill, so 继续填写 (我的办件) opens it, not this one
    text = encode_answers(answers)
    if not posted.saved:  # the one save of this post
        save_once(request, draft, posted, nxt, text)
    else:  # the answers are already saved: a store refusing this second write costs only that
        try:
            request.app.state.store.drafts.save(draft.id, answers, nxt, text=text)
        except Exception as exc:
            if not store_failed(exc):
                raise
    # the GET this redirect leads to draws the same answers: it reuses this evaluation (the
    # memo compares the draft's stored text, so a save that did not happen is never trusted)
    last_outcomes(services_of(request)).put(draft.id, m, ctx, text, out)
    return see_other(questions.page_url(request, m, draft.id, nxt, out, answers))


def _save_deferred(request: Request, draft: Any, posted: Posted, page_id: str) -> None:
    if not posted.saved:
        save_once(request, draft, posted, page_id, encode_answers(posted.answers))


def _screen_post(
    request: Request, m: CompiledMatter, draft: Any, page: PageSpec, posted: Posted
) -> Response | None:
    """The answer to one question's screen (长辈版), already saved: validate it alone.

    Why alone: the other questions of the page are still to come on their own screens, so
    their "请填写…" must not stop this one. Its messages are the page's own (the same
    evaluation, filtered by ``questions.errors_of``), so both themes say the same thing. None:
    the page has one question left (the answer hid the rest), so it is a whole page again.
    """
    answers, action, back = posted.answers, posted.action, posted.back_to_review
    out = outcome(request, m, answers, validate={page.id} if action == "continue" else False)
    found = questions.screens(page, out, prefill.locked(m, answers))
    if not found:
        return None
    screen = questions.find(found, posted.asked)
    if screen is None:  # the question is hidden now: the page picks the question to show
        return see_other(questions.url(draft.id, page.id, None, back))
    if action != "continue":  # an in-page action: the question again, messages only for uploads
        errors = posted.upload_errors
        return render_page(request, m, draft, page, answers, out, errors, None, back, screen=screen)
    if page.id in out.pages:
        errors = {**questions.errors_of(screen, out.errors, page), **posted.upload_errors}
        if errors:
            return render_page(
                request, m, draft, page, answers, out, errors, None, back, screen=screen
            )
        asked = {k for s in found if s.index <= screen.index for k in s.keys}
        if refusal_known(m, out, page.id, asked):  # refused: say so now, not page by page
            return see_other(f"/drafts/{draft.id}/{CANNOT_PAGE}?from={page.id}")
        nxt = questions.next_index(found, screen, out.errors, page, back)
        if nxt is not None:  # a question this answer revealed comes next, on its own screen
            return see_other(questions.url(draft.id, page.id, nxt, back))
    if back:
        return see_other(f"/drafts/{draft.id}/review")
    nxt_page = next_page(m, out, page.id) or after_pages(m, out)
    return see_other(questions.page_url(request, m, draft.id, nxt_page, out, answers))


async def change(request: Request) -> Response:
    """htmx: save one answer, re-evaluate, return only the fragments that changed.

    The rules and fragments run here on the event loop; only reading the draft and saving it
    go to the store thread (``offload.in_store``: why, in its docstring)."""
    fields = await small_urlencoded(request)  # what htmx posts: read by a split of the body
    if fields is None:
        async with request.form(max_files=0, max_fields=3000) as form:
            fields = form  # multipart without files: nothing to close after
    known = last_outcomes(services_of(request)).known(request.path_params["draft_id"])
    draft, _, m = await in_store(request, open_form, request, known)
    page = page_of(m, request.path_params["page_id"])
    name = request.query_params.get("field", "")[:200]
    target = target_of(page, name)
    value = _posted_value(request, target, fields, name)
    action = request.query_params.get("action", "")[:200]
    services = services_of(request)
    edit = edit_answer(services, draft, m, page, target, value, action)
    saved = True
    try:
        await autosave(request, services.store.drafts, draft.id, edit.answers, page.id, edit.text)
    except HTTPException as exc:  # the store refused (offload: 503): say so at the field
        if exc.status_code != 503:
            raise
        saved = False
    done = judge(services, draft, m, edit)
    files = None
    if saved and done.materials_changed and has_step(m, done.after):  # the checklist counts
        files = await in_store(request, uploaded, request.app.state.store, draft.id)
    typing = request.headers.get(TYPING_HEADER) == "1"
    response = _fragments(request, draft, m, page, target, name, done, files, saved, typing)
    if not saved:  # htmx swaps a 503 too (base.html responseHandling): the message shows
        response.status_code = 503
        response.headers["retry-after"] = str(RETRY_AFTER_S)
    return response


def _posted_value(request: Request, target: Target, fields: Any, name: str) -> Any:
    regions = request.app.state.regions
    if target.child is not None:
        return parse_field(target.child, fields, name, regions)
    if target.spec.type == FieldType.repeat:
        return parse_rows(target.spec, fields, target.spec.key, regions)
    return parse_field(target.spec, fields, target.spec.key, regions)


def _fragments(
    request: Request,
    draft: Any,
    m: CompiledMatter,
    page: PageSpec,
    target: Target,
    name: str,
    done: Changed,
    files: dict[str, Any] | None,
    saved: bool = True,
    typing: bool = False,
) -> Response:
    """The edited field's messages, fields the answer showed, hid or made required, and the
    banner, checklist and progress line when they changed. 长辈版: only what is on this
    screen changes in place; a question the answer reveals waits for its own screen.
    ``typing``: the field is still being typed in and shows no message: it gets none yet."""
    spec = target.spec
    found = questions.screens_for(request, m, page, done.before, draft.answers)
    here = questions.holding(found, spec.key)
    redrawn = done.toggled(page, spec, (here.keys if here else set()) if found else None)
    question = questions.counter_after(request, m, page, done.after, done.answers, here)
    messages = change_messages(m, done, page, [spec, *redrawn])
    touched = spec.key if target.child is None else name
    errors = shown_errors(messages, done.answers, touched)
    if typing:
        errors.pop(touched, None)
    if not saved:  # the answer is on the screen but not in the store: the field says so
        errors[touched] = CHANGE_NOT_SAVED
    b = builder(request, m, draft.id, page, done.answers, done.after, errors)
    main = b.view(spec)
    if here is not None and spec.key == here.question.key:
        main.as_page_heading()  # the screen's <h1> stays the question after the swap
    if target.child is not None:
        main = next((v for r in main.rows for v in r if v.name == name), main)
    after = done.after  # below: the banner, checklist and progress line, when they changed
    moved = done.pages_changed(m) or (here is not None and question != here.counter())
    context = {
        "main": main,
        "oob": [b.view(f) for f in redrawn],
        **{
            "draft": draft,
            "m": m,
            "page": page,
            # drawn only when a rule changed (the stock template reads it only then)
            "banner": lambda: banner(after, m, request.app.state.regions),
        },
        "rules_changed": done.rules_changed,
        "materials": materials_panel(request, m, after, done.answers, draft.id, files)
        if done.materials_changed
        else None,
        "progress": {**progress(m, after, page.id), "question": question} if moved else None,
    }
    return HTMLResponse(request.app.state.templates.change_text(request, context), headers=NO_STORE)
