"""The ``yijian`` command: check, test, new, graph, schema, serve, docs, staff, worker, audit, …

Every command works on a definitions root (the current directory, or ``--root DIR``) holding
matters/ and, when it adds to the platform's own, forms/, rules/, themes/ and site.yaml, so a
county keeps its definitions in a repository of its own and runs the installed platform on it
(the national field library, the calendar and the default themes ship in the package). Errors
are printed all at once as ``path:line:col: location: message [CODE]`` with one summary line; no
traceback reaches an admin.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from yijian.located.diagnostics import summary
from yijian.registry.snapshot import Registry
from yijian.store.target import DB_HELP


def _root(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve()
    if not (root / "matters").is_dir():
        print(
            f"error: {root} has no matters/ folder; "
            "run inside a definitions root or pass --root DIR",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return root


def _region(args: argparse.Namespace, root: Path) -> str | None:
    """``--region``, else the region of the root's site.yaml (the county's own calendar)."""
    if args.region:
        return args.region
    from yijian.load.site import read_site

    site, _errors = read_site(root)  # a wrong site.yaml is reported by the build itself
    return site.region if site else None


def _narrow(root: Path, target: str | None) -> str | None:
    """The root-relative prefix a PATH argument narrows output to."""
    if not target:
        return None
    p = Path(target)
    # a relative PATH names a place inside the root first (`yijian --root DIR check matters/x`)
    p = (root / p).resolve() if not p.is_absolute() and (root / p).exists() else p.resolve()
    try:
        rel = p.relative_to(root).as_posix()
    except ValueError:
        print(f"error: {target} is not inside the definitions root {root}", file=sys.stderr)
        raise SystemExit(2) from None
    if not p.exists():
        print(f"error: {target} does not exist", file=sys.stderr)
        raise SystemExit(2)
    return "" if rel == "." else rel


def cmd_check(args: argparse.Namespace) -> int:
    root = _root(args)
    prefix = _narrow(root, args.path)
    reg = Registry(root, region=_region(args, root))
    reg.load()
    diags = list(reg.last_errors) + [
        d for d in (reg.current.diagnostics if reg.current else ()) if d.severity != "error"
    ]
    # definition analysis (yijian.load.analysis): warnings, once the definitions have no error
    if reg.current is not None and not any(d.severity == "error" for d in diags):
        from yijian.load.analysis import analyse

        diags += analyse(root, reg.current.matters.values(), reg.current.engine)
    if prefix:
        diags = [
            d for d in diags if d.path == prefix or d.path.startswith(prefix.rstrip("/") + "/")
        ]
    for d in sorted(set(diags)):
        print(d.format())
    errors = [d for d in diags if d.severity == "error"]
    if errors:
        print(summary(diags) + "; the running server keeps serving the last good version")
        return 1
    snap = reg.current
    assert snap is not None
    matters = [
        m
        for m in snap.matters.values()
        if not prefix
        or f"matters/{m.id}".startswith(prefix)
        or prefix.startswith(f"matters/{m.id}")
    ]
    kinds = (
        sum(1 for m in matters if m.kind == "matter"),
        sum(1 for m in matters if m.kind == "bundle"),
    )
    warn = f", {len(diags)} warning{'s' if len(diags) != 1 else ''}" if diags else ""
    print(
        f"ok: {kinds[0]} matters, {kinds[1]} bundles checked in {snap.build_ms:.0f} ms "
        f"(version {snap.version}){warn}"
    )
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from yijian.tools.casetest import run_cases

    root = _root(args)
    prefix = _narrow(root, args.path)
    return run_cases(root, prefix, region=_region(args, root), verbose=args.verbose)


def cmd_new(args: argparse.Namespace) -> int:
    from yijian.tools.scaffold import ScaffoldError, new_bundle, new_matter

    root = Path(args.root).resolve()  # a new county root has no matters/ yet: it is made
    try:
        if args.kind == "matter":
            written = new_matter(root, args.id, args.name)
        else:
            written = new_bundle(root, args.id, args.members, args.name)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    print("next: `yijian check` and `yijian test`, then replace each value with the county's own")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from yijian.tools.schema import write_schemas

    out = Path(args.out)
    for path in write_schemas(out):
        print(f"wrote {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from yijian.web.serve import serve

    return serve(
        _root(args),
        host=args.host,
        port=args.port,
        db=args.db,
        region=args.region,
        reload=not args.no_reload,
        forwarded_allow_ips=args.forwarded_allow_ips,
        workers=args.workers,
    )


def cmd_docs(args: argparse.Namespace) -> int:
    from yijian.tools.docgen import write_reference

    for path in write_reference(Path(args.out)):
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="yijian", description="一件: matters and 一件事 bundles as YAML"
    )
    p.add_argument("--root", default=".", help="definitions root (default: current directory)")
    p.add_argument("--region", default=None, help="region code of the site, e.g. 440000")
    # the same options after the command too (`yijian serve --root DIR`); SUPPRESS keeps a value
    # given before the command from being reset by the subparser's default
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS, help="definitions root")
    common.add_argument("--region", default=argparse.SUPPRESS, help="region code of the site")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser = functools.partial(sub.add_parser, parents=[common])  # type: ignore[method-assign]
    c = sub.add_parser("check", help="check definitions and print every error at once")
    c.add_argument("path", nargs="?", help="narrow to one folder or file inside the root")
    c.set_defaults(func=cmd_check)
    t = sub.add_parser("test", help="run every cases.yaml")
    t.add_argument("path", nargs="?", help="narrow to one folder or file inside the root")
    t.add_argument("-v", "--verbose", action="store_true", help="print each passing case too")
    t.set_defaults(func=cmd_test)
    n = sub.add_parser("new", help="scaffold a commented matter or bundle folder that checks")
    n.add_argument("kind", choices=("matter", "bundle"))
    n.add_argument("id", help="folder id under matters/, e.g. disability-card")
    n.add_argument("--name", help="事项 or 一件事 name (default: a neutral one to replace)")
    n.add_argument(
        "--members",
        nargs="+",
        help="bundle: member matter ids (default: <id>-first <id>-second); missing ones are "
        "scaffolded too",
    )
    n.set_defaults(func=cmd_new)
    s = sub.add_parser("schema", help="write a JSON Schema per file kind, for editors")
    s.add_argument("--out", default="schemas", help="output folder (default: schemas)")
    s.set_defaults(func=cmd_schema)
    d = sub.add_parser("docs", help="regenerate the YAML/function/error reference under docs/")
    d.add_argument("--out", default="docs/reference", help="output folder")
    d.set_defaults(func=cmd_docs)
    v = sub.add_parser("serve", help="serve the matters (hot reload on)")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.add_argument(
        "--db",
        default=None,
        help=DB_HELP,
    )
    v.add_argument("--workers", type=int, default=1, help="app processes on the port (default 1)")
    v.add_argument("--no-reload", action="store_true", help="do not watch the definitions")
    v.add_argument(
        "--forwarded-allow-ips",
        default=None,
        help="reverse proxies (IPs/CIDRs, comma-separated) whose X-Forwarded-Proto/For are"
        " believed: HTTPS behind them gets Secure cookies and HSTS (default: none)",
    )
    v.set_defaults(func=cmd_serve)
    from yijian.tools.staffcli import add_staff_parser

    add_staff_parser(sub)  # yijian staff add|list|grant|revoke|passwd|disable|enable|audit
    from yijian.tools.worker import add_worker_parser

    add_worker_parser(sub)  # yijian worker [--once]
    from yijian.tools.sealcli import add_seal_parser

    add_seal_parser(sub)  # yijian seal init|check
    from yijian.tools.auditcli import add_audit_parser

    add_audit_parser(sub)  # yijian audit verify|anchor
    from yijian.tools.purge import add_purge_parser

    add_purge_parser(sub)  # yijian purge [--dry-run]
    from yijian.tools.graphcli import add_graph_parser

    add_graph_parser(sub)  # yijian graph ID [--format dot|mermaid]
    from yijian.tools.dbcli import add_db_parser

    add_db_parser(sub)  # yijian db copy --from … --to …
    return p


def main(argv: list[str] | None = None) -> int:
    from yijian.runtime.logmask import install

    install()  # no identity number, phone or draft id in any log line, whatever logs it
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
