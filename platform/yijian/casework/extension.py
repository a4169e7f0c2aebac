"""延期 (行政许可法 §42): whether an approver may extend a case's deadline today.

Pure, like the clock it asks: the window's action calls it before writing the ``extended``
event and again inside the write transaction on the events as they are then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from yijian.casework.count import LEGAL_EXTENSION_DAYS, case_clock
from yijian.runtime.deadline import PromisedLimit

__all__ = ["check_extension"]


def check_extension(
    events: Sequence[Any],
    limit: PromisedLimit | None,
    calendar: Any,
    today: date,
    days: int,
    *,
    approver: str | None,
    reason: str,
    legal_extension_days: int = LEGAL_EXTENSION_DAYS,
) -> str | None:
    """Why an extension of ``days`` working days cannot be granted today, or None (§42: the
    head's approval and a reason, before the deadline, within the legal extension in all)."""
    if not approver:
        return "延期须经负责人批准"
    if not reason.strip():
        return "请写明延期理由"
    if days <= 0:
        return "延长的天数须大于 0"
    clock = case_clock(events, limit, calendar, today)
    if clock.closed:
        return "办件已办结或终止，不能延期"
    if clock.paused:
        return "办理时限暂停中（特别程序或补正），恢复计时后再申请延期"
    if clock.deadline is None:
        return "办件尚未受理或办理时限无法计算，不能延期"
    if today > clock.deadline:
        return "办理时限已届满，不能再延期（延期须在时限届满前批准）"
    if clock.extended_days + days > legal_extension_days:
        left = legal_extension_days - clock.extended_days
        return f"延期合计不得超过法定的 {legal_extension_days} 个工作日（还可延长 {left} 个）"
    return None
