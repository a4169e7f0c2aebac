"""``yijian db copy``: the example county moved from SQLite to PostgreSQL and back, row for row.

The source is made through the same functions the web calls (tests/office): a 新生儿出生一件事
bundle with its sub-cases and a 食品经营许可 worked through to their result by staff holding
the example organisation's grants (events, tasks, outbox rows, an issued licence PDF in a
BLOB), uploaded materials in the files folder, staff added with their audit trail, an anchor.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent / "office"))

from taskfixtures import drop_store, services
from test_examples_run import EXTRA, PDF, _first_eligible, _staff, work_through

from pgtools import PG_URL, drop_schema, new_schema, pg_answers
from yijian.apply import materials
from yijian.apply.evaluation import outcome
from yijian.apply.submit import submit
from yijian.cli import main
from yijian.runtime.answers import put
from yijian.store import Store

pytestmark = pytest.mark.skipif(pg_answers() is not None, reason=f"no PostgreSQL at {PG_URL}")


def _case(s: Any, matter: str) -> str:
    """The matter's first eligible example case, submitted with its materials and worked
    through to its result (as tests/office/test_examples_run.py does)."""
    found = _first_eligible(matter)
    assert found is not None, matter
    answers, _today = found
    for key, value in EXTRA.get(matter, {}).items():
        put(answers, key, value)
    m = s.registry.current.matter(matter)
    draft = s.store.drafts.create(m.id, m.version, None)
    s.store.drafts.save(draft.id, answers, "review")
    for spec in materials.pending(m, outcome(s, m, answers)):
        data = PDF + spec.material.id.encode()  # one content per material: several files
        s.store.files.put(data, f"{spec.material.id}.pdf", None, draft.id, spec.material.id)
    done = submit(s, s.store.drafts.get(draft.id), m)
    assert done.case is not None, (matter, done)
    work_through(s, _staff(), done.case.case_no)
    return done.case.case_no


def _licence(s: Any, case_no: str) -> None:
    from yijian.apply.issued import issue_result
    from yijian.documents.result import render_result

    case = s.store.cases.get(case_no)
    seq = next(e.seq for e in s.store.cases.events(case_no)
               if e.kind == "concluded" and e.data.get("decision") == "approved")  # fmt: skip
    issue_result(s, case, seq, "http://gov.example/verify", render_result)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example county's SQLite store (``db/yijian.db``, files in ``db/files``), made once."""
    base = tmp_path_factory.mktemp("county")
    s = services(base)
    try:
        s.store.staff.add("ops", "运维", "hash-o", actor="cli", grants=[("admin", "442000", None)])
        li = s.store.staff.add("li", "李明", "hash-l", actor="ops", phone="13800138000")
        s.store.staff.grant(li.id, "clerk", "442000", None, actor="ops")
        s.store.staff.set_disabled(li.id, True, actor="ops")
        bundle = _case(s, "newborn-bundle")
        assert s.store.cases.get(bundle).children  # sub-cases under the bundle
        _licence(s, _case(s, "food-business-licence"))
        s.store.anchors.anchor()
        draft = s.store.drafts.create("newborn-bundle", "v1", None)  # a draft still being filled
        png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # every byte value, 10 KB
        assert not isinstance(s.store.files.put(png, "照片.png", None, draft.id, "photo"), str)
    finally:
        drop_store(s)
    return base / "db" / "yijian.db"


@pytest.fixture
def source(county: Path, tmp_path: Path) -> Path:
    """A copy of the county for this test (some tests tamper with it)."""
    shutil.copytree(county.parent, tmp_path / "src")
    return tmp_path / "src" / county.name


@pytest.fixture
def pg_target() -> Any:
    """A fresh schema's URL (search_path in the URL's options), dropped afterwards."""
    schema = new_schema()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
    yield PG_URL + "?options=-csearch_path%3D" + schema
    drop_schema(schema)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (the same column order on both engines)."""
    c = store.db.conn()
    if store.backend == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    names = sorted(r[0] for r in c.execute(sql))
    return {
        t: sorted((tuple(r) for r in c.execute(f'SELECT * FROM "{t}"')), key=repr) for t in names
    }


def _reads(store: Store) -> dict[str, Any]:
    """What the application reads: cases with their events, staff, queues, documents."""
    case_nos = [r[0] for r in store.db.conn().execute("SELECT case_no FROM cases")]
    cases = {
        no: (store.cases.get(no), store.cases.events(no), store.cases.verify_chain(no))
        for no in sorted(case_nos)
    }
    statuses = sorted({c.status for c, _, _ in cases.values()})
    return {
        "cases": cases,
        "staff": store.staff.members(),
        "audit": (store.staff.audit(), store.staff.verify_audit()),
        "queue": store.queues.in_status(statuses, ["44"], limit=100),
        "outbox": store.outbox.counts(),
        "anchor": store.anchors.latest(),
    }


def test_sqlite_to_postgresql_and_back(capsys, source: Path, pg_target: str, tmp_path) -> None:
    files = tmp_path / "pgfiles"
    status, out, err = run(
        capsys, "db", "copy", "--from", f"sqlite:{source}", "--to", pg_target, "--to-files",
        str(files),
    )  # fmt: skip
    assert status == 0, (out, err)
    assert "rows" in out and "chains verified" in out and "files" in out
    with Store.open(source) as a, Store.open(pg_target, files=files) as b:
        assert b.backend == "postgresql"
        before = dump(a)
        assert before["issued_documents"] and before["staff_audit"] and before["outbox"]
        assert any(r[1] for r in before["cases"])  # a sub-case: parent_case_no set
        assert dump(b) == before
        assert _reads(b) == _reads(a)
        shas = [r[0] for r in a.db.conn().execute("SELECT DISTINCT sha256 FROM files")]
        assert len(shas) > 1
        assert all(b.files.content.read(h) == a.files.content.read(h) for h in shas)
    back = tmp_path / "back" / "yijian.db"
    status, out, err = run(
        capsys, "db", "copy", "--from", pg_target, "--from-files", str(files), "--to", str(back)
    )
    assert status == 0, (out, err)
    with Store.open(source) as a, Store.open(back) as c:
        assert dump(c) == dump(a)
        assert _reads(c) == _reads(a)
    assert sorted(p.name for p in (back.parent / "files").rglob("*")) == sorted(
        p.name for p in (source.parent / "files").rglob("*")
    )
    with Store.open(pg_target, files=files) as b:
        # the identity sequences were moved past the copied ids: new rows get new ids
        most = max(m.id for m in b.staff.members())
        new = b.staff.add("wang", "王芳", "hash-w", actor="ops")
        assert new.id == most + 1
        b.staff.set_disabled(new.id, True, actor="ops")
        assert b.staff.verify_audit()
        # the status trigger, off while copying, derives again: a new status moves the queues
        no = min(r[0] for r in b.db.conn().execute("SELECT case_no FROM cases"))
        total = b.queues.in_status(["withdrawn"], ["44"])[1]
        b.cases.append_event(no, "withdrawn", status="withdrawn", actor="ops")
        assert b.queues.status_of(no) == "withdrawn"
        assert b.queues.in_status(["withdrawn"], ["44"])[1] == total + 1


def test_refuses_a_target_that_is_not_empty(capsys, source: Path, tmp_path: Path) -> None:
    target = tmp_path / "other.db"
    with Store.open(target) as t:
        t.staff.add("ops", "运维", "hash-o", actor="cli")
        before = dump(t)
    status, out, err = run(capsys, "db", "copy", "--from", str(source), "--to", str(target))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not empty" in err and "staff" in err
    with Store.open(target) as t:
        assert dump(t) == before


def test_refuses_a_postgresql_target_that_is_not_empty(capsys, source, pg_target) -> None:
    assert run(capsys, "db", "copy", "--from", str(source), "--to", pg_target)[0] == 0
    status, _, err = run(capsys, "db", "copy", "--from", str(source), "--to", pg_target)
    assert status == 2 and "not empty" in err and len(err.strip().splitlines()) == 1


def test_a_tampered_source_chain_is_reported(capsys, source: Path, pg_target: str) -> None:
    with sqlite3.connect(source) as conn:
        victim = conn.execute("SELECT case_no FROM cases ORDER BY case_no LIMIT 1").fetchone()[0]
        conn.execute("DROP TRIGGER events_no_update")
        conn.execute("UPDATE events SET actor = 'someone' WHERE case_no = ? AND seq = 1", (victim,))
    status, out, _ = run(capsys, "db", "copy", "--from", str(source), "--to", pg_target)
    assert status == 1
    assert f"BROKEN: case {victim}" in out and "the source" in out


def test_a_tampered_status_projection_is_reported(capsys, source: Path, tmp_path: Path) -> None:
    """case_status and case_counts are checked against the copied events and the source."""
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE case_counts SET n = n + 5")
    for to in (f"postgresql:{PG_URL}", str(tmp_path / "t.db")):
        target = to.removeprefix("postgresql:")
        schema = new_schema() if target == PG_URL else None
        if schema:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{schema}"')  # type: ignore[arg-type]
            target += "?options=-csearch_path%3D" + schema
        try:
            status, out, _ = run(capsys, "db", "copy", "--from", str(source), "--to", target)
        finally:
            if schema:
                drop_schema(schema)
        assert status == 1
        if schema:  # copied as they are, then recomputed from the events
            assert "PROBLEM: case_counts: not the number of cases in each status" in out
        else:  # derived while copying, then compared with the source's
            assert "PROBLEM: table case_counts: not as in the source" in out


def test_a_failed_copy_leaves_the_target_empty(capsys, source: Path, pg_target: str) -> None:
    """One transaction: a row PostgreSQL refuses (SQLite kept text in an INTEGER column)
    rolls everything back, and the copy runs again once the source is mended."""
    with sqlite3.connect(source) as conn:
        [(kept,)] = conn.execute("SELECT session_version FROM staff WHERE login = 'li'")
        conn.execute("UPDATE staff SET session_version = 'x' WHERE login = 'li'")
    status, out, err = run(capsys, "db", "copy", "--from", str(source), "--to", pg_target)
    assert status == 1 and out == ""
    assert err.startswith("error: the copy failed and left the target empty: ")
    assert len(err.strip().splitlines()) == 1
    with Store.open(pg_target) as t:
        assert {name: rows for name, rows in dump(t).items() if rows} == {
            "schema_migrations": dump(t)["schema_migrations"]
        }
    with sqlite3.connect(source) as conn:
        conn.execute("UPDATE staff SET session_version = ? WHERE login = 'li'", (kept,))
    assert run(capsys, "db", "copy", "--from", str(source), "--to", pg_target)[0] == 0


def test_wrong_arguments_say_so_in_one_line(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    status, _, err = run(capsys, "db", "copy", "--from", str(missing), "--to", "x.db")
    assert status == 2 and "no database" in err and not missing.exists()
    status, _, err = run(
        capsys, "db", "copy", "--from", str(missing), "--to", "mysql://h/db"
    )  # fmt: skip
    assert status == 2 and "mysql://" in err and len(err.strip().splitlines()) == 1
    status, _, err = run(
        capsys, "db", "copy", "--from", "postgresql://nobody@127.0.0.1:1/x", "--to", "y.db"
    )
    assert status == 2 and "cannot" in err and len(err.strip().splitlines()) == 1
