"""告知承诺 核查: when the after-the-fact check of a case's commitments is due. Pure.

A case decided on the applicant's commitment (its summary's ``commitments``, recorded at
submission by ``apply.commitments``) is checked after the decision (domain reference §4.6):
the check opens ``check_after`` working days after the day of the approving decision (counted
like every limit: from the next day, ``runtime.deadline``), in the commitment's
``check_department``. One check per case covers all its commitments: it opens on the earliest
day any of them is due, in the department of that one (a matter's commitments name one
department in practice). Nothing is due without an approval, after the check was recorded
(``commitment_checked``) or once the decision was revoked.

Events are those of the chain that holds the decision: a single matter's case, or a bundle
member's sub-case; never a bundle's own case (its summary lists the members' commitments for
the applicant, its joint conclusion is no department's decision).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from yijian.casework import kinds
from yijian.casework.facts import day_of
from yijian.runtime.deadline import PromisedLimit, deadline_from

__all__ = ["CheckDue", "check_due", "decision_of", "refusal"]


@dataclass(frozen=True)
class CheckDue:
    """The 核查 a case owes: from which day, by which department, of which commitments."""

    decided_on: date
    opens: date
    department: str  # as the definition names it (id, name or alias of rules/org.yaml)
    commitments: tuple[Mapping[str, Any], ...]


def decision_of(events: Sequence[Any]) -> Any | None:
    """The last department decision (``concluded`` approved/denied) on the chain, or None."""
    found = None
    for e in events:
        if e.kind == kinds.CONCLUDED and (e.data or {}).get("decision") in ("approved", "denied"):
            found = e
    return found


def refusal(events: Sequence[Any]) -> str | None:
    """Why a 核查 cannot be recorded on these events now (None: it can), in Chinese."""
    kinds_seen = {e.kind for e in events}
    if kinds.REVOKED in kinds_seen:
        return "该办件的决定已撤销，不能再核查"
    if kinds.COMMITMENT_CHECKED in kinds_seen:
        return "该办件的告知承诺已核查，不能重复核查"
    decision = decision_of(events)
    if decision is None:
        return "该办件尚未作出准予决定，告知承诺须在准予后核查"
    if decision.data.get("decision") != "approved":
        return "该办件未予准予，无需核查告知承诺"
    return None


def check_due(events: Sequence[Any], summary: Mapping[str, Any], calendar: Any) -> CheckDue | None:
    """The check this chain owes, or None. Raises ``LookupError`` when the opening day falls
    in a year the working-day calendar does not have yet (as every deadline does)."""
    if summary.get("kind") == "bundle":  # the joint conclusion is no department's decision
        return None
    entries = [c for c in summary.get("commitments") or () if isinstance(c, Mapping)]
    if not entries or refusal(events) is not None:
        return None
    decision = decision_of(events)
    assert decision is not None  # refusal() said so
    decided = day_of(decision)
    dated = sorted(
        (deadline_from(decided, PromisedLimit(int(c.get("check_after") or 0)), calendar), i)
        for i, c in enumerate(entries)
    )
    opens, first = dated[0]
    department = str(entries[first].get("check_department") or "")
    return CheckDue(decided, opens, department, tuple(entries))
