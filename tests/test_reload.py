"""Hot reload: the log line of each reload, and the watcher picking up a saved file."""

from __future__ import annotations

import asyncio
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from yijian.registry.reload import apply_changes, watch_definitions
from yijian.registry.snapshot import Registry

#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")

REPO = Path(__file__).resolve().parents[1]
BIRTH = "birth-medical-certificate"


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    for name in ("forms", "rules"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=PARTIAL)
    shutil.copytree(REPO / "matters" / BIRTH, tmp_path / "matters" / BIRTH)
    (tmp_path / "themes" / "default").mkdir(parents=True)
    reg = Registry(tmp_path, disk_cache=False)
    assert reg.load() is not None
    return reg


def _form(reg: Registry) -> Path:
    return reg.root / "matters" / BIRTH / "form.yaml"


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_good_change_logs_the_new_version(registry: Registry) -> None:
    _replace(_form(registry), "label: 新生儿姓名", "label: 宝宝姓名")
    line = apply_changes(registry, [_form(registry)])
    assert line.startswith("reloaded 1 folder in ")
    assert line.endswith(f"version {registry.current.version}")


def test_a_broken_change_logs_the_errors_and_the_version_still_served(registry: Registry) -> None:
    serving = registry.current.version
    _replace(_form(registry), "label: 新生儿姓名", "label: [新生儿姓名")
    line = apply_changes(registry, [_form(registry)])
    assert line == f"definitions have 1 error; still serving version {serving}"
    assert registry.current.version == serving


def test_a_theme_change_only_logs(registry: Registry) -> None:
    serving = registry.current
    page = registry.root / "themes" / "default" / "page.html"
    page.write_text("<p>hi</p>", encoding="utf-8")
    assert apply_changes(registry, [page]).startswith("themes changed (1 file)")
    assert registry.current is serving


def test_the_watcher_serves_a_saved_file_within_seconds(registry: Registry) -> None:
    async def scenario() -> float:
        stop = asyncio.Event()
        task = asyncio.create_task(watch_definitions(registry, stop))
        await asyncio.sleep(0.3)  # let the watcher start
        before = registry.current.version
        _replace(_form(registry), "label: 新生儿姓名", "label: 宝宝姓名")
        started = time.monotonic()
        while registry.current.version == before and time.monotonic() - started < 5:
            await asyncio.sleep(0.01)
        elapsed = time.monotonic() - started
        stop.set()
        await asyncio.wait_for(task, 5)
        return elapsed

    # a loop of its own, in a thread: another test may leave an event loop set in this one
    with ThreadPoolExecutor(1) as runner:
        elapsed = runner.submit(asyncio.run, scenario()).result(timeout=30)
    assert elapsed < 5, "the watcher did not pick up the change"
    assert registry.current.matter(BIRTH).fields["child.name"].label == "宝宝姓名"
