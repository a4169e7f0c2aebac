"""Drafts: start one pinned to the current version, open one, move it to a new version.

Who may open a draft: its owner when signed in; an anonymous draft only from the browser that
holds its random id (``remembered``, the web's HttpOnly cookie; a batch job passes none). Anything
else is :class:`NotFound`, the same as a draft that does not exist. A draft pins the definition
version it started on (``Registry.version`` rebuilds it from the store's archive after a
restart); only when that version cannot be had (never archived) does the draft move to the
current one, with a plain statement of what changed (shown once).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from yijian.apply import prefill
from yijian.apply.errors import AlreadySubmitted, Gone, NotFound
from yijian.apply.evaluation import outcome
from yijian.apply.labels import META, field_labels
from yijian.apply.services import Services
from yijian.compiled.matter import CompiledMatter
from yijian.runtime.answers import put
from yijian.runtime.evaluate import Outcome, copy_answers

log = logging.getLogger("yijian.apply")


@dataclass(frozen=True)
class Started:
    draft_id: str
    matter: CompiledMatter
    first_page: str
    out: Outcome
    answers: dict[str, Any]


def start(services: Services, matter_id: str, user: Any) -> Started:
    """A new draft on the current version: defaults, account prefill, the first page shown."""
    snapshot = services.registry.current
    m = snapshot.matter(matter_id) if snapshot else None
    if m is None:
        raise NotFound()
    # the labels a move to a new version compares with: kept once per version, not per draft
    services.store.versions.keep_labels(m.id, m.version, lambda: field_labels(m))
    draft = services.store.drafts.create(m.id, m.version, user.id if user else None)
    answers: dict[str, Any] = {}
    for f in m.fields.values():
        if f.key and f.definition.default is not None:
            put(answers, f.key, f.definition.default)
    prefill.from_account(m, answers, user)
    out = outcome(services, m, answers)
    first = out.pages[0] if out.pages else m.pages[0].id
    services.store.drafts.save(draft.id, answers, first)
    return Started(draft.id, m, first, out, answers)


def may_open(
    services: Services,
    draft_id: str,
    user: Any,
    remembered: Collection[str],
    known: tuple[str, dict[str, Any]] | None = None,
) -> Any:
    """The draft when this person may open it (claimed by a user signing in on the browser
    that filled it anonymously); :class:`NotFound` otherwise. ``known``: see ``Drafts.get``."""
    store = services.store
    draft = store.drafts.get(draft_id, known) if len(draft_id) <= 64 else None
    if draft is None:
        raise NotFound()
    if draft.owner_id is not None:
        if user is None or user.id != draft.owner_id:
            raise NotFound()
    elif draft_id not in remembered:
        raise NotFound()
    elif user is not None:
        store.drafts.claim(draft_id, user.id)  # signed in on this browser: keep it everywhere
        draft = store.drafts.get(draft_id)
    return draft


def pinned(services: Services, draft: Any) -> tuple[CompiledMatter, Any]:
    """The matter exactly as the draft started it, or the current one with a change notice."""
    registry = services.registry
    m = registry.version(draft.matter_id, draft.version)
    if m is not None:
        return m, draft
    current = registry.current.matter(draft.matter_id) if registry.current else None
    if current is None:
        raise Gone()
    answers = dict(draft.answers)
    meta = dict(answers.get(META) or {})
    # inline in drafts started before migration 16; the store's copy of the version's since
    old = meta.get("labels") or services.store.versions.labels(draft.matter_id, draft.version)
    old = old or {}
    new = field_labels(current)
    meta["moved"] = {
        "added": [new[k] for k in new if k not in old],
        "removed": [old[k] for k in old if k not in new],
        "changed": [f"“{old[k]}”改为“{new[k]}”" for k in new if k in old and old[k] != new[k]],
    }
    meta.pop("labels", None)
    services.store.versions.keep_labels(current.id, current.version, lambda: new)
    answers[META] = meta
    services.store.drafts.save(draft.id, answers, draft.page, version=current.version)
    log.info("draft moved to the current version of %s", draft.matter_id)
    return current, services.store.drafts.get(draft.id)


def notice_of(draft: Any) -> dict[str, list[str]] | None:
    """The change statement a draft moved to a new version carries (not yet shown)."""
    return (draft.answers.get(META) or {}).get("moved") or None


def take_notice(services: Services, draft: Any) -> dict[str, list[str]] | None:
    """The change statement, shown once, then cleared."""
    meta = draft.answers.get(META) or {}
    moved = meta.get("moved")
    if not moved:
        return None
    answers = dict(draft.answers)
    answers[META] = {k: v for k, v in meta.items() if k != "moved"}
    services.store.drafts.save(draft.id, answers, draft.page)
    return moved


def open_for_form(
    services: Services,
    draft_id: str,
    user: Any,
    remembered: Collection[str],
    known: tuple[str, dict[str, Any]] | None = None,
) -> tuple[Any, CompiledMatter]:
    """(draft, pinned matter) of an open draft, with the owner's account prefill applied on
    first opening; :class:`AlreadySubmitted` once it is a case. ``known``: (text, answers)
    last saved by the caller, used instead of decoding the same text again
    (``Drafts.get``)."""
    draft = may_open(services, draft_id, user, remembered, known)
    if draft.status != "open":
        raise AlreadySubmitted(draft.case_no)
    m, draft = pinned(services, draft)
    if user is not None and draft.owner_id == user.id and not prefill.applied(draft.answers, user):
        answers = copy_answers(draft.answers)
        if prefill.from_account(m, answers, user):
            services.store.drafts.save(draft.id, answers, draft.page)
            draft = services.store.drafts.get(draft.id)
    return draft, m
