"""Versioned schema migrations, applied in order by ``Database.migrate``.

Each migration is a module ``mNNNN_<name>.py`` holding one ``SQL`` script. They are Python
modules rather than ``.sql`` files so they ship inside the package without package-data
rules. Never edit an applied migration: add the next number. The SQL keeps to what SQLite
and PostgreSQL share (``ON CONFLICT … DO UPDATE``, ``RETURNING``, partial unique indexes);
``store.dialect`` translates each script for PostgreSQL, with the migration's hand-written
``PG_TRIGGERS`` and ``PG_REWRITE`` where the engines differ, so both get the same schema.
"""

from __future__ import annotations

from yijian.store.dialect import pg_statements, sqlite_statements
from yijian.store.migrations import (
    m0001_initial,
    m0002_staff,
    m0003_outbox,
    m0004_versions,
    m0005_case_status,
    m0006_credit,
    m0007_tasks,
    m0008_hardening,
    m0010_anchors,
    m0012_issued,
    m0013_licences,
    m0014_signups,
    m0015_draft_order,
    m0016_version_labels,
)

__all__ = ["MIGRATIONS", "statements"]

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "initial", m0001_initial.SQL),
    (2, "staff", m0002_staff.SQL),
    (3, "outbox", m0003_outbox.SQL),
    (4, "versions", m0004_versions.SQL),
    (5, "case_status", m0005_case_status.SQL),
    (6, "credit", m0006_credit.SQL),
    (7, "tasks", m0007_tasks.SQL),
    (8, "hardening", m0008_hardening.SQL),
    (10, "anchors", m0010_anchors.SQL),
    (12, "issued", m0012_issued.SQL),
    (13, "licences", m0013_licences.SQL),
    (14, "signups", m0014_signups.SQL),
    (15, "draft_order", m0015_draft_order.SQL),
    (16, "version_labels", m0016_version_labels.SQL),
)

_MODULES = {
    1: m0001_initial,
    2: m0002_staff,
    5: m0005_case_status,
    10: m0010_anchors,
}


def statements(version: int, sql: str, dialect: str) -> list[str]:
    """The statements of migration ``version`` for ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return sqlite_statements(sql)
    module = _MODULES.get(version)
    return pg_statements(
        sql,
        getattr(module, "PG_TRIGGERS", None),
        getattr(module, "PG_REWRITE", ()),
    )
