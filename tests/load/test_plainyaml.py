"""The plain-YAML reader reads exactly what libyaml + our constructor read, or leaves the file
to them (``Unsure``): on every YAML file of the repository, on generated catalogs, on tricky
texts and on random and mutated documents."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from yijian.located import plainyaml
from yijian.located.yamlsrc import parse

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))

from gen_bigform import generate as bigform  # noqa: E402
from gen_matters import files_for  # noqa: E402


def same(a: Any, b: Any) -> bool:
    """Equal with equal types all the way down (``1 == 1.0 == True`` would hide a wrong tag),
    and keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b or (a != a and b != b))  # nan


def agrees(text: str) -> bool:
    """True when the plain reader read ``text`` (and read it as the full reader does, which
    found no problem); False when it left it to the full reader. Fails on a difference."""
    try:
        data = plainyaml.read(text)
    except plainyaml.Unsure:
        return False
    full, problems = parse(text, plain=False)
    assert problems == [], (text, problems)
    assert same(data, full), (text, data, full)
    return True


def repo_yaml() -> list[str]:
    skip = {".venv", "node_modules", "var", ".git"}
    out = []
    for path in sorted(REPO.rglob("*.yaml")):
        if not skip & set(path.relative_to(REPO).parts):
            try:
                out.append(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                continue  # fixtures of E-YAML-ENCODING
    return out


def test_every_yaml_file_of_the_repository() -> None:
    read = [agrees(text) for text in repo_yaml()]
    assert len(read) > 300
    assert sum(read) > 0.8 * len(read)  # nearly all are plain: the fast path is the usual one


def test_generated_catalogs_are_read_plainly(tmp_path: Path) -> None:
    for i in (0, 1, 7, 4999):
        for name, text in files_for(i).items():
            assert agrees(text), name
    for folder in bigform(tmp_path).values():
        for path in sorted(folder.glob("*.yaml")):
            assert agrees(path.read_text(encoding="utf-8")), path


PLAIN = [
    "a: |\n  x\n  y\nb: 1\n",
    "a: |-\n  x\n\n  y\n\n\nb: 1\n",
    "a: >\n  第一行\n  第二行\n\n  third\n  line\nb: >-\n  x\n  y\n",
    "a: >\n  x\n\n\n  y\n",
    "a:\n- 1\n- 2\nb:\n  - c: d\n    e: [1, 2.5, -3, 0x1f, 1_000, ~, null, true, False]\n"
    "  -\n    f: g\n",
    "a:\n  - b:\n    - x\n    c: |\n      l1\n        l2\n      l3\n    d: e\nf: g\n",
    "key:  # comment\n  a: 1\n# comment\nb: 'single # not comment'   # c\nc: \"x: y\"  # c\n",
    "d: http://example.com/a#b\ne: 2024-01-05\nf: 2024-01-05 10:00:00\ng: .inf\nh: -.5\n",
    "i: 1.5e+3\nj: 1e5\nk: +12\nl: 0\nm: -0\nn: '010'\no: 8:30-12:00\np: a:b\nq: 文本 ok\n",
    'r: {"a":1, "b": [true, null, 1.5, "x", -0]}\ns: {a: 1, b: 2}\nt: []\nu: {}\nv: [ a , b ]\n',
    "w: [a, [b, c], {d: e}]\nx: {b: [c, d], e: {f: g}}\n",
    "\"quoted key\": 1\n'single': 2\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_texts_are_read_alike(text: str) -> None:
    assert agrees(text)


LEFT = [
    "a: x\n  y\n",  # a plain scalar on two lines
    "a:\n  b: 1\n c: 2\n",  # broken indentation
    "a: |\n   x\n  y\n",
    "a: - b\n",
    "a: >\n  x\n   y\n  z\n",  # a more-indented line in a folded block
    "a: |\n  x",  # no line break at the end
    'a: "x"y\n',
    "a: [a, b,]\n",
    'a: {"b": [1e5]}\n',  # YAML 1.1 reads 1e5 as text
    "a: {b:[c]}\n",
    "a: 1\na: 2\n",
    "a: yes\n",
    "a: 012\n",
    "a: 1:30\n",
    "1: a\n",
    "a: !!str 1\n",
    "a: &x 1\nb: *x\n",
    'a: "\\u0041"\n',
    "a: 'it''s'\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "- a\n- b\n",
    "a:\tb\n",
    "a: b\r\n",
    "a: b: c\n",
    "<<: {a: 1}\n",
    "",
    "# only a comment\n",
]


@pytest.mark.parametrize("text", LEFT)
def test_what_it_does_not_read_exactly_is_left_to_libyaml(text: str) -> None:
    assert not agrees(text)


def test_parse_gives_the_same_with_or_without_the_plain_reader() -> None:
    for text in [*PLAIN, *LEFT, *repo_yaml()[:80]]:
        assert repr(parse(text)) == repr(parse(text, plain=False))


_EDITS = [*" :-#\"'|>[]{},\nx0&*!?\\~%@`1.e+", "\n  ", "  ", ": ", "- ", " #", "\t"]
_EDITS += ["yes", "010", "1:2", "\u3000", "示例", "\n\n", "|-", ">-", "|+", "\r", "\x85"]


def _mutate(text: str, rnd: random.Random) -> str:
    for _ in range(rnd.randint(1, 3)):
        at = rnd.randrange(len(text) + 1)
        op = rnd.random()
        if op < 0.5:
            text = text[:at] + rnd.choice(_EDITS) + text[at:]
        elif op < 0.75:
            text = text[:at] + text[at + rnd.randint(1, 3) :]
        else:
            lines = text.split("\n")
            k = rnd.randrange(len(lines))
            r = rnd.random()
            if r < 0.3:
                lines.insert(k, lines[k])
            elif r < 0.6:
                lines[k] = " " + lines[k]
            else:
                lines[k] = lines[k][1:]
            text = "\n".join(lines)
    return text


@pytest.mark.parametrize("seed", range(4))
def test_mutated_documents_are_read_alike_or_left(seed: int) -> None:
    """Random small edits (a colon, a space, a quote, an indent…) of real and tricky files:
    whatever the plain reader accepts, the full reader reads the same, without problems."""
    rnd = random.Random(seed)
    seeds = [*PLAIN, *(t for i in range(3) for t in files_for(i).values())]
    seeds += [text for text in repo_yaml() if len(text) < 3000]
    read = sum(agrees(_mutate(rnd.choice(seeds), rnd)) for _ in range(1500))
    assert read > 100  # the edits leave many files plain: the comparison is not vacuous


_TEXT = st.text(st.sampled_from(list("ab z:#-'\"[]{},|>&*!?%@`01.~\\示例 \n")), max_size=8)
_SCALAR = st.one_of(
    _TEXT, st.integers(-1000, 1000), st.floats(allow_nan=False), st.booleans(), st.none()
)
_DATA = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.from_regex(r"[a-z][a-z_.0-9]{0,6}", fullmatch=True), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    data=st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,6}", fullmatch=True), _DATA, min_size=1),
    flow=st.sampled_from([False, None]),
    width=st.sampled_from([20, 80]),
)
def test_dumped_documents_are_read_alike(
    data: dict[str, Any], flow: bool | None, width: int
) -> None:
    """Documents as PyYAML writes them, in block and mixed styles."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, width=width)
    agrees(text)


def test_a_date_that_does_not_exist_is_a_problem_not_a_crash() -> None:
    """``2025-09-31`` resolves as a date; PyYAML's constructor raised ValueError and
    `yijian check` stopped with a traceback. Now: a located E-VALUE-INVALID, the text kept."""
    data, problems = parse("name: 材料\ndue: 2025-09-31\nok: 2025-09-30\n")
    assert [(p.code, p.line, p.col) for p in problems] == [("E-VALUE-INVALID", 2, 6)]
    assert "2025-09-31" in problems[0].message
    assert data["due"] == "2025-09-31" and str(data["ok"]) == "2025-09-30"
    _, problems = parse("a: [2024-02-30]\n")
    assert [p.code for p in problems] == ["E-VALUE-INVALID"]


@pytest.mark.parametrize(
    ("text", "hostile"),
    [
        (" " * 31 + "a: 1\n", False),  # 0 + 2 * (31 + 1) = 64: not past MAX_DEPTH
        (" " * 32 + "a: 1\n", True),
        ("a: 1\n" + "- " * 16 + "x\n", True),  # `- ` counts as indentation
        ("a: [" + "[" * 61 + "]\n", False),  # 62 flow levels + 2 * (0 + 1) = 64
        ("a: [" + "[" * 62 + "]\n", True),
        ("x" * 20_001, True),  # more characters than MAX_NODES
        ("", False),
    ],
)
def test_a_text_that_cannot_reach_a_limit_is_not_checked_event_by_event(
    text: str, hostile: bool
) -> None:
    """The depth bound: flow brackets + 2 × (widest line prefix of `[ ?:-]` + 1) > 64."""
    from yijian.located.yamlsrc import _may_be_hostile

    assert _may_be_hostile(text) is hostile
