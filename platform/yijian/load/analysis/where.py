"""Where a finding is written: file, line and location, for a warning an admin can jump to.

Rules carry their site (file and location) from the loader; a field or a material is found
by its position in the matter's form.yaml or matter.yaml, read once per file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from yijian.compiled.matter import CompiledMatter, FieldSpec
from yijian.located.diagnostics import Diagnostic, loc_text
from yijian.located.yamlsrc import locate
from yijian.rules.engine import CompiledRule

Loc = tuple[str | int, ...]


@dataclass
class Locator:
    """Turns (path, location) into a located warning; reads each file at most once."""

    root: Path
    texts: dict[str, str] = field(default_factory=dict)
    forms: dict[str, Any] = field(default_factory=dict)

    def _text(self, path: str) -> str:
        if path not in self.texts:
            try:
                self.texts[path] = (self.root / path).read_text(encoding="utf-8")
            except OSError:
                self.texts[path] = ""
        return self.texts[path]

    def warn(self, path: str, loc: Loc, message: str, code: str, hint: str) -> Diagnostic:
        line, col = locate(self._text(path), loc) if loc else (0, 0)
        return Diagnostic(path, line, col, loc_text(loc), message, code, hint, "warning")

    def field(self, path: str, key: str) -> Loc:
        """Where the field answering ``key`` is written in a form.yaml (``()`` if not found):
        a bundle's compiled pages are not in the order of its own file."""
        if path not in self.forms:
            try:
                self.forms[path] = yaml.safe_load(self._text(path)) or {}
            except yaml.YAMLError:
                self.forms[path] = {}
        pages = self.forms[path].get("pages") if isinstance(self.forms[path], dict) else None
        for i, page in enumerate(pages if isinstance(pages, list) else ()):
            fields = page.get("fields") if isinstance(page, dict) else None
            for j, f in enumerate(fields if isinstance(fields, list) else ()):
                if isinstance(f, dict) and (f.get("key") or f.get("use")) == key:
                    return ("pages", i, "fields", j)
        return ()

    def at_rule(self, rule: CompiledRule, message: str, code: str, hint: str) -> Diagnostic:
        site = rule.site
        if site is None:  # never for a loaded rule; kept total for rules built in code
            return Diagnostic("", 0, 0, "", message, code, hint, "warning")
        return self.warn(site.path, site.loc, message, code, hint)


def form_fields(matter: CompiledMatter) -> Iterator[tuple[FieldSpec, Loc, int]]:
    """Every field of a matter's own form with its location in form.yaml and page index."""

    def walk(
        specs: tuple[FieldSpec, ...], at: Loc, page: int
    ) -> Iterator[tuple[FieldSpec, Loc, int]]:
        for j, spec in enumerate(specs):
            loc = (*at, "fields", j)
            yield spec, loc, page
            yield from walk(spec.children, loc, page)

    for i, page in enumerate(matter.pages):
        yield from walk(page.fields, ("pages", i), i)


def form_path(matter: CompiledMatter) -> str:
    return f"matters/{matter.id}/form.yaml"


def matter_path(matter: CompiledMatter) -> str:
    return f"matters/{matter.id}/matter.yaml"
