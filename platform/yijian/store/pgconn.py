"""A psycopg connection that the store's modules use as they use a ``sqlite3.Connection``.

Why an adapter instead of a second copy of every store module: the modules' SQL is shared
(``store.dialect``), and what differs is small and mechanical — the placeholder, rows that
answer both ``row[0]`` and ``row["name"]``, ``SUM`` coming back as an integer rather than a
``Decimal``, a Python ``bool`` bound as SQLite binds it (0/1), and the errors. Errors keep the
``sqlite3`` classes the store and the web layer already catch (``IntegrityError`` for a unique
or check violation or an append-only trigger, ``StoreUnavailable`` for a server that went
away, ``StoreBusy`` for a lock not free in time), each chained to psycopg's own.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import Format

from yijian.store.dialect import pg_query
from yijian.store.errors import StoreBusy, StoreUnavailable

__all__ = ["PgConn", "PgIntegrityError", "configure", "translate_error"]


class PgIntegrityError(sqlite3.IntegrityError):
    """A PostgreSQL constraint or append-only trigger refused a statement (nothing written)."""


class _Row(tuple):  # type: ignore[type-arg]
    """A result row like ``sqlite3.Row``: by position, by column name, and ``keys()``."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    return type("Row", (_Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(d.name for d in description))


class _BoolDumper(Dumper):
    """``True``/``False`` bound as 1/0, as SQLite stores them in the INTEGER flag columns."""

    format = Format.TEXT
    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _NumericLoader(Loader):
    """``numeric`` (what ``SUM`` of integers gives) read as ``int`` when whole, as SQLite does."""

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


def configure(conn: psycopg.Connection[Any]) -> None:
    """Adapters for one new pooled connection (see the module docstring)."""
    conn.adapters.register_dumper(bool, _BoolDumper)
    conn.adapters.register_loader("numeric", _NumericLoader)
    conn.row_factory = _row_factory


def _unique_message(exc: psycopg.Error) -> str:
    """SQLite's wording, ``UNIQUE constraint failed: staff.login``, which callers match to
    tell which uniqueness was hit (a taken login from a duplicate grant)."""
    table = exc.diag.table_name or "?"
    found = re.search(r"Key \((.*?)\)=", exc.diag.message_detail or "")
    columns = [c.strip() for c in found.group(1).split(",")] if found else ["?"]
    return "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)


def translate_error(exc: BaseException) -> BaseException:
    """The ``sqlite3``-family error the store's callers catch, for a psycopg error."""
    if isinstance(exc, pg_errors.LockNotAvailable):
        return StoreBusy(f"a lock was not free in time: {exc}")
    if isinstance(exc, pg_errors.UniqueViolation):
        return PgIntegrityError(_unique_message(exc))
    if isinstance(exc, psycopg.IntegrityError):
        return PgIntegrityError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    if isinstance(exc, (psycopg.OperationalError, pg_errors.AdminShutdown)):
        return StoreUnavailable(f"PostgreSQL: {str(exc).strip().splitlines()[0]}")
    return exc


class _Result:
    """A finished statement's rows, read while its pooled connection was held."""

    def __init__(self, rows: list[Any], rowcount: int):
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[Any]:
        rows, self._at = self._rows[self._at :], len(self._rows)
        return rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConn:
    """One psycopg connection with the ``sqlite3.Connection`` methods the store calls."""

    def __init__(self, raw: psycopg.Connection[Any]):
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> _Result:
        try:
            if params is None:
                cur = self.raw.execute(sql)  # type: ignore[arg-type]  # no placeholders
            else:
                cur = self.raw.execute(pg_query(sql), tuple(params))  # type: ignore[arg-type]
            rows = cur.fetchall() if cur.description is not None else []
            return _Result(rows, cur.rowcount)
        except psycopg.Error as exc:
            raise translate_error(exc) from exc

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> _Result:
        try:
            with self.raw.cursor() as cur:
                cur.executemany(pg_query(sql), [tuple(p) for p in seq])  # type: ignore[arg-type]
                return _Result([], cur.rowcount)
        except psycopg.Error as exc:
            raise translate_error(exc) from exc
