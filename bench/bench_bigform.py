"""Big forms stay fast (issue 14, item 3): a 200-field, 40-page matter against a 20-field one.

Run:  .venv/bin/python bench/bench_bigform.py [--duration 8] [--rounds 3] [--connections 50]

Method. ``bench/gen_bigform.py`` writes two matters whose pages are built alike (five fields,
every fourth page a repeat group): ``bench-small`` (4 pages, 20 fields, 10 rules) and
``bench-big`` (40 pages, 200 fields, 10 repeat groups, 100 rules). One uvicorn worker
(uvloop + httptools) serves both from one root, pinned to CPU 0; wrk (1 thread) on CPU 1.

A draft of each is filled in as a citizen would, page by page up to a page with a repeat group
(with one row): page 4 of the small matter, page 24 of the big one (so the big draft holds
about 25 pages of answers). On that page, three operations:

* GET the page;
* an htmx answer change of its amount (the value differs on every request and crosses the
  limits of its ``visible_if`` and its eligibility rule every other request);
* POST the page as a browser without JavaScript would (every input, ``browser_form``),
  answered by a redirect to the next page.

Rounds are interleaved (small, big, big, small …) and each figure is the median of its rounds;
printed is big/small per operation (target ≥ 1/1.3 = 0.77 of the small one's rate).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_peer import FORM, body_script, wrk  # noqa: E402
from bench_web import HEADERS, WRK_POST, server  # noqa: E402
from browser_form import form_fields  # noqa: E402
from gen_bigform import BIG, SMALL, change_field, generate  # noqa: E402

#: The measured page of each matter (0-based): one with a repeat group, deep into the big one.
TARGET = {SMALL: 3, BIG: 23}
TYPED = {".amount": "3000", ".kind": "b", "-year": "2024", "-month": "5", "-day": "6"}
TYPED |= {".detail": "说明", ".name": "李四", ".income": "1200"}


def _typed(name: str, value: str) -> str:
    return next((v for end, v in TYPED.items() if name.endswith(end)), value)


def fill(c: httpx.Client, page: str, index: int) -> None:
    """Answer every field of page ``index`` (a row added to its repeat group), staying on it."""
    key = f"p{index:02d}"
    if index % 4 == 3:
        r = c.post(page, content=urlencode([("_action", f"add:{key}.members")]), headers=FORM)
        assert r.status_code == 200, r.status_code
    fields = [(k, _typed(k, v)) for k, v in form_fields(c.get(page).text)]
    if index % 4 != 3:
        fields.append((f"{key}.flag", "false"))
    r = c.post(page, content=urlencode([*fields, ("_action", "stay")]), headers=FORM)
    assert r.status_code == 200, r.status_code


def prepare(url: str, matter: str) -> tuple[str, str, list[tuple[str, str]], int]:
    """A draft filled up to the target page: (its path, cookie, what a browser posts, bytes)."""
    with httpx.Client(base_url=url, headers=HEADERS) as c:
        first = c.post(f"/apply/{matter}").headers["location"]
        base = first.rsplit("/", 1)[0]
        for i in range(TARGET[matter] + 1):
            fill(c, f"{base}/p{i:02d}", i)
        page = f"{base}/p{TARGET[matter]:02d}"
        html = c.get(page).text
        fields = form_fields(html, "_action=continue")
        r = c.post(page, content=urlencode(fields), headers=FORM)
        assert r.status_code == 303, (r.status_code, r.text[-3000:])
        return page, f"yj_drafts={c.cookies['yj_drafts']}", fields, len(html.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    d, c = args.duration, args.connections
    runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="yj-bench-bigform-") as tmp:
        folder = Path(tmp)
        generate(folder / "root")
        env = {"YJ_BENCH_ROOT": str(folder / "root"), "YJ_BENCH_DB": str(folder / "y.db")}
        with server("bench_web:ours_app", env) as url:
            setup = {m: prepare(url, m) for m in (SMALL, BIG)}
            ops = {}
            for m, (page, cookie, fields, _size) in setup.items():
                field = change_field(TARGET[m])
                change = f"{page}/change?field={field}"
                script = folder / f"{m}-change.lua"
                script.write_text(WRK_POST % {"path": change, "cookie": cookie, "field": field})
                post = body_script(
                    folder, f"{m}-post", urlencode(fields).encode(), FORM["content-type"]
                )
                ops[m] = {"GET page": (page, None), "answer change": (change, script)}
                ops[m]["POST page"] = (page, post)
                wrk(url + page, 1, c, cookie, None)  # warm-up
            for r in range(args.rounds):
                for m in (SMALL, BIG) if r % 2 == 0 else (BIG, SMALL):
                    cookie = setup[m][1]
                    for op, (path, script) in ops[m].items():
                        runs.setdefault((m, op), []).append(wrk(url + path, d, c, cookie, script))
    sizes = {m: s[3] for m, s in setup.items()}
    print(
        f"page {TARGET[SMALL] + 1} of {SMALL} ({sizes[SMALL] / 1024:.1f} KB) vs page "
        f"{TARGET[BIG] + 1} of {BIG} ({sizes[BIG] / 1024:.1f} KB); {c} connections; "
        f"{args.rounds} rounds x {d} s (median); uvicorn 1 worker on CPU 0, wrk on CPU 1"
    )
    head = f"{'20 fields /s':>13} {'p99 ms':>7} {'200 fields /s':>14} {'p99 ms':>7}"
    print(f"{'':16} {head} {'big/small':>9}")
    for op in ("GET page", "answer change", "POST page"):
        s_rate = statistics.median(r for r, _ in runs[(SMALL, op)])
        b_rate = statistics.median(r for r, _ in runs[(BIG, op)])
        s_p99 = statistics.median(p for _, p in runs[(SMALL, op)])
        b_p99 = statistics.median(p for _, p in runs[(BIG, op)])
        row = f"{s_rate:13,.0f} {s_p99:7.1f} {b_rate:14,.0f} {b_p99:7.1f}"
        print(f"{op:16} {row} {b_rate / s_rate:9.2f}")
    for (m, op), values in runs.items():
        print(f"  {m:12} {op:14} " + ", ".join(f"{r:,.0f}/s" for r, _ in values))


if __name__ == "__main__":
    main()
