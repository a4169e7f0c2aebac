"""Web throughput and latency (issue 3): a 40-field form page and an htmx answer change.

Run:  .venv/bin/python bench/bench_web.py [--duration 8] [--rounds 3] [--connections 50]

Method. A temp definitions root holds one matter (``bench/gen_form.py``: 40 fields on one page,
every common widget, rules that show, require and refuse). Two servers run under uvicorn's CLI
(uvloop + httptools, ``--no-access-log``, one worker), each in its own process pinned to CPU 0:

* ours: ``create_app`` on a temp SQLite file, reload off. The benchmark draft is a real one
  (``POST /apply/bench-form``, its ``yj_drafts`` cookie kept), with 12 answers filled in.
* bare: ``bench/web_baseline.py``, Starlette + Jinja2 rendering the SAME bytes: our page and our
  change fragment are saved as templates with every value an attribute of an object.

wrk (Debian) pinned to CPU 1 drives both with 50 connections: GET the page (ours: the same
draft again, and the first pages of 400 new drafts, round robin: what a citizen who has just
pressed 开始办理 gets); POST a changed
income (form-encoded, htmx headers) whose value differs on every request and crosses the
eligibility limit every other request, so each answer re-evaluates rules and returns
out-of-band fragments, and a cache of rendered fields cannot serve the changed field. Rounds
are interleaved (bare, ours, bare, ours …) and each figure is the median of its rounds, since
the machine is shared. Then a paced asyncio client (also on CPU 1) posts changes at half of
our saturating rate from 50 connections and reports p50/p99, measured from each request's
scheduled send time so a stalled server cannot hide its queue (no coordinated omission).
Figures are printed, not asserted: compare ratios within one run on one machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import uvloop

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
#: ``--platform`` (passed on as YJ_BENCH_PLATFORM): another checkout's platform/, to measure
#: a "before" tree against the same baseline.
PLATFORM = Path(os.environ.get("YJ_BENCH_PLATFORM") or REPO / "platform")
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PLATFORM))

from gen_form import CHANGE_FIELD, MATTER_ID, PAGE_ID, generate  # noqa: E402
from web_baseline import write_flat  # noqa: E402

PYTHON = sys.executable
SERVER_CPU = "0"
CLIENT_CPU = "1"
HEADERS = {"sec-fetch-site": "same-origin"}
HTMX = {**HEADERS, "hx-request": "true"}
#: Answers typed in before the benchmark (so the page shows values, not only empty fields).
FILLED = {
    "applicant.name": "张三",
    "applicant.id_number": "11010519491231002X",
    "applicant.region-1": "440000",
    "applicant.region-2": "442000",
    "applicant.income": "4200",
    "applicant.has_proof": "true",
    "applicant.proof_no": "ZM-2025-0001",
    "applicant.contact": "13800138000",
    "f.q00": "文本答案",
    "f.q01": "12",
    "f.q03": "o2",
    "f.q05": "false",
}

WRK_POST = """\
local n = 0
request = function()
  n = n + 1
  local value = (n %% 2 == 0) and (9000 + n %% 997) or (3000 + n %% 997)
  return wrk.format("POST", "%(path)s", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "%(cookie)s",
    ["Sec-Fetch-Site"] = "same-origin",
    ["HX-Request"] = "true",
  }, "%(field)s=" .. value)
end
"""


WRK_NEW = """\
local drafts = {%(drafts)s}
local n = 0
request = function()
  n = n + 1
  local d = drafts[(n %% #drafts) + 1]
  return wrk.format("GET", d[1], {["Cookie"] = d[2]})
end
"""
#: Drafts started for the "first page of a new draft" run (each GET opens one of them, round
#: robin; each holds only what a new draft holds).
NEW_DRAFTS = 400


def ours_app() -> object:
    """uvicorn factory for our app: root and database from the environment."""
    from yijian.web import Settings, create_app

    return create_app(
        Settings(root=Path(os.environ["YJ_BENCH_ROOT"]), db_path=Path(os.environ["YJ_BENCH_DB"]))
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(target: str, env: dict[str, str]) -> Iterator[str]:
    """uvicorn serving ``target`` (module:factory in bench/) on CPU 0; yields its base URL."""
    port = free_port()
    cmd = [
        "taskset", "-c", SERVER_CPU, PYTHON, "-m", "uvicorn", "--factory", target,
        "--app-dir", str(BENCH), "--port", str(port), "--no-access-log",
        "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env={**os.environ, **env})
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"{target} exited with {proc.returncode}") from None
                time.sleep(0.05)
        SERVERS[url] = proc.pid  # taskset execs the server: the same process
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


#: base URL → the server's pid, for its CPU time
SERVERS: dict[str, int] = {}
#: (requests/s, server CPU µs per request) of every wrk run, by the key the caller gives
CPU: dict[str, list[float]] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str,
    seconds: int,
    connections: int,
    script: Path | None,
    cookie: str,
    key: str | None = None,
) -> float:
    """Requests/s reported by wrk (1 thread, pinned to CPU 1); non-2xx answers are an error.

    ``key``: also record the server's CPU time per request under it (``CPU``). On a shared
    machine other processes take turns on the server's core, which lowers requests/s but not
    the CPU a request costs: the CPU ratio is the steadier comparison."""
    base = url[: url.index("/", len("http://"))] if url.count("/") > 2 else url
    pid = SERVERS.get(base)
    before = cpu_seconds(pid) if pid else 0.0
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s"]
    cmd += ["--latency", "-H", f"Cookie: {cookie}"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    if key is not None and pid and done:
        CPU.setdefault(key, []).append((cpu_seconds(pid) - before) / done * 1e6)
    return rate


def post_script(folder: Path, name: str, path: str, cookie: str) -> Path:
    script = folder / f"{name}.lua"
    script.write_text(WRK_POST % {"path": path, "cookie": cookie, "field": CHANGE_FIELD})
    return script


async def paced(url: str, cookie: str, rate: float, seconds: float, conns: int) -> list[float]:
    """Latencies (ms) of change posts sent at ``rate``/s over ``conns`` keep-alive connections.

    Request i is due at ``start + i / rate``; its latency counts from that time, so when the
    server stalls, the requests that should have been sent meanwhile count their wait. A bare
    HTTP/1.1 client on asyncio streams: httpx spends about 1 ms of CPU per request, which on
    the client's one core falls behind before our server does.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    path = f"{parts.path}?{parts.query}"
    total = int(rate * seconds)
    latencies: list[float] = []
    start = time.perf_counter() + 0.3
    next_i = 0

    def request(i: int) -> bytes:
        value = 9000 + i % 997 if i % 2 == 0 else 3000 + i % 997
        body = f"{CHANGE_FIELD}={value}".encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n"
            f"HX-Request: true\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def worker() -> None:
        nonlocal next_i
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while next_i < total:
                i, next_i = next_i, next_i + 1
                due = start + i / rate
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                writer.write(request(i))
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = re.search(rb"(?i)content-length: *(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                if status != 200:
                    raise RuntimeError(f"change answered {status}")
                latencies.append((time.perf_counter() - due) * 1000)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(conns)))
    return latencies


def new_drafts(folder: Path, url: str, n: int) -> Path:
    """``n`` new drafts, each with its own cookie; a wrk script that GETs their first pages."""
    rows = []
    with httpx.Client(base_url=url, headers=HEADERS) as c:
        for _ in range(n):
            c.cookies.clear()
            r = c.post(f"/apply/{MATTER_ID}")
            assert r.status_code == 303, r.status_code
            where, key = r.headers["location"], c.cookies["yj_drafts"]
            rows.append(f'{{"{where}", "yj_drafts={key}"}}')
    script = folder / "new.lua"
    script.write_text(WRK_NEW % {"drafts": ", ".join(rows)})
    return script


def prepare(folder: Path, url: str) -> tuple[str, str, str, str]:
    """A real draft with answers; (page path, change path, cookie, page size) + saved bodies."""
    with httpx.Client(base_url=url, headers=HEADERS) as c:
        r = c.post(f"/apply/{MATTER_ID}")
        assert r.status_code == 303, r.status_code
        page = r.headers["location"]
        assert page.endswith(f"/{PAGE_ID}"), page
        fill = {**FILLED, "_f": list(dict.fromkeys(k.split("-")[0] for k in FILLED))}
        fill["_action"] = "stay"  # an in-page action: saved, the page again, no validation
        r = c.post(page, data=fill)
        assert r.status_code == 200, r.status_code
        cookie = f"yj_drafts={c.cookies['yj_drafts']}"
        body = c.get(page).text
        change = f"{page}/change?field={CHANGE_FIELD}"
        fragment = c.post(change, data={CHANGE_FIELD: "9500"}, headers=HTMX).text
        c.post(change, data={CHANGE_FIELD: "4200"}, headers=HTMX)
    write_flat(folder, "page", body)
    write_flat(folder, "change", fragment)
    fields = body.count('class="yj-field ')
    size = f"{len(body.encode()) / 1024:.1f} KB page, {fields} fields"
    return page, change, cookie, f"{size}, {len(fragment.encode()) / 1024:.1f} KB change answer"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--paced-seconds", type=float, default=15)
    parser.add_argument("--platform", type=Path, default=PLATFORM, help="platform/ to serve")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="yj-bench-web-") as tmp:
        folder = Path(tmp)
        generate(folder / "root")
        env = {"YJ_BENCH_ROOT": str(folder / "root"), "YJ_BENCH_DB": str(folder / "y.db")}
        env["YJ_BENCH_TEMPLATES"] = str(folder)
        env["YJ_BENCH_PLATFORM"] = str(args.platform.resolve())
        rates: dict[str, list[float]] = {"bare_get": [], "ours_get": [], "bare_post": []}
        rates["ours_post"] = []
        rates["ours_new"] = []
        with server("bench_web:ours_app", env) as ours:
            page, change, cookie, shape = prepare(folder, ours)
            fresh = new_drafts(folder, ours, NEW_DRAFTS)
        ours_post = post_script(folder, "ours", change, cookie)
        bare_post = post_script(folder, "bare", "/change", cookie)
        d, c = args.duration, args.connections
        for _ in range(args.rounds):
            with server("web_baseline:app", env) as bare:
                wrk(bare + "/page", 1, c, None, cookie)  # warm-up
                rates["bare_get"].append(wrk(bare + "/page", d, c, None, cookie, "bare_get"))
                rates["bare_post"].append(
                    wrk(bare + "/change", d, c, bare_post, cookie, "bare_post")
                )
            with server("bench_web:ours_app", env) as ours:
                wrk(ours + page, 1, c, None, cookie)
                rates["ours_get"].append(wrk(ours + page, d, c, None, cookie, "ours_get"))
                rates["ours_post"].append(wrk(ours + change, d, c, ours_post, cookie, "ours_post"))
                rates["ours_new"].append(wrk(ours + page, d, c, fresh, cookie, "ours_new"))
        med = {k: statistics.median(v) for k, v in rates.items()}
        rate = med["ours_post"] / 2
        with server("bench_web:ours_app", env) as ours:
            wrk(ours + change, 1, c, ours_post, cookie)
            os.sched_setaffinity(0, {int(CLIENT_CPU)})
            lat = uvloop.run(paced(ours + change, cookie, rate, args.paced_seconds, c))
    lat.sort()
    p50, p99 = lat[len(lat) // 2], lat[int(len(lat) * 0.99)]
    print(f"platform: {args.platform}")
    print(f"{shape}; {c} connections; {args.rounds} rounds x {d} s (median)")
    print(f"server: uvicorn uvloop+httptools, 1 worker, CPU {SERVER_CPU}; wrk on CPU {CLIENT_CPU}")
    print(f"{'':28} {'bare /s':>9} {'ours /s':>9} {'ratio':>6} {'target':>7}")
    for label, key, base, target in (
        ("GET form page", "get", "get", 1.5),
        ("GET a new draft's first page", "new", "get", 0.8),
        ("POST answer change", "post", "post", 0.7),
    ):
        b, o = med[f"bare_{base}"], med[f"ours_{key}"]
        print(f"{label:28} {b:9,.0f} {o:9,.0f} {o / b:6.2f} {target:7.2f}")
    print(
        f"change latency at {rate:,.0f}/s (half of saturation), {c} connections, "
        f"{len(lat)} requests: p50 {p50:.1f} ms, p99 {p99:.1f} ms (target p99 < 20 ms)"
    )
    for key, values in rates.items():
        print(f"  {key:10} per round: " + ", ".join(f"{v:,.0f}" for v in values))
    cpu = {k: statistics.median(v) for k, v in CPU.items()}
    print("server CPU per request (µs, median of rounds; bare/ours is the ratio on an idle core):")
    for label, key, base in (
        ("GET form page", "get", "get"),
        ("GET a new draft's first page", "new", "get"),
        ("POST answer change", "post", "post"),
    ):
        b, o = cpu.get(f"bare_{base}"), cpu.get(f"ours_{key}")
        if b and o:
            print(f"  {label:28} bare {b:7.0f}  ours {o:7.0f}  bare/ours {b / o:5.2f}")
    for key, values in CPU.items():
        print(f"  {key:10} per round: " + ", ".join(f"{v:,.0f}" for v in values))


if __name__ == "__main__":
    main()
