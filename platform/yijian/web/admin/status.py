"""``GET /admin/status``: what the site serves, and why a change did not go live.

Shows the loaded snapshot (version, build time, counts), the errors of the last rebuild (the
old snapshot keeps serving) formatted as ``path:line:col: loc: message [CODE]`` with the hint,
and when a reload was last attempted; and the audit trail's latest anchor (``store.anchors``:
its hash, time and chains covered), flagged when older than two days (the worker makes one a
day: it is not running, or refused to anchor a broken trail). Only staff with an admin grant
see it (others: 404).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from yijian.web.offload import run
from yijian.web.staffauth import require_admin


def _when(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else None


def _anchor(store: Any) -> dict[str, Any] | None:
    """The latest anchor for the page; None when the store keeps none (another backend)."""
    anchors = getattr(store, "anchors", None)
    latest = anchors.latest() if anchors is not None else None
    if latest is None:
        return None
    made = datetime.fromisoformat(latest.at)
    return {
        "seq": latest.seq,
        "at": made.strftime("%Y-%m-%d %H:%M:%S"),
        "cases": latest.cases,
        "events": latest.events,
        "hash": latest.hash,
        "stale": store.db.clock() - made > timedelta(days=2),
    }


async def status(request: Request) -> Response:
    member = await run(request, require_admin, request)
    anchor = await run(request, _anchor, request.app.state.store)
    registry = request.app.state.registry
    snap = registry.current
    matters = list(snap.matters.values()) if snap else []
    context = {
        "snap": snap,
        "built_at": _when(snap.built_at if snap else None),
        "attempted": _when(registry.last_attempt),
        "n_matters": sum(1 for m in matters if m.kind == "matter"),
        "n_bundles": sum(1 for m in matters if m.kind == "bundle"),
        "errors": [d.format() for d in registry.last_errors],
        "warnings": [
            d.format() for d in (snap.diagnostics if snap else ()) if d.severity != "error"
        ],
        "reload": request.app.state.settings.reload,
        "root": str(request.app.state.settings.root),
        "member": member,
        "anchor": anchor,
        "title": "运行状态",
    }
    return request.app.state.templates.render(
        request, "admin/status.html", context, headers={"cache-control": "no-store"}
    )
