"""``yijian purge [--dry-run]``: delete what the county's retention policy no longer keeps.

The policy is ``rules/retention.yaml`` in the definitions root (every key optional; the
defaults below apply without the file), documented in docs/retention.md::

    drafts_days: 90          # open drafts nobody changed for this long
    files_grace_days: 1      # file contents no row refers to, once this old
    messages_days: 180       # outbox messages sent (or given up) this long ago
    counters_days: 1         # idle sign-in throttle counters
    cases:                   # closed cases: 档案 retention, counted from closing
      default_years: 30      # a number of years, or 永久 (kept for ever)
      matters:               # per matter id, the same values
        food-business-licence: 永久

Expired sessions and spent resume tokens have no setting: past their expiry they open nothing.
``--dry-run`` prints what would go and deletes nothing; the worker runs the real thing once an
hour (``run_purge``). What a purge of a case means (the row and its event chain stay; a
``purged`` event records it) is in ``store/retention.py``.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from yijian.store import Store
from yijian.store.retention import Retention
from yijian.store.target import DB_HELP, resolve

__all__ = ["Policy", "PurgeChore", "add_purge_parser", "load_policy", "run_purge"]

log = logging.getLogger("yijian.purge")

FOREVER = "永久"
_KEYS = {"drafts_days", "files_grace_days", "messages_days", "counters_days", "cases"}


@dataclass(frozen=True)
class Policy:
    drafts_days: int = 90
    files_grace_days: int = 1
    messages_days: int = 180
    counters_days: int = 1
    case_years: int | None = 30  # None: 永久
    case_years_by_matter: dict[str, int | None] = field(default_factory=dict)


def _years(value: Any, where: str) -> int | None:
    if value == FOREVER:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise ValueError(f"{where}: a number of years or {FOREVER}, not {value!r}")


def _days(raw: dict[str, Any], key: str, default: int) -> int:
    value = raw.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"retention.yaml {key}: a number of days, not {value!r}")
    return value


def load_policy(root: Path) -> Policy:
    """The policy of ``root/rules/retention.yaml``, or the defaults; ValueError names a bad key."""
    path = Path(root) / "rules" / "retention.yaml"
    if not path.is_file():
        return Policy()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict) or set(raw) - _KEYS:
        unknown = sorted(set(raw) - _KEYS) if isinstance(raw, dict) else raw
        raise ValueError(f"retention.yaml: unknown keys {unknown} (known: {sorted(_KEYS)})")
    cases = raw.get("cases") or {}
    matters = cases.get("matters") or {}
    return Policy(
        drafts_days=_days(raw, "drafts_days", 90),
        files_grace_days=_days(raw, "files_grace_days", 1),
        messages_days=_days(raw, "messages_days", 180),
        counters_days=_days(raw, "counters_days", 1),
        case_years=_years(cases.get("default_years", 30), "cases.default_years"),
        case_years_by_matter={str(m): _years(v, f"cases.matters.{m}") for m, v in matters.items()},
    )


def _years_ago(now: datetime, years: int | None) -> datetime | None:
    if years is None:
        return None
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def run_purge(store: Store, policy: Policy, apply: bool) -> dict[str, int]:
    """Count (``apply=False``) or delete what the policy no longer keeps, kind by kind."""
    now = store.db.clock()
    r = Retention(store.db, store.files.content)
    cutoffs: dict[str | None, datetime | None] = {None: _years_ago(now, policy.case_years)}
    for matter, years in policy.case_years_by_matter.items():
        cutoffs[matter] = _years_ago(now, years)
    due = r.closed_cases(cutoffs)
    if apply:
        for case_no in due:
            r.purge_case(case_no, actor="system:retention", reason="档案保管期限届满")
    return {
        "closed cases past retention": len(due),
        "expired sessions": r.expired_sessions(now, apply),  # and sign-ups
        "spent or expired resume links": r.spent_tokens(now, apply),
        "idle sign-in counters": r.idle_counters(now - timedelta(days=policy.counters_days), apply),
        "old messages": r.old_messages(now - timedelta(days=policy.messages_days), apply),
        "abandoned drafts": r.abandoned_drafts(now - timedelta(days=policy.drafts_days), apply),
        "unreferenced files": r.unreferenced_files(
            now - timedelta(days=policy.files_grace_days), apply
        ),
    }


class PurgeChore:
    """The worker's purge: at most once per ``every_s``, the policy read again each time."""

    def __init__(self, root: Path, every_s: float = 3600):
        self._root = Path(root)
        self._every = every_s
        self._last = float("-inf")

    def __call__(self, store: Store) -> str:
        if time.monotonic() - self._last < self._every:
            return "purge not due"
        self._last = time.monotonic()
        try:
            counts = run_purge(store, load_policy(self._root), apply=True)
        except (ValueError, yaml.YAMLError) as exc:
            log.error("purge skipped: %s", exc)
            return "purge skipped (rules/retention.yaml)"
        total = sum(counts.values())
        if total:
            log.info("purged %s", ", ".join(f"{n} {k}" for k, n in counts.items() if n))
        return f"purged {total} records"


def cmd_purge(args: argparse.Namespace) -> int:
    root = Path(args.root)
    target = resolve(args.db, root)
    if not target.exists():
        print(f"error: no database at {target.label}", file=sys.stderr)
        return 2
    try:
        policy = load_policy(root)
    except (ValueError, yaml.YAMLError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with target.open() as store:
        counts = run_purge(store, policy, apply=not args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for what, n in counts.items():
        print(f"{verb} {n:>6}  {what}")
    return 0


def add_purge_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("purge", help="delete what the retention policy no longer keeps")
    p.add_argument(
        "--db",
        default=None,
        help=DB_HELP,
    )
    p.add_argument("--dry-run", action="store_true", help="report what would go; delete nothing")
    p.set_defaults(func=cmd_purge)
