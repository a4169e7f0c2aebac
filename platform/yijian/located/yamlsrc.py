"""Reading YAML definitions safely and fast, and locating errors in them.

Files are parsed with libyaml (``CSafeLoader``): measured 6.7x faster than the pure-Python
loader. Line and column are only needed when something is wrong, so the node tree is
composed again, on demand, to locate an error (:func:`locate`), instead of recording a mark
for every value of every valid file.

YAML hazards refused here: duplicate keys (libyaml silently keeps the last), YAML 1.1
booleans other than true/false (``no`` would read as false — Norway problem), numbers with a
leading zero (``0101`` reads as the octal 65 and loses the code), oversized files, alias
bombs (a few lines expanding to millions of values), recursive aliases, nesting deeper than
:data:`MAX_DEPTH` (libyaml's composer recurses in C: 50,000 ``[`` crash the process, and its
scanner is quadratic in the depth; Python's ``repr`` and pydantic recurse too), explicit tags
other than YAML's core ones (``!!binary``, ``!!set``, ``!foo``) and control characters.

Depth is measured before anything is composed, by the parser's events, stopping at the first
level past the limit (so 250,000 ``[`` cost a millisecond); a file whose brackets and
indentation cannot reach the limit (nearly all) skips even that.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from dataclasses import dataclass
from typing import Any

import yaml

from yijian.located import plainyaml

MAX_BYTES = 512 * 1024
MAX_EXPANDED_NODES = 200_000
#: Most values (scalars, lists, mappings) in one file; the examples' largest has about 2,000.
MAX_NODES = 20_000
#: Deepest nesting of sequences and mappings accepted; the examples' deepest is 10 (a rule).
MAX_DEPTH = 64
_CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq", "map")
) | {"tag:yaml.org,2002:timestamp"}
_LEADING_ZERO = plainyaml.LEADING_ZERO
_FOLDED_GAP = plainyaml.FOLDED_GAP  # `>` blocks: no space between two Chinese characters
_TRUE_FALSE = plainyaml.TRUE_FALSE
_scalar_tag = plainyaml.scalar_tag


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A problem found while reading YAML: line/col are 1-based (0 when unknown)."""

    line: int
    col: int
    message: str
    code: str
    hint: str | None = None


class _Loader(yaml.CSafeLoader):
    """libyaml parser + a constructor that refuses duplicate keys and YAML 1.1 surprises."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[YamlProblem] = []

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node (called by libyaml's composer for every node): a scalar's by
        :func:`_scalar_tag`, cached; a cold load resolved a million scalars one regex at a
        time. Safe loaders have no path resolvers, so a scalar's tag depends on its text."""
        if kind is yaml.ScalarNode:
            return _scalar_tag(value) if implicit[0] else _STR
        return super().resolve(kind, value, implicit)

    def _problem(self, node: yaml.Node, message: str, code: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(YamlProblem(mark.line + 1, mark.column + 1, message, code, hint))

    def note_key(self, seen: dict[Any, yaml.Node], key: Any, key_node: yaml.Node) -> None:
        """Remember a mapping key's node; a scalar key seen before is E-YAML-DUPLICATE-KEY."""
        if isinstance(key, str | int | float | bool) and key in seen:
            first = seen[key].start_mark.line + 1
            self._problem(
                key_node,
                f"duplicate key '{key}' (first at line {first})",
                "E-YAML-DUPLICATE-KEY",
                "YAML keeps only the last value of a repeated key; remove or rename one",
            )
        elif isinstance(key, str | int | float | bool):
            seen[key] = key_node

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            self.note_key(seen, key, key_node)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_str(self, node: yaml.ScalarNode) -> str:
        value = super().construct_yaml_str(node)
        if node.style == ">" and " " in value:
            value = _FOLDED_GAP.sub("", value)  # “…登记和\n  社会…” must not read “登记和 社会”
        return value

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool:
        value = super().construct_yaml_bool(node)
        if node.value not in _TRUE_FALSE:
            self._problem(
                node,
                f"'{node.value}' is read by YAML as the boolean {str(value).lower()}",
                "E-YAML-BOOL",
                f'write true or false, or quote it as text: "{node.value}"',
            )
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = super().construct_yaml_int(node)
        if _LEADING_ZERO.match(node.value) or ":" in node.value:
            self._problem(
                node,
                f"'{node.value}' is read by YAML as the number {value}, not as written",
                "E-YAML-NUMBER-CODE",
                f'codes are text: quote it, e.g. "{node.value}"',
            )
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date or time; one that does not exist (``2025-09-31``) is a problem at its place,
        read as the text written (PyYAML raised ``ValueError``: `yijian check` crashed)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            self._problem(
                node,
                f"'{node.value}' is not a date that exists ({exc})",
                "E-VALUE-INVALID",
                f'write a real date as YYYY-MM-DD, or quote text: "{node.value}"',
            )
            return node.value

    def construct_other_tag(self, node: yaml.Node) -> Any:
        """An explicit tag outside YAML's core schema: recorded, the value read untagged."""
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self._problem(
            node,
            f"the tag '{tag}' is not accepted in a definition",
            "E-YAML-TAG",
            "remove the tag: definitions are plain text, numbers, lists and mappings",
        )
        if isinstance(node, yaml.ScalarNode):
            return self.construct_scalar(node)
        return None


_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor("tag:yaml.org,2002:bool", _Loader.construct_yaml_bool)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_other_tag)
_Loader.add_constructor(None, _Loader.construct_other_tag)  # !foo, !!python/object…


class _Recursive(Exception):
    """An alias inside the node it refers to (``&a [*a]``): a value containing itself."""


def _may_be_hostile(text: str) -> bool:
    """False when neither more than :data:`MAX_NODES` values nor nesting deeper than
    :data:`MAX_DEPTH` is possible: a value takes at least a character, each flow level needs a
    ``[`` or ``{``, and block levels need indentation (a nested block sequence or mapping
    starts at least one column right every two levels: ``- - x``, ``a:\n  b:``)."""
    if len(text) > MAX_NODES:
        return True
    flow = text.count("[") + text.count("{")
    if flow > MAX_DEPTH:
        return True
    # flow + 2 * (widest + 1) > MAX_DEPTH, for the widest line prefix of `[ ?:-]`: the same
    # as some line starting with at least (MAX_DEPTH - flow) // 2 of them, found by one search
    # that stops at the first (listing every line's prefix was a tenth of a plain file's parse)
    return _prefix_of((MAX_DEPTH - flow) // 2).search(text) is not None


@functools.lru_cache(maxsize=MAX_DEPTH + 1)
def _prefix_of(width: int) -> re.Pattern[str]:
    """A line starting with at least ``width`` of ``[ ?:-]``."""
    return re.compile(f"^[ ?:-]{{{width}}}", re.M)


def _too_big(text: str) -> YamlProblem | None:
    """Where nesting first exceeds :data:`MAX_DEPTH` or the values :data:`MAX_NODES`, read
    from the parser's events before anything is built; None when neither does. Stops at that
    point, so the cost is bounded by the limits, not by the file."""
    events = yaml.CSafeLoader(text)
    depth = nodes = 0
    try:
        while True:
            event = events.get_event()
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    mark = event.start_mark
                    return YamlProblem(mark.line + 1, mark.column + 1, *_WIDTH)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    return YamlProblem(mark.line + 1, mark.column + 1, *_DEPTH)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif event is None or isinstance(event, yaml.StreamEndEvent):
                return None
    finally:
        events.dispose()


def _expanded(node: yaml.Node, memo: dict[int, tuple[int, int] | None]) -> tuple[int, int]:
    """(values, depth) the node stands for once aliases are expanded: aliases multiply the
    size and stack depths (``b: &b [[*a]]`` is two levels deeper than ``a``). Recursion is
    bounded by the written depth, which :func:`_too_deep` has capped."""
    key = id(node)
    if key in memo:
        known = memo[key]
        if known is None:
            raise _Recursive
        return known
    memo[key] = None  # in progress: meeting it again below means a recursive alias
    if isinstance(node, yaml.MappingNode):
        parts = [_expanded(n, memo) for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        parts = [_expanded(n, memo) for n in node.value]
    else:
        memo[key] = (1, 0)
        return 1, 0
    result = (1 + sum(p[0] for p in parts), 1 + max((p[1] for p in parts), default=0))
    memo[key] = result
    return result


def _fatal(line: int, message: str, code: str, hint: str) -> tuple[None, list[YamlProblem]]:
    return None, [YamlProblem(line, 1 if line else 0, message, code, hint)]


def hostile(text: str) -> YamlProblem | None:
    """The first of the size, width and depth problems of ``text`` (None when it has none),
    found without building anything: for readers of YAML other than :func:`parse` (the
    calendar) to check before handing the text to libyaml."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return YamlProblem(0, 0, f"file is larger than {MAX_BYTES // 1024} KiB", *_WIDTH[1:])
    try:
        return _too_big(text) if _may_be_hostile(text) else None
    except yaml.YAMLError:
        return None  # the reader reports the syntax


_MAP, _SEQ, _STR = (f"tag:yaml.org,2002:{t}" for t in ("map", "seq", "str"))


class _Slow(Exception):
    """A tree :func:`_construct_plain` leaves to PyYAML's constructor (merge keys, …)."""


def _construct(loader: _Loader, node: yaml.Node, aliases: bool) -> Any:
    """The document of ``node``: most files by :func:`_construct_plain`, the rest by PyYAML."""
    if not aliases:
        try:
            return _construct_plain(loader, node)
        except _Slow:
            del loader.problems[:]  # constructed again from the start, problems included
    return loader.construct_document(node)


def _construct_plain(loader: _Loader, root: yaml.Node) -> Any:
    """The document of an alias-free node tree, as ``construct_document`` builds it (same
    values, same problems in the same order), in about half the time: PyYAML's constructor
    spends most of a cold load on per-node bookkeeping (recursion guards, generators, the
    object memo) that a tree without aliases does not need. Collections are filled breadth
    first, as PyYAML's non-deep construction does, so problems are reported in its order.
    Anything else than core maps, sequences and scalars (merge keys, odd tags) raises
    :class:`_Slow`."""
    constructors = loader.yaml_constructors
    pending: deque[tuple[yaml.Node, Any]] = deque()

    def scalar(node: yaml.Node) -> Any:
        tag = node.tag
        if tag == _STR:
            value = node.value
            if node.style == ">" and " " in value:
                value = _FOLDED_GAP.sub("", value)
            return value
        if type(node) is not yaml.ScalarNode or tag not in constructors:
            raise _Slow
        return constructors[tag](loader, node)

    def build(node: yaml.Node) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return scalar(node)
        if kind is yaml.MappingNode and node.tag == _MAP:
            out: Any = {}
        elif kind is yaml.SequenceNode and node.tag == _SEQ:
            out = []
        else:
            raise _Slow
        pending.append((node, out))
        return out

    data = build(root)
    while pending:
        node, out = pending.popleft()
        if type(out) is list:
            out.extend(build(item) for item in node.value)
            continue
        keys = []
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _Slow
            key = scalar(key_node)
            if key_node.tag.endswith((":merge", ":value")):
                raise _Slow
            loader.note_key(seen, key, key_node)
            keys.append(key)
        for key, (_, value_node) in zip(keys, node.value, strict=True):
            out[key] = build(value_node)
    return data


def parse(text: str, plain: bool = True) -> tuple[Any, list[YamlProblem]]:
    """Parse one YAML document; returns the data (None on a fatal problem) and problems.

    A file in the plain YAML of definitions (nearly all) is read by :mod:`plainyaml`, more than
    twice as fast and to the same data; the rest, and any file with a problem to report,
    by libyaml and the constructor below (``plain=False``: always)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, [
            YamlProblem(
                0,
                0,
                f"file is larger than {MAX_BYTES // 1024} KiB",
                "E-YAML-SIZE",
                "split the definition; a matter folder holds several small files",
            )
        ]
    may_be_hostile = _may_be_hostile(text)
    if plain and not may_be_hostile:  # then no limit can be reached
        try:
            return plainyaml.read(text), []
        except plainyaml.Unsure:
            pass
    loader = _Loader(text)
    try:
        hostile = _too_big(text) if may_be_hostile else None
        if hostile is not None:
            return None, [hostile]
        node = loader.get_single_node()
        if node is None:
            return None, []
        if "*" in text:
            try:
                size, depth = _expanded(node, {})
            except _Recursive:
                return _fatal(node.start_mark.line + 1, "an alias refers to itself", *_ALIAS)
            if size > MAX_EXPANDED_NODES:
                message = f"aliases expand to more than {MAX_EXPANDED_NODES:,} values"
                return _fatal(node.start_mark.line + 1, message, *_ALIAS)
            if depth > MAX_DEPTH:
                return _fatal(node.start_mark.line + 1, "aliases nest " + _DEPTH[0], *_DEPTH[1:])
        data = _construct(loader, node, "*" in text)
    except yaml.reader.ReaderError as exc:  # a control character (NUL, …): not text
        line, col = _line_col(text, exc.position)
        return None, [
            YamlProblem(
                line,
                col,
                f"control character #x{exc.character:04x} in the text"
                if isinstance(exc.character, int)
                else f"not text: {exc.reason}",
                "E-YAML-ENCODING",
                "save the file as plain UTF-8 text; a binary file is not a definition",
            )
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML syntax: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message = f"YAML syntax: {exc.problem} ({exc.context})"
        return None, [
            YamlProblem(
                line,
                col,
                message,
                "E-YAML-SYNTAX",
                "check indentation (spaces, never tabs) and the space after ':' in `key: value`",
            )
        ]
    finally:
        loader.dispose()
    return data, loader.problems


_ALIAS = ("E-YAML-ALIAS", "use aliases sparingly; write shared rules once in rules/ instead")
_DEPTH = (
    f"deeper than {MAX_DEPTH} levels of lists and mappings",
    "E-YAML-DEPTH",
    "no definition nests this deep: look for unclosed or repeated [ and {",
)


_WIDTH = (
    f"more than {MAX_NODES:,} values in one file",
    "E-YAML-SIZE",
    "split the definition; a matter folder holds several small files",
)


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, position)
    return line + 1, position - (text.rfind("\n", 0, position) + 1) + 1


@functools.lru_cache(maxsize=4)
def _composed(text: str) -> yaml.Node | None:
    """The node tree of ``text``, composed once for all the errors of a file (a file of
    20,000 values with an error in each would otherwise be composed 20,000 times)."""
    if _may_be_hostile(text) and _too_big(text) is not None:
        return None
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None


def locate(text: str, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path`` (of its key when ``key``), or of its
    deepest existing parent."""
    node = _composed(text)
    if node is None:
        return 0, 0
    best = node.start_mark
    for part in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = key_node if key and part == path[-1] else value_node
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
        best = node.start_mark
    return best.line + 1, best.column + 1
