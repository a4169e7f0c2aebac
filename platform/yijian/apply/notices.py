"""Which notice an event of a case is, and what goes into it (``documents.notice``).

The citizen's case page and the window's case page link every notice event's PDF; both ask
here, so they print the same document. The applicant and the promise come from the case as
the receipt reads them; the text comes from the event's own data.
"""

from __future__ import annotations

from datetime import date

from yijian.apply.cases import department_of, pinned_matter, promise_text
from yijian.apply.errors import NotFound
from yijian.apply.services import Services
from yijian.documents.notice import NOTICE_TITLES, NoticeInputs, notice_title
from yijian.documents.receipt_inputs import party_of
from yijian.store import Case

__all__ = ["NOTICE_TITLES", "notice_inputs"]


def notice_inputs(services: Services, case: Case, seq: int, site_name: str) -> NoticeInputs:
    """The inputs of the notice event ``seq`` of ``case``; NotFound for any other event."""
    event = next((e for e in services.store.cases.events(case.case_no) if e.seq == seq), None)
    if event is None or notice_title(event.kind, event.data or {}) is None:
        raise NotFound()
    matter = pinned_matter(services, case.matter_id, case.version)
    name = matter.name if matter else str(case.summary.get("matter_name") or case.matter_id)
    return NoticeInputs(
        kind=event.kind,
        case_no=case.case_no,
        matter_name=name,
        site_name=site_name,
        issued_on=date.fromisoformat(event.at[:10]),
        data=event.data,
        applicant=party_of(case),
        department=department_of(case, matter),
        promise=promise_text(case.summary),
    )
