"""Placeholders in the definitions: values that are not yet the county's own (E-PLACEHOLDER).

A county copying an example, or filling a guide before its 实施清单 is settled, has values it
knows to be illustrative. They must never read as such to a citizen ("示例值", "待核" in a guide
are worse than no guide line), yet the admin must not forget them. So the definition says it
in a way only `yijian check` reads: an ``illustrative:`` list in matter.yaml or bundle.yaml names
the elements whose value is illustrative (``time_limits.legal``, ``materials.food_layout``), and
the guide shows the value plainly. Each entry is a warning, and so is any citizen-visible text
that still carries a placeholder word (``示例值``, ``示例材料（待核）``): the definitions load
either way, the warnings list what is left to settle.

Only matter and bundle folders are read (what a guide, form or message shows); comments are
not text, and ``parameters[].values[].source`` of rules.yaml (where a county parameter comes
from, shown to admins only) is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from yijian.load.checks import diagnostic_at
from yijian.load.source import FolderSource, SourceFile
from yijian.located.diagnostics import Diagnostic

__all__ = ["PLACEHOLDER_WORDS", "placeholder_warnings"]

#: Words that mark a value as not yet real. A citizen must never read one of them.
PLACEHOLDER_WORDS: tuple[str, ...] = ("示例", "待核", "待定", "占位", "TODO", "TBD")

CODE = "E-PLACEHOLDER"
_FILES = ("matter.yaml", "bundle.yaml", "form.yaml", "rules.yaml", "routing.yaml")
_SKIP = {"parameters"}  # rules.yaml: county parameters, their sources read by admins only


def _strings(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            if not path and k in _SKIP:
                continue
            yield from _strings(v, (*path, k))
    elif isinstance(data, list | tuple):
        for i, v in enumerate(data):
            yield from _strings(v, (*path, i))


def _resolve(data: Any, dotted: str) -> tuple[str | int, ...] | None:
    """``time_limits.legal`` → its path in the file; a list is entered by index or by ``id``
    (``materials.food_layout``). None when the element is not written in the file."""
    path: list[str | int] = []
    for part in dotted.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
            path.append(part)
        elif isinstance(data, list | tuple):
            at = next(
                (i for i, x in enumerate(data) if isinstance(x, dict) and x.get("id") == part),
                int(part) if part.isdigit() and int(part) < len(data) else None,
            )
            if at is None:
                return None
            data = data[at]
            path.append(at)
        else:
            return None
    return tuple(path)


def _warn(src: SourceFile, loc: tuple, message: str, hint: str) -> Diagnostic:
    return replace(diagnostic_at(src, loc, message, CODE, hint), severity="warning")


def _may_warn(text: str) -> bool:
    """False when no value of the file can hold a placeholder word or the file has no
    ``illustrative:`` list (nearly every file): then the values need not be walked. A word can
    reach a value only from the text, where its characters stand in order (a ``>`` block may
    drop the break between two Chinese characters: each is still in the text) unless an
    escape wrote it (``\\u793a``)."""
    if "\\" in text or "illustrative" in text:
        return True
    return any(w in text if w.isascii() else all(c in text for c in w) for w in PLACEHOLDER_WORDS)


def _file_warnings(src: SourceFile) -> list[Diagnostic]:
    model = src.model
    if model is None or not _may_warn(src.text):
        return []
    if "illustrative" not in src.text:  # a word in a comment: the values, as one JSON text
        dumped = model.model_dump_json(by_alias=True, exclude_unset=True)
        if not any(w in dumped for w in PLACEHOLDER_WORDS):
            return []
    data = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    out = []
    marked = tuple(data.get("illustrative", ()) or ())
    for i, dotted in enumerate(marked):
        loc = _resolve(data, dotted) or ("illustrative", i)
        out.append(
            _warn(
                src,
                loc,
                f"{dotted} is marked illustrative: the guide shows it as if it were real",
                f"write the county's own value (实施清单); remove '{dotted}' from illustrative",
            )
        )
    for loc, text in _strings({k: v for k, v in data.items() if k != "illustrative"}):
        words = [w for w in PLACEHOLDER_WORDS if w in text]
        if words:
            out.append(
                _warn(
                    src,
                    loc,
                    f"citizens would read the placeholder word {'、'.join(words)} in '{text}'",
                    "write the real value; to remember a value is illustrative, list its "
                    "element under `illustrative:` instead of saying so in the text",
                )
            )
    return out


#: A file's warnings by (path, content hash), from the last build: a hot reload of one file
#: does not walk the other 40,000 again.
_known: dict[tuple[str, str], list[Diagnostic]] = {}


def placeholder_warnings(folders: Iterable[FolderSource]) -> list[Diagnostic]:
    """One warning per illustrative element and per placeholder word, folder by folder."""
    global _known
    known, seen = _known, {}
    out: list[Diagnostic] = []
    for folder in folders:
        for name in _FILES:
            src = folder.files.get(name)
            if src is not None:
                key = (src.rel, src.digest)
                found = known.get(key)
                if found is None:
                    found = _file_warnings(src)
                seen[key] = found
                out.extend(found)
    _known = seen  # only this build's files: edited ones' old contents are dropped
    return out
