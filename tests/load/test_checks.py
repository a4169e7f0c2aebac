"""The cross-reference checks: the dependency-cycle finder and the routing checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from yijian.defs import RoutingDef
from yijian.load.checks import check_routing, find_cycle
from yijian.load.source import FileCache
from yijian.located.diagnostics import Diagnostic


def is_rotation(cycle: list[str], expected: list[str]) -> bool:
    """The same cycle, whichever node it was entered by (first node repeated last)."""
    assert cycle[0] == cycle[-1]
    ring = cycle[:-1]
    return any(ring[i:] + ring[:i] == expected for i in range(len(ring)))


@pytest.mark.parametrize(
    "edges",
    [
        {},
        {"a": []},
        {"accept": [], "review": ["accept"], "decide": ["review"]},
        {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]},  # a diamond is not a cycle
        {"a": ["missing"]},  # unknown nodes are E-REF-STEP's business, not a cycle
    ],
)
def test_no_cycle(edges: dict[str, list[str]]) -> None:
    assert find_cycle(edges) is None


def test_self_loop() -> None:
    assert find_cycle({"a": ["a"]}) == ["a", "a"]


def test_two_steps_waiting_for_each_other() -> None:
    cycle = find_cycle({"accept": ["decide"], "decide": ["accept"]})
    assert cycle is not None and is_rotation(cycle, ["accept", "decide"])


def test_cycle_behind_a_tail_names_only_the_cycle() -> None:
    cycle = find_cycle({"start": ["b"], "b": ["c"], "c": ["d"], "d": ["b"]})
    assert cycle is not None
    assert "start" not in cycle
    assert is_rotation(cycle, ["b", "c", "d"])


def test_cycle_in_a_second_component() -> None:
    cycle = find_cycle({"a": [], "b": ["a"], "x": ["y"], "y": ["z"], "z": ["x"]})
    assert cycle is not None and is_rotation(cycle, ["x", "y", "z"])


def test_long_chain_does_not_hit_the_recursion_limit_below_a_thousand() -> None:
    edges = {f"s{i}": [f"s{i - 1}"] if i else [] for i in range(500)}
    assert find_cycle(edges) is None


def routing_diagnostics(tmp_path: Path, text: str) -> list[Diagnostic]:
    path = tmp_path / "routing.yaml"
    path.write_text(text, encoding="utf-8")
    src = FileCache().read(tmp_path, path, RoutingDef)
    assert src.model is not None, src.diagnostics
    out: list[Diagnostic] = []
    check_routing(src, src.model, out)
    return out


def test_routing_cycle_is_located_at_after(tmp_path: Path) -> None:
    text = (
        "steps:\n"
        "  - {id: accept, name: 受理, kind: accept, time_limit: 1, after: [decide]}\n"
        "  - {id: decide, name: 决定, kind: decide, time_limit: 1, after: [accept]}\n"
    )
    (d,) = routing_diagnostics(tmp_path, text)
    assert d.code == "E-STEP-CYCLE"
    assert (d.line, d.loc) == (2, "steps[0].after")
    assert "accept → decide → accept" in d.message


def test_duplicate_step_id_is_not_also_a_cycle(tmp_path: Path) -> None:
    text = (
        "steps:\n"
        "  - {id: accept, name: 受理, kind: accept, time_limit: 1}\n"
        "  - {id: accept, name: 决定, kind: decide, time_limit: 1, after: [accept]}\n"
    )
    assert [d.code for d in routing_diagnostics(tmp_path, text)] == ["E-STEP-DUPLICATE"]
