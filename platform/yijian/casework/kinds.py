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
}

#: Statuses in which nothing more happens to a case.
CLOSED: Final = frozenset({"refused", "terminated", "concluded"})
