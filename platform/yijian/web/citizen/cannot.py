"""``GET /drafts/<id>/_cannot-apply``: the application cannot be submitted, and what to do instead.

The page's "继续" leads here from the page whose answer refused the application
(``apply.deadend.known``), rather than on through every other page to a review page without a
submit button (issue 15, item 3). It says why (each refusing rule's own message, with the
answers behind it linking to their questions), what the person can do instead (change the
answer, apply singly for the members that remain, call the county's hotline), and keeps the
draft: once an answer is changed the form goes on as before.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.apply.deadend import deciding
from yijian.web.citizen.forms import open_form
from yijian.web.citizen.pages import banner, outcome
from yijian.web.explainview import explained, reasons
from yijian.web.offload import run
from yijian.web.redirects import see_other


async def cannot_apply(request: Request) -> Response:
    return await run(request, _cannot_apply, request)


def _cannot_apply(request: Request) -> Response:
    draft, _, m = open_form(request)
    out = outcome(request, m, draft.answers)
    if out.eligible:  # an answer changed since: the form goes on where the draft is
        return see_other(f"/drafts/{draft.id}")
    regions = request.app.state.regions
    why = explained(m, out, regions)
    members = (out.extra or {}).get("members") or {}
    rules = deciding(m, out)
    found = [
        {
            "member": (members.get(r.spec.matter) or {}).get("name", "") if r.spec.matter else "",
            "text": r.text,
            "why": reasons(why.get(r.spec.id)),
        }
        for r in rules
    ]
    came = request.query_params.get("from", "")[:200]
    back = came if came in out.pages else (out.pages[-1] if out.pages else "review")
    change = _first_question(found) or back
    title = f"您不能通过“{m.name}”一并办理" if m.kind == "bundle" else f"您不能申请“{m.name}”"
    return request.app.state.templates.render(
        request,
        "form/cannot.html",
        {
            "m": m,
            "draft": draft,
            "title": title,
            "reasons": found,
            "banner": banner(out, m, regions),
            "back": back,
            "change": change,
        },
        headers={"cache-control": "no-store"},
    )


def _first_question(found: list[dict[str, Any]]) -> str | None:
    """The link of the first question behind the refusal (relative, like the reasons')."""
    for rule in found:
        for reason in rule["why"]:
            for cite in reason["cites"]:
                if cite["href"]:
                    return str(cite["href"])
    return None
