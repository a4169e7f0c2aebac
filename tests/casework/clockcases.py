"""Shared helpers for the clock tests: the real calendar files and events on a day."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path

from yijian.calendar import WorkCalendar
from yijian.casework import kinds
from yijian.store.events import Event

CAL = WorkCalendar.load(Path(__file__).resolve().parents[2] / "rules" / "calendar")
_seq = count(1)


def ev(kind: str, on: str, **data: object) -> Event:
    """An event of ``kind`` at 10:00 China time on ``on``."""
    return Event("c", next(_seq), kind, kinds.STATUS.get(kind), "t", f"{on}T10:00:00+08:00", data)


def d(text: str) -> date:
    return date.fromisoformat(text)
