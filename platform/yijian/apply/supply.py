"""The applicant supplies a material that 容缺受理 left for later: one ``supplied`` event each.

Only a material still outstanding on a case still running may be supplied (checked inside the
event's transaction); the file goes into the store like any upload, under the case's draft.
"""

from __future__ import annotations

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.timeline import outstanding
from yijian.store import Case, Event

__all__ = ["supply"]


def supply(
    services: Services, case: Case, material_id: str, label: str, file_id: str, actor: str
) -> Event | str:
    def still_due(events: list[Event]) -> str | None:
        left, _ = outstanding(events)
        return None if any(m.get("id") == material_id for m in left) else "该材料无需补交"

    data = {"material": material_id, "label": label, "file": file_id}
    return services.store.cases.act(
        case.case_no, kinds.SUPPLIED, status=None, actor=actor, data=data, check=still_due
    )
