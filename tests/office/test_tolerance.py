"""容缺受理's commitment text and the tolerable materials come from the definitions."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from yijian.office.tolerance import COMMITMENT, commitment_of, tolerable
from yijian.registry import Registry

REPO = Path(__file__).resolve().parents[2]


def test_the_matter_says_what_the_applicant_commits_to() -> None:
    snap = Registry(REPO).load()
    assert snap is not None
    food = snap.matter("food-business-licence")
    seen = SimpleNamespace(matter=food, case=SimpleNamespace(summary={}))
    text = commitment_of(seen)  # type: ignore[arg-type]
    assert "食品安全规章制度目录" in text and text != COMMITMENT
    assert commitment_of(SimpleNamespace(matter=None)) == COMMITMENT  # type: ignore[arg-type]


def test_only_materials_marked_for_later_are_tolerable() -> None:
    summary = {
        "materials": [
            {"id": "a", "name": "甲", "necessity": "容缺后补"},
            {"id": "b", "name": "乙", "necessity": "必要"},
        ]
    }
    seen = SimpleNamespace(case=SimpleNamespace(summary=summary))
    assert tolerable(seen) == {"a": "甲"}  # type: ignore[arg-type]
