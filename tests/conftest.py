"""Shared fixtures: a temporary definitions root copied from the repository's examples."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def example_root(tmp_path: Path) -> Path:
    """A writable copy of matters/, forms/ and rules/ (themes are not needed to load)."""
    for name in ("matters", "forms", "rules"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file under tmp_path (creating folders) and return its path."""

    def _write(rel: str, text: str) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def pytest_sessionstart(session: pytest.Session) -> None:
    """With ``CI=true`` the PostgreSQL half of the store suite must run: fail at once if the
    server does not answer (issue 11), rather than pass with it skipped."""
    from pgtools import PG_URL, pg_answers

    if os.environ.get("CI") == "true" and getattr(session.config, "workerinput", None) is None:
        why = pg_answers()
        if why is not None:
            raise pytest.UsageError(f"CI=true but PostgreSQL at {PG_URL} does not answer: {why}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from pgtools import PG_URL, pg_answers

    why = pg_answers()
    if why is not None:
        terminalreporter.write_sep(
            "!", f"PostgreSQL tests SKIPPED: {PG_URL} does not answer ({why})", red=True
        )
