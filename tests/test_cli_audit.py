"""``yijian audit verify|anchor`` on a real database file, and the worker's daily anchor."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from yijian.cli import main
from yijian.store import CHINA_TZ, Store
from yijian.tools.auditcli import daily_anchor


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "var" / "y.db"
    with Store.open(path) as store:
        for name in ("张三", "李四"):
            draft = store.drafts.create("m", "v1", None)
            store.cases.submit(draft, {"姓名": name}, {}, "442000")
    return path


def _case_nos(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT case_no FROM cases ORDER BY case_no")]


def test_verify_a_fresh_store(capsys, db: Path) -> None:
    status, out, _ = run(capsys, "audit", "verify", "--db", str(db))
    assert status == 0
    assert out.startswith("OK: 2 cases, 2 events: chains intact; 2 answers match their digest")
    assert "no anchor yet" in out


def test_anchor_then_verify_with_the_kept_hash(capsys, db: Path, tmp_path: Path) -> None:
    # --db relative to --root, as for the other commands
    status, out, _ = run(capsys, "audit", "anchor", "--root", str(tmp_path), "--db", "var/y.db")
    assert status == 0 and out.startswith("anchor 1 at ") and "2 chains" in out
    kept = out.split("hash ")[1].strip()
    status, out, _ = run(capsys, "audit", "verify", "--db", str(db), "--anchor", kept)
    assert status == 0 and "2 chains extend anchor 1" in out
    status, out, _ = run(capsys, "audit", "verify", "--db", str(db), "--anchor", "0" * 64)
    assert status == 1 and "is not in the store's anchor chain" in out


def test_verify_fails_naming_the_case_after_a_row_is_deleted(capsys, db: Path) -> None:
    assert run(capsys, "audit", "anchor", "--db", str(db))[0] == 0
    victim = _case_nos(db)[1]
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE case_no = ?", (victim,))
    status, out, _ = run(capsys, "audit", "verify", "--db", str(db), "--all")
    assert status == 1
    assert out.splitlines()[0] == f"BROKEN: case {victim}: the case has no events"
    status, _, err = run(capsys, "audit", "anchor", "--db", str(db))
    assert status == 1 and err.startswith(f"REFUSED: case {victim}: case or its events deleted")


def test_missing_database(capsys, tmp_path: Path) -> None:
    status, _, err = run(capsys, "audit", "verify", "--db", str(tmp_path / "none.db"))
    assert status == 2 and "no database" in err
    assert not (tmp_path / "none.db").exists()


def test_worker_chore_anchors_once_a_day(db: Path) -> None:
    today = [datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ)]
    with Store.open(db, clock=lambda: today[0]) as store:
        assert daily_anchor(store).startswith("anchor 1 at 2026-03-02 09:30:00")
        assert daily_anchor(store) == "anchored today already"
        victim = _case_nos(db)[0]
        with sqlite3.connect(db) as conn:
            conn.execute("DROP TRIGGER events_no_delete")
            conn.execute("DELETE FROM events WHERE case_no = ?", (victim,))
        today[0] += timedelta(days=1)
        note = daily_anchor(store)  # logged and reported, the worker goes on
        assert note == (
            f"not anchored: case {victim}: case or its events deleted:"
            " anchor 1 lists it with 1 events"
        )
        assert store.anchors.latest().seq == 1  # type: ignore[union-attr]
