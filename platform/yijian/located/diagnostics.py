"""Diagnostics: every problem found in the definitions, with file, line, location, code and hint.

The checker collects all of them and prints them at once (mkdocs, OpenFisca); each carries a
stable code documented in docs/reference/errors.md and proven by a fixture in
tests/fixtures/invalid/.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher, get_close_matches


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the definitions root, with forward slashes
    line: int  # 1-based; 0 when the whole file is meant
    col: int  # 1-based; 0 when unknown
    loc: str  # dotted location inside the file, e.g. pages[0].fields[2].type
    message: str
    code: str
    hint: str | None = None
    severity: str = "error"  # error or warning

    def format(self) -> str:
        where = self.path if self.line == 0 else f"{self.path}:{self.line}:{self.col}"
        loc = f" {self.loc}:" if self.loc else ""
        text = f"{where}:{loc} {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def loc_text(loc: Sequence[str | int]) -> str:
    """Render a location as admins read it: ``pages[0].fields[2].type``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def did_you_mean(word: str, choices: Iterable[str], limit: int = 1) -> str:
    """`; did you mean 'x'?` for the closest choice, or an empty string."""
    close = get_close_matches(str(word), [str(c) for c in choices], n=limit, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def _closeness(word: str, choice: str) -> tuple[int, float]:
    """Sort key, closest first: the same dotted head (``applicant.``) before the rest, then
    difflib's similarity."""
    head = word.split(".")[0] == choice.split(".")[0] if "." in word else False
    return (0 if head else 1, -SequenceMatcher(None, word, choice).ratio())


def known_list(
    choices: Iterable[str], most: int = 8, near: str | None = None, where: str | None = None
) -> str:
    """A short list of valid choices for a hint: ``a, b, c, … (12 in all; every one: WHERE)``.

    With ``near`` (the misspelt name) the closest choices come first, so a cut list still
    shows the ones the author probably meant; ``where`` says where the whole list is (a docs
    anchor, a file), since a cut list alone leaves the author guessing what was left out.
    """
    items = sorted({str(c) for c in choices})
    if near is not None:
        items.sort(key=lambda c: _closeness(str(near), c))
    if len(items) <= most:
        return ", ".join(items)
    tail = f"{len(items)} in all" + (f"; every one: {where}" if where else "")
    return ", ".join(items[:most]) + f", … ({tail})"


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = len(diagnostics) - len(errors)
    files = len({d.path for d in errors})
    text = f"{len(errors)} {_plural(len(errors), 'error')} in {files} {_plural(files, 'file')}"
    if warnings:
        text += f", {warnings} warning{'s' if warnings != 1 else ''}"
    return text
