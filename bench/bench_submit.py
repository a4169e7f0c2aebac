"""Submission throughput: ``store.cases.submit`` against a bare 2-row insert, both durable.

Run:  .venv/bin/python bench/bench_submit.py [--n 2000] [--threads 50]

Baseline: one transaction (BEGIN IMMEDIATE) inserting 2 rows (a case and an event) with
prepared SQL on a per-thread connection, WAL + synchronous=FULL — the least any durable
submission must do. Store: the real ``submit`` (daily sequence upsert, case insert, hash-chained
event, draft update, and reading the case back), same pragmas. Both run sequentially and from
50 threads; the target is store ≥ 0.6× baseline. After the concurrent runs it checks that
every draft has exactly one case and every returned number is in the database (lost = 0,
duplicated = 0), also when every draft is submitted twice at the same time (double click).
Figures are printed, not asserted: compare ratios within one run on one machine.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))

from yijian.store import Draft, Store


def run_threads(n_threads: int, jobs: list[int], work: Callable[[int], None]) -> float:
    """Run ``work(job)`` for every job spread over ``n_threads`` threads; seconds elapsed."""
    chunks = [jobs[i::n_threads] for i in range(n_threads)]
    barrier = threading.Barrier(n_threads + 1)
    errors: list[BaseException] = []

    def worker(chunk: list[int]) -> None:
        barrier.wait()
        try:
            for job in chunk:
                work(job)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed


class Baseline:
    """Two prepared INSERTs in one durable transaction, one connection per thread."""

    def __init__(self, path: Path):
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()  # the same write queue the store uses: a fair comparison
        conn = self.conn()
        conn.execute(
            "CREATE TABLE cases (case_no TEXT PRIMARY KEY, draft_id TEXT, answers TEXT, at TEXT)"
        )
        conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, case_no TEXT, data TEXT)")

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self.local.conn = conn
        return conn

    def submit(self, i: int) -> None:
        conn = self.conn()
        with self.lock:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO cases VALUES (?, ?, ?, ?)",
                (f"C{i}", f"D{i}", '{"name":"张三"}', "2026-03-02T09:00:00+08:00"),
            )
            conn.execute(
                "INSERT INTO events (case_no, data) VALUES (?, ?)", (f"C{i}", '{"kind":"s"}')
            )
            conn.execute("COMMIT")


ANSWERS = {"applicant": {"name": "张三", "id_number": "11010119900307123X"}, "n": 1}
SUMMARY = {"matter_name": "出生医学证明首次签发"}


def bench_baseline(folder: Path, n: int, threads: int) -> tuple[float, float]:
    seq = Baseline(folder / "base-seq.db")
    t0 = time.perf_counter()
    for i in range(n):
        seq.submit(i)
    seq_rate = n / (time.perf_counter() - t0)
    conc = Baseline(folder / "base-conc.db")
    conc_rate = n / run_threads(threads, list(range(n)), conc.submit)
    return seq_rate, conc_rate


def make_drafts(store: Store, n: int) -> list[Draft]:
    return [store.drafts.create("birth", "v1", None) for _ in range(n)]


def check(store: Store, drafts: list[Draft], returned: dict[str, set[str]]) -> tuple[int, int]:
    """(lost, duplicated): drafts without a case or whose answer was not stored; extra cases."""
    conn = store.db.conn()
    rows = conn.execute("SELECT draft_id, case_no FROM cases WHERE parent_case_no IS NULL")
    in_db: dict[str, list[str]] = {}
    for draft_id, case_no in rows:
        in_db.setdefault(draft_id, []).append(case_no)
    lost = sum(1 for d in drafts if d.id not in in_db)
    lost += sum(1 for d in drafts if returned.get(d.id, set()) - set(in_db.get(d.id, [])))
    duplicated = sum(len(v) - 1 for v in in_db.values())
    duplicated += sum(len(v) - 1 for v in returned.values())  # two numbers for one draft
    numbers = [c for v in in_db.values() for c in v]
    duplicated += len(numbers) - len(set(numbers))
    return lost, duplicated


def bench_store(folder: Path, n: int, threads: int) -> tuple[float, float, int, int]:
    seq_store = Store.open(folder / "store-seq" / "y.db")
    drafts = make_drafts(seq_store, n)
    t0 = time.perf_counter()
    for d in drafts:
        seq_store.cases.submit(d, ANSWERS, SUMMARY, "442000")
    seq_rate = n / (time.perf_counter() - t0)
    seq_store.close()

    store = Store.open(folder / "store-conc" / "y.db")
    drafts = make_drafts(store, n)
    returned: dict[str, set[str]] = {}
    lock = threading.Lock()

    def submit(i: int) -> None:
        d = drafts[i % n]
        case = store.cases.submit(d, ANSWERS, SUMMARY, "442000")
        with lock:
            returned.setdefault(d.id, set()).add(case.case_no)

    conc_rate = n / run_threads(threads, list(range(n)), submit)
    lost, dup = check(store, drafts, returned)
    # Double clicks: every draft of a fresh batch submitted twice, by different threads at once.
    twice = make_drafts(store, n // 4)
    returned_twice: dict[str, set[str]] = {}
    jobs = [i for i in range(len(twice)) for _ in (0, 1)]
    run_threads(threads, jobs, submit_twice(store, twice, returned_twice, lock))
    lost2, dup2 = check(store, twice, returned_twice)
    store.close()
    return seq_rate, conc_rate, lost + lost2, dup + dup2


def submit_twice(
    store: Store, drafts: list[Draft], returned: dict[str, set[str]], lock: threading.Lock
) -> Callable[[int], None]:
    def submit(i: int) -> None:
        case = store.cases.submit(drafts[i], ANSWERS, SUMMARY, "442000")
        with lock:
            returned.setdefault(drafts[i].id, set()).add(case.case_no)

    return submit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="submissions per run")
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; best kept")
    args = parser.parse_args()
    rates: dict[str, list[float]] = {"b_seq": [], "b_conc": [], "s_seq": [], "s_conc": []}
    lost = dup = 0
    for _ in range(args.rounds):
        # Interleaved, fresh files each round: disk flush latency drifts on a shared machine,
        # so baseline and store are measured side by side and each keeps its best round.
        with tempfile.TemporaryDirectory(prefix="yj-bench-") as tmp:
            folder = Path(tmp)
            b_seq, b_conc = bench_baseline(folder, args.n, args.threads)
            s_seq, s_conc, round_lost, round_dup = bench_store(folder, args.n, args.threads)
        for key, value in zip(rates, (b_seq, b_conc, s_seq, s_conc), strict=True):
            rates[key].append(value)
        lost += round_lost
        dup += round_dup
    best = {key: max(values) for key, values in rates.items()}
    print(f"submissions per run: {args.n}; threads: {args.threads}; rounds: {args.rounds} (best)")
    print("durable writes: WAL, synchronous=FULL, BEGIN IMMEDIATE … COMMIT")
    print(f"{'':30} {'sequential':>12} {f'{args.threads} threads':>12}")
    print(f"{'baseline (2-row insert) /s':30} {best['b_seq']:12,.0f} {best['b_conc']:12,.0f}")
    print(f"{'store.cases.submit /s':30} {best['s_seq']:12,.0f} {best['s_conc']:12,.0f}")
    ratio_seq = best["s_seq"] / best["b_seq"]
    ratio_conc = best["s_conc"] / best["b_conc"]
    print(f"{'ratio store / baseline':30} {ratio_seq:12.2f} {ratio_conc:12.2f}")
    print("target: ratio >= 0.60")
    print(f"lost cases: {lost}; duplicated cases: {dup} (must both be 0)")
    for key, values in rates.items():
        print(f"  {key:8} per round: " + ", ".join(f"{v:,.0f}" for v in values))


if __name__ == "__main__":
    main()
