"""Check your answers, then submit: re-validate everything, explain a refusal, create the case.

Submission hands the store one summary (materials, uploads, steps with departments and
limits, eligibility, the promised deadline on the working-day calendar, the definition version)
and, for a bundle, one child per included member matter. The store makes it one transaction and
idempotent per draft, so a double click creates one case.

Only what the rules show is submitted (``web/submitted.py``); check-your-answers and
submission both judge those answers, so what the citizen checks is what the department gets.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.apply import commitments, materials
from yijian.apply.assist import AssistError, assisted_of, confirm
from yijian.apply.submission import submission
from yijian.apply.submit import submit as apply_submit
from yijian.compiled.matter import CompiledMatter
from yijian.defs.form import FieldType
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome
from yijian.web.citizen import questions
from yijian.web.citizen.forms import open_form
from yijian.web.citizen.pages import banner, checklist, progress
from yijian.web.formstate import display
from yijian.web.offload import run, services_of
from yijian.web.redirects import see_other

log = logging.getLogger("yijian.web")


def page_done(m: CompiledMatter, out: Outcome) -> list[bool]:
    """Per shown page: every field it shows answered without a message (validated ``out``)."""
    done = []
    for page in m.pages:
        if page.id in out.pages:
            keys = [f.key for f in page.fields if f.key]
            done.append(
                not any(
                    k in out.errors or any(e.startswith(k + ".") for e in out.errors) for k in keys
                )
            )
    return done


def sections(request: Request, m: CompiledMatter, draft: Any, out: Outcome) -> list[dict]:
    """One card per shown page; each 修改 link opens the page at that answer (长辈版: at the
    question's own screen, ``&q=N``)."""
    regions = request.app.state.regions
    result = []
    for page in m.pages:
        if page.id not in out.pages:
            continue
        screen_of = {
            k: s.index
            for s in questions.screens_for(request, m, page, out, draft.answers)
            for k in s.keys
        }
        rows = []
        for f in page.fields:
            if not f.key or f.key not in out.visible or f.type == FieldType.info:
                continue
            q = f"&q={screen_of[f.key]}" if f.key in screen_of else ""
            rows.append(
                {
                    "key": f.label or "承诺",
                    "value": display(f, get(out.data, f.key), regions),
                    "href": f"/drafts/{draft.id}/{page.id}?return=review{q}#{f.id}",
                    "visually_hidden": f.label,
                }
            )
        result.append({"title": page.title, "rows": rows})
    return result


def render_review(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    out: Outcome,
    refused: bool = False,
    assist_error: str | None = None,
    commitment_error: str | None = None,
) -> Response:
    """``out``: the validated evaluation of the submitted answers (``submission``)."""
    specs = materials.pending(m, out)
    files = materials.uploaded(request.app.state.store, draft.id) if specs else {}
    done = page_done(m, out)
    if specs:
        done.append(not materials.missing(specs, files))
        back = f"/drafts/{draft.id}/{materials.UPLOAD_PAGE}"
    elif out.pages:  # 长辈版: the last question of the last page (web/questions.py)
        back = questions.page_url(request, m, draft.id, out.pages[-1], out, draft.answers, True)
    else:
        back = f"/matters/{m.id}"
    return request.app.state.templates.render(
        request,
        "form/review.html",
        {
            "m": m,
            "draft": draft,
            "sections": sections(request, m, draft, out),
            "uploads": materials.review_rows(specs, files, draft.id),
            "materials": checklist(request, m, out, draft.answers, files),
            "banner": banner(out, m, request.app.state.regions),
            "eligible": out.eligible,
            "refused": refused,
            "progress": progress(m, out, None, done),
            "back": back,
            "assisted": assisted_of(draft),
            "assist_error": assist_error,
            "commitments": commitments.boxes(m, out, draft.answers),
            "commitment_error": commitment_error,
        },
        status_code=422 if refused else 400 if assist_error or commitment_error else 200,
        headers={"cache-control": "no-store"},
    )


async def review(request: Request) -> Response:
    return await run(request, _review, request)


def _review(request: Request) -> Response:
    draft, _, m = open_form(request)
    _, out = submission(services_of(request), m, draft.answers)
    if draft.page != "review":
        request.app.state.store.drafts.save(draft.id, draft.answers, "review")
    return render_review(request, m, draft, out)


async def submit(request: Request) -> Response:
    async with request.form(max_files=0, max_fields=50) as form:
        action = str(form.get("_action") or "")[:20]
        keys = [str(k)[:200] for k in form.getlist("commitment")][:20]
        back = "_materials" if form.get("_return") == materials.UPLOAD_PAGE else "review"
    if action == "commitments":
        return await run(request, _commit, request, keys, back)
    return await run(request, _submit, request)


def _commit(request: Request, keys: list[str], back: str) -> Response:
    """告知承诺: save the boxes ticked, then back to the step they were ticked on."""
    draft, _, m = open_form(request)
    services = services_of(request)
    _, out = submission(services, m, draft.answers)
    assisted = assisted_of(draft)
    applicant = {"id_number": assisted["id_number"]} if assisted else None
    try:
        commitments.choose(services.store, m, out, draft, keys, applicant)
    except commitments.CommitmentError as exc:
        return render_review(request, m, draft, out, commitment_error=str(exc))
    return see_other(f"/drafts/{draft.id}/{back}#commitments")


def _submit(request: Request) -> Response:
    draft, _user, m = open_form(request)
    done = apply_submit(services_of(request), draft, m)
    if done.fix_page is not None:
        return see_other(f"/drafts/{draft.id}/{done.fix_page}?check=1&return=review")
    if done.refused:
        return render_review(request, m, draft, done.out, refused=True)
    if done.missing_materials:
        return see_other(f"/drafts/{draft.id}/{materials.UPLOAD_PAGE}?check=1&return=review")
    if done.barred:  # 告知承诺 chosen by an applicant whose credit bars it
        return render_review(request, m, draft, done.out, commitment_error=done.barred)
    if done.unconfirmed:  # 帮办代办: the applicant confirms first
        return render_review(request, m, draft, done.out, assist_error="请先由申请人确认代办")
    # a redirect, so that reloading the case page never posts the application again
    return see_other(f"/cases/{done.case.case_no}")


async def assist_confirm(request: Request) -> Response:
    """帮办代办: the code the applicant received, or the clerk's word on a signed printout."""
    async with request.form(max_files=0, max_fields=10) as form:
        code = str(form.get("code") or "")[:12]
        printout = form.get("printout") == "1"
    return await run(request, _assist_confirm, request, code, printout)


def _assist_confirm(request: Request, code: str, printout: bool) -> Response:
    draft, _, m = open_form(request)
    try:
        confirm(services_of(request), draft, code, printout)
    except AssistError as exc:
        _, out = submission(services_of(request), m, draft.answers)
        return render_review(request, m, draft, out, assist_error=exc.message)
    return see_other(f"/drafts/{draft.id}/review")
