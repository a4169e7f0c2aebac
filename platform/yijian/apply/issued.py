"""Issuing a notice or decision once: a check code, the QR code, the seal, kept as issued.

The first request for a notice renders it with a new check code (查验码) and the QR code of
the public verification page, seals it through the configured signer, and keeps the bytes
(``store.issued``); every later request serves the same bytes, so the file a citizen forwards
is the one the verification page knows. Two first requests at once issue one document: the
store keeps the first and both serve it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from yijian.apply.services import Services
from yijian.documents.notice import Issue, NoticeInputs
from yijian.runtime.mask import mask_name
from yijian.store.issued import new_check_code

__all__ = ["issue_notice", "issue_pending", "issue_result", "result_inputs", "seal_for", "sealed"]


def sealed() -> bool:
    """Whether a seal signer is configured (the image is drawn only on sealed documents)."""
    return (os.environ.get("YIJIAN_SIGNER") or "unsigned") != "unsigned"


def issue_notice(
    services: Services,
    inputs: NoticeInputs,
    seq: int,
    verify_url: str,
    render: Callable[[NoticeInputs], bytes],
) -> bytes:
    """The notice of event ``seq`` as issued (rendered, sealed and kept on first request)."""
    kept = services.store.issued.of_event(inputs.case_no, seq)
    if kept is not None:
        return kept.pdf
    case = services.store.cases.get(inputs.case_no)
    step = str((inputs.data or {}).get("step") or "") or None
    seal_name = _seal_name(services, case, step) if case else ""
    issue = Issue(new_check_code(), verify_url, seal_name)
    pdf = render(_with(inputs, issue))
    from yijian.documents.notice import notice_title

    holder = mask_name(inputs.applicant.name) if inputs.applicant else ""
    done = services.store.issued.record(
        issue.check_code, inputs.case_no, seq, notice_title(inputs.kind, inputs.data) or "",
        inputs.department or inputs.site_name, holder, pdf,
    )  # fmt: skip
    return done.pdf


def _with(inputs: NoticeInputs, issue: Issue) -> NoticeInputs:
    import dataclasses

    return dataclasses.replace(inputs, issue=issue)


def _seal_name(services: Services, case: Any, step: str | None) -> str:
    """The seal drawn and signed with, when a seal is configured ('' otherwise)."""
    return (seal_for(services, case, step) or "电子印章") if sealed() else ""


def seal_for(services: Services, case: Any, step: str | None) -> str:
    """The seal a case's document carries: the step's own ``seal:`` (an entrusting
    authority's), else the approval seal of the centre serving the case's region, else the
    site's configured seal name."""
    from yijian.apply.cases import pinned_matter
    from yijian.documents.sealname import approval_seal, township_of

    matter = pinned_matter(services, case.matter_id, case.version)
    for s in matter.steps if matter else ():
        if step and s.step.id == step and s.step.seal:
            return s.step.seal
    snapshot = services.registry.current if services.registry else None
    centres = snapshot.org.centres_for(case.region) if snapshot else []
    centres = [c for c in centres if c.level in ("county", "township")]
    if centres:
        centre = max(centres, key=lambda c: len(c.region))
        if centre.seal:
            return centre.seal
        county = _county_name(services, case.region)
        if county:
            township = township_of(centre.name) if centre.level == "township" else None
            return approval_seal(county, township)
    return os.environ.get("YIJIAN_SEAL_NAME", "")


def _county_name(services: Services, region: str) -> str:
    try:
        return services.regions.name(region[:6])
    except (KeyError, LookupError, ValueError):
        return ""


def issue_pending(
    services: Services, verify_url: str, site_name: str, render: Callable[[NoticeInputs], bytes],
    since: str, limit: int = 50, render_result: Callable[[Any], bytes] | None = None,
) -> list[tuple[str, int]]:  # fmt: skip
    """Issue (render, seal, keep) the notices of recent events nobody has downloaded yet, so
    the worker does the second of rendering and the request only serves bytes."""
    from yijian.apply.notices import notice_inputs
    from yijian.documents.notice import NOTICE_TITLES

    done = []
    for case_no, seq in services.store.issued.missing(list(NOTICE_TITLES), since, limit):
        case = services.store.cases.get(case_no)
        if case is None:
            continue
        try:
            inputs = notice_inputs(services, case, seq, site_name)
        except Exception:  # not a notice after all (a bundle's joint conclusion)
            continue
        issue_notice(services, inputs, seq, verify_url, render)
        if render_result is not None and inputs.kind == "concluded":  # and its 证照/批文
            issue_result(services, case, seq, verify_url, render_result)
        done.append((case_no, seq))
    return done


def result_inputs(services: Services, case: Any, seq: int) -> Any:
    """The result document of the approval ``seq`` of ``case`` (a single matter's case or a
    member's sub-case), or None when the matter declares no result or it was not approved."""
    from datetime import date

    from yijian.apply.cases import department_of, pinned_matter
    from yijian.casework.timeline import current_answers
    from yijian.documents.receipt_inputs import party_of
    from yijian.documents.result import ResultInputs
    from yijian.runtime.answers import get
    from yijian.runtime.mask import mask_id
    from yijian.runtime.mask import mask_name as masked
    from yijian.runtime.messages import value_text

    events = services.store.cases.events(case.case_no)
    event = next((e for e in events if e.seq == seq), None)
    if event is None or event.kind != "concluded" or event.data.get("decision") != "approved":
        return None
    matter = pinned_matter(services, case.matter_id, case.version)
    result = getattr(getattr(matter, "matter", None), "result", None)
    if matter is None or result is None:
        return None
    top = services.store.cases.get(case.parent_case_no) if case.parent_case_no else case
    answers = current_answers(case.answers, services.store.cases.events(top.case_no))
    facts: dict[str, Any] = {}
    for e in events:
        facts.update((e.data or {}).get("facts") or {})
    labels = {f.key: f.label for f in matter.fields.values() if f.key}
    labels |= {f"facts.{f.key}": f.label for s in matter.steps for f in s.step.fields}
    rows = []
    for key in result.fields:
        value = facts.get(key[6:]) if key.startswith("facts.") else get(answers, key)
        if value not in (None, ""):
            rows.append({"label": str(labels.get(key, key)), "value": value_text(value)})
    licence = next((x for x in services.store.licences.of_case(case.case_no)
                    if x.case_no == case.case_no), None)  # fmt: skip
    who = party_of(case)
    business = get(answers, "business.name")  # a licence held by a business: its name
    return ResultInputs(
        title=result.name, case_no=case.case_no,
        issuer=department_of(case, matter) or "", issued_on=date.fromisoformat(event.at[:10]),
        holder_name=masked(who.name) if who else str(business or ""),
        holder_id=mask_id(who.id_number) if who else "",
        identifier=licence.identifier if licence else None,
        valid_until=licence.valid_until if licence else None,
        rows=rows, template=result.template, step=str(event.data.get("step") or "") or None,
    )  # fmt: skip


def issue_result(
    services: Services, case: Any, seq: int, verify_url: str, render: Callable[[Any], bytes]
) -> bytes | None:
    """The result document of approval ``seq``, issued once (kept under event ``-seq``: the
    decision notice of the same event is kept under ``seq``)."""
    import dataclasses

    kept = services.store.issued.of_event(case.case_no, -seq)
    if kept is not None:
        return kept.pdf
    inputs = result_inputs(services, case, seq)
    if inputs is None:
        return None
    issue = Issue(new_check_code(), verify_url, _seal_name(services, case, inputs.step))
    pdf = render(dataclasses.replace(inputs, issue=issue))
    done = services.store.issued.record(issue.check_code, case.case_no, -seq, inputs.title,
                                        inputs.issuer, inputs.holder_name, pdf)  # fmt: skip
    return done.pdf
