from yijian.runtime.answers import get, is_empty, merge, nest, put


def test_nest_dotted_and_nested_keys_merge() -> None:
    assert nest({"a.b": 1, "a": {"c": 2}, "x": 3}) == {"a": {"b": 1, "c": 2}, "x": 3}


def test_get_reads_lists_by_index_and_defaults() -> None:
    data = {"children": [{"name": "甲"}, {"name": "乙"}]}
    assert get(data, "children.1.name") == "乙"
    assert get(data, "children.5.name", "无") == "无"
    assert get(data, "children.x") is None


def test_put_replaces_a_scalar_on_the_way() -> None:
    data = {"a": 1}
    put(data, "a.b", 2)
    assert data == {"a": {"b": 2}}


def test_merge_is_deep_and_update_wins() -> None:
    assert merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 9}}) == {"a": {"b": 9, "c": 2}}


def test_is_empty() -> None:
    assert all(is_empty(v) for v in (None, "", [], {}))
    assert not any(is_empty(v) for v in (0, False, "0", [0]))
