"""Result documents (证照, 批文) as PDFs: a matter's own template or the built-in one.

Fed by what the matter's ``result.fields`` lists — answers and the facts staff entered — with
the decision's date, the issuing department, the e-licence identifier when the result is a
licence, and the check code and QR code of the verification page; sealed like every document
(``signing.finish``, with the seal the case's documents carry). A county overrides the
built-in ``documents/result.html`` in its theme, or a matter names its own under
``documents/results/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2

from yijian.documents.fonts import cjk_font_family
from yijian.documents.notice import Issue, qr_uri, seal_uri
from yijian.documents.receipt import default_env
from yijian.documents.signing import finish

__all__ = ["ResultInputs", "render_result", "result_html"]


@dataclass(frozen=True)
class ResultInputs:
    title: str
    case_no: str
    issuer: str
    issued_on: date
    holder_name: str = ""
    holder_id: str = ""  # masked
    identifier: str | None = None
    valid_until: str | None = None
    rows: list[dict[str, str]] = field(default_factory=list)
    template: str | None = None  # under documents/results/
    step: str | None = None  # the deciding step (its own `seal:` may name the seal)
    issue: Issue | None = None


def result_html(
    inputs: ResultInputs, env: jinja2.Environment | None = None, font_family: str = "sans-serif"
) -> str:
    issue = inputs.issue
    ctx: dict[str, Any] = {
        "title": inputs.title,
        "case_no": inputs.case_no,
        "issuer": inputs.issuer,
        "issued": f"{inputs.issued_on.year}年{inputs.issued_on.month}月{inputs.issued_on.day}日",
        "holder_name": inputs.holder_name,
        "holder_id": inputs.holder_id,
        "identifier": inputs.identifier,
        "valid_until": inputs.valid_until,
        "rows": inputs.rows,
        "check_code": issue.check_code if issue else None,
        "verify_url": issue.verify_url if issue else None,
        "qr_svg": qr_uri(f"{issue.verify_url}/{issue.check_code}") if issue else None,
        "seal_png": seal_uri(issue.seal_name) if issue and issue.seal_name else None,
        "font_family": font_family,
    }
    name = f"documents/results/{inputs.template}" if inputs.template else "documents/result.html"
    return (env or default_env()).get_template(name).render(ctx)


def render_result(inputs: ResultInputs, env: jinja2.Environment | None = None) -> bytes:
    """The result as a finished (sealed, once a seal is configured) PDF; blocking (~1 s)."""
    from weasyprint import HTML

    pdf = HTML(string=result_html(inputs, env, cjk_font_family())).write_pdf()
    assert pdf is not None
    seal = inputs.issue.seal_name if inputs.issue else None
    return finish(pdf, purpose=inputs.title, seal=seal)
