"""办件查询 without an account: a case number plus the applicant's ID number.

Provincial portals let anyone who holds both see a case's progress; neither alone is enough
(case numbers are sequential, so guessable). A wrong pair and an unknown number get the same
answer, so the lookup does not tell which cases exist. What it shows is the progress only:
the status, the steps with their dates and notices' names, the promised date — never the
answers, files or notices themselves (those stay with the owner and the browser that filed).
"""

from __future__ import annotations

import hmac
from typing import Any

from yijian.apply.cases import case_view
from yijian.apply.services import Services
from yijian.documents.receipt_inputs import applicant_of

__all__ = ["progress"]


def _normal(id_number: str) -> str:
    return "".join(id_number.split()).upper()


def progress(services: Services, case_no: str, id_number: str) -> dict[str, Any] | None:
    """The case's progress view when ``id_number`` is its applicant's (under 代办: the
    代办人's or the person's applied for), else None."""
    case_no, given = case_no.strip()[:40], _normal(id_number)[:40]
    case = services.store.cases.get(case_no) if case_no and given else None
    if case is None or case.parent_case_no is not None:
        return None
    applicant = applicant_of(case)
    people = [applicant, applicant.party] if applicant else []  # 代办: either person's number
    stored = [_normal(p.id_number or "") for p in people if p is not None]
    # every number compared, so the time does not say which one matched
    hits = [hmac.compare_digest(s.encode(), given.encode()) for s in stored if s]
    if not any(hits):
        return None
    return case_view(services, case)
