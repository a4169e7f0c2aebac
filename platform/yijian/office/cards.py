"""The worker's card chore (电子监察): raise the yellow and red cards running cases earned.

For every open top-level case (at the window or accepted) the case clock and its open tasks
say which cards are due (``casework.cards``); each is one ``card_raised`` event appended with
the check made again inside the write transaction, so two workers raise a card once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from yijian.apply.cases import limit_of
from yijian.casework import kinds
from yijian.casework.cards import due_cards, raised
from yijian.casework.clock import case_clock
from yijian.office.supervision_figures import OPEN, case_of

__all__ = ["raise_cards"]


def raise_cards(store: Any, calendar: Any, today: date) -> list[tuple[str, str, str | None]]:
    """Raise every card due today; (case number, colour, step) of each card raised."""
    tasks_of: dict[str, list[Any]] = defaultdict(list)
    for t in store.watch.tasks(("",)):
        tasks_of[t.case_no].append(t)
    done = []
    for watched in store.watch.cases(("",), statuses=OPEN):
        case = case_of(watched)
        limit = limit_of(case, None)
        try:
            clock = case_clock(watched.events, limit, calendar, today) if limit else None
        except LookupError:  # a year without a calendar: no light, no card
            clock = None
        for card in due_cards(watched.events, clock, tasks_of[case.case_no], calendar, today):
            key = (card.colour, card.step)

            def still(events: list[Any], key: tuple[str, str | None] = key) -> str | None:
                return "已记录" if key in raised(events) else None

            event = store.cases.act(
                case.case_no, kinds.CARD_RAISED, status=None, actor="system:worker",
                data=card.data(), check=still,
            )  # fmt: skip
            if not isinstance(event, str):
                done.append((case.case_no, card.colour, card.step))
    return done
