"""Explanations (:mod:`yijian.runtime.explanation`) as the plain dicts templates draw.

Shared by the citizen's banner and review page (reasons linking to the question to change) and
the staff case page (reasons with places, the rule id and its definition's file:line). Plain
JSON-shaped values only: the banner is cached by its ``repr`` (``templating.BannerCache``).
Links are relative (``<page>?at=<key>#<anchor>``): every page that shows the banner is a
sibling under ``/drafts/<id>/``, so one banner's HTML serves every draft; ``at`` takes the
长辈版, which shows one question at a time, to the screen of that question.
"""

from __future__ import annotations

import logging
from typing import Any

from yijian.compiled.matter import CompiledMatter
from yijian.runtime.evaluate import Outcome
from yijian.runtime.explanation import Explanation, explain

log = logging.getLogger("yijian.web")


def reasons(e: Explanation | None, link: bool = True) -> list[dict[str, Any]]:
    """One dict per reason: ``text``, ``either`` (an alternative after the first: "或"),
    ``cites`` (``place`` and ``href``; no link to a question on a page not shown now)."""
    if e is None:
        return []
    return [
        {
            "text": r.text,
            "either": r.either and i > 0,
            "cites": [
                {
                    "place": c.place,
                    "href": f"{c.page}?at={c.key}#{c.anchor}" if link and c.page_no else None,
                }
                for c in r.cites
            ],
        }
        for i, r in enumerate(e.reasons)
    ]


def explained(
    m: CompiledMatter | None, out: Outcome, regions: Any = None
) -> dict[str, Explanation]:
    """The explanations of ``out``'s failing rules, or none when the definition is gone or an
    explanation cannot be built (it adds facts; a page never fails for want of them)."""
    if m is None:
        return {}
    try:
        return explain(m, out, regions)
    except Exception:  # a defect here must not hide the author's message
        log.exception("explaining the rules of %s failed", m.id)
        return {}


def staff_rules(
    m: CompiledMatter | None, out: Outcome, regions: Any = None
) -> list[dict[str, Any]]:
    """The failing rules for the staff case page: id, name, the author's message, where the
    rule is defined and the reasons with places (no links: the staff page has its own)."""
    found = explained(m, out, regions)
    rows = []
    for r in out.rules:
        if r.passed is not False:
            continue
        e = found.get(r.spec.id)
        site = e.site if e is not None else ""
        rows.append(
            {
                "id": r.spec.id,
                "name": r.spec.name,
                "text": r.text,
                "block": r.spec.block,
                "site": site,
                "either": bool(e and e.either),
                "why": reasons(e, link=False),
            }
        )
    return rows
