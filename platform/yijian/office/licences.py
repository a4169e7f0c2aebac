"""Issuing e-licences (电子证照) with the decision that grants them.

A matter whose result names a licence type (``result.licence_type``) that the organisation
defines (``rules/org.yaml`` ``licence_types``, with the issuing department's credit code) gets
a licence in the library the moment its case concludes approved, in the same transaction: a
GB/T 36904 identifier, the holder (the applicant) by a hash of their ID number and masked, the
validity. Later matters fetch it from there (a bundle's next member, 出生登记 reading the
出生医学证明 its first member issued), the citizen sees it in 我的证照, and the verification page
shows its status.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.compiled.matter import CompiledMatter
from yijian.documents.receipt_inputs import party_of
from yijian.runtime.mask import mask_name
from yijian.store import Case, Event
from yijian.store.licences import issue

__all__ = ["licence_writer"]


def _nothing(conn: Any, event: Event) -> None:
    """A matter that issues no licence (or whose type the organisation does not define)."""


def licence_writer(
    services: Services, case: Case, matter: CompiledMatter | None
) -> Callable[[Any, Event], None]:
    """What the decision's transaction calls with (conn, event) for the chain of ``case``;
    looked up before the transaction."""
    result = getattr(getattr(matter, "matter", None), "result", None)
    type_name = getattr(result, "licence_type", None)
    snapshot = services.registry.current if services.registry else None
    if not type_name or snapshot is None or matter is None:
        return _nothing
    kind = snapshot.org.licence_type(type_name)
    issuer = snapshot.org.department_of(matter)
    if kind is None or issuer is None or not issuer.uscc:
        return _nothing
    applicant = party_of(case)

    def write(conn: Any, event: Event) -> None:
        if event.kind != kinds.CONCLUDED or (event.data or {}).get("decision") != "approved":
            return
        day = date.fromisoformat(event.at[:10])
        until = (
            day.replace(year=day.year + kind.valid_years).isoformat() if kind.valid_years else None
        )
        issue(
            conn,
            type_name=type_name,
            type_code=kind.code,
            issuer=issuer.name,
            issuer_code=issuer.uscc,
            holder_id=applicant.id_number if applicant else None,
            holder_masked=mask_name(applicant.name) if applicant else "",
            owner_id=case.owner_id,
            case_no=case.case_no,
            issued_on=day.isoformat(),
            valid_until=until,
        )

    return write
