"""好差评: a case's rating and what a bad one sets going, folded from its events. Pure.

GB/T 39734-2020 and 国办发〔2019〕51号 (domain reference §4.7 [核]): five grades, 非常满意 (5) …
非常不满意 (1); online one rating per case (一事一评) after it is closed, at the window one per
visit (一次一评); online indicators 整体满意度、办事效率、办事指南精确度、办事便捷度、平台操作性.
A rating of 1 or 2 is a 差评: the responsible department (谁办理、谁负责) must return the call
(回访) and put it right (整改) within the county's number of working days, or ask for a review
(申诉复核) when the rating was mistaken or malicious; a supervisor decides the review, and an
upheld appeal takes the rating out of the figures.

Events (top-level case): ``rated`` {score, indicators, comment, channel: online|window},
``revisited`` {note}, ``rectified`` {note}, ``rating_appealed`` {reason},
``appeal_decided`` {upheld: bool, note}, ``rating_reminded`` {}.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from yijian.casework.facts import day_of

__all__ = [
    "APPEALED",
    "APPEAL_DECIDED",
    "GRADES",
    "INDICATORS",
    "RATED",
    "RECTIFIED",
    "REMINDED",
    "REVISITED",
    "RatingState",
    "may_appeal",
    "may_decide_appeal",
    "may_rate",
    "may_rectify",
    "may_revisit",
    "rating_of",
]

RATED = "rated"
REVISITED = "revisited"
RECTIFIED = "rectified"
APPEALED = "rating_appealed"
APPEAL_DECIDED = "appeal_decided"
REMINDED = "rating_reminded"

GRADES = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
#: GB/T 39734 online indicators (网上“一事一评”), each graded like the whole.
INDICATORS = {
    "overall": "整体满意度",
    "efficiency": "办事效率",
    "guide": "办事指南精确度",
    "convenience": "办事便捷度",
    "usability": "平台操作性",
}
#: Closed cases can be rated (online); 办结 includes 不予受理 and 不予许可 — they are rated too.
RATEABLE = frozenset({"concluded", "delivered", "refused", "terminated", "revoked"})


@dataclass(frozen=True)
class RatingState:
    score: int | None  # the online rating (一事一评), if given
    rated_on: date | None
    window_scores: tuple[int, ...]  # 一次一评 at the window
    bad: bool  # a 差评 (1–2) online
    revisited: bool
    rectified: bool
    appealed: bool
    appeal_upheld: bool | None  # None: not decided (or not appealed)
    reminded: bool

    @property
    def counts(self) -> bool:
        """Whether the online rating counts in the figures (an upheld appeal removes it)."""
        return self.score is not None and self.appeal_upheld is not True

    @property
    def open(self) -> bool:
        """A 差评 still waiting for its department (回访 and 整改, or a review)."""
        if not self.bad or self.appeal_upheld is True:
            return False
        if self.appealed and self.appeal_upheld is None:
            return False  # with the supervisor
        return not self.rectified


def rating_of(events: Sequence[Any]) -> RatingState:
    score = rated_on = None
    window: list[int] = []
    flags = {"revisited": False, "rectified": False, "appealed": False, "reminded": False}
    upheld = None
    for e in events:
        data = e.data or {}
        if e.kind == RATED:
            if data.get("channel") == "window":
                window.append(int(data.get("score", 0)))
            elif score is None:
                score, rated_on = int(data.get("score", 0)), day_of(e)
        elif e.kind == REVISITED:
            flags["revisited"] = True
        elif e.kind == RECTIFIED:
            flags["rectified"] = True
        elif e.kind == APPEALED:
            flags["appealed"] = True
        elif e.kind == APPEAL_DECIDED:
            upheld = bool(data.get("upheld"))
        elif e.kind == REMINDED:
            flags["reminded"] = True
    bad = score is not None and score <= 2
    return RatingState(score, rated_on, tuple(window), bad, appeal_upheld=upheld, **flags)


def _status(events: Sequence[Any]) -> str:
    for e in reversed(events):
        if e.status:
            return str(e.status)
    return "submitted"


def may_rate(events: Sequence[Any]) -> str | None:
    if _status(events) not in RATEABLE:
        return "办件办结后才能评价"
    if rating_of(events).score is not None:
        return "您已评价过该办件（一事一评）"
    return None


def may_revisit(events: Sequence[Any]) -> str | None:
    r = rating_of(events)
    if not r.open:
        return "该办件没有待处理的差评"
    return "已记录回访" if r.revisited else None


def may_rectify(events: Sequence[Any]) -> str | None:
    r = rating_of(events)
    if not r.open:
        return "该办件没有待处理的差评"
    return None if r.revisited else "请先回访申请人，再记录整改"


def may_appeal(events: Sequence[Any]) -> str | None:
    r = rating_of(events)
    if not r.bad or r.rectified:
        return "只有未整改的差评可以申诉复核"
    return "已申请复核" if r.appealed else None


def may_decide_appeal(events: Sequence[Any]) -> str | None:
    r = rating_of(events)
    if not r.appealed:
        return "该差评没有申诉"
    return "复核已有结论" if r.appeal_upheld is not None else None
