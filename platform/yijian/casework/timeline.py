"""The case as its applicant follows it: the steps so far, what to do next, the current answers.

Pure over the case's events. The status line reads 已提交 → 待补正 → 已受理 → 审查中 → 已办结 /
不予受理 / 终止; every event the applicant should know of is a step with its date; a correction
notice in force is the next thing to do. The answers a case carries now are those submitted with
every accepted correction laid over them in order (``current_answers``): the submitted answers
stay as they were, and each correction is its own event, so what changed and when is never lost.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijian.casework import kinds
from yijian.casework.window import open_correction, status
from yijian.documents.notice import notice_title
from yijian.runtime.answers import put

TITLES = {
    kinds.SUBMITTED: "已提交申请",
    kinds.ACCEPTED: "窗口已受理",
    kinds.CORRECTION_REQUESTED: "需要补正材料",
    kinds.CORRECTED: "已提交补正",
    kinds.REFUSED: "不予受理",
    kinds.TOLERANT_ACCEPTED: "容缺受理",
    kinds.SUPPLIED: "已补交容缺材料",
    kinds.TERMINATED: "终止办理",
    kinds.SUSPENDED: "办理时限中止",
    kinds.RESUMED: "办理时限恢复计算",
    kinds.EXTENDED: "办理时限延长",
    kinds.CONCLUDED: "已办结",
    kinds.CALENDAR_CHANGED: "办理期限随工作日历调整",
    kinds.DELIVERED: "已出件",
    kinds.REVOKED: "决定已撤销",
}

#: What a decision says to the applicant (``concluded``'s ``decision``).
DECISION_WORDS = {
    "approved": "准予",
    "denied": "不予许可",
    "partial": "部分事项准予",
    "terminated": "终止办理",
    "revoked": "决定已撤销",
}

#: The status line, as the applicant reads it (the window's own words: ``window.STATUS_WORDS``);
#: a status not listed prints as it is.
STATUS_TEXT = {
    "submitted": ("已提交", "blue"),
    "accepted": ("已受理", "blue"),
    "correction": ("待补正", "yellow"),
    "reviewing": ("审查中", "blue"),
    "refused": ("不予受理", "red"),
    "approved": ("已办结", "green"),
    "denied": ("不予许可", "red"),
    "withdrawn": ("已撤回", "grey"),
    "terminated": ("已终止办理", "red"),
    "concluded": ("已办结", "green"),
    "delivered": ("已出件", "green"),
    "revoked": ("决定已撤销", "red"),
}


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    title: str
    on: str  # YYYY-MM-DD (China time, as the events are stamped)
    detail: str  # one line: the reason, the basis, what to correct …
    seq: int
    notice: str | None = None  # the title of the notice this event produced, if any


def _detail(kind: str, data: Mapping[str, Any]) -> str:
    if kind == kinds.REFUSED:
        return f"理由：{data.get('reason', '')}；依据：{data.get('basis', '')}"
    if kind == kinds.CORRECTION_REQUESTED:
        labels = "、".join(str(i.get("label") or i.get("id")) for i in data.get("items", []))
        return f"需补正：{labels}；请于 {data.get('due', '')} 前提交"
    if kind == kinds.CORRECTED:
        return f"已修改 {len(data.get('changed', []))} 项"
    if kind == kinds.TOLERANT_ACCEPTED:
        labels = "、".join(str(m.get("label") or m.get("id")) for m in data.get("materials", []))
        return f"容缺后补：{labels}；请于 {data.get('due', '')} 前补齐"
    if kind == kinds.SUPPLIED:
        return str(data.get("label") or "")
    if kind == kinds.CALENDAR_CHANGED:
        was, now = data.get("was", ""), data.get("now", "")
        return f"承诺办结日期由 {was} 调整为 {now}（节假日安排变化）"
    if kind == kinds.CONCLUDED and data.get("decision"):
        text = DECISION_WORDS.get(str(data["decision"]), "")
        if data.get("reason"):
            text += f"。理由：{data['reason']}；依据：{data.get('basis', '')}"
        return text
    if kind == kinds.DELIVERED:
        if data.get("method") == "post":
            return f"已邮寄送达，快递单号 {data.get('tracking', '')}"
        return "已在综合窗口领取全部办理结果"
    if kind == kinds.REVOKED:
        return f"理由：{data.get('reason', '')}；依据：{data.get('basis', '')}"
    if kind in (kinds.SUSPENDED, kinds.EXTENDED, kinds.TERMINATED):
        return str(data.get("reason") or data.get("procedure") or "")
    return ""


def steps(events: Sequence[Any]) -> list[Step]:
    """Every event the applicant should see, oldest first (internal kinds are left out)."""
    return [
        Step(
            e.kind,
            TITLES[e.kind],
            e.at[:10],
            _detail(e.kind, e.data or {}),
            e.seq,
            notice_title(e.kind, e.data or {}),
        )
        for e in events
        if e.kind in TITLES
    ]


def result_of(events: Sequence[Any]) -> str | None:
    """A sub-case's result in one line (准予 / 不予许可：理由 / 终止办理：理由), or None while
    it runs: the applicant's case page lists each member's result (综合出件)."""
    for e in reversed(events):
        data = e.data or {}
        if e.kind == kinds.CONCLUDED:
            return _detail(e.kind, data) or "已办结"
        if e.kind in (kinds.TERMINATED, kinds.REVOKED):
            word = DECISION_WORDS["terminated" if e.kind == kinds.TERMINATED else "revoked"]
            return f"{word}：{data.get('reason', '')}"
    return None


def outstanding(events: Sequence[Any]) -> tuple[list[dict[str, str]], str | None]:
    """(materials still to supply, their due date) of a 容缺受理 case still running."""
    accepted = next((e for e in events if e.kind == kinds.TOLERANT_ACCEPTED), None)
    if accepted is None or status(events) != "accepted":
        return [], None
    supplied = {(e.data or {}).get("material") for e in events if e.kind == kinds.SUPPLIED}
    left = [m for m in accepted.data.get("materials", []) if m.get("id") not in supplied]
    return left, accepted.data.get("due")


def next_action(events: Sequence[Any]) -> dict[str, Any] | None:
    """What the applicant must do now: answer the correction notice, or supply the materials
    容缺受理 left for later — with the items and the due date."""
    notice = open_correction(events)
    if notice is not None:
        return {"kind": "correct", "items": notice.get("items", []), "due": notice.get("due")}
    left, due = outstanding(events)
    if left:
        return {"kind": "supply", "items": left, "due": due}
    return None


def current_answers(submitted: Mapping[str, Any], events: Sequence[Any]) -> dict[str, Any]:
    """The submitted answers with each correction's answers laid over them, in order."""
    answers = copy.deepcopy(dict(submitted))
    for e in events:
        if e.kind == kinds.CORRECTED:
            for key, value in (e.data or {}).get("answers", {}).items():
                put(answers, key, value)
    return answers
