"""The window's notices as PDFs: 受理通知书, 补正材料通知书, 不予受理决定书 (and 容缺受理, 延期).

One template, ``documents/notice.html`` (a county theme may override it), fed by the event
that the notice announces: its kind, its date and its data (the correction items and their
due date, the refusal's reason and legal basis). Like the receipt it is rendered with
weasyprint and a CJK font, in a worker thread (about a second), and every PDF passes through
``signing.finish`` so the seal can be added without touching the callers. The applicant's ID
number is masked: notices are photographed and forwarded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2

from yijian.documents.fonts import cjk_font_family
from yijian.documents.receipt import Applicant, default_env
from yijian.documents.signing import finish
from yijian.runtime.mask import mask_id

__all__ = ["NOTICE_TITLES", "NoticeInputs", "notice_html", "render_notice"]

#: The event kinds that produce a notice, and the notice's title.
NOTICE_TITLES = {
    "accepted": "受理通知书",
    "correction_requested": "补正材料通知书",
    "refused": "不予受理决定书",
    "tolerant_accepted": "容缺受理通知书",
    "extended": "延期通知书",
    "terminated": "终止办理通知书",
    "concluded": "行政许可决定书",
    "revoked": "撤销行政许可决定书",
}


def notice_title(kind: str, data: Mapping[str, Any]) -> str | None:
    """The notice an event produces (a decision names which), or None."""
    if kind == "concluded":
        return {"approved": "准予行政许可决定书", "denied": "不予行政许可决定书"}.get(
            str(data.get("decision"))
        )
    return NOTICE_TITLES.get(kind)


@dataclass(frozen=True)
class Issue:
    """What makes an issued document checkable: its check code and where to check it."""

    check_code: str
    verify_url: str  # the page's address, printed and in the QR code
    seal_name: str = ""  # draw the seal's image when the document is sealed


@dataclass(frozen=True)
class NoticeInputs:
    kind: str  # an event kind of NOTICE_TITLES
    case_no: str
    matter_name: str
    site_name: str
    issued_on: date
    data: Mapping[str, Any] = field(default_factory=dict)
    applicant: Applicant | None = None
    department: str | None = None
    promise: str | None = None  # 承诺办结, as the case page words it
    issue: Issue | None = None


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_html(
    inputs: NoticeInputs, env: jinja2.Environment | None = None, font_family: str = "sans-serif"
) -> str:
    """The notice as HTML (the PDF's source; also what tests read)."""
    due = inputs.data.get("due")
    issue = inputs.issue
    ctx = {
        "title": notice_title(inputs.kind, inputs.data),
        "decision": inputs.data.get("decision"),
        "opinion": inputs.data.get("opinion"),
        "check_code": issue.check_code if issue else None,
        "verify_url": issue.verify_url if issue else None,
        "qr_svg": qr_uri(f"{issue.verify_url}/{issue.check_code}") if issue else None,
        "seal_png": seal_uri(issue.seal_name) if issue and issue.seal_name else None,
        "kind": inputs.kind,
        "case_no": inputs.case_no,
        "matter_name": inputs.matter_name,
        "site_name": inputs.site_name,
        "issued": _day(inputs.issued_on),
        "applicant_name": inputs.applicant.name if inputs.applicant else None,
        "applicant_id": mask_id(inputs.applicant.id_number) if inputs.applicant else None,
        "department": inputs.department,
        "promise": inputs.promise,
        "items": list(inputs.data.get("items", [])),
        "due": _day(date.fromisoformat(due)) if isinstance(due, str) and due else None,
        "reason": inputs.data.get("reason"),
        "basis": inputs.data.get("basis"),
        "font_family": font_family,
    }
    return (env or default_env()).get_template("documents/notice.html").render(ctx)


def render_notice(
    inputs: NoticeInputs, env: jinja2.Environment | None = None, signer: str | None = None
) -> bytes:
    """The notice as a finished (signed, once a seal is configured) PDF; blocking (~1 s)."""
    from weasyprint import HTML  # imported late: it loads Pango and fontconfig

    pdf = HTML(string=notice_html(inputs, env, cjk_font_family())).write_pdf()
    assert pdf is not None
    seal = inputs.issue.seal_name if inputs.issue else None
    title = notice_title(inputs.kind, inputs.data) or ""
    return finish(pdf, purpose=title, signer=signer, seal=seal)


def qr_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (segno: no image library needed)."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def seal_uri(name: str) -> str:
    import base64

    from yijian.documents.sealimage import seal_png

    return "data:image/png;base64," + base64.b64encode(seal_png(name)).decode()
