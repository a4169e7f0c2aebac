"""What a case event tells the applicant, in Chinese, with masked personal data only.

``messages_for`` turns one event of one case into outbox items (an SMS to the phone the
applicant gave, an e-mail when they gave an address); ``render`` turns a stored item back into
its subject and body when it is sent, so a template fix reaches messages not yet delivered.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from yijian.rules.builtins.cnid import mobile_valid
from yijian.runtime.mask import mask_name
from yijian.store.outbox import OutboxItem

__all__ = ["TEMPLATES", "messages_for", "render"]

#: (subject, body) per event kind; ``{…}`` are keys of the item's data.
TEMPLATES: dict[str, tuple[str, str]] = {
    "accepted": (
        "您的申请已受理",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已受理。可在“我的办件”查看进度。",
    ),
    "correction_requested": (
        "您的申请需要补正",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）需要补正 {count} 项内容，"
        "请于 {due} 前在“我的办件”中提交补正。",
    ),
    "refused": (
        "您的申请未予受理",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）未予受理，理由和依据见"
        "“我的办件”中的不予受理决定书。",
    ),
    "tolerant_accepted": (
        "您的申请已容缺受理",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已容缺受理，"
        "请于 {due} 前补齐材料。",
    ),
    "terminated": (
        "您的申请已终止办理",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已终止办理，详情见“我的办件”。",
    ),
    "extended": (
        "办理期限延长",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）办理期限经批准延长，"
        "详见“我的办件”。",
    ),
    "tolerance_reminder": (
        "请按期补交容缺材料",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已容缺受理，请于 {due} 前"
        "在“我的办件”补交材料，逾期将终止办理。如已补交，请忽略本提醒。",
    ),
    "assist_code": (
        "代办确认码",
        "您好：窗口工作人员正在为您（{id}）代办{matter}，确认码 {code}。确认由他人代办时，"
        "请把确认码告诉工作人员；如非本人申请，请勿告知。",
    ),
    "revoked": (
        "办理结果已撤销",
        "{applicant}您好：经核查，您就{matter}（办件编号 {case_no}）作出的告知承诺与实际情况不符，"
        "原办理结果已依法撤销，今后在信用修复前不适用容缺受理和告知承诺。详情见“我的办件”。",
    ),
    "concluded": (
        "您的申请已办结",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已办结，请在“我的办件”查看结果。",
    ),
    "signup_code": (
        "注册验证码",
        "您正在注册一件政务服务账号，验证码 {code}，10 分钟内有效。如非本人操作，请忽略本短信。",
    ),
    "rating_reminded": (
        "请为本次办理评价",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）已办结，欢迎在“我的办件”中评价"
        "（好差评），您的评价将用于改进服务。",
    ),
    "delivered": (
        "办理结果已出件",
        "{applicant}您好：您申请的{matter}（办件编号 {case_no}）的办理结果已出件，"
        "请在“我的办件”查看。",
    ),
    # account messages (issue 13): no event, sent by the sign-in and sign-up pages
    "signin_locked": (
        "账号登录已暂停",
        "您好：您的账号在短时间内多次输入错误密码，为保护账号安全，已暂停登录 {minutes} 分钟。"
        "如不是您本人在登录，请在恢复后修改密码。",
    ),
    "signup_existing": (
        "注册提醒",
        "您好：有人用本手机号码申请注册，而这个号码已经注册过。如是您本人，请直接登录；"
        "如不是您本人操作，请忽略本短信，您的账号不受影响。",
    ),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _contacts(answers: Any, found: dict[str, str] | None = None) -> dict[str, str]:
    """The first valid mobile number and e-mail address among the answers (any depth)."""
    found = {} if found is None else found
    if isinstance(answers, Mapping):
        for key, value in answers.items():
            if isinstance(value, str):
                if "phone" not in found and "phone" in str(key) and mobile_valid(value):
                    found["phone"] = value.strip()
                if "email" not in found and _EMAIL.match(value.strip()):
                    found["email"] = value.strip()
            else:
                _contacts(value, found)
    return found


def messages_for(
    kind: str,
    seq: int,
    case_no: str,
    matter: str,
    applicant: str | None,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> list[OutboxItem]:
    """The messages event ``seq`` (of ``kind``) of a case sends; none for a silent kind."""
    if kind not in TEMPLATES:
        return []
    values = {
        "case_no": case_no,
        "matter": matter,
        "applicant": mask_name(applicant) if applicant else "申请人",
        "due": str(data.get("due") or ""),
        "count": len(data.get("items") or []),
    }
    contacts = _contacts(answers)
    channels = (("sms", "phone"), ("email", "email"))
    return [
        OutboxItem(f"{case_no}:{seq}:{channel}", channel, contacts[what], kind, values)
        for channel, what in channels
        if what in contacts
    ]


def reminders_for(
    kind: str,
    seq: int,
    case_no: str,
    matter: str,
    applicant: str | None,
    answers: Mapping[str, Any],
    data: Mapping[str, Any],
) -> list[OutboxItem]:
    """Scheduled messages an event sets up: for 容缺受理, a reminder before the due date."""
    if kind != "tolerant_accepted" or not data.get("due"):
        return []
    items = messages_for(kind, seq, case_no, matter, applicant, answers, data)
    return [
        OutboxItem(f"{i.key}:reminder", i.channel, i.recipient, "tolerance_reminder", i.data)
        for i in items
    ]


def render(template: str, data: Mapping[str, Any]) -> tuple[str, str]:
    subject, body = TEMPLATES[template]
    return subject, body.format(**{k: data.get(k, "") for k in re.findall(r"{(\w+)}", body)})
