"""The built wheel serves a county root on its own (issue 12, item 0).

A county runs the installed platform on a repository of its own, so the wheel must carry what
the platform owns: the default themes (before: ``TemplateNotFound`` on ``GET /``), the national
field library and the calendar. This builds the wheel from a copy of the source (no build
files land in the checkout), installs it with ``--no-deps`` into a fresh venv whose only other
path is the project venv's site-packages (the dependencies, already installed from the lock:
installing them again would take minutes and the network; the editable install's ``.pth`` there
is not processed, so the checkout's ``platform/`` is not importable), and runs check, test and
serve from that venv on a root holding one scaffolded matter and a site.yaml.
"""

from __future__ import annotations

import os
import shutil
import site
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SOURCE = ("pyproject.toml", "README.md", "platform", "themes", "forms", "rules")


def _sh(*argv: str | Path, cwd: Path, timeout: float = 240) -> str:
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")},
    )
    assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh venv holding the wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    for name in SOURCE:
        path = REPO / name
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
        if path.is_dir():
            shutil.copytree(path, src / name, symlinks=True, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(path, src / name)
    _sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", src, cwd=tmp)
    (wheel,) = (tmp / "dist").glob("yijian-*.whl")
    venv = tmp / "venv"
    _sh(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    target = Path(
        _sh(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
            cwd=tmp).strip()
    )  # fmt: skip
    (target / "deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    _sh(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q",
        "--no-deps", wheel, cwd=tmp)  # fmt: skip
    where = _sh(venv / "bin" / "python", "-c", "import yijian; print(yijian.__file__)", cwd=tmp)
    assert where.startswith(str(target)), where  # the wheel, not the checkout
    return venv / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, within: float = 60) -> tuple[int, str]:
    """The first answer of a server that is starting (connection refused until it listens)."""
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except (ConnectionError, urllib.error.URLError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # polling a port, not waiting for a result


def test_wheel_checks_tests_and_serves_a_county_root(installed: Path, tmp_path: Path) -> None:
    root = tmp_path / "county"
    root.mkdir()
    yijian = installed / "yijian"
    _sh(yijian, "new", "matter", "disability-card", cwd=root)
    (root / "site.yaml").write_text(
        "name: 某县政务服务网\nhotline: '0760-12345'\nregion: '442000'\n", encoding="utf-8"
    )
    out = _sh(yijian, "check", cwd=root)
    assert out.startswith("ok: 1 matters, 0 bundles"), out
    out = _sh(yijian, "test", cwd=root)
    assert "6 passed, 0 failed" in out, out
    port = _free_port()
    server = subprocess.Popen(
        [str(yijian), "serve", "--no-reload", "--port", str(port), "--db", str(tmp_path / "y.db")],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200, page
        assert "某县政务服务网" in page and "0760-12345" in page
        status, css = _get(f"http://127.0.0.1:{port}/static/yijian.css")
        assert status == 200 and css
        status, guide = _get(f"http://127.0.0.1:{port}/matters/disability-card")
        assert status == 200 and "新事项 disability-card" in guide, guide[:500]
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert "Traceback" not in log, log
