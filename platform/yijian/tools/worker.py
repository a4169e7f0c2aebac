"""``yijian worker``: the background process that delivers the outbox.

One per site (or per province, beside any number of app processes): it claims due messages
under a lease, so two workers never send one message twice; once a minute it ends the
容缺受理 cases whose materials were not supplied in time (``office.tolerance``) and records
every deadline a calendar change moved (``office.deadlines``) and raises the yellow and red
cards of 电子监察 (``office.cards``); once a day it anchors every case chain's head
(``store.anchors``, see ``yijian audit``); once an hour it deletes what the county's
retention policy no longer keeps (``tools.purge``, ``rules/retention.yaml``); each round it
sends the one reminder to rate a closed case (``tools.officechores``, 好差评). Later issues
add rendering documents and watching clocks to the same loop.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yijian.calendar import WorkCalendar
from yijian.calendar.clock import china_today
from yijian.notify.sender import channels_from, deliver_once, owner_name, run
from yijian.office.cards import raise_cards
from yijian.office.deadlines import recheck_deadlines
from yijian.office.tolerance import terminate_overdue
from yijian.store.leader import ChoresLock
from yijian.store.target import DB_HELP, resolve
from yijian.tools.auditcli import daily_anchor
from yijian.tools.officechores import OfficeChores
from yijian.tools.purge import PurgeChore


@dataclass(frozen=True)
class WorkerSettings:
    """What the channels read (``from_settings``), from the command line."""

    db_path: Path
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    mail_from: str = "noreply@localhost"
    sms_provider: str = "file"
    sms_file: Path | None = None


def cmd_worker(args: argparse.Namespace) -> int:
    target = resolve(args.db, args.root)
    settings = WorkerSettings(
        target.path, args.smtp_host, args.smtp_port, args.smtp_starttls, args.mail_from,
        args.sms_provider, Path(args.sms_file) if args.sms_file else None,
    )  # fmt: skip
    store = target.open()
    lock = ChoresLock(store.db)  # one worker runs the chores; every worker delivers
    try:
        channels = channels_from(settings)
        calendar_dir = Path(args.root) / "rules" / "calendar"
        purge = PurgeChore(Path(args.root))  # retention (rules/retention.yaml), hourly
        office = OfficeChores(Path(args.root), store, args.region)  # 好差评 reminders

        def chores() -> tuple[list[str], list[str], list[Any], str, str]:
            anchored = daily_anchor(store)
            purged = f"{purge(store)}; {office()}"
            today = china_today()
            moved: list[str] = []
            cards: list[Any] = []
            if calendar_dir.is_dir():  # read again each time: a new file takes effect
                calendar = WorkCalendar.load(calendar_dir, args.region)
                moved = recheck_deadlines(store, calendar, today)
                cards = raise_cards(store, calendar, today)
            return terminate_overdue(store, today), moved, cards, anchored, purged

        def chores_once() -> Any:
            return chores() if lock.held() else None

        if args.once:
            done = chores_once()
            stats = deliver_once(store.outbox, channels, owner_name(), lease_s=args.lease_s)
            if done is None:
                print(f"sent {stats.sent}, failed {stats.failed};"
                      " chores: another worker holds the chores lock")  # fmt: skip
                return 0 if not stats.failed else 1
            ended, moved, cards, anchored, purged = done
            print(f"sent {stats.sent}, failed {stats.failed}; terminated {len(ended)},"
                  f" deadlines moved by the calendar {len(moved)},"
                  f" cards raised {len(cards)}; {anchored}; {purged}")  # fmt: skip
            return 0 if not stats.failed else 1
        run(store.outbox, channels, chores=chores_once, lease_s=args.lease_s)
    finally:
        lock.release()
        store.close()
    return 0


def add_worker_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    w = sub.add_parser("worker", help="deliver notifications from the outbox (background)")
    w.add_argument(
        "--db",
        default=None,
        help=DB_HELP,
    )
    w.add_argument("--once", action="store_true", help="one pass, then exit (1 if any failed)")
    w.add_argument(
        "--lease-s",
        type=int,
        default=60,
        help="seconds a claimed message is this worker's; a dead worker's return after it",
    )
    w.add_argument("--smtp-host", default=None, help="SMTP server for e-mail (none: e-mail waits)")
    w.add_argument("--smtp-port", type=int, default=25)
    w.add_argument("--smtp-starttls", action="store_true")
    w.add_argument("--mail-from", default="noreply@localhost")
    w.add_argument("--sms-provider", choices=("file", "log"), default="file")
    w.add_argument("--sms-file", default=None, help="JSON lines of SMS (default: beside the db)")
    w.set_defaults(func=cmd_worker)
