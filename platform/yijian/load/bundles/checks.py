"""Checks of a bundle.yaml against the matters it joins, and locating members' definitions.

A conflict between two members must name both places (file:line of each), so an admin can
open either file and decide. The member folders' texts come from the build when it passes
them; otherwise a member file is read from disk beside the bundle only when its content hash
matches the compiled version, so a stale or foreign file is never quoted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from yijian.compiled.matter import CompiledMatter
from yijian.defs import FOLDER_FILES
from yijian.defs.bundle import BundleDef

# A bundle's diagnostics are located and worded exactly as a matter's: the matter checks'
# helpers are reused as they are (module-private there, but one implementation, not two).
from yijian.load.checks import diagnostic_at, unknown_ref
from yijian.load.source import FolderSource, SourceFile
from yijian.located.diagnostics import Diagnostic, did_you_mean, known_list, loc_text
from yijian.located.yamlsrc import locate


def at(
    src: SourceFile,
    loc: tuple[str | int, ...],
    message: str,
    code: str,
    hint: str | None = None,
    severity: str = "error",
) -> Diagnostic:
    """A diagnostic at ``loc`` of ``src``, located like a matter's (:mod:`yijian.load.checks`
    builds it); only a bundle's checks also warn, hence ``severity``."""
    diag = diagnostic_at(src, loc, message, code, hint)
    return diag if severity == diag.severity else replace(diag, severity=severity)


def check_members(
    src: SourceFile,
    b: BundleDef,
    compiled: Mapping[str, CompiledMatter | None],
    ids: frozenset[str],
    self_id: str,
) -> list[Diagnostic]:
    """Every member exists, is a matter, appears once; every reference names a member."""
    out: list[Diagnostic] = []
    members = [m.matter for m in b.matters]
    matters = sorted(
        i for i in ids if i != self_id and (compiled.get(i) is None or compiled[i].kind == "matter")
    )
    seen: set[str] = set()
    for i, m in enumerate(b.matters):
        loc = ("matters", i, "matter")
        if m.matter not in ids:
            out.append(unknown_ref(src, loc, "matter", m.matter, matters, "E-REF-MATTER"))
        elif m.matter == self_id or (
            compiled.get(m.matter) and compiled[m.matter].kind != "matter"
        ):
            out.append(
                at(
                    src,
                    loc,
                    f"'{m.matter}' is a bundle; a bundle joins matters only",
                    "E-BUNDLE-MEMBER",
                    "list the bundle's matters instead",
                )
            )
        if m.matter in seen:
            out.append(
                at(
                    src,
                    loc,
                    f"matter '{m.matter}' is listed twice",
                    "E-BUNDLE-MEMBER",
                    "list each member once",
                )
            )
        seen.add(m.matter)
        for ai, ref in enumerate(m.after):
            if ref not in members or ref == m.matter:
                out.append(_not_member(src, ("matters", i, "after", ai), ref, members))
    for gi, g in enumerate(b.exclusive):
        for mi, ref in enumerate(g.matters):
            if ref not in members:
                out.append(_not_member(src, ("exclusive", gi, "matters", mi), ref, members))
    for key, ref in b.prefer.items():
        if ref not in members:
            out.append(_not_member(src, ("prefer", key), ref, members))
    return out


def _not_member(
    src: SourceFile, loc: tuple[str | int, ...], ref: str, members: list[str]
) -> Diagnostic:
    return at(
        src,
        loc,
        f"'{ref}' is not another member of this bundle{did_you_mean(ref, members)}",
        "E-BUNDLE-MEMBER",
        f"members: {known_list(members)}",
    )


def _digest(folder: Path) -> str | None:
    """The content hash FolderSource.digest gives the folder, computed from disk."""
    if not folder.is_dir():
        return None
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.name in FOLDER_FILES and path.is_file():
            h.update(
                path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).hexdigest().encode()
            )
    return h.hexdigest()[:16]


class Locator:
    """file:line of a location inside a member's file, for messages that name two places."""

    def __init__(
        self,
        bundle: FolderSource,
        compiled: Mapping[str, CompiledMatter | None],
        sources: Mapping[str, FolderSource] | None,
    ) -> None:
        self.bundle, self.compiled, self.sources = bundle, compiled, sources or {}
        self._texts: dict[tuple[str, str], str | None] = {}

    def text(self, mid: str, name: str) -> str | None:
        key = (mid, name)
        if key not in self._texts:
            self._texts[key] = self._read(mid, name)
        return self._texts[key]

    def _read(self, mid: str, name: str) -> str | None:
        folder = self.sources.get(mid)
        if folder is not None and name in folder.files:
            return folder.files[name].text
        m = self.compiled.get(mid)
        path = Path(self.bundle.rel).parent / mid
        if m is None or _digest(path) != m.version:
            return None
        return (path / name).read_text(encoding="utf-8")

    def where(self, mid: str, name: str, loc: tuple[str | int, ...]) -> tuple[str, int, int]:
        rel = f"{Path(self.bundle.rel).parent.as_posix()}/{mid}/{name}"
        text = self.text(mid, name)
        line, col = locate(text, loc) if text is not None else (0, 0)
        return rel, line, col

    def describe(self, mid: str, name: str, loc: tuple[str | int, ...]) -> str:
        rel, line, col = self.where(mid, name, loc)
        return f"{rel}:{line}:{col}" if line else f"{rel} {loc_text(loc)}"
