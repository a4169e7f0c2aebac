"""综合窗口出件: the window hands out every result of a case together, or posts them.

One ``delivered`` event on the top-level case, once the case is concluded (a bundle: when every
included member is closed; a refused member's 不予许可决定书 is a result too). By post the
address comes from the form when it asked for one (the clerk may correct it) and a tracking
number is required. The event lists each member's result, so the applicant's timeline shows
what was handed out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.casework.timeline import result_of
from yijian.casework.window import status
from yijian.office.window import WindowError, act, open_case
from yijian.runtime.answers import get
from yijian.store import Event
from yijian.store.staff import StaffMember

__all__ = ["deliver", "may_deliver", "post_address"]

#: Answer keys a form may use for a postal address, most specific first.
ADDRESS_KEYS = ("delivery.address", "mail.address", "card.address", "contact.address")


def may_deliver(events: Sequence[Any]) -> str | None:
    now = status(events)
    if now == "delivered":
        return "该办件已出件，不能重复出件"
    if now != "concluded":
        return "该办件尚未办结，全部事项办结后才能统一出件"
    return None


def post_address(answers: dict[str, Any]) -> str:
    """The postal address the applicant gave, if the form asked for one."""
    for key in ADDRESS_KEYS:
        value = get(answers, key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict):
            text = "".join(str(v) for k, v in value.items() if not str(k).startswith("_"))
            if text.strip():
                return text.strip()
    return ""


def deliver(
    services: Services,
    member: StaffMember | None,
    case_no: str,
    method: str,
    address: str = "",
    tracking: str = "",
) -> Event:
    """Record 出件 at the window (``method`` window) or by post (address and tracking number)."""
    if method not in ("window", "post"):
        raise WindowError("请选择出件方式：窗口领取或邮寄送达")
    data: dict[str, Any] = {"method": method}
    if method == "post":
        seen = open_case(services, member, case_no, evaluate=False)
        address = (address.strip() or post_address(seen.case.answers))[:300]
        tracking = tracking.strip()[:64]
        if not address:
            raise WindowError("邮寄送达须填写收件地址")
        if not tracking:
            raise WindowError("邮寄送达须填写快递单号")
        data |= {"address": address, "tracking": tracking}
    seen = open_case(services, member, case_no, evaluate=False)
    data["results"] = [
        {"matter": c.matter_id, "result": result_of(services.store.cases.events(c.case_no)) or ""}
        for c in seen.case.children
    ]
    return act(services, member, case_no, kinds.DELIVERED, data, may_deliver)
