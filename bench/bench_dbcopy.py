"""``yijian db copy`` on a county of N cases: SQLite to PostgreSQL and back, wall time of each.

    .venv/bin/python bench/bench_dbcopy.py [N=2000]

The county: N submissions (every tenth a bundle with two sub-cases), each accepted and then
concluded (three events a case, two for a sub-case), one uploaded file per ten cases, a few
staff with their audit trail and an anchor. The copy runs as the command (``yijian.cli.main``)
into a fresh PostgreSQL schema, then back into a new SQLite file; both verify counts and every
chain, so the time includes the verification.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "platform"))
sys.path.insert(0, str(REPO / "tests"))

import psycopg  # noqa: E402

from pgtools import PG_URL, drop_schema, new_schema  # noqa: E402
from yijian.cli import main  # noqa: E402
from yijian.store import Store  # noqa: E402


def county(path: Path, n: int) -> None:
    with Store.open(path) as store:
        store.staff.add("ops", "运维", "hash", actor="cli", grants=[("admin", "442000", None)])
        for i in range(n):
            draft = store.drafts.create("m", "v1", None)
            kids = (
                [{"matter_id": f"k{j}", "version": "v1"} for j in range(2)] if i % 10 == 0 else []
            )
            answers = {"姓名": f"申请人{i}", "证件号": f"{i:018d}", "地址": "中山市石岐街道" * 3}
            case = store.cases.submit(draft, answers, {"申请人": f"申请人{i}"}, "442000", kids)
            if i % 10 == 0:
                png = b"\x89PNG\r\n\x1a\n" + i.to_bytes(4, "big") * 2000
                store.files.put(png, "照片.png", None, draft.id, "photo")
            for no in [case.case_no] + [c.case_no for c in case.children]:
                store.cases.append_event(no, "accepted", status="accepted", actor="clerk")
            store.cases.append_event(
                case.case_no, "concluded", status="concluded", actor="head", data={"x": i}
            )
        store.anchors.anchor()


def timed(*argv: str) -> float:
    started = time.perf_counter()
    status = main(list(argv))
    assert status == 0, status
    return time.perf_counter() - started


def run(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src" / "yijian.db"
        county(src, n)
        schema = new_schema()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
        url = PG_URL + "?options=-csearch_path%3D" + schema
        try:
            files = str(Path(tmp) / "pgfiles")
            there = timed("db", "copy", "--from", f"sqlite:{src}", "--to", url, "--to-files", files)
            back = Path(tmp) / "back" / "yijian.db"
            again = timed("db", "copy", "--from", url, "--from-files", files, "--to", str(back))
        finally:
            drop_schema(schema)
    print(f"{n} cases: SQLite -> PostgreSQL {there:.2f} s, PostgreSQL -> SQLite {again:.2f} s")


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
