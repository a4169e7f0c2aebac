"""Parsing a cold batch on every core: workers take batches from the front, this process from
the back, and the results come back in order; the pool is used when a core is free now."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

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


def test_both_processes_parse_and_the_order_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "_busy", lambda n: False)  # the worker runs, free core or not
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


def _diagnosed(root: Path) -> tuple[list[str], list[str], list[str]]:
    from yijian.registry.snapshot import Registry

    reg = Registry(root, disk_cache=False)
    reg.load()
    snap = reg.current
    assert snap is not None
    return (
        [d.format() for d in snap.diagnostics],
        [f"{k}@{m.version}" for k, m in snap.matters.items()],
        list(reg.inputs.folders) if reg.inputs else [],
    )


def test_compiling_while_the_worker_parses_gives_what_a_serial_build_gives(
    example_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matters are compiled as their files come back from the worker (while it parses the
    rest): the snapshot, its matters in order and every message in order are those of a build
    that parses everything first. The root has errors, warnings and bundles."""
    broken = example_root / "matters" / "birth-medical-certificate" / "rules.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    guide = example_root / "matters" / "household-confirmation" / "matter.yaml"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace("name: ", "name: 待核", 1), encoding="utf-8")
    serial = _diagnosed(example_root)
    assert any("[E-KEY-UNKNOWN]" in d for d in serial[0])
    assert any("[E-PLACEHOLDER]" in d for d in serial[0])
    monkeypatch.setattr(pool, "MIN_FILES", 1)
    monkeypatch.setattr(pool, "BATCH", 3)  # many batches: both processes take some
    monkeypatch.setattr(pool, "workers", lambda: 2)
    monkeypatch.setattr(pool, "_busy", lambda n: False)
    assert _diagnosed(example_root) == serial


def test_a_core_is_busy_when_more_tasks_want_one_than_there_are() -> None:
    """``procs_running`` counts this process: alone on 2 cores there is a free one; on one
    core there never is."""
    assert pool._busy(1) is True
    assert pool._busy(10_000) is False
