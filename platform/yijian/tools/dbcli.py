"""``yijian db copy``: the command line over ``tools.dbcopy`` (arguments, one-line refusals,
the short report). Exit codes: 0 copied and verified, 1 copied but a check failed (the report
says which), 2 nothing copied (a wrong argument, a server that does not answer, a target that
is not empty, stores of different migration levels)."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

import psycopg

from yijian.store import Store
from yijian.store.errors import StoreUnavailable
from yijian.store.target import Target, is_url, resolve
from yijian.tools.auditcli import summary
from yijian.tools.dbcopy import CopyRefused, CopyReport, copy_store

__all__ = ["add_db_parser", "parse_target"]

WHERE_HELP = "a SQLite file (PATH or sqlite:PATH, relative to --root) or a postgresql:// URL"


def parse_target(text: str, root: Path, files: str | None = None) -> Target:
    """``--from``/``--to``: a URL, ``sqlite:PATH`` (``sqlite:///abs`` too) or a plain path."""
    if is_url(text):
        target = resolve(text, root)
    elif text.startswith("sqlite:") or "://" not in text:
        path = text.removeprefix("sqlite:")
        path = path[2:] if path.startswith("//") else path
        if not path:
            raise CopyRefused(f"{text!r}: no file named")
        target = resolve(path, root)
    else:
        raise CopyRefused(f"{text}: not a SQLite file (PATH, sqlite:PATH) or a postgresql:// URL")
    if files:
        target.files = Path(files).resolve()
    return target


def _open(target: Target, what: str) -> Store:
    try:
        return target.open()  # type: ignore[no-any-return]
    except StoreUnavailable as exc:
        raise CopyRefused(str(exc)) from None
    except sqlite3.Error as exc:
        raise CopyRefused(f"cannot open the {what} {target.label}: {exc}") from None


def cmd_copy(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    root = Path(args.root).resolve()
    opened: list[Store] = []
    try:
        source = parse_target(args.source, root, args.from_files)
        target = parse_target(args.target, root, args.to_files)
        if str(source) == str(target):
            raise CopyRefused("the source and the target are the same database")
        if not source.exists():  # Store.open would create an empty one
            raise CopyRefused(f"no database at {source.label}")
        opened.append(_open(source, "source"))
        opened.append(_open(target, "target"))
        report = copy_store(opened[0], opened[1], batch=args.batch)
    except CopyRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (sqlite3.Error, psycopg.Error, OSError) as exc:  # rolled back: the target is empty
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(f"error: the copy failed and left the target empty: {first}", file=sys.stderr)
        return 1
    finally:
        for store in opened:
            store.close()
    print(f"copied {source.label} -> {target.label}")
    print(_describe(report, time.perf_counter() - started))
    return 0 if report.ok else 1


def _describe(r: CopyReport, total: float) -> str:
    files = (
        f"files: {r.files_copied} copied ({r.bytes_copied / 1024:,.0f} KB),"
        f" {r.files_present} already there"
    )
    if r.missing_content:
        files += f"; {r.missing_content} files rows have no content in the source either"
    lines = [
        f"  tables: {r.tables}, {r.rows:,} rows"
        + (", counts equal per table" if r.counts_equal else "")
        + (
            "; case_status and case_counts equal to the source's and to the events"
            if r.derived_equal
            else ""
        ),
        f"  {files}",
    ]
    lines += [f"  PROBLEM: {p}" for p in r.problems]
    trail = r.trail
    if trail is not None and trail.ok:
        lines.append(f"  chains verified: {summary(trail)}")
    elif trail is not None:
        first, more = trail.problems[0], len(trail.problems) - 1
        whose = (
            "the source has the same problems: copied as it is, broken before the copy"
            if r.source_broken
            else "the source verifies: the copy is not faithful"
        )
        lines.append(
            f"  BROKEN: {first.format()}" + (f" (and {more} more)" if more else "") + f"; {whose}"
        )
    lines.append(f"  {total:.1f} s in all, {r.seconds:.1f} s of it copying and verifying")
    return "\n".join(lines)


def add_db_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    d = sub.add_parser("db", help="move a county's store between SQLite and PostgreSQL")
    verbs = d.add_subparsers(dest="verb", required=True)
    c = verbs.add_parser(
        "copy", help="copy every table and file into an empty store, then verify counts and chains"
    )
    c.add_argument("--from", dest="source", required=True, help=f"source: {WHERE_HELP}")
    c.add_argument("--to", dest="target", required=True, help=f"target (empty): {WHERE_HELP}")
    c.add_argument("--from-files", default=None, help="the source's files folder (default:"
                   " beside a SQLite file, $YIJIAN_FILES or var/files for PostgreSQL)")  # fmt: skip
    c.add_argument("--to-files", default=None, help="the target's files folder (same default)")
    c.add_argument("--batch", type=int, default=1000, help="rows per insert batch (1000)")
    c.add_argument("--root", default=argparse.SUPPRESS, help="definitions root")
    c.set_defaults(func=cmd_copy)
