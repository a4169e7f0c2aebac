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
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.compiled.matter import CompiledMatter
from yijian.defs.common import TimeUnit
from yijian.defs.form import FieldType
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome, evaluate
from yijian.web import materials, questions
from yijian.web.formstate import display
from yijian.web.pages import banner, checklist, context_of, progress
from yijian.web.submitted import submission

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
    request: Request, m: CompiledMatter, draft: Any, out: Outcome, refused: bool = False
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
            "banner": banner(out),
            "eligible": out.eligible,
            "refused": refused,
            "progress": progress(m, out, None, done),
            "back": back,
        },
        status_code=422 if refused else 200,
        headers={"cache-control": "no-store"},
    )


async def review(request: Request) -> Response:
    from yijian.web.forms import _open

    draft, _, m = await _open(request)
    _, out = submission(request, m, draft.answers)
    if draft.page != "review":
        request.app.state.store.drafts.save(draft.id, draft.answers, "review")
    return render_review(request, m, draft, out)


def promised_days(m: CompiledMatter) -> tuple[int | None, bool]:
    """(days, counted in working days) of the promised limit."""
    d: Any = m.definition
    if m.kind == "bundle":
        # the clock runs on the plan derived from the members' routings (docs/bundles.md), the
        # same figure `yijian test` checks deadlines against
        days = m.extra.get("promised_days", d.promised_days)
        return (int(days) if days is not None else None), True
    limit = d.time_limits.promised
    return limit.days, limit.unit == TimeUnit.工作日


def department_of(m: CompiledMatter) -> str | None:
    """Who answers for the case: a matter's 实施主体, a bundle's 牵头部门 (stored in the
    summary so that the case page can say so even when this version is no longer loaded)."""
    d: Any = m.definition
    if m.kind == "bundle":
        return m.extra.get("lead_department") or getattr(d, "lead_department", None)
    dept = getattr(d, "department", None)
    return getattr(dept, "name", None)


def summary(
    request: Request,
    m: CompiledMatter,
    out: Outcome,
    today: date,
    files: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The case summary; ``files``: the draft's stored files (for the upload step's materials)."""
    calendar = request.app.state.registry.current.calendar
    days, workdays = promised_days(m)
    deadline = None
    if days is not None:
        try:
            deadline = (
                calendar.add_workdays(today, days)
                if workdays and calendar
                else today + timedelta(days=days)
            ).isoformat()
        except Exception:  # a calendar year not published yet: the clerk sets it at acceptance
            log.warning("no calendar for the promised deadline of %s", m.id)
    uploads = [
        {"material_id": f.definition.material, "field": f.key, **get(out.data, f.key)}
        for f in m.fields.values()
        if f.type == FieldType.file
        and f.key in out.visible
        and isinstance(get(out.data, f.key), dict)
    ]
    if files:
        uploads += materials.summary_uploads(materials.pending(m, out), files)
    return {
        "matter_id": m.id,
        "matter_name": m.name,
        "kind": m.kind,
        "version": m.version,
        "submitted_on": today.isoformat(),
        "eligible": out.eligible,
        "rules": [
            {
                "id": r.spec.id,
                "name": r.spec.name,
                "passed": r.passed,
                "block": r.spec.block,
                "message": r.spec.message if r.passed is False else None,
            }
            for r in out.rules
        ],
        "situations": list(out.situations),
        "materials": [
            {
                "id": x.material.id,
                "name": x.material.name,
                "source": x.material.source.value,
                "necessity": x.material.necessity.value,
                "passed_from": x.passed_from,
                "matters": list(x.matters),
            }
            for x in out.materials
        ],
        "uploads": uploads,
        "steps": [
            {
                "id": s.step.id,
                "name": s.step.name,
                "kind": s.step.kind.value,
                "department": s.department,
                "time_limit": s.step.time_limit,
                "after": list(s.step.after),
                "matter": s.matter,
            }
            for s in out.steps
        ],
        "department": department_of(m),
        "promised_days": days,
        "promised_workdays": workdays,
        "deadline": deadline,
        "derived": {
            k: v for k, v in out.derived.items() if isinstance(v, str | int | float | bool | None)
        },
    }


async def submit(request: Request) -> Response:
    from yijian.web.forms import _open, see_other

    draft, _user, m = await _open(request)
    answers, out = submission(request, m, draft.answers)
    if out.errors:
        first = next(
            (
                p.id
                for p in m.pages
                if p.id in out.pages
                and any(
                    f.key in out.errors or any(k.startswith(f.key + ".") for k in out.errors)
                    for f in p.fields
                    if f.key
                )
            ),
            out.pages[0],
        )
        return see_other(f"/drafts/{draft.id}/{first}?check=1&return=review")
    if not out.eligible:
        return render_review(request, m, draft, out, refused=True)
    specs = materials.pending(m, out)
    files = materials.uploaded(request.app.state.store, draft.id) if specs else {}
    if materials.missing(specs, files):  # a 必要 material without a file: back to the step
        return see_other(f"/drafts/{draft.id}/{materials.UPLOAD_PAGE}?check=1&return=review")
    today = context_of(request).today
    children = []
    for member in m.members:
        if member.id in out.matters:
            sub = evaluate(member, answers, context_of(request))
            children.append(
                {
                    "matter_id": member.id,
                    "version": member.version,
                    "answers": answers,
                    "summary": summary(request, member, sub, today, files),
                }
            )
    case = request.app.state.store.cases.submit(
        draft,
        answers,
        summary(request, m, out, today, files),
        request.app.state.settings.region,
        children,
    )
    log.info("case submitted for %s", m.id)
    # a redirect, so that reloading the case page never posts the application again
    return see_other(f"/cases/{case.case_no}")
