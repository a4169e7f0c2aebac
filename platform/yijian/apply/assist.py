"""帮办代办: a clerk fills an application for a person at the window, through the same journey.

The clerk starts an ordinary draft (``drafts.start``) with the applicant's identity recorded in
the draft's meta, then fills the very same pages, checks and uploads a citizen would (the web
routes are the citizen's; no copy of the form code). The applicant confirms before it is
submitted: by a six-digit code sent to their phone through the notification outbox, or by a
signed printout the clerk attests. The case then says it was filled on the applicant's behalf
and by whom (``summary["assisted"]``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from yijian.apply import drafts
from yijian.apply.errors import ApplyError
from yijian.apply.labels import META
from yijian.apply.services import Services
from yijian.rules.builtins.cnid import id_card_valid, mobile_valid
from yijian.runtime.mask import mask_id
from yijian.store.outbox import OutboxItem

__all__ = ["AssistError", "Assisted", "assisted_of", "confirm", "start_assisted"]

KEY = "assist"


class AssistError(ApplyError):
    """A 代办 step that cannot be taken; the message says why."""

    status = 400


@dataclass(frozen=True)
class Assisted:
    draft_id: str
    first_page: str


def _digest(draft_id: str, code: str) -> str:
    return hashlib.sha256(f"{draft_id}:{code}".encode()).hexdigest()


def start_assisted(
    services: Services, matter_id: str, clerk: str, name: str, id_number: str, phone: str
) -> Assisted:
    """A draft for the applicant, its identity recorded and a confirmation code on its way."""
    name, id_number, phone = name.strip()[:50], id_number.strip().upper(), phone.strip()
    if not name:
        raise AssistError("请填写申请人姓名")
    if not id_card_valid(id_number):
        raise AssistError("申请人公民身份号码不正确")
    if not mobile_valid(phone):
        raise AssistError("请填写申请人的 11 位手机号码，用于接收确认码")
    new = drafts.start(services, matter_id, None)
    code = f"{secrets.randbelow(10**6):06d}"
    answers = dict(new.answers)
    meta = dict(answers.get(META) or {})
    meta[KEY] = {
        "by": clerk,
        "name": name,
        "id_number": id_number,
        "phone": phone,
        "code": _digest(new.draft_id, code),
        "confirmed": None,
    }
    answers[META] = meta
    services.store.drafts.save(new.draft_id, answers, new.first_page)
    data = {"code": code, "matter": new.matter.name, "id": mask_id(id_number)}
    item = OutboxItem(f"assist:{new.draft_id}", "sms", phone, "assist_code", data)
    services.store.outbox.add(item)  # type: ignore[attr-defined]
    return Assisted(new.draft_id, new.first_page)


def assisted_of(draft: Any) -> dict[str, Any] | None:
    """The 代办 record of a draft, or None for the citizen's own application."""
    found = (draft.answers.get(META) or {}).get(KEY)
    return dict(found) if isinstance(found, dict) else None


def confirm(services: Services, draft: Any, code: str | None, printout: bool) -> None:
    """The applicant's confirmation: the code they received, or a signed printout."""
    record = assisted_of(draft)
    if record is None:
        raise AssistError("这不是代办的申请")
    if printout:
        via = "printout"
    elif code and hmac.compare_digest(_digest(draft.id, code.strip()), record["code"]):
        via = "code"
    else:
        raise AssistError("确认码不正确：请核对申请人手机收到的 6 位确认码，或改用签字确认")
    answers = dict(draft.answers)
    meta = dict(answers.get(META) or {})
    meta[KEY] = {**record, "confirmed": via}
    answers[META] = meta
    services.store.drafts.save(draft.id, answers, draft.page)


def summary_of(draft: Any) -> dict[str, Any] | None:
    """What the case keeps of it: who filled it, how the applicant confirmed, whose it is."""
    record = assisted_of(draft)
    if record is None:
        return None
    return {
        "by": record["by"],
        "via": record.get("confirmed"),
        "applicant": {"name": record["name"], "id_number": record["id_number"]},
    }
