"""``yijian audit verify|anchor``: check the store's whole audit trail, or anchor it now.

``verify`` reads only (after the usual migrations) and exits 0 with the counts, or 1 naming the
first broken case and why (``store/trail.py`` says what is checked), so a cron job or an
auditor's script can act on the code. ``anchor`` fixes every chain's head now, as the worker
does once a day, and prints the anchor's hash: keep it somewhere the store's administrators
cannot edit (a ticket, a mail, a printed register) and later pass it as ``verify --anchor``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from yijian.store import Store
from yijian.store.anchors import Anchor, AnchorRefused
from yijian.store.target import DB_HELP, resolve
from yijian.store.trail import DIGEST_MIGRATION, TrailReport, verify_trail

__all__ = ["add_audit_parser", "daily_anchor", "describe"]

log = logging.getLogger("yijian.audit")


def _open(args: argparse.Namespace) -> Store | None:
    target = resolve(args.db, Path(args.root).resolve())
    if not target.exists():  # Store.open would create an empty store, which verifies trivially
        print(f"error: no database at {target.label}", file=sys.stderr)
        return None
    store: Store = target.open()
    return store


def describe(a: Anchor) -> str:
    return (
        f"anchor {a.seq} at {a.at[:19].replace('T', ' ')}: {a.cases} chains"
        f" ({a.events} events, {a.changed} new or moved), hash {a.hash}"
    )


def summary(r: TrailReport) -> str:
    anchored = (
        f"{r.anchored} chains extend anchor {r.latest.seq}"
        f" of {r.latest.at[:19].replace('T', ' ')}, {r.since_anchor} cases since"
        if r.latest
        else "no anchor yet"
    )
    return (
        f"{r.cases} cases, {r.events} events: chains intact; {r.digests} answers match their"
        f" digest, {r.legacy} no digest (before migration {DIGEST_MIGRATION}); {anchored};"
        f" {r.anchors} anchors chained; {r.staff_entries} staff audit entries"
    )


def cmd_verify(args: argparse.Namespace) -> int:
    store = _open(args)
    if store is None:
        return 2
    with store:
        report = verify_trail(store.db, expect=args.anchor)
    if report.ok:
        print(f"OK: {summary(report)}")
        return 0
    first, more = report.problems[0], len(report.problems) - 1
    print(f"BROKEN: {first.format()}" + (f" (and {more} more)" if more else ""))
    if args.all:
        for p in report.problems[1:]:
            print(f"  {p.format()}")
    return 1


def cmd_anchor(args: argparse.Namespace) -> int:
    store = _open(args)
    if store is None:
        return 2
    with store:
        try:
            made = store.anchors.anchor()
        except AnchorRefused as exc:
            print(f"REFUSED: {exc}; run `yijian audit verify`", file=sys.stderr)
            return 1
    print(describe(made))
    return 0


def daily_anchor(store: Store) -> str:
    """The worker's chore: today's anchor if not made yet. A refusal is logged, not raised:
    the worker keeps delivering, and the status page shows the anchor growing old."""
    try:
        made = store.anchors.daily()
    except AnchorRefused as exc:
        log.error("audit trail broken, not anchored: %s (run `yijian audit verify`)", exc)
        return f"not anchored: {exc}"
    return describe(made) if made else "anchored today already"


def add_audit_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    a = sub.add_parser("audit", help="verify the store's audit trail, or anchor it now")
    verbs = a.add_subparsers(dest="verb", required=True)
    for name, func, text in (
        ("verify", cmd_verify, "check every chain, answers digest and anchor; exit 1 if broken"),
        ("anchor", cmd_anchor, "anchor every chain's head now and print the anchor's hash"),
    ):
        v = verbs.add_parser(name, help=text)
        v.add_argument(
            "--db",
            default=None,
            help=DB_HELP,
        )
        v.add_argument("--root", default=argparse.SUPPRESS, help="definitions root")
        v.set_defaults(func=func)
    verify = verbs.choices["verify"]
    verify.add_argument("--anchor", default=None, help="an anchor hash kept outside the store")
    verify.add_argument("--all", action="store_true", help="list every problem, not the first")
