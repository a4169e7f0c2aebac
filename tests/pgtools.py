"""PostgreSQL for tests: the server at ``YIJIAN_TEST_PG`` (default: this machine's), one fresh
schema per store, dropped afterwards; and a plain connection for tampering as an intruder would.

``make test`` runs the PostgreSQL half of the store suite when the server answers and says
loudly when it does not (``tests/conftest.py``); with ``CI=true`` an unreachable server fails
the run instead, so CI can never pass with that half skipped.
"""

from __future__ import annotations

import os
import uuid
from functools import lru_cache
from typing import Any

import psycopg

from yijian.store.pgconn import PgConn, configure

PG_URL = os.environ.get("YIJIAN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


@lru_cache(maxsize=1)
def pg_answers() -> str | None:
    """None when the server answers; else why not (one line)."""
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except psycopg.Error as exc:
        return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def new_schema() -> str:
    return "t_" + uuid.uuid4().hex[:16]


def drop_schema(schema: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')  # type: ignore[arg-type]


def intruder_pg(schema: str) -> Any:
    """A plain autocommit connection to the schema, outside the store (``?`` placeholders)."""
    raw = psycopg.connect(PG_URL, autocommit=True)
    configure(raw)
    raw.execute(f'SET search_path TO "{schema}"')  # type: ignore[arg-type]
    conn = PgConn(raw)
    conn.close = raw.close  # type: ignore[attr-defined]
    return conn
