"""Load benchmark: a province-size catalog (required: 10,000 matters load and check in under 5 s).

For each size, matters are generated into a temp root (bench/gen_matters.py, plus the repo's
forms/ and rules/), and every measurement runs in a fresh process (no state carried over):

- baseline: PyYAML's C loader + pydantic ``model_validate`` of the same files in a plain loop
  (what any loader must at least do, without our checks, rules or compilation);
- serial: ``Registry.load()`` with no disk cache and parsing in this process only;
- cold: no disk cache, parsing on every core;
- cold+save: the same with the disk cache on and empty (a first start: it writes the cache);
- cold+disk: the on-disk cache of parsed files present (every later start);
- warm: a full rebuild in a process that has loaded once (in-memory cache), and one changed
  file rebuilt incrementally.

Figures are printed as a table with the ratio to the same-run baseline (noise on a shared
machine moves both), each step's CPU seconds (user + sys of its whole process, start-up and
imports included, parsing workers included) and the 1-minute load average it started at: on
a shared machine the wall-clock seconds count the wait for a core, the CPU seconds do not.
``--platform DIR`` runs another source tree (e.g. an export of the previous commit) for
before/after figures.

    .venv/bin/python bench/bench_load.py [--sizes 2000,10000] [--platform DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _baseline(root: Path) -> dict[str, float]:
    import yaml

    from yijian.defs import FOLDER_FILES

    started = time.perf_counter()
    for path in sorted(root.glob("matters/*/*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        FOLDER_FILES[path.name].model_validate(data)
    return {"s": time.perf_counter() - started}


def _registry(root: Path, mode: str) -> dict[str, float]:
    import resource

    from yijian.registry.snapshot import Registry

    if mode == "serial":
        try:
            from yijian.load import pool

            pool.MIN_FILES = 10**9
        except ImportError:  # a source tree from before the pool
            pass
    try:
        reg = Registry(root, disk_cache=mode not in ("serial", "cold"))
    except TypeError:  # a source tree from before the disk cache
        reg = Registry(root)
    started = time.perf_counter()
    snap = reg.load()
    out = {"s": time.perf_counter() - started}
    assert snap is not None, [d.format() for d in reg.last_errors[:5]]
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["matters"] = len(snap.matters)
    if getattr(reg.cache, "disk", None) is not None:
        started = time.perf_counter()
        reg.cache.disk.wait()
        out["save_s"] = time.perf_counter() - started
    if mode == "warm":
        started = time.perf_counter()
        reg.load()
        out["warm_full_s"] = time.perf_counter() - started
        path = sorted(root.glob("matters/*/form.yaml"))[7]
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "# edited\n", encoding="utf-8")
        started = time.perf_counter()
        reg.load([path])
        out["warm_one_ms"] = (time.perf_counter() - started) * 1000
        path.write_text(text, encoding="utf-8")
    return out


def _cpu() -> float:
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _child(mode: str, root: Path, platform: str | None) -> dict[str, float]:
    """One step in a fresh process; adds its CPU seconds (user + sys, its parsing workers
    included) and the 1-minute load average when it started: on a shared machine wall-clock
    seconds count the wait for a core, CPU seconds do not."""
    env = dict(os.environ)
    if platform:
        env["PYTHONPATH"] = platform
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(root)]
    load, cpu = os.getloadavg()[0], _cpu()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return {**out, "cpu_s": _cpu() - cpu, "load": load}


def run(sizes: list[int], platform: str | None, modes: list[str]) -> None:
    sys.path.insert(0, str(HERE))
    from gen_matters import generate

    print(f"cores: {os.cpu_count()}  python {sys.version.split()[0]}")
    print(
        f"{'matters':>8} {'step':<12} {'seconds':>8} {'× base':>7} {'CPU s':>6} {'load':>5}"
        f" {'RSS MB':>7}  notes"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="yijian-bench-") as tmp:
            root = Path(tmp)
            generate(root, n)
            b = _child("baseline", root, platform)
            base = b["s"]
            print(
                f"{n:>8} {'baseline':<12} {base:>8.2f} {1:>7.2f} {b['cpu_s']:>6.2f}"
                f" {b['load']:>5.1f} {'':>7}  yaml C loader + validate"
            )
            for mode in modes:
                if mode == "cold+save":
                    shutil.rmtree(root / "var", ignore_errors=True)
                r = _child(mode, root, platform)
                notes = []
                if "save_s" in r:
                    notes.append(f"cache write {r['save_s']:.2f} s after load")
                if "warm_full_s" in r:
                    notes.append(
                        f"warm full rebuild {r['warm_full_s']:.2f} s, "
                        f"one file {r['warm_one_ms']:.0f} ms"
                    )
                print(
                    f"{n:>8} {mode:<12} {r['s']:>8.2f} {r['s'] / base:>7.2f} {r['cpu_s']:>6.2f}"
                    f" {r['load']:>5.1f} {r['rss_mb']:>7.0f}  {'; '.join(notes)}",
                    flush=True,
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="2000,10000")
    ap.add_argument("--platform", help="PYTHONPATH of the yijian source tree to measure")
    ap.add_argument("--modes", default="serial,cold,cold+save,cold+disk,warm")
    ap.add_argument("--child", nargs=2, metavar=("MODE", "ROOT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, root = args.child[0], Path(args.child[1])
        result = _baseline(root) if mode == "baseline" else _registry(root, mode)
        print(json.dumps(result))
        return
    run([int(s) for s in args.sizes.split(",")], args.platform, args.modes.split(","))


if __name__ == "__main__":
    main()
