"""Parsing a cold batch on every core: workers take batches from the front, this process from
the back, whatever the load average says, and the results come back in order."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yijian.defs import FOLDER_FILES
from yijian.load import pool
from yijian.load.source import parse_batch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from gen_matters import files_for


def _jobs(count: int) -> list[tuple[str, str, str]]:
    return [
        (FOLDER_FILES[name].__name__, f"matters/m{i}/{name}", text)
        for i in range(count)
        for name, text in files_for(i).items()
    ]


def test_both_processes_parse_and_the_order_is_kept() -> None:
    jobs = _jobs(150)  # 600 files, 6 batches
    here: list[int] = []

    def local(batch: Sequence[tuple[str, str, str]]) -> list[Any]:
        here.append(len(batch))
        return parse_batch(batch)

    entries = pool.parse_all(jobs, local)
    if pool.workers() < 2:
        assert sum(here) == len(jobs)
        return
    # the first batches are handed to the worker at once; this process withdrew the rest
    assert 0 < sum(here) < len(jobs), here
    assert [type(model).__name__ for model, _ in entries] == [name for name, _, _ in jobs]
    expected = parse_batch(jobs)
    assert [m.model_dump() for m, _ in entries] == [m.model_dump() for m, _ in expected]
    assert all(diags == () for _, diags in entries)
