"""The case event vocabulary: every kind the back office appends, and the status it sets.

A case's status is the status of the last event that set one (``store.events``); the clock
(``casework.clock``) reads the dates and data of these events. Kinds are plain strings in the
store, so an old case keeps its meaning when a kind is added; a kind is never renamed.

``data`` keys per kind (all optional unless said):

- ``submitted`` — (citizen submits; the first event of every case)
- ``accepted`` — 受理 at the window. ``{}``
- ``correction_requested`` — 一次性补正 notice: ``{"items": [{"kind": "answer"|"material",
  "id": str, "reason": str}], "due": "YYYY-MM-DD"}``; at most one before acceptance.
- ``corrected`` — the applicant resubmitted the flagged items: ``{"changed": [id, ...]}``
- ``refused`` — 不予受理: ``{"reason": str, "basis": str}``
- ``tolerant_accepted`` — 容缺受理: ``{"materials": [id, ...], "due": "YYYY-MM-DD",
  "commitment": str}``
- ``supplied`` — a 容缺 material supplied later: ``{"material": id}``
- ``terminated`` — 终止办理 (e.g. a 容缺 material not supplied in time): ``{"reason": str}``
- ``suspended`` — the clock stops for a special procedure (听证, 检验检测, 鉴定, 专家评审, 公示)
  or a 补正 after acceptance: ``{"procedure": str, "planned_days": int, "reason": str}``
- ``resumed`` — the clock runs again. ``{}``
- ``extended`` — 延期, signed off by an approver: ``{"days": int, "reason": str, "approver": str}``
- ``concluded`` — 办结 with a decision: ``{"decision": "approved"|"denied", ...}``
- ``calendar_changed`` — a day already counted changed in the calendar: ``{"was": date,
  "now": date}`` (audited, never silent)

Back office II (后台分类审批, ``casework.tasks``). A step's events go on the chain of the case
that owns the step: a bundle member's steps on its sub-case, a single matter's (and a bundle's
own) on the top-level case. ``step`` is the step id inside that matter.

- ``task_claimed`` — a reviewer takes the task: ``{"step": id}`` (the actor is the claimer)
- ``task_released`` — handed back to the department queue: ``{"step": id}``
- ``task_assigned`` — a head gives it to someone: ``{"step": id, "to": actor}``
- ``step_passed`` — 审查意见 and the step is done: ``{"step": id, "opinion": str,
  "facts": {key: value}, "department": id}`` (a joint step is done when every department
  named on it has passed)
- ``sent_back`` — back to an earlier step, which opens again with everything after it:
  ``{"step": id, "to": id, "reason": str}``
- ``concluded`` (above) on a sub-case or a single matter: ``{"step": id, "decision":
  "approved"|"denied", "opinion": str, "reason": str, "basis": str, "approver": actor,
  "facts": {...}}``; on a bundle's top-level case when its last member closes:
  ``{"decision": "approved"|"partial"|"denied"}``
- ``delivered`` — 综合出件: every result of the case handed out together or posted:
  ``{"method": "window"|"post", "address": str, "tracking": str}`` (top-level case)
- ``commitment_checked`` — 告知承诺 核查 after the decision: ``{"true": bool, "opinion": str}``
- ``revoked`` — a decision revoked (a false commitment): ``{"reason": str, "basis": str}``
- ``purged`` — the personal data of a closed case removed at the end of its 档案 retention
  (``yijian purge``, ``store.retention``): ``{"reason": str, "submitted_sha256": digest of the
  stub now stored}``; sets no status (actor ``system:retention``)
"""

from __future__ import annotations

from typing import Final

SUBMITTED: Final = "submitted"
ACCEPTED: Final = "accepted"
CORRECTION_REQUESTED: Final = "correction_requested"
CORRECTED: Final = "corrected"
REFUSED: Final = "refused"
TOLERANT_ACCEPTED: Final = "tolerant_accepted"
SUPPLIED: Final = "supplied"
TERMINATED: Final = "terminated"
SUSPENDED: Final = "suspended"
RESUMED: Final = "resumed"
EXTENDED: Final = "extended"
CONCLUDED: Final = "concluded"
CALENDAR_CHANGED: Final = "calendar_changed"
TASK_CLAIMED: Final = "task_claimed"
TASK_RELEASED: Final = "task_released"
TASK_ASSIGNED: Final = "task_assigned"
STEP_PASSED: Final = "step_passed"
SENT_BACK: Final = "sent_back"
DELIVERED: Final = "delivered"
COMMITMENT_CHECKED: Final = "commitment_checked"
REVOKED: Final = "revoked"

#: The status each kind sets (kinds absent here set none: the status stays).
STATUS: Final[dict[str, str]] = {
    SUBMITTED: "submitted",
    ACCEPTED: "accepted",
    CORRECTION_REQUESTED: "correction",
    CORRECTED: "submitted",
    REFUSED: "refused",
    TOLERANT_ACCEPTED: "accepted",
    TERMINATED: "terminated",
    CONCLUDED: "concluded",
    DELIVERED: "delivered",
    REVOKED: "revoked",
}

#: Statuses in which nothing more happens to a case.
CLOSED: Final = frozenset({"refused", "terminated", "concluded", "delivered", "revoked"})

#: 电子监察 (``casework.cards``): a yellow or red card, raised by the worker when a case or
#: one of its tasks turns yellow or red: ``{"colour": "yellow"|"red", "reason": str,
#: "step": id|None, "department": id|None, "due": "YYYY-MM-DD"}``; sets no status.
CARD_RAISED: Final = "card_raised"
