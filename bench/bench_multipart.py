"""Reading a form page's post in-process: urlencoded, multipart by Starlette, multipart by ours.

Run:  .venv/bin/python bench/bench_multipart.py [--rounds 5] [--n 2000]

The body is a 40-field page as a browser posts it (each field's ``_f`` marker and its value,
a dozen answers filled in, an empty file input, the button): 80 parts. Three readings of the
same fields, interleaved round by round, best round of each (µs per post): the urlencoded body
through Starlette's form parser; the multipart body through Starlette's parser
(python-multipart); the multipart body through ``web.failures.limited`` (``web.fastform``'s
short path), which is what the form pages use. Ratios matter, not the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "platform"))

from starlette.requests import Request  # noqa: E402

from browser_form import multipart  # noqa: E402
from yijian.web.failures import limited  # noqa: E402

FIELDS = [
    pair
    for i in range(40)
    for pair in (("_f", f"f.q{i:02d}"), (f"f.q{i:02d}", "答案文本" if i < 12 else ""))
] + [("_action", "continue")]


def request(body: bytes, ctype: str) -> Request:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]
    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


async def per_post(make: Any, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        async with make().form(max_files=20, max_fields=3000) as form:
            assert len(form.multi_items()) >= 80
    return (time.perf_counter() - started) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args()
    url = urlencode(FIELDS).encode()
    body, ctype = multipart(FIELDS)
    empty_file = b'Content-Disposition: form-data; name="f.proof"; filename=""\r\n'
    boundary = ctype.split("boundary=")[1].encode()
    body = body.replace(
        b"--" + boundary + b"--",
        b"--" + boundary + b"\r\n" + empty_file + b"Content-Type: application/octet-stream"
        b"\r\n\r\n\r\n--" + boundary + b"--",
    )
    ways = {
        "urlencoded, Starlette": lambda: request(url, "application/x-www-form-urlencoded"),
        "multipart, Starlette": lambda: request(body, ctype),
        "multipart, web.fastform": lambda: limited(request(body, ctype), 1 << 24),
    }
    best = {k: float("inf") for k in ways}
    for _ in range(args.rounds):
        for name, make in ways.items():
            best[name] = min(best[name], asyncio.run(per_post(make, args.n)))
    print(f"{len(FIELDS) + 1} parts: {len(url):,} B urlencoded, {len(body):,} B multipart")
    base = best["urlencoded, Starlette"]
    for name, us in best.items():
        print(f"{name:26} {us:8.0f} µs per post  ({us / base:.2f}x urlencoded)")


if __name__ == "__main__":
    main()
