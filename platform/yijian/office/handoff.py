"""审管联动: every decision also goes to the department that supervises the matter.

A matter names its supervising department (matter.yaml ``supervision: {department: …}``); that
department's ``webhook`` in rules/org.yaml says where (``load.org`` checks both at load). The
decision's own write transaction calls the writer from :func:`handoff_writer`, so the outbox
row exists exactly when the decision does; ``yijian worker`` POSTs it signed through the
``webhook`` channel (``notify.webhook``) and retries with the outbox's backoff.

What counts as a decision: ``concluded`` with ``approved``/``denied`` on a sub-case (a bundle
member) or a single matter's case, and ``revoked``. A bundle's own conclusion (``partial`` …)
is no decision of any department and is not sent. One row per event: the idempotency key is
``<case_no>:<seq>:handoff`` (the outbox's key, the body's ``idempotency_key`` and the
``Idempotency-Key`` header), so writing the same decision twice sends it once.

Personal data is masked as in every outbox row; the case number lets the supervisor ask for
the file through the ordinary channels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.compiled.matter import CompiledMatter
from yijian.defs.org import Department
from yijian.documents.receipt_inputs import party_of
from yijian.runtime.mask import mask_id, mask_name
from yijian.store import Case, Event
from yijian.store.outbox import OutboxItem, enqueue

__all__ = ["CHANNEL", "TEMPLATE", "handoff_item", "handoff_writer", "is_decision", "supervisor_of"]

CHANNEL = "webhook"
TEMPLATE = "decision_handoff"
DECISIONS = frozenset({"approved", "denied"})


def is_decision(event: Event) -> bool:
    """A department's decision (准予 / 不予) or its revocation; not a bundle's joint close."""
    if event.kind == kinds.REVOKED:
        return True
    return event.kind == kinds.CONCLUDED and (event.data or {}).get("decision") in DECISIONS


def supervisor_of(services: Services, matter: CompiledMatter | None) -> Department | None:
    """The supervising department with a webhook, when the matter names one."""
    definition = matter.matter if matter is not None else None
    wanted = getattr(definition, "supervision", None)
    snapshot = services.registry.current if services.registry else None
    if wanted is None or snapshot is None:
        return None
    found = snapshot.org.department(wanted.department)
    return found if found is not None and found.webhook is not None else None


def handoff_item(
    case: Case, matter: CompiledMatter, event: Event, supervisor: Department, deciding: str | None
) -> OutboxItem:
    """The outbox row of one decision: the signed body and where it goes."""
    assert supervisor.webhook is not None
    data = event.data or {}
    key = f"{case.case_no}:{event.seq}:handoff"
    applicant = party_of(case)
    body: dict[str, Any] = {
        "idempotency_key": key,
        "type": "revocation" if event.kind == kinds.REVOKED else "decision",
        "case_no": case.case_no,
        "parent_case_no": case.parent_case_no,
        "region": case.region,
        "matter": {
            "id": matter.id,
            "code": getattr(matter.matter, "code", None),
            "name": matter.name,
            "version": matter.version,
        },
        "department": deciding,
        "supervisor": supervisor.id,
        "decision": "revoked" if event.kind == kinds.REVOKED else data.get("decision"),
        "step": data.get("step"),
        "opinion": data.get("opinion"),
        "reason": data.get("reason"),
        "basis": data.get("basis"),
        "approver": data.get("approver"),
        "decided_at": event.at,
        "event_seq": event.seq,
        "event_hash": event.hash,
        "applicant": {
            "name": mask_name(applicant.name) if applicant else None,
            "id_number": mask_id(applicant.id_number) if applicant else None,
        },
    }
    hook = supervisor.webhook
    data_out = {"secret_env": hook.secret_env, "body": body}
    return OutboxItem(key, CHANNEL, hook.url, TEMPLATE, data_out)


def handoff_writer(
    services: Services, case: Case, matter: CompiledMatter | None
) -> Callable[[Any, Event], None]:
    """What the decision's write transaction calls with (conn, event): enqueues the hand-off
    when the event is a decision or a revocation of a supervised matter, else nothing.

    ``case`` is the case whose chain the event is on (the sub-case for a bundle member) and
    ``matter`` its pinned matter. Looked up here, before the transaction."""
    supervisor = supervisor_of(services, matter)
    if supervisor is None or matter is None:
        return _nothing
    snapshot = services.registry.current if services.registry else None
    owner = snapshot.org.department_of(matter) if snapshot is not None else None
    deciding = owner.id if owner is not None else None

    def write(conn: Any, event: Event) -> None:
        if is_decision(event):
            item = handoff_item(case, matter, event, supervisor, deciding)
            enqueue(conn, item, event.at, case.case_no, event.seq)

    return write


def _nothing(conn: Any, event: Event) -> None:
    """An unsupervised matter: decisions stay inside."""
