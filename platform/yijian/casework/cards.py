"""Yellow and red cards (黄牌/红牌, 电子监察): which a running case has earned and not yet got.

Pure: the case's events, its clock and its open tasks in, the cards to raise out. A card is a
``card_raised`` event on the top-level case (``kinds.CARD_RAISED``), raised once per case,
colour and step (``step`` None for the case's own promise): a case that turns yellow gets one
yellow card, and one red card when it is late; each of its steps the same on its own deadline.
Cards are facts, not a light: they stay on the chain when the case later finishes, so the
supervision page counts what happened, not only what is late now.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from yijian.casework import kinds
from yijian.casework.lights import light

__all__ = ["Card", "due_cards", "raised"]

COLOURS = ("yellow", "red")


@dataclass(frozen=True, slots=True)
class Card:
    colour: str
    reason: str
    step: str | None = None
    department: str | None = None
    due: str = ""

    def data(self) -> dict[str, Any]:
        return {
            "colour": self.colour,
            "reason": self.reason,
            "step": self.step,
            "department": self.department,
            "due": self.due,
        }


def raised(events: Iterable[Any]) -> set[tuple[str, str | None]]:
    """(colour, step) of every card already on the chain."""
    return {
        (str(e.data.get("colour")), e.data.get("step"))
        for e in events
        if e.kind == kinds.CARD_RAISED
    }


def due_cards(
    events: Sequence[Any], clock: Any, tasks: Iterable[Any], calendar: Any, today: date
) -> list[Card]:
    """The cards the case has earned today and not yet got (case first, then its steps).

    ``clock`` is the case's ``CaseClock`` (None: no promise to watch); ``tasks`` its open task
    rows (``step``, ``name``, ``department``, ``due``)."""
    have = raised(events)
    out: list[Card] = []

    def add(card: Card) -> None:
        if (card.colour, card.step) not in have:
            have.add((card.colour, card.step))
            out.append(card)

    if clock is not None and not clock.closed and clock.deadline is not None:
        due = clock.deadline.isoformat()
        if clock.light == "red":
            add(Card("yellow", f"办件将于 {due} 到期", due=due))  # a late case was yellow too
            add(Card("red", f"办件已超过承诺期限（{due}）", due=due))
        elif clock.light == "yellow":
            add(Card("yellow", f"办件将于 {due} 到期", due=due))
    for t in tasks:
        if not t.due:
            continue
        colour = light(today, date.fromisoformat(t.due), calendar)
        if colour not in COLOURS:
            continue
        dept = t.department
        add(Card("yellow", f"环节“{t.name}”将于 {t.due} 到期", t.step, dept, t.due))
        if colour == "red":
            add(Card("red", f"环节“{t.name}”已超过环节期限（{t.due}）", t.step, dept, t.due))
    return out
