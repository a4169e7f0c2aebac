"""Every example guide, as a citizen reads it, promises what its plan takes (issue 15 item 13):
a matter's 承诺办结时限 is at least the longest path of the steps it lists that count, a
bundle's promise is its plan's longest path, and every listed step whose days do not count
(制卡, 邮寄) says 不计入承诺时限, so the promise and the steps on one page agree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from webtools import REPO, TestClient

from yijian.compose.plan import longest_path


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """Every example matter and bundle (overrides the conftest root)."""
    root = tmp_path / "root"
    for name in ("matters", "forms", "rules", "themes"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split("<main", 1)[1]))


def test_every_guide_promises_what_its_steps_take(client: TestClient) -> None:
    snapshot = client.app.state.services.registry.current  # type: ignore[attr-defined]
    problems: dict[str, list[str]] = {}
    outside = 0  # steps listed whose days do not count
    for mid, m in sorted(snapshot.matters.items()):
        text = _text(client.get(f"/matters/{mid}").text)
        days, path = longest_path(m.steps)
        found = []
        if m.kind == "bundle":
            shown = re.search(r"承诺(?:最长)? (\d+) 个工作日内办结", text)
            if shown is None or int(shown.group(1)) != days:
                found.append(f"promise shown {shown and shown.group(0)}, plan {days}")
        else:
            shown = re.search(r"承诺办结时限 (当场办结|(\d+) 个(工作日|自然日))", text)
            promised = 0 if shown and shown.group(1) == "当场办结" else None
            if shown and shown.group(2):
                promised = int(shown.group(2))
            if promised is None or promised < days:
                found.append(f"promise shown {shown and shown.group(0)}, steps take {days} {path}")
        for s in m.steps:
            if s.step.time_limit and not s.step.counts_toward_limit:
                outside += 1
                words = (
                    f"{s.step.name}（{s.department}，{s.step.time_limit} 个工作日，不计入承诺时限）"
                )
                if words not in text:
                    found.append(f"step {s.step.name} does not say it is outside the promise")
        if found:
            problems[mid] = found
    assert len(snapshot.matters) >= 26 and outside >= 4 and not problems, problems
