"""Uploading and deleting a file with a keyboard and a screen reader, at 375 px (issue 15,
item 6): focus never drops to <body> when htmx swaps the material's block, what happened is
said in the status region, and "删除此文件" keeps its visible words in its accessible name.

The browser tests' site holds no matter with an upload step, so this module serves its own:
the web tests' fixture matter 居住证明开具 (three materials, one uploaded by the applicant).
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsertools import REPO, yijian_command
from playwright.sync_api import expect

from yijian.web.settings import DEFAULT_REGION

pytestmark = pytest.mark.browser

FIXTURE = REPO / "tests" / "web" / "fixtures" / "root" / "matters" / "residence-proof"
PDF = b"%PDF-1.4\n" + b"0" * 64


def serve_root(root: Path, base: Path) -> Iterator[str]:
    """``yijian serve`` on ``root`` (checked clean first) until the module is done."""
    done = subprocess.run(
        yijian_command("--root", str(root), "--region", DEFAULT_REGION, "check"),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    cmd = yijian_command(
        "--root", str(root), "--region", DEFAULT_REGION, "serve", "--host", "127.0.0.1",
        "--port", str(port), "--db", str(base / "yijian.db"), "--no-reload",
    )  # fmt: skip
    log = base / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=base)
    try:
        for _ in range(300):  # up to 30 s
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def upload_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("upload-site")
    root = base / "root"
    shutil.copytree(FIXTURE, root / "matters" / FIXTURE.name)
    for name in ("forms", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copytree(REPO / "rules", root / "rules", ignore=shutil.ignore_patterns("org.yaml"))
    yield from serve_root(root, base)


def to_uploads(page: Any) -> None:
    page.goto("/matters/residence-proof")
    page.get_by_role("button", name="在线申请").first.click()
    page.wait_for_url(re.compile(r"/applicant$"))
    page.get_by_label("姓名").fill("张三")
    page.get_by_label("联系手机号码").fill("13800138000")
    page.get_by_label("子女入学").check()
    page.get_by_role("button", name="保存并继续").click()
    page.wait_for_url(re.compile(r"/_materials$"))


def test_focus_and_status_after_upload_and_delete(
    browser: Any, upload_site: str, shot: Any
) -> None:
    ctx = browser.new_context(
        base_url=upload_site, viewport={"width": 375, "height": 812}, locale="zh-CN"
    )
    try:
        page = ctx.new_page()
        to_uploads(page)
        page.get_by_label("房屋租赁合同").set_input_files(
            {"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        done = page.locator("#w-material-lease .yj-file__done")
        done.wait_for()
        expect(done).to_be_focused()  # not <body>: the line that says what was uploaded
        expect(page.locator("#yj-status")).to_contain_text("已上传：合同.pdf")
        shot(page, "uploads-01-uploaded")

        # WCAG 2.5.3: the accessible name begins with the words on the button
        delete = page.get_by_role("button", name=re.compile(r"^删除此文件\s*（房屋租赁合同）$"))
        assert delete.evaluate("b => b.firstChild.textContent.trim()") == "删除此文件"
        assert delete.get_attribute("aria-label") is None
        delete.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_label("房屋租赁合同")).to_be_focused()  # the upload control again
        expect(page.locator("#yj-status")).to_contain_text("文件已删除")
        shot(page, "uploads-02-deleted")
    finally:
        ctx.close()
