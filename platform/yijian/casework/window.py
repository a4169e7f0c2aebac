"""What the window (一窗受理) may do with a case, decided from its events alone.

Each function returns None when the action is allowed, or the reason it is not, in Chinese,
as the clerk reads it. The store runs these checks inside the write transaction that would
append the action's event (``store.cases.act``), so a double click or two clerks at once act
once; the second gets the message and nothing changes.

The law behind the checks (domain reference §4): 行政许可法 §32 — the window accepts, refuses,
or tells the applicant *once and in full* what to correct (一次性告知), within five working
days of receipt; a second correction notice before acceptance is exactly what 一次性告知
forbids. 容缺受理 applies only to materials the definition marks 容缺后补.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from yijian.casework import kinds


class EventLike(Protocol):
    @property
    def kind(self) -> str: ...

    @property
    def status(self) -> str | None: ...


STATUS_WORDS = {
    "submitted": "待受理",
    "accepted": "已受理",
    "correction": "待补正",
    "refused": "已不予受理",
    "terminated": "已终止办理",
    "concluded": "已办结",
    "delivered": "已出件",
    "revoked": "决定已撤销",
}


def status(events: Sequence[EventLike]) -> str:
    """The case's status: that of the last event that set one."""
    for event in reversed(events):
        if event.status:
            return event.status
    return kinds.STATUS[kinds.SUBMITTED]


def _at_window(events: Sequence[EventLike], action: str) -> str | None:
    now = status(events)
    if now == "submitted":
        return None
    if now == "correction":
        return f"该办件正在等待申请人补正，补正提交后才能{action}"
    return f"该办件{STATUS_WORDS.get(now, now)}，不能{action}"


def may_accept(events: Sequence[EventLike]) -> str | None:
    return _at_window(events, "受理")


def may_refuse(events: Sequence[EventLike]) -> str | None:
    return _at_window(events, "不予受理")


def may_accept_tolerantly(events: Sequence[EventLike]) -> str | None:
    return _at_window(events, "容缺受理")


def may_request_correction(events: Sequence[EventLike]) -> str | None:
    """One notice, before acceptance (一次性告知): a second one is refused."""
    refusal = _at_window(events, "发出补正通知")
    if refusal is not None:
        return refusal
    if any(e.kind == kinds.CORRECTION_REQUESTED for e in events):
        return "已发出过一次性补正通知：依法应一次告知需补正的全部内容，不能再次要求补正"
    return None


def may_correct(events: Sequence[EventLike]) -> str | None:
    """The applicant answers the correction notice (only while one is open)."""
    if status(events) != "correction":
        return "该办件没有待补正的内容"
    return None


def open_correction(events: Sequence[EventLike]) -> dict | None:  # type: ignore[type-arg]
    """The data of the correction notice the applicant still has to answer, if any."""
    if status(events) != "correction":
        return None
    for event in reversed(events):
        if event.kind == kinds.CORRECTION_REQUESTED:
            return dict(getattr(event, "data", {}) or {})
    return None
