"""The automatic "上传材料" step: one upload control per material no file field asks for.

Shown after the last form page and before check-your-answers whenever ``materials.pending``
is not empty. Without JavaScript it is one multipart form: each material's "上传" button (or
"保存并继续") stores every chosen file, "删除此文件" detaches one. With htmx a chosen file is
posted at once (``?material=<id>``) and only that material's block comes back. One file per
material: a new upload replaces the previous one (and the replaced file is deleted when nothing
else refers to it). "保存并继续" checks that every 必要 material has a file ("请上传…"); 容缺后补
ones may stay empty (容缺受理), and submission checks again. A store that refuses a file (locked,
read-only, full) is said at the material and above the page, with 503, never as "saved".
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from yijian.apply.materials import (
    INPUT_PREFIX,
    TITLE,
    UPLOAD_PAGE,
    items,
    missing,
    pending,
    uploaded,
)
from yijian.compiled.matter import CompiledMatter, MaterialSpec
from yijian.runtime.evaluate import Outcome
from yijian.web.citizen.pages import banner, checklist, outcome, progress
from yijian.web.citizen.questions import page_url
from yijian.web.citizen.uploads import UPLOAD_NOT_SAVED, store_upload
from yijian.web.failures import RETRY_AFTER_S, store_failed
from yijian.web.redirects import see_other


class _Refused:
    """Whether the store refused any write of this post (then the answer is a 503)."""

    def __init__(self) -> None:
        self.any = False

    def call(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:
            if not store_failed(exc):
                raise
            self.any = True
            return None


def _detach(store: Any, draft_id: str, material_id: str, keep: str | None = None) -> None:
    """Remove the draft's files of one material (all but ``keep``): the content stays."""
    for ref in store.files.for_draft(draft_id):
        if ref.material_id == material_id and ref.id != keep:
            store.files.remove(ref.id, draft_id)


def render_uploads(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    out: Outcome,
    specs: list[MaterialSpec],
    errors: dict[str, str],
    back_to_review: bool = False,
    unsaved: bool = False,
) -> Response:
    store = request.app.state.store
    files = uploaded(store, draft.id)
    views = items(specs, files, errors, draft.id)
    back = (  # 长辈版: the last question of the last page (web/questions.py)
        page_url(request, m, draft.id, out.pages[-1], out, draft.answers, last=True)
        if out.pages
        else f"/matters/{m.id}"
    )
    context = {
        "m": m,
        "draft": draft,
        "items": views,
        "errors": [{"href": "#" + v.anchor, "text": v.error} for v in views if v.error],
        "banner": banner(out, m, request.app.state.regions),
        "materials": checklist(request, m, out, draft.answers, files),
        "progress": progress(m, out, UPLOAD_PAGE),
        "back": f"/drafts/{draft.id}/review" if back_to_review else back,
        "return_review": back_to_review,
        "page_id": UPLOAD_PAGE,
        "title": TITLE,
        "unsaved": unsaved,
    }
    return request.app.state.templates.render(
        request,
        "form/materials.html",
        context,
        headers=_headers(unsaved),
        status_code=_status(unsaved),
    )


def _status(unsaved: bool) -> int:
    return 503 if unsaved else 200


def _headers(unsaved: bool) -> dict[str, str]:
    if unsaved:
        return {"cache-control": "no-store", "retry-after": str(RETRY_AFTER_S)}
    return {"cache-control": "no-store"}


def uploads_get(request: Request, draft: Any, m: CompiledMatter) -> Response:
    out = outcome(request, m, draft.answers)
    specs = pending(m, out)
    if not specs:  # nothing to upload (any more): the step is not shown
        return see_other(f"/drafts/{draft.id}/review")
    if draft.page != UPLOAD_PAGE:  # resuming the draft comes back here
        request.app.state.store.drafts.save(draft.id, draft.answers, UPLOAD_PAGE)
    errors: dict[str, str] = {}
    if request.query_params.get("check") == "1":
        errors = missing(specs, uploaded(request.app.state.store, draft.id))
    back_to_review = request.query_params.get("return") == "review"
    return render_uploads(request, m, draft, out, specs, errors, back_to_review)


def _store_chosen(
    store: Any,
    form: Any,
    specs: list[Any],
    only: str | None,
    user: Any,
    draft_id: str,
    refused: _Refused,
) -> dict[str, str]:
    """Store each chosen file (``only``: that material alone); messages by material id."""
    errors: dict[str, str] = {}
    for ms in specs:
        mid = ms.material.id
        upload = form.get(INPUT_PREFIX + mid)
        if (only and mid != only) or not isinstance(upload, UploadFile) or not upload.filename:
            continue
        owner = user.id if user else None
        name = ms.material.name
        ref = refused.call(store_upload, store, upload, ms.material, name, owner, draft_id, mid)
        if ref is None:
            errors[mid] = UPLOAD_NOT_SAVED.format(label=name)
        elif isinstance(ref, str):
            errors[mid] = ref
        else:  # the one file of the material now: the one it replaces goes
            refused.call(_detach, store, draft_id, mid, ref.id)
    return errors


def _material_fragment(
    request: Request,
    m: CompiledMatter,
    draft: Any,
    out: Any,
    one: list[Any],
    errors: dict[str, str],
    unsaved: bool = False,
) -> Response:
    """htmx: the one material just uploaded, and the checklist beside the form."""
    files = uploaded(request.app.state.store, draft.id)
    (item,) = items(one, files, errors, draft.id)
    context = {
        "item": item,
        "errors": [{"href": "#" + item.anchor, "text": item.error}] if item.error else [],
        "materials": checklist(request, m, out, draft.answers, files),
    }
    return request.app.state.templates.render(
        request,
        "form/_material.html",
        context,
        headers=_headers(unsaved),
        status_code=_status(unsaved),
    )


def uploads_post(request: Request, form: Any, draft: Any, user: Any, m: CompiledMatter) -> Response:
    """Store chosen files, remove one, save for later, or continue to check-your-answers.
    In a worker thread, with the posted form still open (``forms.page_post``)."""
    store = request.app.state.store
    out = outcome(request, m, draft.answers)
    specs = pending(m, out)
    only = request.query_params.get("material")
    refused = _Refused()
    errors = _store_chosen(store, form, specs, only, user, draft.id, refused)
    action = str(form.get("_action") or "continue")[:200]
    back_to_review = form.get("_return") == "review"
    if action.startswith("remove-file:"):
        mid = action.split(":", 1)[1]
        if any(ms.material.id == mid for ms in specs):
            refused.call(_detach, store, draft.id, mid)
    refused.call(store.drafts.save, draft.id, draft.answers, UPLOAD_PAGE)  # for resuming
    if refused.any:  # the page again, saying what was not saved
        one = [ms for ms in specs if ms.material.id == only]
        if one and request.headers.get("hx-request") == "true":
            return _material_fragment(request, m, draft, out, one, errors, unsaved=True)
        return render_uploads(request, m, draft, out, specs, errors, back_to_review, True)
    if action == "save":
        return see_other(f"/drafts/{draft.id}/save")
    one = [ms for ms in specs if ms.material.id == only]
    if one and request.headers.get("hx-request") == "true":
        return _material_fragment(request, m, draft, out, one, errors)
    if action == "continue":
        errors = {**missing(specs, uploaded(store, draft.id)), **errors}
        if not errors:
            return see_other(f"/drafts/{draft.id}/review")
    if not specs:
        return see_other(f"/drafts/{draft.id}/review")
    return render_uploads(request, m, draft, out, specs, errors, back_to_review)
