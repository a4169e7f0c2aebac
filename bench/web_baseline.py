"""The bare baseline of bench_web: Starlette + Jinja2 rendering the same HTML as our pages.

What the issue-3 targets compare against: the least any handler serving that page must do.
``flatten`` turns a page our app rendered into a Jinja2 template where every text node and
every attribute value is an expression on an object (``{{ p.a17 }}``), so the baseline renders
the same bytes with one autoescaped attribute lookup per value: Jinja2 work of the same output
size, without our macros, rules, draft lookup or session. The POST handler parses the
form-encoded body and renders the (flattened) fragment our change endpoint returned.

Served by uvicorn's CLI as a factory: ``uvicorn --factory --app-dir bench web_baseline:app``
with ``YJ_BENCH_TEMPLATES`` naming the folder of ``page.html`` / ``change.html`` and their
``*.values.json``.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

#: A quoted attribute value, or the text between two tags (neither may hold Jinja2 syntax).
_PIECE = re.compile(r'(="[^"]*")|(>[^<]+<)')


def flatten(page: str) -> tuple[str, list[str]]:
    """(template, values): ``template`` rendered with ``p.aN = values[N]`` gives ``page`` back."""
    values: list[str] = []

    def hole(match: re.Match[str]) -> str:
        attr, text = match.group(1), match.group(2)
        raw = attr[2:-1] if attr else text[1:-1]
        if not raw.strip():
            return match.group(0)
        values.append(html.unescape(raw))
        expr = "{{ p.a%d }}" % (len(values) - 1)  # noqa: UP031 - braces are the template's
        return f'="{expr}"' if attr else f">{expr}<"

    out, pos = [], 0
    for match in _PIECE.finditer(page):
        out += [page[pos : match.start()].replace("{", "{{ '{' }}"), hole(match)]
        pos = match.end()
    out.append(page[pos:].replace("{", "{{ '{' }}"))
    return "".join(out), values


def write_flat(folder: Path, name: str, page: str) -> None:
    """Save ``name``.html and ``name``.values.json for the baseline server."""
    template, values = flatten(page)
    (folder / f"{name}.html").write_text(template, encoding="utf-8")
    (folder / f"{name}.values.json").write_text(json.dumps(values, ensure_ascii=False), "utf-8")


class Values:
    """The context object: attributes ``a0`` … ``aN`` (attribute lookups, not dict keys)."""

    def __init__(self, values: list[str]) -> None:
        for i, v in enumerate(values):
            setattr(self, f"a{i}", v)


def app() -> Starlette:
    """The baseline app: GET /page renders the page, POST /change parses a body, renders a bit."""
    folder = Path(os.environ["YJ_BENCH_TEMPLATES"])
    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(default=True, default_for_string=True),
        auto_reload=False,
    )
    page, change = env.get_template("page.html"), env.get_template("change.html")
    page_values = Values(json.loads((folder / "page.values.json").read_text("utf-8")))
    change_values = Values(json.loads((folder / "change.values.json").read_text("utf-8")))
    headers = {"cache-control": "no-store"}

    async def get_page(request: Request) -> HTMLResponse:
        return HTMLResponse(page.render(p=page_values), headers=headers)

    async def post_change(request: Request) -> HTMLResponse:
        async with request.form() as form:
            value: Any = form.get("applicant.income")
        if value is None:
            return HTMLResponse("missing", 400)
        return HTMLResponse(change.render(p=change_values), headers=headers)

    return Starlette(
        routes=[
            Route("/page", get_page),
            Route("/change", post_change, methods=["POST"]),
        ]
    )
