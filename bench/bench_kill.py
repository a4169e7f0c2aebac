"""Scale-out (issue 11): kill -9 of an app process and of the worker during 50 concurrent
submitters on PostgreSQL; afterwards nothing acknowledged is lost, nothing is doubled, and
every outbox message is sent.

Run:  .venv/bin/python bench/bench_kill.py [--drafts 600] [--connections 50]

Method. A fresh database ``bench_kill`` on the local server. N birth-example drafts are
answered through the application layer, each with its own mobile number. Then, as real
subprocesses: two ``yijian serve --no-reload`` (one process each, two ports: killing one is
killing exactly one app process) and one ``yijian worker --lease-s 3`` writing its SMS as
JSON lines to a file. 50 asyncio submitters post ``/drafts/{id}/submit``, round-robin over
the two ports, as a load balancer would; a submission that gets no answer (connection
refused or dropped, 5xx) is posted again to the other port until it gets its 303, which is
the receipt (the case number in ``Location``). Meanwhile a clerk thread in this process
accepts every case it has a receipt for (``office.window.accept``: the 已受理 event and its SMS
in the outbox, one transaction), so the worker has messages to deliver throughout.

Mid-run: ``kill -9`` the first app process (its in-flight requests die with it), ``kill -9``
the worker (messages it had claimed stay leased to a dead owner), and start a new worker; when
every draft has its receipt and every case is accepted, wait until the outbox is empty.

Checked and printed (not asserted):

* lost: receipts whose case number is not in ``cases``: must be 0;
* duplicates: drafts with more than one top-level case (``cases_one_per_draft`` makes it
  impossible; counted anyway), and retried drafts whose second answer named a different case;
* outbox: every row ``sent_at`` set and none dead; ``attempts`` per row; SMS lines per message
  (case number and template). Delivery is at-least-once: a worker killed after its channel
  sent a message and before ``mark_sent`` committed leaves the row leased, and after the lease
  the next worker sends it again. The row itself is marked sent once (the idempotency key
  ``case:seq:channel`` makes one row per event), so the duplicate is one extra SMS of that
  one message, visible in the file and reported here; a gateway that accepts a client message
  id would drop it.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg

from scale_common import REPO, YIJIAN, create_db, drop_db, post, start_serve, stop
from scale_drafts import ready_drafts

DB = "bench_kill"
TROUBLE = {-1: "connection refused (the killed port)", 0: "dropped without an answer (in flight)"}


def start_worker(url: str, sms: Path, lease_s: int) -> subprocess.Popen[bytes]:
    cmd = [YIJIAN, "--root", str(REPO), "worker", "--db", url, "--lease-s", str(lease_s)]
    cmd += ["--sms-file", str(sms)]
    return subprocess.Popen(cmd, start_new_session=True, stderr=subprocess.DEVNULL)


class Clerk(threading.Thread):
    """Accepts every case it is given (``office.window.accept``), in this process."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        from yijian.apply.services import Services
        from yijian.registry import Registry
        from yijian.runtime.regions import RegionTable
        from yijian.store import Store
        from yijian.store.staff import Grant, StaffMember

        registry = Registry(REPO)
        assert registry.load() is not None, registry.last_errors
        self.store = Store.open(url)
        self.services = Services(registry, self.store, RegionTable.load(), "442000")
        self.member = StaffMember(1, "bench", "bench", grants=(Grant(1, 1, "clerk", "442000"),))
        self.todo: collections.deque[str] = collections.deque()
        self.accepted = 0
        self.failures: collections.Counter[str] = collections.Counter()
        self.done = threading.Event()

    def run(self) -> None:
        from yijian.office.window import accept

        while not (self.done.is_set() and not self.todo):
            if not self.todo:
                time.sleep(0.01)
                continue
            case_no = self.todo.popleft()
            try:
                accept(self.services, self.member, case_no)
                self.accepted += 1
            except Exception as exc:  # reported, not hidden
                self.failures[type(exc).__name__] += 1


async def submit_all(
    ports: list[int], drafts: list[tuple[str, str]], connections: int, clerk: Clerk
) -> dict[str, Any]:
    """Every draft posted until it has its 303; receipts and what went wrong on the way."""
    queue = list(drafts)
    receipts: dict[str, str] = {}
    answers: dict[str, set[str]] = collections.defaultdict(set)
    trouble: collections.Counter[str] = collections.Counter()
    dropped: set[str] = set()
    turn = 0

    async def worker() -> None:
        nonlocal turn
        while queue:
            draft_id, cookie = queue.pop()
            tries = 0
            while True:
                port = ports[turn % len(ports)]
                turn += 1
                status, headers = await post(
                    "127.0.0.1", port, f"/drafts/{draft_id}/submit", cookie, timeout=30
                )
                if status == 303:
                    case_no = headers["location"].rsplit("/", 1)[-1]
                    answers[draft_id].add(case_no)
                    if draft_id not in receipts:
                        receipts[draft_id] = case_no
                        clerk.todo.append(case_no)
                    if tries:  # a retry: post once more to check the answer is the same case
                        again, h2 = await post(
                            "127.0.0.1", ports[turn % len(ports)],
                            f"/drafts/{draft_id}/submit", cookie,
                        )  # fmt: skip
                        if again == 303:
                            answers[draft_id].add(h2["location"].rsplit("/", 1)[-1])
                    break
                trouble[TROUBLE.get(status, f"HTTP {status}")] += 1
                if status == 0:
                    dropped.add(draft_id)
                tries += 1
                await asyncio.sleep(0.05)

    await asyncio.gather(*(worker() for _ in range(connections)))
    return {"receipts": receipts, "answers": answers, "trouble": trouble, "dropped": dropped}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=1200)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--lease-s", type=int, default=3)
    parser.add_argument("--kill-app-at", type=float, default=1.5, help="seconds into the run")
    parser.add_argument(
        "--kill-worker-at", type=float, default=2.5, help="from then on, when it holds leases"
    )
    parser.add_argument("--restart-worker-at", type=float, default=4.5)
    args = parser.parse_args()
    url = create_db(DB)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="yj-bench-kill-") as tmp:
            folder = Path(tmp)
            files, sms = folder / "files", folder / "sms.jsonl"
            worker = start_worker(url, sms, args.lease_s)  # started (and past its first
            procs.append(worker)  # round of chores) by the time the drafts are ready
            t = time.perf_counter()
            drafts = ready_drafts(url, args.drafts, files=files)
            print(f"prepared {len(drafts)} drafts in {time.perf_counter() - t:.0f} s")
            env = {"YIJIAN_FILES": str(files)}
            a, port_a = start_serve(REPO, url, 1, env=env)
            b, port_b = start_serve(REPO, url, 1, env=env)
            procs += [a, b]
            clerk = Clerk(url)
            clerk.start()
            log: list[str] = []
            stranded: list[Any] = []
            start = time.perf_counter()

            def at(seconds: float, what: str, action: Any) -> threading.Timer:
                def fire() -> None:
                    action()
                    log.append(f"{time.perf_counter() - start:6.2f} s  {what}")

                timer = threading.Timer(seconds, fire)
                timer.start()
                return timer

            def kill_worker() -> None:
                """kill -9 as soon as the worker holds leased, unsent messages (up to 3 s
                later): the case a lease exists for."""
                sql = (
                    "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"
                    " AND lease_owner LIKE %s AND leased_until IS NOT NULL"
                )
                with psycopg.connect(url, autocommit=True) as c:
                    end = time.monotonic() + 3
                    while time.monotonic() < end:
                        if c.execute(sql, (f"%:{worker.pid}",)).fetchone()[0]:  # type: ignore[index]
                            break
                        time.sleep(0.005)
                    os.kill(worker.pid, signal.SIGKILL)
                    held = c.execute(sql, (f"%:{worker.pid}",)).fetchone()[0]
                    stranded.extend([time.perf_counter() - start, held])

            def restart() -> None:
                procs.append(start_worker(url, sms, args.lease_s))

            timers = [
                at(args.kill_app_at, f"kill -9 app process {a.pid} (port {port_a})",
                   lambda: os.kill(a.pid, signal.SIGKILL)),
                at(args.kill_worker_at, f"kill -9 worker {worker.pid}", kill_worker),
                at(args.restart_worker_at, "worker started again", restart),
            ]  # fmt: skip
            out = asyncio.run(submit_all([port_a, port_b], drafts, args.connections, clerk))
            elapsed = time.perf_counter() - start
            clerk.done.set()
            clerk.join()
            for timer in timers:
                timer.join()
            log.append(f"{elapsed:6.2f} s  every draft has its receipt")
            deadline = time.monotonic() + 60
            with psycopg.connect(url, autocommit=True) as c:
                while time.monotonic() < deadline:
                    (pending,) = c.execute(
                        "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND dead = 0"
                    ).fetchone()  # type: ignore[misc]
                    if not pending:
                        break
                    time.sleep(0.5)
                log.append(f"{time.perf_counter() - start:6.2f} s  outbox: {pending} pending")
                if stranded:
                    log.append(
                        f"{stranded[0] + 0.001:6.3f} s    (then) {stranded[1]} unsent"
                        " messages were leased to the killed worker"
                    )
                report(c, out, clerk, sms, len(drafts), log)
            clerk.store.close()
    finally:
        for proc in procs:
            stop(proc)
        drop_db(DB)


def report(c: Any, out: dict[str, Any], clerk: Clerk, sms: Path, n: int, log: list[str]) -> None:
    receipts: dict[str, str] = out["receipts"]
    have = {r[0] for r in c.execute("SELECT case_no FROM cases WHERE parent_case_no IS NULL")}
    lost = [no for no in receipts.values() if no not in have]
    (doubled,) = c.execute(
        "SELECT COUNT(*) FROM (SELECT draft_id FROM cases WHERE parent_case_no IS NULL"
        " GROUP BY draft_id HAVING COUNT(*) > 1) d"
    ).fetchone()
    two_answers = sum(1 for cases in out["answers"].values() if len(cases) > 1)
    dropped = out["dropped"]
    retried_same = sum(1 for d in dropped if len(out["answers"][d]) == 1)
    rows = c.execute(
        "SELECT case_no, template, sent_at, attempts, dead, lease_owner FROM outbox"
    ).fetchall()
    senders = collections.Counter(r[5].rsplit(":", 1)[-1] for r in rows if r[2] is not None)
    lines: collections.Counter[tuple[str, str]] = collections.Counter()
    if sms.exists():
        for line in sms.read_text("utf-8").splitlines():
            text = json.loads(line)["text"]
            case_no = (
                text.split("办件编号 ", 1)[1].split("）", 1)[0] if "办件编号 " in text else "?"
            )
            lines[(case_no, "accepted" if "已受理" in text else "other")] += 1
    unsent = sum(1 for r in rows if r[2] is None)
    dead = sum(1 for r in rows if r[4])
    attempts = collections.Counter(r[3] for r in rows)
    sent_twice = sorted(k for k, v in lines.items() if v > 1)
    missing = [r for r in rows if r[2] is not None and lines[(r[0], r[1])] == 0]
    print("timeline:")
    for entry in sorted(log, key=lambda e: float(e.split(" s ")[0])):
        print("  " + entry)
    print(f"drafts {n}, receipts {len(receipts)}; cases in the store {len(have)}")
    print("errors seen by the submitters (each retried on the other port):")
    for what, count in sorted(out["trouble"].items()) or [("none", 0)]:
        print(f"  {what}: {count}")
    print(f"lost (receipt without a case):            {len(lost)}")
    print(f"duplicates (drafts with two cases):         {doubled}")
    print(f"retried drafts answered with another case:  {two_answers}")
    print(f"drafts whose request was dropped in flight: {len(dropped)}, of them {retried_same}"
          " answered with one case number on retry (idempotent submit)")  # fmt: skip
    print(f"accepted by the clerk: {clerk.accepted}" + (
        f"; failures {dict(clerk.failures)}" if clerk.failures else ""))  # fmt: skip
    print(f"outbox rows {len(rows)}: unsent {unsent}, dead {dead};"
          f" attempts {dict(sorted(attempts.items()))}; sent by pid {dict(senders)}")  # fmt: skip
    print(f"SMS lines {sum(lines.values())} for {len(lines)} messages;"
          f" sent twice: {len(sent_twice)}; marked sent, not in file: {len(missing)}")  # fmt: skip
    for key in sent_twice:
        print(
            f"  twice: {key[0]} ({key[1]}): the worker was killed between sending and"
            " mark_sent; the lease ran out and the next worker sent it again"
        )


if __name__ == "__main__":
    main()
