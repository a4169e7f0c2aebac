"""Shared by the scale-out benchmarks (bench_scale, bench_kill, bench_queue_pg): throwaway
PostgreSQL databases, ``yijian serve`` / ``yijian worker`` as real subprocesses, and a
bare HTTP/1.1 client that records each request's latency.

Why subprocesses of the real command: what issue 11 measures is the deployment (uvicorn's
supervisor with ``--workers N``, the store opened from a URL, the pool, the advisory lock
across processes), not ``create_app`` in a test harness.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "platform"))

YIJIAN = str(Path(sys.executable).parent / "yijian")
#: The server of the benchmarks (trust authentication on this machine kind).
PG_ADMIN = os.environ.get("YJ_BENCH_PG", "postgresql://127.0.0.1:5432/test")


def pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def create_db(name: str, template: str | None = None) -> str:
    """A fresh database ``name`` (dropped first if a killed run left it); its URL."""
    drop_db(name)
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        extra = f" TEMPLATE {template}" if template else ""
        c.execute(f"CREATE DATABASE {name}{extra}")  # type: ignore[arg-type]
    return pg_url(name)


def drop_db(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}") from None
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port} after {seconds} s")


def start_serve(
    root: Path,
    db: str,
    workers: int = 1,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], int]:
    """``yijian serve --no-reload`` in a process group of its own; (process, port)."""
    port = port or free_port()
    cmd = [YIJIAN, "--root", str(root), "serve", "--db", db, "--no-reload"]
    cmd += ["--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, start_new_session=True)
    wait_port(port, proc)
    return proc, port


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Signal the process group this benchmark started (uvicorn's supervisor and its
    children), then wait; SIGKILL if it does not end in 15 s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@contextlib.contextmanager
def serving(
    root: Path, db: str, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    proc, port = start_serve(root, db, workers, env=env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def wrk(url: str, seconds: int, connections: int, script: Path) -> tuple[float, float, int]:
    """(requests/s, p99 ms, non-2xx count) from wrk (1 thread) at saturation."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rate, ms, int(bad.group(1)) if bad else 0


async def post(
    host: str, port: int, path: str, cookie: str, body: bytes = b"", timeout: float = 60
) -> tuple[int, dict[str, str]]:
    """One POST on a fresh connection: (status, lower-cased headers); status -1 when the
    connection was refused, 0 when it dropped before an answer (a killed server)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return -1, {}
    try:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n"
            f"Connection: close\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        writer.write(head.encode() + body)
        raw = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        return 0, {}
    finally:
        writer.close()
    top, _, _ = raw.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/"):
        return 0, {}
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(lines[0].split(" ", 2)[1]), headers


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * q))] if s else float("nan")
