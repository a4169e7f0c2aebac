"""Compile cost per matter: a warm full rebuild (every file already parsed, in memory).

What is left when parsing is cached (the disk cache makes every start after the first one
like this): reading and hashing the files, the checks, resolving library fields and compiling
rules. Best of 3 rebuilds, the garbage collector paused as the registry does; ``--prof``
prints a cProfile of one more rebuild (top items by own time, then cumulative).

    .venv/bin/python bench/bench_compile.py [--matters 2000] [--platform DIR] [--prof]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--matters", type=int, default=2000)
    ap.add_argument("--platform", default=str(HERE.parent / "platform"))
    ap.add_argument("--prof", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, args.platform)
    from gen_matters import generate
    from yijian.registry.snapshot import Registry

    with tempfile.TemporaryDirectory(prefix="yijian-compile-") as tmp:
        root = Path(tmp)
        generate(root, args.matters)
        reg = Registry(root, disk_cache=False)
        reg.load()
        gc.disable()
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            reg.load()
            best = min(best, time.perf_counter() - started)
        per = best / args.matters * 1e3
        print(f"warm full rebuild of {args.matters} matters: {best:.3f} s ({per:.3f} ms/matter)")
        if args.prof:
            prof = cProfile.Profile()
            prof.enable()
            reg.load()
            prof.disable()
            stats = pstats.Stats(prof)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumtime").print_stats(40)


if __name__ == "__main__":
    main()
