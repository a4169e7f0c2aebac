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

from yijian.apply.services import Services
from yijian.documents.notice import Issue, NoticeInputs
from yijian.runtime.mask import mask_name
from yijian.store.issued import new_check_code

__all__ = ["issue_notice", "sealed"]


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
    seal_name = os.environ.get("YIJIAN_SEAL_NAME", "") if sealed() else ""
    issue = Issue(new_check_code(), verify_url, seal_name or ("电子印章" if sealed() else ""))
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
