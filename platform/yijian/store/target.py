"""Which database a command uses: a SQLite file (the default) or a PostgreSQL URL.

One rule for every command (``serve``, ``worker``, ``staff``, ``audit``, ``purge``, ``db``):
``--db`` if given, else the ``YIJIAN_DB`` environment variable, else ``var/yijian.db``. A
relative file is under the definitions root; a ``postgresql://`` (or ``postgres://``) URL
selects the PostgreSQL backend. Files (uploads) live beside a SQLite file, and under
``YIJIAN_FILES`` (default ``<root>/var/files``) for PostgreSQL: every app process must see
the same folder (a shared mount; see docs/deployment.md).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["DB_HELP", "DEFAULT_DB", "ENV_DB", "ENV_FILES", "Target", "is_url", "resolve"]

DEFAULT_DB = "var/yijian.db"
ENV_DB = "YIJIAN_DB"
ENV_FILES = "YIJIAN_FILES"
#: The ``--db`` option's help, the same in every command.
DB_HELP = (
    "SQLite file relative to --root, or a postgresql:// URL"
    " (default: $YIJIAN_DB, else var/yijian.db)"
)


def is_url(text: str | Path) -> bool:
    return isinstance(text, str) and text.startswith(("postgresql://", "postgres://"))


class Target:
    """A resolved database: ``url`` (PostgreSQL) or ``path`` (SQLite), and the var folder
    beside it (files, the SMS outbox file, seals)."""

    def __init__(self, url: str | None, path: Path, files: Path):
        self.url = url
        self.path = path
        self.files = files

    @property
    def backend(self) -> str:
        return "postgresql" if self.url else "sqlite"

    @property
    def label(self) -> str:
        """For messages: the file, or the server without credentials."""
        if self.url:
            from yijian.store.pg import describe_url

            return "postgresql://" + describe_url(self.url)
        return str(self.path)

    def __str__(self) -> str:
        return self.url or str(self.path)

    def exists(self) -> bool:
        """A SQLite file that is there, or any PostgreSQL URL (the server says the rest)."""
        return bool(self.url) or self.path.is_file()

    def open(self, **kw: Any) -> Any:
        """The Store on this database (``Store.open``), its files folder included."""
        from yijian.store import Store

        return Store.open(self.url or self.path, files=self.files, **kw)


def resolve(db: str | Path | None, root: Path | str = ".") -> Target:
    """The database ``--db`` names (or ``YIJIAN_DB``, or the default), relative to ``root``."""
    root = Path(root)
    chosen = db if db not in (None, "") else os.environ.get(ENV_DB) or DEFAULT_DB
    if is_url(str(chosen)):
        var = root / "var"
        files = Path(os.environ.get(ENV_FILES) or var / "files")
        return Target(
            str(chosen), var / "yijian.db", files if files.is_absolute() else root / files
        )
    path = Path(chosen)
    if not path.is_absolute():
        path = root / path
    return Target(None, path, path.parent / "files")
