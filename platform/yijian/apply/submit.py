"""Submitting a draft: re-validate everything, explain a refusal, create the case.

The store makes the case one transaction and idempotent per draft, so a double click creates
one case. For a bundle each included member becomes a sub-case pinned to its member's version,
with its own summary. Only what the rules show is submitted (``submission``); check-your-
answers and submission both judge those answers, so what the citizen checks is what the
department gets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from yijian.apply import assist, commitments, deadend, materials
from yijian.apply.evaluation import outcome
from yijian.apply.services import Services
from yijian.apply.submission import submission
from yijian.apply.summary import summary
from yijian.compiled.matter import CompiledMatter
from yijian.compose.plan import member_offsets
from yijian.runtime.evaluate import Outcome

log = logging.getLogger("yijian.apply")


@dataclass(frozen=True)
class Submitted:
    """What happened: ``case`` when created; else the page with errors (``fix_page``), the
    upload step (``missing_materials``) or a refusal (``refused``, with ``out`` to explain)."""

    out: Outcome
    case: Any = None
    fix_page: str | None = None
    missing_materials: bool = False
    refused: bool = False
    unconfirmed: bool = False  # 帮办代办: the applicant has not confirmed yet
    barred: str | None = None  # 告知承诺 chosen by an applicant whose credit bars it


def first_page_with_errors(m: CompiledMatter, out: Outcome) -> str:
    return next(
        (
            p.id
            for p in m.pages
            if p.id in out.pages
            and any(
                f.key in out.errors or any(k.startswith(f.key + ".") for k in out.errors)
                for f in p.fields
                if f.key
            )
        ),
        out.pages[0],
    )


def submit(services: Services, draft: Any, m: CompiledMatter) -> Submitted:
    """Create the case for ``draft`` on its pinned matter ``m``, or say why not."""
    answers, out = submission(services, m, draft.answers)
    if out.errors and not deadend.known(m, out, None):  # refused whatever is still to fill
        return Submitted(out, fix_page=first_page_with_errors(m, out))
    if not out.eligible:
        return Submitted(out, refused=True)
    specs = materials.pending(m, out)
    files = materials.uploaded(services.store, draft.id) if specs else {}
    if materials.missing(specs, files):  # a 必要 material without a file: back to the step
        return Submitted(out, missing_materials=True)
    assisted = assist.summary_of(draft)
    if assisted is not None and not assisted["via"]:
        return Submitted(out, unconfirmed=True)
    applicant = assisted["applicant"] if assisted is not None else None
    if out.extra.get(commitments.KEY) and commitments.flagged(services.store, answers, applicant):
        return Submitted(out, barred=commitments.FLAGGED)
    keys = commitments.chosen(draft.answers)
    ctx = services.context()
    due = member_offsets(out.steps)  # each member's place in this application's plan
    children = [
        {
            "matter_id": member.id,
            "version": member.version,
            "answers": answers,
            "summary": summary(
                services,
                member,
                outcome(services, member, answers, ctx=ctx, chosen=keys),
                ctx.today,
                files,
                planned_days=due.get(member.id),
            ),
        }
        for member in m.members
        if member.id in out.matters
    ]
    top = summary(services, m, out, ctx.today, files)
    if assisted is not None:  # 代办: who filled it, how the applicant confirmed, whose it is
        top = {**top, "assisted": assisted, "applicant": assisted["applicant"]}
    for child in children:  # one applicant for the whole application, whatever a member names
        if top.get("applicant") or not child["summary"].get("applicant"):
            child["summary"]["applicant"] = top.get("applicant")
    case = services.store.cases.submit(draft, answers, top, services.region, children)
    log.info("case submitted for %s", m.id)
    return Submitted(out, case=case)
