"""Every cases.yaml of the example root, collected by pytest (the same runner as `yijian test`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yijian.tools.casetest import CaseRun, collect

ROOT = Path(__file__).resolve().parents[1]
_SNAP, RUNS, LOAD_ERRORS = collect(ROOT)


def test_examples_load_without_errors() -> None:
    assert LOAD_ERRORS == []


@pytest.mark.parametrize("run", RUNS, ids=[f"{r.matter}:{r.case.name}" for r in RUNS])
def test_case(run: CaseRun) -> None:
    assert run.ok, run.report()
