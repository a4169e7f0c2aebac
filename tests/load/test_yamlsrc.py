"""Reading YAML: the hazards refused, and errors located by line and column."""

from __future__ import annotations

import pytest

from yijian.located.yamlsrc import MAX_BYTES, MAX_EXPANDED_NODES, YamlProblem, locate, parse


def codes(problems: list[YamlProblem]) -> list[str]:
    return [p.code for p in problems]


def test_clean_file_has_no_problems() -> None:
    data, problems = parse('code: "0101"\nname: 出生医学证明\nfee: {charged: false}\n')
    assert data == {"code": "0101", "name": "出生医学证明", "fee": {"charged": False}}
    assert problems == []


def test_empty_file_is_no_data() -> None:
    assert parse("") == (None, [])
    assert parse("# only a comment\n") == (None, [])


def test_duplicate_key_is_located_with_the_first() -> None:
    data, problems = parse("name: a\nkind: 公共服务\nname: b\n")
    assert codes(problems) == ["E-YAML-DUPLICATE-KEY"]
    p = problems[0]
    assert (p.line, p.col) == (3, 1)
    assert p.message == "duplicate key 'name' (first at line 1)"
    assert data["name"] == "b"  # parsed anyway, so the other problems are found too


def test_duplicate_key_in_a_nested_mapping() -> None:
    _, problems = parse("fee:\n  charged: true\n  charged: false\n")
    assert [(p.code, p.line, p.col) for p in problems] == [("E-YAML-DUPLICATE-KEY", 3, 3)]


@pytest.mark.parametrize(
    ("word", "value"), [("no", False), ("yes", True), ("on", True), ("off", False), ("No", False)]
)
def test_yaml_11_booleans_are_refused(word: str, value: bool) -> None:
    data, problems = parse(f"charged: {word}\n")
    assert data == {"charged": value}
    assert codes(problems) == ["E-YAML-BOOL"]
    assert (problems[0].line, problems[0].col) == (1, 10)
    assert f"'{word}' is read by YAML as the boolean {str(value).lower()}" in problems[0].message
    assert f'"{word}"' in (problems[0].hint or "")


@pytest.mark.parametrize("text", ["a: true", "a: false", "a: True", 'a: "no"', "a: 'on'"])
def test_true_false_and_quoted_words_pass(text: str) -> None:
    assert parse(text)[1] == []


@pytest.mark.parametrize(("written", "read"), [("0101", 65), ("0440100", 147520), ("-017", -15)])
def test_leading_zero_numbers_are_refused(written: str, read: int) -> None:
    data, problems = parse(f"code: {written}\n")
    assert data == {"code": read}
    assert codes(problems) == ["E-YAML-NUMBER-CODE"]
    assert (
        problems[0].message == f"'{written}' is read by YAML as the number {read}, not as written"
    )
    assert f'"{written}"' in (problems[0].hint or "")


def test_sexagesimal_time_is_refused() -> None:
    data, problems = parse("hours: 1:30\n")
    assert data == {"hours": 90}
    assert codes(problems) == ["E-YAML-NUMBER-CODE"]
    assert (problems[0].line, problems[0].col) == (1, 8)


@pytest.mark.parametrize("text", ["n: 0", "n: 10", "n: -5", "n: 1_000", "t: 8:30-12:00", "x: 0.5"])
def test_ordinary_numbers_and_times_in_text_pass(text: str) -> None:
    assert parse(text)[1] == []


def test_size_limit() -> None:
    text = "# " + "x" * MAX_BYTES + "\nname: a\n"
    data, problems = parse(text)
    assert data is None
    assert codes(problems) == ["E-YAML-SIZE"]
    assert (problems[0].line, problems[0].col) == (0, 0)


def test_size_is_counted_in_utf8_bytes() -> None:
    chars = MAX_BYTES // 3 + 10  # fewer characters than the limit, more bytes
    assert codes(parse("# " + "字" * chars)[1]) == ["E-YAML-SIZE"]


def test_alias_bomb_is_refused_before_it_expands() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):
        prev = "a" if i == 1 else f"l{i - 1}"
        lines.append(f"l{i}: &l{i} [{', '.join([f'*{prev}'] * 10)}]")
    data, problems = parse("\n".join(lines) + "\n")
    assert data is None
    assert codes(problems) == ["E-YAML-ALIAS"]
    assert f"{MAX_EXPANDED_NODES:,}" in problems[0].message


def test_a_few_aliases_are_fine() -> None:
    data, problems = parse("base: &b {days: 5}\nlegal: *b\npromised: *b\n")
    assert problems == []
    assert data["legal"] == {"days": 5}


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("title: [申请人信息\nname: x\n", 2, 5),  # unclosed flow sequence, found at the next key
        ("a: 1\n b: 2\n", 2, 3),  # a mapping value where none may start
        ("a:\n\t- 1\n", 2, 1),  # a tab
        ('name: "open\n', 2, 1),  # unterminated quote
    ],
)
def test_syntax_error_location(text: str, line: int, col: int) -> None:
    data, problems = parse(text)
    assert data is None
    assert codes(problems) == ["E-YAML-SYNTAX"]
    assert (problems[0].line, problems[0].col) == (line, col)
    assert problems[0].message.startswith("YAML syntax: ")


def test_several_problems_in_one_file_are_all_reported() -> None:
    _, problems = parse("code: 0101\ncharged: no\ncode: x\n")
    assert sorted(codes(problems)) == ["E-YAML-BOOL", "E-YAML-DUPLICATE-KEY", "E-YAML-NUMBER-CODE"]


def test_locate_values_keys_and_nearest_parent() -> None:
    text = "pages:\n  - id: a\n    fields:\n      - key: x\n        type: idcard\n"
    assert locate(text, ("pages", 0, "fields", 0, "type")) == (5, 15)
    assert locate(text, ("pages", 0, "fields", 0, "type"), key=True) == (5, 9)
    assert locate(text, ("pages", 0, "fields", 0, "missing")) == (4, 9)  # the parent mapping
    assert locate(text, ("pages", 7)) == (2, 3)  # no such item: the list
    assert locate("a: [\n", ("a",)) == (0, 0)  # unparseable: unknown


def test_folded_chinese_text_gets_no_spaces_between_characters() -> None:
    from yijian.located.yamlsrc import parse

    text = "a: >-\n  城乡居民医保参保登记和\n  社会保障卡申领，办理 2025 年\n  of the year\n"
    data, problems = parse(text)
    assert problems == []
    assert data["a"] == "城乡居民医保参保登记和社会保障卡申领，办理 2025 年 of the year"
    literal, _ = parse("b: |-\n  第一行\n  第二行\n")
    assert literal["b"] == "第一行\n第二行"


TRICKY = [
    "a:\n  b: [no, 0101, {c: yes}]\n  b: 2\nd: 2024-01-05\ne: 1.5\nf: ~\nno: 1\n",
    "- {x: 1, x: 2}\n- [[on, off], {y: 010}]\n- note: >\n    登记和\n    社会\n",
    "base: &b {k: 1}\nother:\n  <<: *b\n  k: 2\n",
    "m:\n  <<: {k: 1}\n  j: 2\n",
    "t: !!binary aGk=\nu: !foo bar\nv: !!set {a: null}\n",
    "= : value\n1: one\n1: uno\ntrue: x\nnull: y\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_fast_construction_matches_pyyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Alias-free files skip PyYAML's constructor for speed: the data and the problems (in
    order) must be those PyYAML's own construction gives."""
    from yijian.located import yamlsrc

    fast = parse(text)
    monkeypatch.setattr(
        yamlsrc, "_construct", lambda loader, node, _: loader.construct_document(node)
    )
    assert repr(fast) == repr(parse(text))


SCALARS = (
    "a: [1, -2, 0x1F, 0o17, 1_000, 1.5, .inf, -.Inf, .nan, 1e3, true, False, yes, no, on, ~,"
    " null, Null, '', 2024-01-05, 2024-01-05T10:00:00Z, '12', \"x\", <<, =, 文本, 0101, 1:20]\n"
    "b: |\n  block\nc: >\n  folded\n? complex\n: value\nd:\n"
)


def test_scalar_tags_are_pyyamls() -> None:
    """Scalars are resolved by a cached table walk: the tags must be PyYAML's own."""
    import yaml

    from yijian.located.yamlsrc import _Loader

    def tags(node: yaml.Node) -> list[str]:
        if isinstance(node, yaml.MappingNode):
            return [node.tag, *(t for k, v in node.value for t in tags(k) + tags(v))]
        if isinstance(node, yaml.SequenceNode):
            return [node.tag, *(t for v in node.value for t in tags(v))]
        return [node.tag]

    expected = tags(yaml.compose(SCALARS, Loader=yaml.CSafeLoader))
    assert tags(yaml.compose(SCALARS, Loader=_Loader)) == expected
    assert "tag:yaml.org,2002:timestamp" in expected and "tag:yaml.org,2002:float" in expected
