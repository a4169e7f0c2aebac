"""The tables of a store as the database itself describes them, for ``yijian db copy``.

Why ask the database rather than keep a list: a table added by a later migration is copied
without anyone remembering to add it here, and the two sides are compared as they really are
(``db copy`` refuses when they differ). SQLite answers from ``sqlite_master`` and its pragmas,
PostgreSQL from its catalog, for the store's schema (``current_schema()``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Table", "describe", "in_fk_order", "stream"]


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key: the order rows are read in
    parents: frozenset[str]  # tables its foreign keys reference (itself included)
    identity: tuple[str, ...] = ()  # PostgreSQL identity columns (numbered by a sequence)

    def select(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        order = " ORDER BY " + ", ".join(f'"{c}"' for c in self.key) if self.key else ""
        return f'SELECT {cols} FROM "{self.name}"{order}'

    def copy(self) -> str:
        """PostgreSQL's ``COPY … FROM STDIN`` of every column (many times faster than INSERT)."""
        cols = ", ".join(f'"{c}"' for c in self.columns)
        return f'COPY "{self.name}" ({cols}) FROM STDIN'

    def insert(self) -> str:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        return f'INSERT INTO "{self.name}" ({cols}) VALUES ({marks})'


def describe(c: Any, dialect: str) -> dict[str, Table]:
    """Every table of the store on connection ``c``, by name."""
    return _sqlite(c) if dialect == "sqlite" else _postgresql(c)


def _sqlite(c: Any) -> dict[str, Table]:
    names = [
        r[0]
        for r in c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    out: dict[str, Table] = {}
    for name in names:
        info = list(c.execute(f'PRAGMA table_info("{name}")'))
        key = tuple(r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5]))
        parents = frozenset(r[2] for r in c.execute(f'PRAGMA foreign_key_list("{name}")'))
        out[name] = Table(name, tuple(r[1] for r in info), key, parents)
    return out


#: the catalog rather than information_schema: the same answers, twenty times faster
_SCHEMA = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
_PG_COLUMNS = (
    "SELECT c.relname::text, a.attname::text, a.attidentity::text"
    " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
    f" WHERE c.relnamespace = {_SCHEMA} AND c.relkind IN ('r', 'p')"
    " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum"
)
_PG_CONSTRAINTS = (
    "SELECT c.relname::text, k.contype::text, a.attname::text, f.relname::text"
    " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
    " LEFT JOIN pg_class f ON f.oid = k.confrelid"
    " CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, n)"
    " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum"
    f" WHERE k.connamespace = {_SCHEMA} AND k.contype IN ('p', 'f')"
    " ORDER BY c.relname, k.conname, u.n"
)


def _postgresql(c: Any) -> dict[str, Table]:
    columns: dict[str, list[str]] = {}
    identity: dict[str, list[str]] = {}
    for table, column, is_identity in c.execute(_PG_COLUMNS):
        columns.setdefault(table, []).append(column)
        if is_identity:  # 'a' (always) or 'd' (by default)
            identity.setdefault(table, []).append(column)
    keys: dict[str, list[str]] = {}
    parents: dict[str, set[str]] = {}
    for table, kind, column, referenced in c.execute(_PG_CONSTRAINTS):
        if kind == "p":
            if column not in keys.setdefault(table, []):
                keys[table].append(column)
        elif referenced:
            parents.setdefault(table, set()).add(referenced)
    return {
        t: Table(
            t,
            tuple(cols),
            tuple(keys.get(t, ())),
            frozenset(parents.get(t, ())),
            tuple(identity.get(t, ())),
        )
        for t, cols in columns.items()
    }


def in_fk_order(tables: dict[str, Table]) -> list[Table]:
    """Referenced tables before the tables referring to them (a self-reference, such as a
    sub-case's parent, is served by reading rows in key order: a parent's number sorts first)."""
    done: list[Table] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen or name not in tables:
            return
        if name in path:
            raise ValueError(f"foreign keys form a cycle: {' -> '.join((*path, name))}")
        for parent in sorted(tables[name].parents - {name}):
            visit(parent, (*path, name))
        seen.add(name)
        done.append(tables[name])

    for name in sorted(tables):
        visit(name, ())
    return done


def stream(c: Any, dialect: str, table: Table, batch: int) -> Iterator[list[Any]]:
    """The table's rows in key order, ``batch`` at a time (a server-side cursor on PostgreSQL,
    so a table of a million events is never in memory at once)."""
    if dialect == "sqlite":
        cur = c.execute(table.select())
    else:
        cur = c.raw.cursor(name=f"dbcopy_{table.name}")
        cur.itersize = batch
        cur.execute(table.select())
    try:
        while rows := cur.fetchmany(batch):
            yield rows
    finally:
        cur.close()
