"""``yijian purge`` (issue 13, item 9): what each kind of record keeps, ``--dry-run``, the
worker's chore, and a purged closed case whose audit trail still verifies."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from yijian.casework.kinds import CLOSED
from yijian.cli import main
from yijian.store import CHINA_TZ, Store
from yijian.store.retention import CLOSED_STATUSES, PURGED
from yijian.store.throttle import ACCOUNT, Throttle
from yijian.store.trail import verify_trail
from yijian.tools.purge import PurgeChore, load_policy

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
NOW = datetime.now(CHINA_TZ)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def at(clock: Clock, **ago: float) -> Clock:
    clock.now = NOW - timedelta(**ago)
    return clock


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def closed_case(store: Store, clock: Clock, matter: str, days_ago: float, status: str) -> str:
    at(clock, days=days_ago)
    draft = store.drafts.create(matter, "v1", None)
    store.files.put(PNG + matter.encode(), "证件.png", None, draft.id, "photo")
    case = store.cases.submit(draft, {"申请人": {"姓名": "张三"}}, {"applicant": "张三"}, "442000")
    if status != "submitted":
        store.cases.append_event(case.case_no, status, status=status, actor="staff:1")
    return case.case_no


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    root, db = tmp_path / "root", tmp_path / "root" / "var" / "y.db"
    (root / "rules").mkdir(parents=True)
    (root / "rules" / "retention.yaml").write_text(
        "drafts_days: 90\ncases:\n  default_years: 30\n  matters:\n    archive-forever: 永久\n",
        encoding="utf-8",
    )
    clock = Clock()
    names: dict[str, str] = {}
    with Store.open(db, clock=clock) as store:
        user = store.users.create("13800138000", "hash", "张三")
        at(clock, days=20)
        store.sessions.create(user.id)  # expired 6 days ago
        at(clock, days=1)
        names["session"] = store.sessions.create(user.id)  # still valid
        old = store.drafts.create("m", "v1", None)
        store.drafts.save(old.id, {"姓名": "李四"}, "p1")
        store.files.put(PNG, "a.png", None, old.id, "photo")
        store.drafts.redeem(store.drafts.resume_token(old.id))  # spent
        at(clock, days=100)
        abandoned = store.drafts.create("m", "v1", None)
        store.drafts.save(abandoned.id, {"姓名": "王五"}, "p1")
        store.drafts.resume_token(abandoned.id, ttl_hours=1)  # expired long ago
        names["abandoned"], names["recent"] = abandoned.id, old.id
        names["gone"] = closed_case(store, clock, "m", 31 * 366, "concluded")
        names["young"] = closed_case(store, clock, "m", 365, "refused")
        names["open"] = closed_case(store, clock, "m", 31 * 366, "submitted")
        names["forever"] = closed_case(store, clock, "archive-forever", 31 * 366, "concluded")
        at(clock, days=3)
        Throttle(store.db).fail([("citizen:account:13800138000", ACCOUNT)])  # idle
        clock.now = NOW
    orphan = root / "var" / "files" / "ab" / ("c" * 62)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left behind")
    young = root / "var" / "files" / "ab" / ("d" * 62)
    young.write_bytes(b"being written")
    old_time = (NOW - timedelta(days=10)).timestamp()
    for blob in (root / "var" / "files").rglob("*"):
        if blob.is_file() and blob != young:
            os.utime(blob, (old_time, old_time))
    return root, db, names


def snapshot(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = ("sessions", "resume_tokens", "drafts", "files", "throttle", "events")
        rows = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    rows["blobs"] = sum(1 for p in (db.parent / "files").rglob("*") if p.is_file())
    return rows


def test_dry_run_reports_and_deletes_nothing(capsys, site):
    root, db, _ = site
    before = snapshot(db)
    status, out = run(capsys, "purge", "--dry-run", "--root", str(root), "--db", "var/y.db")
    assert status == 0
    lines = {line.split(None, 3)[3]: int(line.split()[2]) for line in out.splitlines()}
    assert lines == {
        "closed cases past retention": 1,
        "expired sessions": 1,
        "spent or expired resume links": 2,
        "idle sign-in counters": 1,
        "old messages": 0,
        "abandoned drafts": 1,
        "unreferenced files": 1,
    }
    assert snapshot(db) == before


def test_purge_deletes_what_the_policy_no_longer_keeps(capsys, site):
    root, db, names = site
    assert run(capsys, "purge", "--root", str(root), "--db", "var/y.db")[0] == 0
    with Store.open(db) as store:
        assert store.drafts.get(names["abandoned"]) is None
        assert store.drafts.get(names["recent"]) is not None
        assert store.sessions.get(names["session"]) is not None
        purged = store.cases.get(names["gone"])
        assert purged is not None and "张三" not in str(purged.answers) + str(purged.summary)
        assert store.cases.events(names["gone"])[-1].kind == PURGED
        assert store.files.for_draft(purged.draft_id) == []
        for kept in ("young", "open", "forever"):
            case = store.cases.get(names[kept])
            assert case is not None and case.answers == {"申请人": {"姓名": "张三"}}, kept
        report = verify_trail(store.db)
        assert report.ok, report.problems
    rows = snapshot(db)
    assert (rows["sessions"], rows["resume_tokens"], rows["throttle"]) == (1, 0, 0)
    blobs = {p.name for p in (db.parent / "files").rglob("*") if p.is_file()}
    assert "c" * 62 not in blobs and "d" * 62 in blobs  # the young one may be a write
    # the audit command agrees, and a second run finds nothing more to do
    assert run(capsys, "audit", "verify", "--db", str(db))[0] == 0
    _, out = run(capsys, "purge", "--dry-run", "--root", str(root), "--db", "var/y.db")
    assert all(line.split()[2] == "0" for line in out.splitlines()), out


def test_the_worker_purges_once_an_hour(site):
    root, db, names = site
    chore = PurgeChore(root)
    with Store.open(db) as store:
        assert chore(store).startswith("purged ")
        assert store.drafts.get(names["abandoned"]) is None
        assert chore(store) == "purge not due"


def test_a_bad_policy_is_named_and_nothing_is_deleted(capsys, site):
    root, db, _ = site
    (root / "rules" / "retention.yaml").write_text("draft_days: 90\n", encoding="utf-8")
    before = snapshot(db)
    assert main(["purge", "--root", str(root), "--db", "var/y.db"]) == 2
    assert "draft_days" in capsys.readouterr().err
    assert snapshot(db) == before
    (root / "rules" / "retention.yaml").write_text("cases: {default_years: 0}\n")
    with pytest.raises(ValueError, match="default_years"):
        load_policy(root)


def test_the_store_knows_the_closed_statuses_of_casework():
    assert frozenset(CLOSED_STATUSES) == CLOSED
