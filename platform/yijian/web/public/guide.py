"""The guide page (办事指南, ``GET /matters/{id}``): plain HTML that prints.

Its content comes from :mod:`yijian.apply.guide` (the same lines the form's material checklist
uses); this module only looks the matter up and renders.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from yijian.apply.guide import limit_text, material_lines, online_depth_label, savings_rows


async def guide_endpoint(request: Request) -> Response:
    snapshot = request.app.state.registry.current
    m = snapshot.matter(request.path_params["matter_id"]) if snapshot else None
    if m is None:
        raise HTTPException(404)
    names = {mid: x.name for mid, x in snapshot.matters.items()}
    members = []
    if m.kind == "bundle":
        by_id = {x.id: x for x in m.members}
        for member in m.definition.matters:
            members.append((member, by_id.get(member.matter) or snapshot.matter(member.matter)))
    d = m.definition
    context = {
        "m": m,
        "d": d,
        "materials": material_lines(m, names),
        "members": members,
        "savings": savings_rows(m.extra.get("savings")),
        "names": names,
        "legal": limit_text(d.time_limits.legal) if m.kind == "matter" else None,
        "promised": limit_text(d.time_limits.promised) if m.kind == "matter" else None,
        "depth": online_depth_label(d.online_depth, d.handle_forms) if m.kind == "matter" else None,
        "steps": [s for s in m.steps],
        # the matter's own 权利救济, else the county's (rules/org.yaml); never an empty row
        "remedies": (d.service.remedies if m.kind == "matter" else None) or snapshot.org.remedies,
    }
    return request.app.state.templates.render(request, "guide/index.html", context)
