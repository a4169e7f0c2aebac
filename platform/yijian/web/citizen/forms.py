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
from starlette.responses import Response

from yijian.apply import drafts
from yijian.apply.answering import prefill, repeat_action
from yijian.apply.errors import NotFound
from yijian.apply.evaluation import LastOutcomes, next_page, page_of
from yijian.apply.materials import UPLOAD_PAGE, after_pages, has_step, uploaded
from yijian.compiled.matter import CompiledMatter, FieldSpec, PageSpec
from yijian.defs.form import FieldType
from yijian.runtime.answers import get, put
from yijian.runtime.evaluate import copy_answers
from yijian.store.drafts import encode_answers
from yijian.web.auth import current_user
from yijian.web.citizen import questions
from yijian.web.citizen.drafts import remember, remembered
from yijian.web.citizen.pages import (
    builder,
    context_of,
    field_errors,
    outcome,
    render_page,
    revealed_questions,
)
from yijian.web.citizen.upload_page import uploads_get, uploads_post
from yijian.web.citizen.uploads import take_uploads
from yijian.web.fieldview import shown_errors
from yijian.web.formstate import apply_post, parse_field, parse_rows, rendered_keys
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other


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


def open_form(request: Request) -> tuple[Any, Any, CompiledMatter]:
    """The draft, its user and pinned matter (``apply.drafts.open_for_form``); in a worker."""
    user = current_user(request)
    draft_id = request.path_params["draft_id"]
    draft, m = drafts.open_for_form(services_of(request), draft_id, user, remembered(request))
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
    return await run(request, _page_get, request)


def _page_get(request: Request) -> Response:
    draft, _, m = open_form(request)
    if request.path_params["page_id"] == UPLOAD_PAGE:
        return uploads_get(request, draft, m)
    page = page_of(m, request.path_params["page_id"])
    check = request.query_params.get("check") == "1"
    out = outcome(request, m, draft.answers, validate={page.id} if check else False)
    if page.id not in out.pages:  # hidden by the rules: go on to the next one shown
        nxt = next_page(m, out, page.id) or after_pages(m, out)
        return see_other(f"/drafts/{draft.id}/{nxt}")
    back_to_review = request.query_params.get("return") == "review"
    found = questions.screens_for(request, m, page, out, draft.answers)
    screen = questions.chosen(found, request.query_params.get("q")) if found else None
    if found and screen is None:  # no (or a stale) ?q=: the first question still to answer
        seen = out if check else outcome(request, m, draft.answers, validate={page.id})
        first = questions.first_open(found, draft.answers, seen.errors, page, only_errors=check)
        return see_other(questions.url(draft.id, page.id, first, back_to_review, check))
    notice = drafts.take_notice(services_of(request), draft)
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
    )


async def page_post(request: Request) -> Response:
    limit = request.app.state.settings.max_upload_mb * 1024 * 1024
    if int(request.headers.get("content-length") or 0) > limit:
        raise HTTPException(413, "上传的内容太大")
    async with request.form(max_files=20, max_fields=3000) as form:  # closes spooled uploads
        return await run(request, _page_post, request, form)


def _page_post(request: Request, form: Any) -> Response:
    """The post, in a worker thread while the form (and its spooled uploads) is open."""
    draft, user, m = open_form(request)
    if request.path_params["page_id"] == UPLOAD_PAGE:
        return uploads_post(request, form, draft, user, m)
    page = page_of(m, request.path_params["page_id"])
    answers = copy_answers(draft.answers)
    files = [f for f in page.fields if f.type == FieldType.file]
    apply_post(page.fields, form, answers, request.app.state.regions)
    rendered = set(rendered_keys(form))
    materials = {ms.material.id: ms.material for ms in m.materials}
    owner = user.id if user else None
    upload_errors = take_uploads(
        request.app.state.store, files, form, answers, materials, owner, draft.id
    )
    action = str(form.get("_action") or "continue")[:200]
    back_to_review = form.get("_return") == "review"
    asked = str(form.get(questions.ASKED) or "")[:200]  # posted from one question's screen
    prefill.enforce(m, answers)  # a read-only account value stays what the account says
    if action.startswith("remove-file:"):
        key = action.split(":", 1)[1]
        if any(f.key == key for f in files):
            old = get(answers, key)
            if isinstance(old, dict) and isinstance(old.get("id"), str):
                request.app.state.store.files.remove(old["id"], draft.id)
            put(answers, key, None)
    elif action.startswith(("add:", "remove:")):
        repeat_action(m, page, answers, action)
    store = request.app.state.store
    store.drafts.save(draft.id, answers, page.id)
    if action == "save":
        return see_other(f"/drafts/{draft.id}/save")
    if asked:
        shown = _screen_post(
            request, m, draft, page, answers, asked, action, upload_errors, back_to_review
        )
        if shown is not None:
            return shown
    if action != "continue":  # an in-page action: the page again, messages only for uploads
        out = outcome(request, m, answers)
        return render_page(
            request, m, draft, page, answers, out, upload_errors, None, back_to_review
        )
    out = outcome(request, m, answers, validate={page.id})
    errors = {**out.errors, **upload_errors}
    if errors and page.id in out.pages:
        # a question this post revealed (no JS) comes back to be answered, not as an error
        new = revealed_questions(request, m, draft, page, answers, errors, rendered)
        errors = {k: v for k, v in errors.items() if k not in new}
        return render_page(
            request, m, draft, page, answers, out, errors, None, back_to_review, bool(new)
        )
    nxt = "review" if back_to_review else (next_page(m, out, page.id) or after_pages(m, out))
    return see_other(questions.page_url(request, m, draft.id, nxt, out, answers))


def _screen_post(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    page: PageSpec,
    answers: dict[str, Any],
    asked: str,
    action: str,
    upload_errors: dict[str, str],
    back_to_review: bool,
) -> Response | None:
    """The answer to one question's screen (长辈版), already saved: validate it alone.

    Why alone: the other questions of the page are still to come on their own screens, so
    their "请填写…" must not stop this one. Its messages are the page's own (the same
    evaluation, filtered by ``questions.errors_of``), so both themes say the same thing. None:
    the page has one question left (the answer hid the rest), so it is a whole page again.
    """
    out = outcome(request, m, answers, validate={page.id} if action == "continue" else False)
    found = questions.screens(page, out, prefill.locked(m, answers))
    if not found:
        return None
    screen = questions.find(found, asked)
    if screen is None:  # the question is hidden now: the page picks the question to show
        return see_other(questions.url(draft.id, page.id, None, back_to_review))
    if action != "continue":  # an in-page action: the question again, messages only for uploads
        return render_page(
            request,
            m,
            draft,
            page,
            answers,
            out,
            upload_errors,
            None,
            back_to_review,
            screen=screen,
        )
    if page.id in out.pages:
        errors = {**questions.errors_of(screen, out.errors, page), **upload_errors}
        if errors:
            return render_page(
                request, m, draft, page, answers, out, errors, None, back_to_review, screen=screen
            )
        nxt = questions.next_index(found, screen, out.errors, page, back_to_review)
        if nxt is not None:  # a question this answer revealed comes next, on its own screen
            return see_other(questions.url(draft.id, page.id, nxt, back_to_review))
    if back_to_review:
        return see_other(f"/drafts/{draft.id}/review")
    nxt_page = next_page(m, out, page.id) or after_pages(m, out)
    return see_other(questions.page_url(request, m, draft.id, nxt_page, out, answers))


def _field_for(page: PageSpec, name: str) -> tuple[FieldSpec, FieldSpec | None, int] | None:
    """(top-level field, repeat child or None, row index) for a posted name."""
    for f in page.fields:
        if f.key == name:
            return f, None, -1
        if f.type == FieldType.repeat and name.startswith(f.key + "."):
            index, _, child_key = name[len(f.key) + 1 :].partition(".")
            child = next((c for c in f.children if c.key == child_key), None)
            if index.isdigit() and child is not None:
                return f, child, int(index)
    return None


async def change(request: Request) -> Response:
    """htmx: save one answer, re-evaluate, return only the fragments that changed."""
    async with request.form(max_files=0, max_fields=3000) as form:
        fields = form  # urlencoded or multipart without files: nothing to close after
    return await run(request, _change, request, fields)


def _change(request: Request, fields: Any) -> Response:
    draft, _, m = open_form(request)
    page = page_of(m, request.path_params["page_id"])
    name = request.query_params.get("field", "")[:200]
    action = request.query_params.get("action", "")[:200]
    found = _field_for(page, name)
    if found is None:
        raise NotFound()
    spec, child, row = found
    regions = request.app.state.regions
    answers = copy_answers(draft.answers)
    last: LastOutcomes | None = getattr(request.app.state, "last_outcomes", None)
    ctx = context_of(request)
    before = (last.get(draft, m, ctx) if last is not None else None) or outcome(
        request, m, answers, ctx=ctx
    )
    if child is None and spec.type == FieldType.repeat:
        put(answers, spec.key, parse_rows(spec, fields, spec.key, regions))
        if action:
            repeat_action(m, page, answers, action)
    elif child is None:
        if spec.type == FieldType.file:
            raise NotFound()
        put(answers, spec.key, parse_field(spec, fields, spec.key, regions))
    else:
        rows = get(answers, spec.key)
        if isinstance(rows, list) and row < len(rows) and isinstance(rows[row], dict):
            put(rows[row], child.key, parse_field(child, fields, name, regions))
    prefill.enforce(m, answers)
    text = encode_answers(answers)
    request.app.state.store.drafts.save(draft.id, answers, page.id, text=text)
    after = outcome(request, m, answers, ctx=ctx)  # messages: only the drawn fields' (below)
    if last is not None:
        last.put(draft.id, m, ctx, text, after)
    # 长辈版 one question per screen: only what is on this screen can change in place; a
    # question the answer reveals waits for its own screen (the count in the progress line grows)
    found = questions.screens_for(request, m, page, before, draft.answers)
    here = next((s for s in found if spec.key in s.keys), None)
    on_screen = (here.keys if here else set()) if found else None
    question = None
    if here is not None:
        now = questions.find(questions.screens_for(request, m, page, after, answers), here.key)
        question = now.counter() if now else None
    redrawn = [
        f
        for f in page.fields
        if f.key
        and f is not spec
        and (on_screen is None or f.key in on_screen)
        and (
            (f.key in before.visible) != (f.key in after.visible)
            or (f.key in before.required) != (f.key in after.required)
        )
    ]
    checked = field_errors(request, m, after, ctx, page.id, [spec, *redrawn])
    errors = shown_errors(checked, answers, spec.key if child is None else name)
    b = builder(request, m, draft.id, page, answers, after, errors)
    main = b.view(spec)
    if child is not None:
        main = next((v for r in main.rows for v in r if v.name == name), main)
    oob = [b.view(f) for f in redrawn]
    from yijian.web.citizen.pages import banner, checklist, progress

    rules_changed = [(r.spec.id, r.passed) for r in before.rules] != [
        (r.spec.id, r.passed) for r in after.rules
    ]
    context = {
        "main": main,
        "oob": oob,
        "draft": draft,
        "m": m,
        "page": page,
        "banner": banner(after),
        "rules_changed": rules_changed,
        "materials": checklist(
            request,
            m,
            after,
            answers,
            uploaded(request.app.state.store, draft.id) if has_step(m, after) else None,
        )
        if [x.material.id for x in before.materials] != [x.material.id for x in after.materials]
        else None,
        "progress": {**progress(m, after, page.id), "question": question}
        if before.pages != after.pages
        or has_step(m, before) != has_step(m, after)
        or (here is not None and question != here.counter())
        else None,
    }
    return request.app.state.templates.render(
        request, "form/_change.html", context, headers={"cache-control": "no-store"}
    )
