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

__all__ = ["issue_notice", "issue_pending", "seal_for", "sealed"]


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
    seal_name = ""
    if sealed():
        case = services.store.cases.get(inputs.case_no)
        step = str((inputs.data or {}).get("step") or "") or None
        seal_name = (seal_for(services, case, step) if case else "") or "电子印章"
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
    since: str, limit: int = 50,
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
        done.append((case_no, seq))
    return done
