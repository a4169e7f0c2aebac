"""yijian beside a real peer (issue 14, item 4): DEFRA's forms engine serving the same 40 fields.

Run:  .venv/bin/python bench/bench_peer.py [--duration 8] [--rounds 3] [--connections 50]
      (first: ``npm ci --prefix bench/peer``; node 20+)

Method. Two servers, each pinned to CPU 0, wrk (1 thread) on CPU 1, rounds interleaved
(ours, peer, ours, peer …), each figure the median of its rounds:

* ours: uvicorn (uvloop + httptools, one worker) serving ``create_app`` over the
  ``bench/gen_form.py`` matter (40 fields on one page) with a real draft, answers filled in;
* peer: ``bench/peer/server.js``: a plain hapi server registering ``@defra/forms-engine-plugin``
  (from the npm registry, exact versions in ``bench/peer/package-lock.json``) with
  ``bench/peer_form.py``'s definition: the same 40 fields (kinds, labels, options) on one page,
  sessions in memory, CSRF and logging off. One node process.

Operations: GET the page; POST it as a browser without JavaScript would (every input of the
page's form, as ``browser_form.form_fields`` reads it from the served page, with about a dozen
answers filled in), answered by a redirect to the next page on both sides. Ours is posted both
urlencoded (a page without a file field) and multipart (every page with a file field posts
multipart); the peer urlencoded (its pages without a file field). Requests/s and the p99 wrk
reports at saturation. Figures are printed, not asserted: compare ratios within one run.
"""

from __future__ import annotations

import argparse
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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_web import CLIENT_CPU, FILLED, HEADERS, SERVER_CPU, free_port, server  # noqa: E402
from browser_form import form_fields, multipart  # noqa: E402
from gen_form import MATTER_ID, PAGE_ID, generate  # noqa: E402
from peer_form import ANSWERS, PAGE  # noqa: E402
from peer_form import write as write_peer_form  # noqa: E402

PEER = BENCH / "peer"
FORM_TYPE = "application/x-www-form-urlencoded"
FORM = {"content-type": FORM_TYPE}
WRK_BODY = """\
local f = io.open("%(body)s", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "%(type)s"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
"""


@contextmanager
def peer_server(form: Path) -> Iterator[str]:
    """The peer (node, pinned to CPU 0) serving ``form``; yields the page's URL."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "FORM": str(form), "NODE_ENV": "production"}
    cmd = ["taskset", "-c", SERVER_CPU, "node", "server.js"]
    proc = subprocess.Popen(cmd, cwd=PEER, env=env, stdout=subprocess.DEVNULL)
    try:
        for _ in range(1200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"the peer exited with {proc.returncode}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/{form.stem}{PAGE}"
    finally:
        proc.terminate()
        proc.wait(10)


def wrk(
    url: str, seconds: int, conns: int, cookie: str, script: Path | None
) -> tuple[float, float]:
    """(requests/s, p99 ms) from wrk pinned to CPU 1; an error answer fails the run."""
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "10s"]
    cmd += ["-H", f"Cookie: {cookie}"]
    if script is not None:
        cmd += ["-s", str(script)]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    drain(url, cookie)
    if "Non-2xx" in out or re.search(r"Socket errors: connect [1-9]|read [1-9]|write [1-9]", out):
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return rate, float(p99) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def drain(url: str, cookie: str) -> None:
    """Wait until the server has answered what wrk left queued: one request sent now is
    answered after them (a slow server would otherwise start the next run still busy)."""
    httpx.get(url, headers={"cookie": cookie}, timeout=120)


def body_script(folder: Path, name: str, body: bytes, kind: str) -> Path:
    (folder / f"{name}.body").write_bytes(body)
    script = folder / f"{name}.lua"
    script.write_text(WRK_BODY % {"body": folder / f"{name}.body", "type": kind})
    return script


def prepare_ours(folder: Path, url: str) -> tuple[str, str, list[tuple[str, str]], int]:
    """A real draft with FILLED answers: (page path, cookie, what a browser posts, page bytes)."""
    with httpx.Client(base_url=url, headers=HEADERS) as c:
        page = c.post(f"/apply/{MATTER_ID}").headers["location"]
        assert page.endswith(f"/{PAGE_ID}"), page
        for _ in range(3):  # answers show more questions (a city, a proof number): again
            fields = form_fields(c.get(page).text)
            filled = [(k, FILLED.get(k, v)) for k, v in fields]
            filled += [(k, v) for k, v in FILLED.items() if k not in dict(fields)]  # radios
            filled.append(("_action", "stay"))  # saved, the page again (no such button)
            r = c.post(page, content=urlencode(filled), headers=FORM)
            assert r.status_code == 200, (r.status_code, r.text[-1500:], filled)
        html = c.get(page).text
        fields = form_fields(html, "_action=continue")
        r = c.post(page, content=urlencode(fields), headers=FORM)
        assert r.status_code == 303, (r.status_code, r.text[:2000])
        return page, f"yj_drafts={c.cookies['yj_drafts']}", fields, len(html.encode())


def prepare_peer(url: str) -> tuple[str, list[tuple[str, str]], int]:
    """The peer's session cookies, what a browser posts (ANSWERS filled in), page bytes."""
    with httpx.Client() as c:
        html = c.get(url).text
        fields = [(k, ANSWERS.get(k, v)) for k, v in form_fields(html)]
        fields += [(k, v) for k, v in ANSWERS.items() if k not in dict(fields)]
        r = c.post(url, content=urlencode(fields), headers=FORM)
        assert r.status_code in (302, 303), (r.status_code, r.text[:2000])
        cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        return cookie, fields, len(html.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None or shutil.which("node") is None:
        sys.exit("needs wrk and node (apt-get install wrk nodejs)")
    if not (PEER / "node_modules" / "@defra" / "forms-engine-plugin").is_dir():
        sys.exit("the peer is not installed: npm ci --prefix bench/peer")
    d, c = args.duration, args.connections
    with tempfile.TemporaryDirectory(prefix="yj-bench-peer-") as tmp:
        folder = Path(tmp)
        generate(folder / "root")
        form = write_peer_form(folder)
        env = {"YJ_BENCH_ROOT": str(folder / "root"), "YJ_BENCH_DB": str(folder / "y.db")}
        with server("bench_web:ours_app", env) as ours:
            page, cookie, fields, our_size = prepare_ours(folder, ours)
        url_body = urlencode(fields).encode()
        mp_body, mp_type = multipart(fields)
        ours_url = body_script(folder, "ours-url", url_body, FORM_TYPE)
        ours_mp = body_script(folder, "ours-mp", mp_body, mp_type)
        with peer_server(form) as peer_url:
            peer_cookie, peer_fields, peer_size = prepare_peer(peer_url)
        peer_body = urlencode(peer_fields).encode()
        peer_post = body_script(folder, "peer-url", peer_body, FORM_TYPE)
        runs: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            with server("bench_web:ours_app", env) as ours:
                wrk(ours + page, 1, c, cookie, None)  # warm-up
                runs.setdefault("ours_get", []).append(wrk(ours + page, d, c, cookie, None))
                runs.setdefault("ours_post", []).append(wrk(ours + page, d, c, cookie, ours_url))
                runs.setdefault("ours_mp", []).append(wrk(ours + page, d, c, cookie, ours_mp))
            with peer_server(form) as peer_url:
                wrk(peer_url, 2, c, peer_cookie, None)  # warm-up (the JIT too)
                runs.setdefault("peer_get", []).append(wrk(peer_url, d, c, peer_cookie, None))
                post = wrk(peer_url, d, c, peer_cookie, peer_post)
                runs.setdefault("peer_post", []).append(post)
    med = {
        k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v))
        for k, v in runs.items()
    }
    print(f"40 fields on one page: ours {our_size / 1024:.1f} KB, peer {peer_size / 1024:.1f} KB")
    print(
        f"POST bodies: ours {len(url_body):,} B urlencoded / {len(mp_body):,} B multipart "
        f"({len(fields)} parts), peer {len(peer_body):,} B urlencoded ({len(peer_fields)} parts)"
    )
    print(f"{c} connections; {args.rounds} rounds x {d} s (median); servers on CPU {SERVER_CPU}")
    print(f"{'':30} {'ours /s':>9} {'p99 ms':>7} {'peer /s':>9} {'p99 ms':>7} {'ours/peer':>9}")
    for label, ours_key, peer_key in (
        ("GET page", "ours_get", "peer_get"),
        ("POST page (urlencoded)", "ours_post", "peer_post"),
        ("POST page (ours multipart)", "ours_mp", "peer_post"),
    ):
        (o, op), (p, pp) = med[ours_key], med[peer_key]
        print(f"{label:30} {o:9,.0f} {op:7.1f} {p:9,.0f} {pp:7.1f} {o / p:9.2f}")
    o, m = med["ours_post"][0], med["ours_mp"][0]
    print(f"ours multipart / urlencoded: {m / o:.2f}")
    for key, values in runs.items():
        print(f"  {key:10} per round: " + ", ".join(f"{r:,.0f}/s p99 {p:.1f}" for r, p in values))


if __name__ == "__main__":
    main()
