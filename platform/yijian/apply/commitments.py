"""告知承诺 on the citizen's side: which commitments an application may give, and their effect.

A matter lists ``commitments:`` (matter.yaml; domain reference §4.6): a written commitment the
department accepts instead of a material (not asked for any more) or an eligibility rule (no
longer blocking). The citizen ticks one on the materials or check-your-answers step; the
draft keeps the choice under ``_meta.commitments`` (never an answer: a department must not
read it as one) and every evaluation of the draft applies it (:func:`effective`), so the
upload step, check-your-answers, submission and the case summary agree. A commitment made in
the form itself (``answer:``, a declaration such as 消防 告知承诺) has no box: it is chosen
when that answer is true.

Who cannot: an applicant flagged for a broken or false commitment (``store.credit``, the same
flag 容缺受理 consults) until their credit is repaired. The applicant is the 代办 applicant's
ID number, else the form's first ``…id_number`` answer, and its ``…uscc`` (a business).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.apply.labels import META
from yijian.compiled.matter import CompiledMatter
from yijian.defs.matter import Commitment
from yijian.runtime.answers import get
from yijian.runtime.evaluate import Outcome

__all__ = [
    "FLAGGED",
    "KEY",
    "CommitmentError",
    "Offer",
    "available",
    "chosen",
    "effective",
    "flagged",
    "offers",
    "recorded",
    "subjects",
    "with_choice",
]

KEY = "commitments"  # under _meta: the keys of the commitments ticked
FLAGGED = "申请人曾作出虚假承诺或未履行承诺，信用修复前不适用告知承诺，请按要求提交材料"


class CommitmentError(ValueError):
    """A choice that cannot be made; the message says why, for the citizen."""


@dataclass(frozen=True)
class Offer:
    """One commitment of one matter (a bundle: of one member)."""

    matter: CompiledMatter
    commitment: Commitment

    @property
    def key(self) -> str:
        """The commitment as the draft and the form name it: ``<matter id>:<commitment id>``."""
        return f"{self.matter.id}:{self.commitment.id}"


def _matters(m: CompiledMatter) -> tuple[CompiledMatter, ...]:
    return m.members if m.kind == "bundle" else (m,)


def offers(m: CompiledMatter) -> list[Offer]:
    """Every commitment the matter (or a bundle's members) defines."""
    return [Offer(x, c) for x in _matters(m) for c in getattr(x.matter, "commitments", None) or ()]


def chosen(answers: Mapping[str, Any]) -> list[str]:
    """The commitment keys a draft's citizen ticked."""
    meta = answers.get(META) if isinstance(answers, Mapping) else None
    keys = meta.get(KEY) if isinstance(meta, Mapping) else None
    return [str(k) for k in keys] if isinstance(keys, list) else []


def _included(m: CompiledMatter, out: Outcome, offer: Offer) -> bool:
    return m.kind != "bundle" or offer.matter.id in out.matters


def available(m: CompiledMatter, out: Outcome) -> list[Offer]:
    """The boxes this application shows: commitments without a form answer, of included
    members, that replace a material the application asks for (or already replaced) or a rule
    it evaluates."""
    asked = {ms.material.id for ms in out.materials} | set(out.extra.get("replaced") or ())
    rules = {(r.spec.matter or m.id, r.spec.id) for r in out.rules if r.passed is not None}
    found = []
    for o in offers(m):
        if o.commitment.answer is not None or not _included(m, out, o):
            continue
        rule_owner = o.matter.id if m.kind == "bundle" else m.id
        if set(o.commitment.replaces.materials) & asked or any(
            (rule_owner, r) in rules for r in o.commitment.replaces.rules
        ):
            found.append(o)
    return found


def _made(m: CompiledMatter, out: Outcome, keys: Iterable[str]) -> list[Offer]:
    """The commitments in force: ticked ones still offered, and those the form's answer made."""
    wanted = set(keys)
    made = []
    for o in offers(m):
        if not _included(m, out, o):
            continue
        if o.commitment.answer is not None:
            if get(out.data, o.commitment.answer) is True:
                made.append(o)
        elif o.key in wanted:
            made.append(o)
    return made


def effective(m: CompiledMatter, out: Outcome, keys: Sequence[str]) -> Outcome:
    """``out`` with the commitments in force applied: a replaced material leaves the list (a
    bundle: once every member asking for it has the commitment); a replaced rule no longer
    blocks. ``out.extra`` records ``commitments`` (keys) and ``replaced`` (material ids)."""
    made = _made(m, out, keys)
    if not made:
        return out
    by_matter: dict[str, set[str]] = {}
    rules: set[tuple[str, str]] = set()
    for o in made:
        by_matter.setdefault(o.matter.id, set()).update(o.commitment.replaces.materials)
        owner = o.matter.id if m.kind == "bundle" else ""
        rules.update((owner, r) for r in o.commitment.replaces.rules)

    def replaced(ms: Any) -> bool:
        askers = ms.matters or (m.id,)
        return all(ms.material.id in by_matter.get(a, ()) for a in askers)

    kept = [ms for ms in out.materials if not replaced(ms)]
    was = list(out.extra.get("replaced") or ())  # evaluated again on an effective outcome
    gone = list(dict.fromkeys([*was, *(ms.material.id for ms in out.materials if replaced(ms))]))
    results = [
        dataclasses.replace(r, spec=dataclasses.replace(r.spec, block=False))
        if (r.spec.matter, r.spec.id) in rules
        else r
        for r in out.rules
    ]
    extra = {**out.extra, KEY: [o.key for o in made], "replaced": gone}
    return dataclasses.replace(out, materials=kept, rules=results, extra=extra)


def recorded(m: CompiledMatter, out: Outcome) -> list[dict[str, Any]]:
    """The case summary's ``commitments``: what the applicant committed to, what it replaced,
    and who checks it when (``casework.commitment`` reads it after the decision)."""
    keys = set(out.extra.get(KEY) or ())
    entries = []
    for o in offers(m):
        if o.key not in keys:
            continue
        names = {ms.material.id: ms.material.name for ms in o.matter.materials}
        rule_names = {e.id: e.name for e in o.matter.eligibility}
        c = o.commitment
        entries.append(
            {
                "id": c.id,
                "matter": o.matter.id,
                "text": c.text,
                "materials": [{"id": x, "name": names.get(x, x)} for x in c.replaces.materials],
                "rules": [{"id": x, "name": rule_names.get(x, x)} for x in c.replaces.rules],
                "via": "answer" if c.answer else "choice",
                "check_after": c.check_after,
                "check_department": c.check_department,
            }
        )
    return entries


def _first(answers: Any, suffix: str) -> str | None:
    if isinstance(answers, Mapping):
        for key, value in answers.items():
            if key == META:
                continue
            if isinstance(value, str) and str(key).endswith(suffix) and value.strip():
                return value.strip()
            found = _first(value, suffix)
            if found:
                return found
    return None


def subjects(answers: Mapping[str, Any], applicant: Mapping[str, Any] | None = None) -> list[str]:
    """Whose credit the flag is kept under: the person (代办 applicant, else the form's first
    ``…id_number``) and the business (``…uscc``), each when known; 容缺受理 reads the first."""
    if applicant and isinstance(applicant.get("party"), Mapping):  # 代办: the person applied for
        applicant = applicant["party"]
    person = str(applicant["id_number"]) if applicant and applicant.get("id_number") else None
    found = [person or _first(answers, "id_number"), _first(answers, "uscc")]
    return [x for x in found if x]


def with_choice(
    m: CompiledMatter, out: Outcome, answers: Mapping[str, Any], keys: Sequence[str]
) -> dict[str, Any]:
    """The draft's answers with ``keys`` as its choice; unknown keys are an error."""
    known = {o.key for o in available(m, out)}
    wrong = [k for k in keys if k not in known]
    if wrong:
        raise CommitmentError("没有可选择的告知承诺：" + "、".join(wrong))
    meta = dict(answers.get(META) or {})
    meta[KEY] = list(dict.fromkeys(keys))
    return {**answers, META: meta}


def flagged(store: Any, answers: Mapping[str, Any], applicant: Mapping[str, Any] | None) -> bool:
    """Whether the applicant's credit bars 告知承诺 (and 容缺受理) now."""
    credit = getattr(store, "credit", None)
    return credit is not None and any(credit.flagged(x) for x in subjects(answers, applicant))


def choose(
    store: Any,
    m: CompiledMatter,
    out: Outcome,
    draft: Any,
    keys: Sequence[str],
    applicant: Mapping[str, Any] | None = None,
) -> None:
    """Save the citizen's ticks on the draft (``out``: its evaluation); refused with
    :data:`FLAGGED` when the applicant's credit bars 告知承诺."""
    answers = with_choice(m, out, draft.answers, keys)
    if keys and flagged(store, draft.answers, applicant):
        raise CommitmentError(FLAGGED)
    store.drafts.save(draft.id, answers, draft.page)


def boxes(m: CompiledMatter, out: Outcome, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What the page draws per box: name, text, what it replaces, whether ticked."""
    ticked = set(chosen(answers))
    rows = []
    for o in available(m, out):
        names = {ms.material.id: ms.material.name for ms in o.matter.materials}
        rule_names = {e.id: e.name for e in o.matter.eligibility}
        replaces = [names.get(x, x) for x in o.commitment.replaces.materials]
        replaces += [rule_names.get(x, x) for x in o.commitment.replaces.rules]
        rows.append(
            {
                "key": o.key,
                "id": "commitment-" + o.key.replace(":", "-"),
                "matter": o.matter.name,
                "text": o.commitment.text,
                "replaces": replaces,
                "checked": o.key in ticked,
            }
        )
    return rows
