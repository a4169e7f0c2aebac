"""``yijian db copy --from SOURCE --to TARGET``: move a county's store to another engine.

SOURCE and TARGET are each a SQLite file (``PATH`` or ``sqlite:PATH``, relative to ``--root``)
or a ``postgresql://`` URL, in either direction. Why a command of its own rather than
``pg_dump``/``.dump``: the two engines' dumps do not read each other, and a move must prove it
lost nothing. So the copy

* opens both with ``Store.open`` (each migrated to this release; the migration sets must be
  equal) and refuses a target holding any row in any table, with one line and exit code 2;
* copies the files folder first (content-addressed: only what the target lacks, each blob
  checked against its hash), then every table in foreign-key order, in batches, in **one**
  transaction under the target's write lock: a failure leaves the target empty, to run again;
* copies ``case_status`` and ``case_counts`` (what the events trigger derives) into
  PostgreSQL with that trigger off, so no case is counted twice (``DERIVING`` says why not
  derive them there), and lets the trigger derive them into SQLite; either way compares them
  with the source's and recomputes them from the target's events (``tools.dbderived``);
* moves PostgreSQL identity sequences past the copied ids, and keeps the source's migration
  times (``yijian audit verify`` reads the digest migration's time);
* verifies the row counts per table and the whole audit trail on the target (``store.trail``):
  a broken chain is reported with exit code 1, saying whether the source was broken already.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from yijian.store import Store
from yijian.store.trail import TrailReport, verify_trail
from yijian.tools.dbderived import derivation_problems
from yijian.tools.dbtables import Table, describe, in_fk_order, stream

__all__ = ["CopyRefused", "CopyReport", "copy_store"]

#: what the events trigger derives: recomputed from the events on the target (``derived``)
#: and compared with the source's
DERIVED = ("case_status", "case_counts")
#: the triggers deriving them, off while PostgreSQL copies them as they are: fired per copied
#: event in one transaction, each of the thousands of updates of one ``case_counts`` row
#: walks the row's versions made earlier in that transaction (20,000 submissions: 400 s
#: instead of 20). SQLite updates in place: there the trigger derives them while copying.
DERIVING = (("events", "events_status"), ("case_status", "case_status_added"))
#: filled by ``Store.open``'s migrations on the target (their times are then set as the source's)
MIGRATIONS = "schema_migrations"


class CopyRefused(Exception):
    """Nothing was copied: the stores do not fit (one line for the admin; exit code 2)."""


@dataclass
class CopyReport:
    tables: int = 0
    rows: int = 0
    files_copied: int = 0
    files_present: int = 0
    bytes_copied: int = 0
    missing_content: int = 0  # files rows whose content the source lacks
    counts_equal: bool = True  # every table's rows, source and target
    derived_equal: bool = True  # case_status and case_counts: as the source's, as the events say
    trail: TrailReport | None = None
    source_broken: bool = False  # the trail's problems were in the source already
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and (self.trail is None or self.trail.ok)


def copy_store(source: Store, target: Store, batch: int = 1000) -> CopyReport:
    """Copy everything of ``source`` into the empty ``target`` and verify it (module doc)."""
    started = time.perf_counter()
    report = CopyReport()
    with source.db.read() as src:
        tables = describe(src, source.backend)
        versions = _versions(src)
    with target.db.read() as dst:
        there = describe(dst, target.backend)
        _check_fit(tables, there, versions, _versions(dst))
        _refuse_rows(dst, there)
    _copy_files(source, target, report)
    pg = target.backend == "postgresql"
    skip = (MIGRATIONS,) if pg else (*DERIVED, MIGRATIONS)
    order = [t for t in in_fk_order(tables) if t.name not in skip]
    with source.db.read() as src:  # one snapshot for the copy and the comparisons
        with target.db.write() as dst:
            _refuse_rows(dst, there)  # again, under the lock: nobody filled it meanwhile
            for table, trigger in DERIVING if pg else ():
                dst.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            for table in order:
                for rows in stream(src, source.backend, table, batch):
                    _insert(dst, target.backend, table, rows)
            for table, trigger in DERIVING if pg else ():
                dst.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
            if pg:
                _move_sequences(dst, there)
            for version, at in src.execute(f"SELECT version, applied_at FROM {MIGRATIONS}"):
                dst.execute(
                    f"UPDATE {MIGRATIONS} SET applied_at = ? WHERE version = ?", (at, version)
                )
        with target.db.read() as dst:
            for table in (t for t in in_fk_order(tables) if t.name != MIGRATIONS):
                n, got = _count(src, table.name), _count(dst, table.name)
                report.tables, report.rows = report.tables + 1, report.rows + n
                if n != got:
                    report.counts_equal = False
                    report.problems.append(f"table {table.name}: {n} rows, {got} in the target")
            for name in DERIVED:
                if not _same(src, source.backend, dst, target.backend, tables[name]):
                    report.derived_equal = False
                    report.problems.append(f"table {name}: not as in the source")
            derived = derivation_problems(dst)
            report.derived_equal = report.derived_equal and not derived
            report.problems += derived
    report.trail = verify_trail(target.db)
    if not report.trail.ok:  # the copy's fault, or the source's?
        report.source_broken = verify_trail(source.db).problems == report.trail.problems
    report.seconds = time.perf_counter() - started
    return report


def _insert(c: Any, dialect: str, table: Table, rows: list[Any]) -> None:
    """One batch: ``COPY`` into PostgreSQL (row triggers still fire), ``executemany`` else."""
    if dialect == "sqlite":
        c.executemany(table.insert(), rows)
        return
    with c.raw.cursor() as cur, cur.copy(table.copy()) as copy:
        for row in rows:
            copy.write_row(row)


def _versions(c: Any) -> set[int]:
    return {int(r[0]) for r in c.execute(f"SELECT version FROM {MIGRATIONS}")}


def _check_fit(
    tables: dict[str, Table], there: dict[str, Table], versions: set[int], theirs: set[int]
) -> None:
    if versions != theirs:
        newer = "source" if versions - theirs else "target"
        raise CopyRefused(
            f"the {newer} has migrations this yijian does not know"
            f" ({', '.join(map(str, sorted(versions ^ theirs)))}): upgrade yijian first"
        )
    for name in sorted(set(tables) | set(there)):
        mine, other = tables.get(name), there.get(name)
        if mine is None or other is None or set(mine.columns) != set(other.columns):
            raise CopyRefused(f"table {name} differs between the source and the target")


def _refuse_rows(c: Any, there: dict[str, Table]) -> None:
    for name in sorted(there):
        if name != MIGRATIONS and c.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone():
            raise CopyRefused(
                f"the target is not empty (table {name} has rows): db copy only fills an"
                " empty store"
            )


def _copy_files(source: Store, target: Store, report: CopyReport) -> None:
    """Every blob of the source the target lacks, checked against its name (its sha256)."""
    mine, theirs = source.files.content, target.files.content
    for sha, _mtime in mine.listing():
        if theirs.exists(sha):
            report.files_present += 1
            continue
        data = mine.read(sha)
        if hashlib.sha256(data).hexdigest() != sha:
            report.problems.append(f"file {sha[:12]}…: content does not match its hash")
        theirs.write(sha, data)
        report.files_copied += 1
        report.bytes_copied += len(data)
    with source.db.read() as src:
        shas = [r[0] for r in src.execute("SELECT DISTINCT sha256 FROM files")]
    report.missing_content = sum(1 for sha in shas if not theirs.exists(sha))


def _move_sequences(c: Any, there: dict[str, Table]) -> None:
    """Each identity sequence past the largest copied id, so new rows get new ids."""
    for table in there.values():
        for col in table.identity:
            c.execute(
                f'SELECT setval(pg_get_serial_sequence(?, ?), MAX("{col}"))'
                f' FROM "{table.name}" HAVING MAX("{col}") IS NOT NULL',
                (f'"{table.name}"', col),
            )


def _count(c: Any, name: str) -> int:
    return int(c.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])


def _same(a: Any, a_dialect: str, b: Any, b_dialect: str, table: Table) -> bool:
    """Both sides' rows equal, in key order (``case_counts``: the non-zero ones; the source's
    may lack the zero rows of statuses its cases passed before migration 5's backfill)."""
    left = itertools.chain.from_iterable(stream(a, a_dialect, table, 1000))
    right = itertools.chain.from_iterable(stream(b, b_dialect, table, 1000))
    if table.name == "case_counts":
        n = table.columns.index("n")
        left = (r for r in left if r[n])
        right = (r for r in right if r[n])
    gone = object()
    return all(
        x is not gone and y is not gone and tuple(x) == tuple(y)
        for x, y in itertools.zip_longest(left, right, fillvalue=gone)
    )
