"""Reading the plain YAML that definitions are written in, without building a node tree.

libyaml is fast at scanning, but PyYAML hands every value to Python as a node object with two
marks, resolves its tag by a callback and constructs it in Python again: about 120 µs for a
25-line definition file, most of a cold load of a 10,000-matter catalog (docs/performance.md).
Definition files use a small part of YAML: block mappings and sequences of ``key: value``
lines, one-line flow collections (``{days: 5}``, JSON-style rules), plain and simply quoted
scalars, ``|`` and ``>`` blocks. :func:`read` reads exactly that part, line by line, and gives
up (:class:`Unsure`) on anything else — a tab, an anchor, a tag, a multi-line plain or quoted
scalar, an escape, a duplicate key, a YAML 1.1 boolean or a number with a leading zero (whose
problems only the full reader reports, with their line), a value it cannot prove complete —
so the caller reads that file the full way. What it returns is what libyaml plus
:mod:`yijian.located.yamlsrc`'s constructor return for the same text
(``tests/load/test_plainyaml.py`` compares both on every YAML file of the repository, on
generated catalogs and on random and mutated documents).

Scalars are typed by PyYAML's own implicit resolvers and constructors (cached by text).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import yaml

__all__ = ["Unsure", "read", "scalar_tag"]

STR = "tag:yaml.org,2002:str"
_BOOL, _INT, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "null"))
_TYPED = {f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "null", "float", "timestamp")}
LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")
# YAML folds line breaks of a `>` block into spaces; Chinese text has none between characters
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
FOLDED_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
TRUE_FALSE = {"true", "false", "True", "False", "TRUE", "FALSE"}

#: Characters this reader leaves to libyaml: tabs, CR, other line breaks (NEL, U+2028/9),
#: a byte-order mark, control and non-characters.
_ODD = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
#: ``key:`` or ``key: value`` (a plain key without YAML indicators, or a simply quoted one).
_KEY = re.compile(
    r"""(?:([^\s\-?:,\[\]{}#&*!|>'"%@`][^\s:,\[\]{}#'"]*)|"([^"\\]*)"|'([^']*)') *:(?: +(.*))?$"""
)
_DQ = re.compile(r'"([^"\\]*)"(?: +#.*)?$')
_SQ = re.compile(r"'([^']*)'(?: +#.*)?$")
_BLOCK = re.compile(r"([|>])(-?)$")
_FLOW_TOKEN = re.compile(
    r""" *(?:([\[\]{},])|"([^"\\]*)"|'([^']*)'|(:)(?= )|"""
    r"""((?:-(?=[^\s,\[\]{}])|[^\s\-?:,\[\]{}#&*!|>'"%@`])[^,\[\]{}:#]*))"""
)
_ITEM = r"""[^\s\[\]{},:#"'&*!|>%@`?\-][^\[\]{},:#"']*"""  # plain, in a flow, without a colon
_SIMPLE_SEQ = re.compile(rf"\[ *({_ITEM}(?: *, *{_ITEM})*)\]$")
_SIMPLE_MAP = re.compile(rf"\{{ *({_ITEM}: +{_ITEM}(?: *, *{_ITEM}: +{_ITEM})*)\}}$")
_NOT_PLAIN_START = frozenset("?:,[]{}#&*!|>'\"%@`")
_SPECIAL_START = _NOT_PLAIN_START | {"-"}


class Unsure(Exception):
    """The text uses YAML this reader does not handle exactly: read it the full way."""


@functools.lru_cache(maxsize=1 << 16)
def scalar_tag(value: str) -> str:
    """The implicit tag of a plain scalar, as PyYAML's ``BaseResolver.resolve`` finds it."""
    table = yaml.CSafeLoader.yaml_implicit_resolvers
    for tag, regexp in [*table.get(value[:1], ()), *table.get(None, ())]:
        if regexp.match(value):
            return str(tag)
    return STR


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_UNSURE = object()


@functools.lru_cache(maxsize=1 << 14)
def _typed(tag: str, value: str) -> Any:
    """A non-string plain scalar built by PyYAML's constructor (immutable: cached), or
    :data:`_UNSURE` for what the full reader reports as a problem or an odd tag."""
    if tag not in _TYPED:
        return _UNSURE  # merge key, `=`: the full reader handles (or refuses) them
    if tag == _BOOL and value not in TRUE_FALSE:
        return _UNSURE  # E-YAML-BOOL
    if tag == _INT and (LEADING_ZERO.match(value) or ":" in value):
        return _UNSURE  # E-YAML-NUMBER-CODE
    try:
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception:  # 2025-09-31: whatever the full reader makes of it
        return _UNSURE


def _plain(value: str) -> Any:
    tag = scalar_tag(value)
    if tag == STR:
        return value
    out = _typed(tag, value)
    if out is _UNSURE:
        raise Unsure
    return out


def _key(m: re.Match[str]) -> str:
    plain, dq, sq = m.group(1, 2, 3)
    if plain is None:
        return dq if dq is not None else sq
    if scalar_tag(plain) != STR:
        raise Unsure  # `1:`, `yes:`, `~:`, `<<:`: not a text key
    return plain


def _no_dup_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Unsure  # E-YAML-DUPLICATE-KEY
    return out


def _json_float(text: str) -> float:
    if "e" in text or "E" in text:
        raise Unsure  # YAML 1.1 reads `1e5` as text and `1.0e+5` as a number
    return float(text)


def _json_constant(text: str) -> Any:
    raise Unsure  # NaN, Infinity: not JSON, and not YAML either


_JSON = json.JSONDecoder(
    object_pairs_hook=_no_dup_pairs, parse_float=_json_float, parse_constant=_json_constant
)


def _flow(text: str) -> Any:
    """A one-line flow collection: as JSON when it is JSON (rules are), else by a small
    reader of plain and quoted scalars."""
    if "\\" in text or "#" in text:
        raise Unsure  # escapes, comments
    if '"' in text:
        try:
            return _JSON.decode(text)
        except ValueError:
            pass
    else:
        m = _SIMPLE_SEQ.match(text)
        if m is not None:  # [窗口, 网上]
            return [_plain(item.strip(" ")) for item in m.group(1).split(",")]
        m = _SIMPLE_MAP.match(text)
        if m is not None:  # {days: 5}
            out: dict[str, Any] = {}
            for pair in m.group(1).split(","):
                key, value = pair.split(":")
                key = key.strip(" ")
                if key in out or scalar_tag(key) != STR:
                    raise Unsure
                out[key] = _plain(value.strip(" "))
            return out
    tokens: list[tuple[str, Any]] = []
    pos, end = 0, len(text.rstrip(" "))
    while pos < end:
        m = _FLOW_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise Unsure
        punct, dq, sq, colon, plain = m.groups()
        if punct is not None:
            tokens.append((punct, None))
        elif colon is not None:
            tokens.append((":", None))
        elif plain is not None:
            tokens.append(("s", _plain(plain.rstrip(" "))))
        else:
            tokens.append(("s", dq if dq is not None else sq))
        pos = m.end()
    value, at = _flow_value(tokens, 0)
    if at != len(tokens):
        raise Unsure
    return value


def _flow_value(tokens: list[tuple[str, Any]], at: int) -> tuple[Any, int]:
    if at >= len(tokens):
        raise Unsure
    kind, value = tokens[at]
    if kind == "s":
        return value, at + 1
    if kind == "[":
        out: list[Any] = []
        at += 1
        if tokens[at : at + 1] == [("]", None)]:
            return out, at + 1
        while True:
            item, at = _flow_value(tokens, at)
            out.append(item)
            kind = tokens[at][0] if at < len(tokens) else ""
            if kind == "]":
                return out, at + 1
            if kind != ",":
                raise Unsure
            at += 1
    if kind == "{":
        mapping: dict[Any, Any] = {}
        at += 1
        if tokens[at : at + 1] == [("}", None)]:
            return mapping, at + 1
        while True:
            if at + 1 >= len(tokens) or tokens[at][0] != "s" or tokens[at + 1][0] != ":":
                raise Unsure
            key = tokens[at][1]
            if type(key) is not str or key in mapping:
                raise Unsure
            mapping[key], at = _flow_value(tokens, at + 2)
            kind = tokens[at][0] if at < len(tokens) else ""
            if kind == "}":
                return mapping, at + 1
            if kind != ",":
                raise Unsure
            at += 1
    raise Unsure


class _Lines:
    """The lines of a text, and the block structure read from them."""

    def __init__(self, text: str) -> None:
        self.raw = text.split("\n")
        self.ended = text.endswith("\n")
        content: list[str | None] = []
        indent: list[int] = []
        for line in self.raw:
            stripped = line.lstrip(" ")
            if not stripped or stripped[0] == "#":
                content.append(None)  # blank or a comment (outside a | or > block)
                indent.append(-1)
            else:
                content.append(stripped.rstrip(" "))
                indent.append(len(line) - len(stripped))
        self.content = content
        self.indent = indent
        self.n = len(content)

    def next_line(self, i: int) -> int:
        """The first line at or after ``i`` that is not blank or a comment (``n`` if none)."""
        content, n = self.content, self.n
        while i < n and content[i] is None:
            i += 1
        return i

    def node(self, i: int, parent: int) -> tuple[Any, int]:
        """The block node starting at line ``i`` (the first one that is not blank) if it is
        indented past ``parent``: a mapping or a sequence. None when nothing is."""
        if i >= self.n or self.indent[i] <= parent:
            return None, i
        first = self.content[i]
        assert first is not None
        if first == "-" or first.startswith("- "):
            return self.seq(i, self.indent[i])
        return self.mapping(i, self.indent[i], first)

    def mapping(self, i: int, at: int, first: str) -> tuple[dict[str, Any], int]:
        """The block mapping whose keys are at column ``at``; line ``i`` reads ``first``
        from that column on (it may follow a sequence's ``- ``)."""
        content, indent, n, match = self.content, self.indent, self.n, _KEY.match
        out: dict[str, Any] = {}
        text = first
        while True:
            m = match(text)
            if m is None:
                raise Unsure
            key, _, _, rest = m.groups()
            if key is None or scalar_tag(key) != STR:
                key = _key(m)
            if key in out:
                raise Unsure  # E-YAML-DUPLICATE-KEY
            if rest and rest[0] == "#":
                rest = None  # `key:  # a comment`, the value below
            if rest:
                if (
                    rest[0] not in _SPECIAL_START
                    and " #" not in rest
                    and ": " not in rest
                    and rest[-1] != ":"
                ):
                    out[key] = _plain(rest)  # the usual value (as in inline)
                    i += 1
                else:
                    out[key], i = self.inline(rest, i, at)
            else:
                j = i + 1
                while j < n and content[j] is None:
                    j += 1
                if (
                    j < n
                    and indent[j] == at
                    and (
                        content[j] == "-" or content[j].startswith("- ")  # type: ignore[union-attr]
                    )
                ):
                    out[key], i = self.seq(j, at)  # `key:` then `- item` at the key's column
                else:
                    out[key], i = self.node(j, at)
            while i < n and content[i] is None:
                i += 1
            if i >= n or indent[i] < at:
                return out, i
            if indent[i] > at:
                raise Unsure  # a continued plain scalar, or not YAML
            text = content[i]  # type: ignore[assignment]

    def seq(self, i: int, at: int) -> tuple[list[Any], int]:
        """The block sequence whose ``-`` are at column ``at``."""
        out: list[Any] = []
        while True:
            text = self.content[i]
            assert text is not None
            if text == "-":
                value, i = self.node(self.next_line(i + 1), at)
            elif text.startswith("- "):
                rest = text[2:].lstrip(" ")
                col = at + len(text) - len(rest)
                if rest[0] == "#" or rest == "-" or rest.startswith("- "):
                    raise Unsure  # a comment after `-`, a sequence in a sequence
                if _KEY.match(rest):
                    value, i = self.mapping(i, col, rest)
                else:
                    value, i = self.inline(rest, i, at)
            else:
                return out, i  # a key of the mapping this sequence is the value of
            out.append(value)
            i = self.next_line(i)
            if i >= self.n or self.indent[i] < at:
                return out, i
            if self.indent[i] > at:
                raise Unsure

    def inline(self, text: str, i: int, parent: int) -> tuple[Any, int]:
        """The value written on line ``i`` after ``key: `` or ``- ``; returns it and the next
        line to read."""
        c = text[0]
        if c not in _SPECIAL_START and " #" not in text and ": " not in text and text[-1] != ":":
            return _plain(text), i + 1  # the usual value: plain text, a number, true/false
        if c == '"':
            m = _DQ.match(text)
            if m is None:
                raise Unsure  # an escape, a quote going on to the next line
            return m.group(1), i + 1
        if c == "'":
            m = _SQ.match(text)
            if m is None:
                raise Unsure
            return m.group(1), i + 1
        if c in "[{":
            return _flow(text), i + 1
        if c in "|>":
            m = _BLOCK.match(text)
            if m is None:
                raise Unsure  # keep (+), an indentation digit, a comment
            return self.block(i, parent, m.group(1) == ">", m.group(2) == "-")
        if c in _NOT_PLAIN_START or (c == "-" and text[1:2] in ("", " ")):
            raise Unsure
        cut = text.find(" #")
        if cut >= 0:
            text = text[:cut].rstrip(" ")
        if ": " in text or text.endswith(":"):
            raise Unsure  # not YAML (a mapping value inside a plain scalar)
        return _plain(text), i + 1

    def block(self, i: int, parent: int, folded: bool, strip: bool) -> tuple[str, int]:
        """A ``|`` or ``>`` block scalar whose header is on line ``i``."""
        raw, n = self.raw, self.n
        j = i + 1
        if j >= n or not raw[j].strip(" ") or self.indent[j] <= parent:
            raise Unsure  # leading empty lines, an empty block, or a comment line
        width = len(raw[j]) - len(raw[j].lstrip(" "))
        lines: list[str] = []
        while j < n:
            line = raw[j]
            if not line.strip(" "):
                if len(line) > width:
                    raise Unsure  # spaces past the indentation are content
                lines.append("")
            elif len(line) - len(line.lstrip(" ")) < width:
                break
            else:
                lines.append(line[width:])
            j += 1
        while lines and not lines[-1]:
            lines.pop()
        last = i + len(lines)
        if last == n - 1 and not self.ended:
            raise Unsure  # no line break after the last line
        if folded:
            if any(line[:1] == " " for line in lines):
                raise Unsure  # more-indented lines keep their breaks
            parts: list[str] = []
            for k, line in enumerate(lines):
                if k:  # a break between two lines is a space; an empty line is one break
                    parts.append("\n" if not line else (" " if lines[k - 1] else ""))
                parts.append(line)
            value = "".join(parts)
        else:
            value = "\n".join(lines)
        if not strip:
            value += "\n"
        if folded and " " in value:
            value = FOLDED_GAP.sub("", value)
        return value, last + 1


def read(text: str) -> Any:
    """The data of ``text``, a block mapping in the plain YAML of definitions; raises
    :class:`Unsure` when the text is anything else (the caller reads it the full way)."""
    if _ODD.search(text):
        raise Unsure
    lines = _Lines(text)
    i = lines.next_line(0)
    if i >= lines.n or lines.indent[i] != 0:
        raise Unsure  # empty, or not a mapping at the left margin
    first = lines.content[i]
    assert first is not None
    if first.startswith(("---", "...", "%", "- ")) or first == "-":
        raise Unsure  # documents, directives, a top-level sequence
    data, i = lines.mapping(i, 0, first)
    if i < lines.n:
        raise Unsure
    return data
