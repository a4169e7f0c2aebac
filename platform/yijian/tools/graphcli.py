"""``yijian graph ID``: write a matter's or bundle's dependency graph as DOT or Mermaid.

The graph is built from the loaded definitions (:mod:`yijian.load.analysis.graph`), so it
shows what the platform runs, after library fields and bundle merging. DOT renders with
Graphviz (``yijian graph ID | dot -Tsvg > g.svg``); Mermaid pastes into a Markdown file that
GitLab, GitHub or Gitea show as a picture.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from yijian.load.analysis.graph import build, to_dot, to_mermaid
from yijian.located.diagnostics import did_you_mean, summary
from yijian.registry.snapshot import Registry


def cmd_graph(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    if not (root / "matters").is_dir():
        print(f"error: {root} has no matters/ folder; pass --root DIR", file=sys.stderr)
        return 2
    region = args.region
    if not region:
        from yijian.load.site import read_site

        site, _errors = read_site(root)
        region = site.region if site else None
    reg = Registry(root, region=region)
    reg.load()
    if reg.current is None:
        print(
            f"error: the definitions do not load ({summary(list(reg.last_errors))}); "
            "run `yijian check`",
            file=sys.stderr,
        )
        return 1
    matter = reg.current.matter(args.id)
    if matter is None:
        hint = did_you_mean(args.id, reg.current.matters)
        print(f"error: no matter or bundle '{args.id}'{hint}", file=sys.stderr)
        return 2
    graph = build(matter)
    text = to_mermaid(graph) if args.format == "mermaid" else to_dot(graph)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def add_graph_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "graph", help="write the field/rule/material/step dependency graph of a matter or bundle"
    )
    p.add_argument("id", help="matter or bundle id (its folder under matters/)")
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot", help="default: dot")
    p.add_argument("--out", default=None, help="write to this file instead of standard output")
    p.set_defaults(func=cmd_graph)
