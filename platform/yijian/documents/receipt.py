"""The 收件凭证 (receipt) PDF: proof that the county received an application.

Rendered with weasyprint from the Jinja2 template ``documents/receipt.html`` (the same
template skills as the web pages; a county theme may override it). Rendering takes about a
second with WenQuanYi Micro Hei, so the web layer calls it in a worker thread. The applicant's
身份证号 is masked on the receipt: it is a document people photograph and forward.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jinja2

from yijian import packaged
from yijian.documents.fonts import MissingFontError, cjk_font_family
from yijian.documents.signing import finish
from yijian.rules.builtins.cnid import mask_id_card
from yijian.store import Case

__all__ = ["Applicant", "Deadline", "MissingFontError", "default_env", "render_receipt"]

_DEFAULT_TEMPLATES = packaged.THEMES / "default" / "templates"


@dataclass(frozen=True, slots=True)
class Deadline:
    """承诺办结时限: its days (working days unless ``workdays`` is false: 自然日), and the date
    they end on when a calendar could count it."""

    working_days: int
    due: date | None = None
    workdays: bool = True


@dataclass(frozen=True, slots=True)
class Applicant:
    """Who applies. Under 代办 (``agent``) the person applying is the 代办人, with their
    ``relation`` to ``party``, the person applied for; else ``party`` is None."""

    name: str
    id_number: str | None = None
    agent: bool = False
    relation: str | None = None
    party: Applicant | None = None
    phone: str | None = None


def default_env() -> jinja2.Environment:
    """An environment over the default theme, for use outside the web app (CLI, tests)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_DEFAULT_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _day(day: date) -> str:
    """``2026年3月5日``: how a date reads on a Chinese government document (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _when(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{_day(moment)} {moment:%H:%M}"


def receipt_html(
    case: Case,
    matter_name: str,
    site_name: str,
    materials: Sequence[str | Mapping[str, Any]],
    steps: Sequence[str],
    deadline: Deadline | None,
    *,
    applicant: Applicant | None = None,
    department: str | None = None,
    phone: str | None = None,
    sub_matter_names: Mapping[str, str] | None = None,
    rows: Sequence[Mapping[str, str]] = (),
    env: jinja2.Environment | None = None,
    font_family: str = "sans-serif",
) -> str:
    """The receipt as HTML (the PDF's source; also handy to test the content).

    ``rows``: further ``{label, value}`` lines of the table (form.yaml ``on_receipt``, e.g.
    how the result is delivered)."""
    names = sub_matter_names or {}
    ctx = {
        "case": case,
        "case_no": case.case_no,
        "matter_name": matter_name,
        "site_name": site_name,
        "submitted": _when(case.submitted_at),
        "materials": [
            {"name": m, "detail": None} if isinstance(m, str) else {"detail": None, **m}
            for m in materials
        ],
        "steps": list(steps),
        "deadline": deadline,
        "due": _day(deadline.due) if deadline and deadline.due else None,
        "applicant_name": applicant.name if applicant else None,
        "applicant_id": mask_id_card(applicant.id_number) if applicant else None,
        "agent": applicant is not None and applicant.agent,
        "relation": applicant.relation if applicant else None,
        "party_name": applicant.party.name if applicant and applicant.party else None,
        "party_id": mask_id_card(applicant.party.id_number)
        if applicant and applicant.party
        else None,
        "rows": [dict(r) for r in rows],
        "department": department,
        "phone": phone,
        "children": [
            {"case_no": c.case_no, "name": names.get(c.matter_id, c.matter_id)}
            for c in case.children
        ],
        "font_family": font_family,
    }
    return (env or default_env()).get_template("documents/receipt.html").render(ctx)


def render_receipt(*args: Any, **kwargs: Any) -> bytes:
    """The receipt as PDF bytes; raises ``MissingFontError`` when no CJK font is installed.

    Takes exactly the arguments of :func:`receipt_html` but ``font_family``, which is the
    installed CJK font: one signature to keep in step with the template, not two.
    Blocking (about a second): call it through ``anyio.to_thread.run_sync``.
    """
    from weasyprint import HTML  # imported late: it loads Pango and fontconfig (slow, heavy)

    family = cjk_font_family()
    # tagged PDF/UA-1: structure, reading order, language and title for screen readers
    pdf = HTML(string=receipt_html(*args, font_family=family, **kwargs)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    assert pdf is not None
    return finish(pdf, purpose="收件凭证")
