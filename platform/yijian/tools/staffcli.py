"""``yijian staff …``: staff accounts from the shell (add, list, grant, revoke, passwd, disable,
enable, audit).

Whoever runs it has shell access to the database, so it acts as ``cli:<os user>`` in the audit
trail with no scope limit: this is how the first admin is made. Validation and the Chinese
error texts come from ``yijian.office.staff`` (the same ones the admin page shows); the
command prints them as ``error: …`` and exits 1. Passwords are asked twice with getpass, or
read from the first line of stdin with ``--password-stdin`` (scripts), never from an argument
(it would sit in the shell history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from yijian.load.org import read_org
from yijian.load.source import FileCache
from yijian.office import staff as office
from yijian.office.roles import ROLE_LABELS, ROLES
from yijian.runtime.regions import RegionTable
from yijian.store import Store
from yijian.store.passwords import Passwords
from yijian.store.staff import Grant, StaffMember
from yijian.store.target import DB_HELP, resolve

__all__ = ["add_staff_parser"]


def _operator() -> office.Operator:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no $USER (some containers)
        user = "unknown"
    return office.Operator.shell(user)


def _store(args: argparse.Namespace) -> Store:
    store: Store = resolve(args.db, Path(args.root).resolve()).open()
    return store


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise office.StaffError("两次输入的密码不一致")
    return first


def _spec(args: argparse.Namespace) -> office.GrantSpec:
    if not args.role or not args.region:
        raise office.StaffError("授权须同时给出 --role 与 --region")
    return office.GrantSpec(args.role, args.region, args.department)


class _Outcome(NamedTuple):
    text: str
    status: int = 0


def _departments(args: argparse.Namespace) -> set[str] | None:
    """The department ids of ``rules/org.yaml`` (a reviewer's grant must name one), or None
    when the root has no organisation yet."""
    org, _ = read_org(Path(args.root), FileCache())
    return {d.id for d in org.departments} if org.defined else None


def _grant_text(g: Grant) -> str:
    return f"{g.role}@{g.region}" + (f"/{g.department}" if g.department else "")


def _line(m: StaffMember) -> str:
    state = "disabled" if m.disabled else "active"
    grants = " ".join(_grant_text(g) for g in m.grants) or "(no grants)"
    return f"{m.login}\t{m.name}\t{state}\t{grants}"


def cmd_add(args: argparse.Namespace, store: Store) -> str:
    grants = [_spec(args)] if args.role or args.region or args.department else []
    member = office.add_staff(
        store,
        Passwords(),
        login=args.login,
        name=args.name,
        password=_password(args),
        operator=_operator(),
        regions=RegionTable.load(),
        grants=grants,
        phone=args.phone,
        departments=_departments(args),
    )
    return f"added {_line(member)}"


def cmd_list(args: argparse.Namespace, store: Store) -> str:
    members = office.list_staff(store, _operator())
    return "\n".join(_line(m) for m in members) or "no staff yet"


def cmd_grant(args: argparse.Namespace, store: Store) -> str:
    member = office.grant(
        store, args.login, _spec(args), _operator(), RegionTable.load(), _departments(args)
    )
    return f"granted {_line(member)}"


def cmd_revoke(args: argparse.Namespace, store: Store) -> str:
    member = office.revoke(store, args.login, _spec(args), _operator())
    return f"revoked {_line(member)}"


def cmd_passwd(args: argparse.Namespace, store: Store) -> str:
    office.member(store, args.login, _operator())  # unknown login: say so before asking
    office.set_password(store, Passwords(), args.login, _password(args), _operator())
    return f"password set for {args.login}; their sessions have ended"


def _toggle(disabled: bool) -> Callable[[argparse.Namespace, Store], str]:
    def run(args: argparse.Namespace, store: Store) -> str:
        changed = office.set_disabled(store, args.login, disabled, _operator())
        word = "disabled" if disabled else "enabled"
        if not changed:
            return f"{args.login} was {word} already"
        return f"{word} {args.login}" + ("; their sessions have ended" if disabled else "")

    return run


def cmd_audit(args: argparse.Namespace, store: Store) -> _Outcome:
    subject = office.member(store, args.login, _operator()).id if args.login else None
    lines = [
        f"{e.seq}\t{e.at}\t{e.actor}\t{e.kind}\tstaff:{e.subject}\t"
        f"{json.dumps(e.data, ensure_ascii=False, sort_keys=True)}"
        for e in store.staff.audit(subject)
    ]
    if store.staff.verify_audit():
        return _Outcome("\n".join([*lines, "audit chain ok"]))
    return _Outcome(
        "\n".join([*lines, "error: the audit chain is broken (an entry was changed)"]), 2
    )


Handler = Callable[[argparse.Namespace, Store], "str | _Outcome"]


def _run(handler: Handler) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with _store(args) as store:
            try:
                result = handler(args, store)
            except office.StaffError as exc:
                print(f"error: {exc.message}", file=sys.stderr)
                return 1
        outcome = result if isinstance(result, _Outcome) else _Outcome(result)
        print(outcome.text)
        return outcome.status

    return run


def _grant_options(p: argparse.ArgumentParser, required: bool) -> None:
    roles = ", ".join(f"{r} ({ROLE_LABELS[r]})" for r in ROLES)
    p.add_argument("--role", required=required, choices=ROLES, metavar="ROLE", help=roles)
    p.add_argument("--region", required=required, help="region code: 6, 9 or 12 digits")
    p.add_argument("--department", default=None, help="department id (reviewers only)")


def add_staff_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``yijian staff`` and its subcommands on the main parser's subparsers.

    ``--region`` after a staff subcommand is the grant's region (the site region plays no
    part here); ``--root`` and ``--db`` are accepted before or after the subcommand.
    """
    staff = sub.add_parser("staff", help="staff accounts: add, list, grant, revoke, disable …")
    staff.add_argument(
        "--db",
        default=None,
        help=DB_HELP,
    )
    cmds = staff.add_subparsers(dest="staff_command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="definitions root")
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=DB_HELP,
    )

    def cmd(name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        p = cmds.add_parser(name, help=text, parents=[common])
        p.set_defaults(func=_run(handler))
        return p

    a = cmd("add", cmd_add, "add a staff member (asks for the password)")
    a.add_argument("--login", required=True)
    a.add_argument("--name", required=True, help="display name, e.g. 王芳")
    a.add_argument("--phone", default=None)
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    _grant_options(a, required=False)
    cmd("list", cmd_list, "list staff members and their grants")
    for name, handler, text in [
        ("grant", cmd_grant, "give a member a role in a region"),
        ("revoke", cmd_revoke, "take a role away"),
    ]:
        p = cmd(name, handler, text)
        p.add_argument("login")
        _grant_options(p, required=True)
    pw = cmd("passwd", cmd_passwd, "set a member's password (ends their sessions)")
    pw.add_argument("login")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    cmd("disable", _toggle(True), "disable a member (ends their sessions)").add_argument("login")
    cmd("enable", _toggle(False), "enable a member again").add_argument("login")
    au = cmd("audit", cmd_audit, "print the staff audit trail and verify its hash chain")
    au.add_argument("login", nargs="?")
