"""The store's failures that callers act on, shared by both backends.

They subclass ``sqlite3.OperationalError`` so one ``except`` in the web layer covers them and
SQLite's own "database is locked" / "readonly database" / "disk is full"; the PostgreSQL
backend raises the same classes (``store.pgconn.translate_error``), so no caller knows which
engine is underneath.
"""

from __future__ import annotations

import sqlite3

__all__ = ["StoreBusy", "StoreUnavailable"]


class StoreUnavailable(sqlite3.OperationalError):
    """The store cannot take a write now (locked, read-only, full, the server gone, the files
    folder refused): nothing was saved."""


class StoreBusy(StoreUnavailable):
    """The write lock was not free within ``busy_timeout_s`` (another writer holds it)."""
