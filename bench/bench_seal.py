"""Sealing throughput: notices rendered and sealed per second, as the worker (or the first
request) issues them, against the same notices rendered unsealed, in one run.

Run:  .venv/bin/python bench/bench_seal.py [--n 10]

Each document: the notice template through weasyprint with the CJK font, a check code and QR
code, then (sealed) a PAdES signature with the PKCS#12 test seal, or the remote signer over a
local HTTP service. The seal's own cost is the difference; printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "platform"))
sys.path.insert(0, str(BENCH.parent / "tests" / "documents"))

from yijian.documents import signing  # noqa: E402
from yijian.documents.notice import Issue, NoticeInputs, render_notice  # noqa: E402
from yijian.documents.receipt import Applicant  # noqa: E402
from yijian.documents.testca import make_ca, make_seal  # noqa: E402

SEAL = "中山市行政审批局行政审批专用章"


def inputs(i: int, sealed: bool) -> NoticeInputs:
    issue = Issue(f"BENCH{i:07d}", "https://gov.example/verify", SEAL if sealed else "")
    who = Applicant("王芳", "11010519491231002X")
    return NoticeInputs(
        "accepted", f"44200020251201{i:06d}", "食品经营许可（新办）", "一件 · 县政务服务",
        date(2025, 12, 1), {}, who, "县市场监督管理局", "10 个工作日", issue,
    )  # fmt: skip


def rate(n: int, signer: str, sealed: bool) -> float:
    signing._cached.cache_clear()
    start = time.perf_counter()
    for i in range(n):
        render_notice(inputs(i, sealed), signer=signer)
    return n / (time.perf_counter() - start)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=10)
    n = p.parse_args().n
    with tempfile.TemporaryDirectory() as tmp:
        ca = make_ca()
        seal = make_seal(ca, "中山市行政审批局行政审批专用章")
        p12 = Path(tmp) / "seal.p12"
        p12.write_bytes(seal.p12(b"pw", ca.cert))
        os.environ.update({"YIJIAN_SEAL_P12": str(p12), "YIJIAN_SEAL_PASSPHRASE": "pw"})
        rate(2, "unsigned", False)  # warm weasyprint and the font
        plain = rate(n, "unsigned", False)
        p12_rate = rate(n, "pkcs12", True)
        from sealtools import signing_service

        with signing_service(seal, ca) as url:
            os.environ["YIJIAN_SEAL_URL"] = url
            remote = rate(n, "remote", True)
    print(f"notices per second, one process: unsealed {plain:.2f}, sealed PKCS#12 {p12_rate:.2f}"
          f" ({p12_rate / plain:.2f}×), sealed by a remote service {remote:.2f}"
          f" ({remote / plain:.2f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
