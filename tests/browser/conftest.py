"""Real-browser fixtures: the real server (``yijian serve``) in a subprocess and Debian's Chromium.

The server runs on a temporary copy of the definitions (the birth example, and the newborn
bundle with its members, which must check clean), a temporary database and a free port on
127.0.0.1; the browser is driven through Playwright's sync API. Every test marks itself
``@pytest.mark.browser``; without /usr/bin/chromium they fail (``make test`` installs it).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from browsertools import yijian_command

from yijian.web.settings import DEFAULT_REGION

#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-results" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BIRTH = "birth-medical-certificate"
BUNDLE = "newborn-bundle"
VIEWPORT = {"width": 375, "height": 812}


@dataclass(frozen=True)
class Site:
    """The running server: where it listens and what it serves."""

    url: str
    root: Path
    has_bundle: bool
    log: Path
    #: what ``--db`` names for the server and for ``yijian staff add`` (a file or a URL)
    db: str = ""


_yijian = yijian_command


def _copy_common(root: Path) -> None:
    for name in ("forms", "rules", "themes"):
        shutil.copytree(REPO / name, root / name, ignore=PARTIAL)


def _check(root: Path) -> None:
    """``yijian check`` on the test root; a broken example fails the browser tests (no skip)."""
    done = subprocess.run(
        _yijian("--root", str(root), "--region", DEFAULT_REGION, "check"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (
        f"the browser tests' definitions do not check clean:\n{done.stdout}"
    )


def _bundle_members() -> list[str]:
    """The member matters the newborn bundle names (read from its bundle.yaml)."""
    import yaml

    data = yaml.safe_load((REPO / "matters" / BUNDLE / "bundle.yaml").read_text(encoding="utf-8"))
    return [str(x["matter"]) for x in data.get("matters", [])]


def _definitions(base: Path) -> tuple[Path, bool]:
    """A root with the birth example, the newborn bundle and its members; it must check clean."""
    root = base / "root"
    for name in {BIRTH, BUNDLE, *_bundle_members()}:
        shutil.copytree(REPO / "matters" / name, root / "matters" / name)
    _copy_common(root)
    _check(root)
    return root, True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"yijian serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"yijian serve did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``yijian serve`` on a temporary copy of the definitions, stopped after the session."""
    base = tmp_path_factory.mktemp("browser-site")
    yield from _serve(base, str(base / "yijian.db"))


@pytest.fixture(scope="session")
def pg_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The same site on PostgreSQL (a schema of its own), two app processes and one
    ``yijian worker`` delivering the outbox: the province's deployment, in small."""
    from pgtools import PG_URL, drop_schema, new_schema, pg_answers

    why = pg_answers()
    if why is not None:
        pytest.skip(f"PostgreSQL at {PG_URL} does not answer: {why}")
    import psycopg

    schema = new_schema()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    base = tmp_path_factory.mktemp("browser-pg-site")
    try:
        yield from _serve(base, url, workers=2, worker=True)
    finally:
        drop_schema(schema)


def _serve(base: Path, db: str, workers: int = 1, worker: bool = False) -> Iterator[Site]:
    root, has_bundle = _definitions(base)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = base / "server.log"
    cmd = _yijian(
        "--root",
        str(root),
        "--region",
        DEFAULT_REGION,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        db,
        "--no-reload",
        "--workers",
        str(workers),
    )
    procs: list[subprocess.Popen[bytes]] = []
    with log.open("wb") as out:
        procs.append(subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=base))
        if worker:
            background = _yijian("--root", str(root), "worker", "--db", db, "--lease-s", "5")
            procs.append(
                subprocess.Popen(background, stdout=out, stderr=subprocess.STDOUT, cwd=base)
            )
    try:
        _wait_until_up(url, procs[0], log, timeout=30)
        yield Site(url, root, has_bundle, log, db)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # the same reason as the contexts' default timeout
    yield from _browser()


def _browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright (a failure when it is missing)."""
    if not CHROMIUM.exists():
        message = "Chromium is missing: apt-get install chromium (expected at /usr/bin/chromium)"
        pytest.fail(message)  # `make test` installs it; a skip would hide the journeys
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


NewContext = Callable[..., Any]


@pytest.fixture
def new_context(browser: Any, site: Site) -> Iterator[NewContext]:
    """Make a fresh browser context (its own cookies): 375x812, zh-CN, the server as base URL."""
    made: list[Any] = []

    def make(java_script: bool = True, **options: Any) -> Any:
        ctx = browser.new_context(
            base_url=site.url,
            **{"viewport": VIEWPORT, **options},  # staff pages are tested at 1280 px
            locale="zh-CN",
            java_script_enabled=java_script,
            accept_downloads=True,
        )
        # generous: CI runs these beside the rest of the suite on two cores
        ctx.set_default_timeout(30_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


Shot = Callable[[Any, str], Path]


@pytest.fixture
def shot() -> Shot:
    """Save a full-page screenshot as test-results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
