"""The guide and the catalog keep a bundle's worst case (every member), and say it is the
longest when members are optional; an application's own promise is on its receipt (issue 9
item 5). Steps outside the promise (制卡, 邮寄) say so, so 5 days and 制卡 10 agree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from webtools import REPO

PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")
NEWBORN = "newborn-bundle"


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """The newborn bundle with its members (overrides the conftest root)."""
    data = yaml.safe_load((REPO / "matters" / NEWBORN / "bundle.yaml").read_text("utf-8"))
    root = tmp_path / "root"
    for name in (NEWBORN, *(str(x["matter"]) for x in data["matters"])):
        shutil.copytree(REPO / "matters" / name, root / "matters" / name)
    for name in ("forms", "rules", "themes"):
        shutil.copytree(REPO / name, root / name, ignore=PARTIAL)
    return root


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split("<main", 1)[1]))


def test_the_guide_promises_the_worst_case_and_says_it_depends(client) -> None:
    text = _text(client.get(f"/matters/{NEWBORN}").text)
    assert "承诺最长 5 个工作日内办结，视所选办理的事项而定（以受理回执为准）" in text
    assert "制卡（社保卡服务中心，10 个工作日，不计入承诺时限）" in text
    assert "审核报销费用（县医疗保障局医保经办机构，3 个工作日）" in text


def test_the_catalog_says_the_longest(client) -> None:
    text = _text(client.get("/").text)
    assert "承诺最长 5 个工作日" in text
