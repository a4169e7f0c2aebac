"""One form: merge by key, conflicts named, ``prefer``, and the page order."""

from __future__ import annotations

from compose_helpers import field, page

from yijian.compose.form import differences, layout_pages, merge_fields


def test_same_key_same_definition_is_one_question() -> None:
    a = [page("p", field("mother.name", max_length=30))]
    b = [page("q", field("mother.name", max_length=30, label="产妇姓名"))]
    merged = merge_fields([("a", a), ("b", b)], {})
    assert not merged.conflicts
    assert merged.winners["mother.name"].label == "mother.name"  # the first definition's text
    assert [d.matter for d in merged.definers["mother.name"]] == ["a", "b"]


def test_labels_and_help_are_presentation_not_conflicts() -> None:
    assert differences(field("x", help="甲"), field("x", label="乙", help="乙")) == ()


def test_each_meaningful_difference_is_named() -> None:
    assert differences(field("x"), field("x", "number")) == ("type",)
    assert differences(
        field("x", "radio", options=["男", "女"]), field("x", "radio", options=["女", "男"])
    ) == ("options",)
    assert differences(field("x", required=True), field("x")) == ("required",)
    assert differences(field("x", max_length=20), field("x", max_length=30)) == ("limits",)
    rule = {"rule": {"!=": [{"var": "x"}, ""]}, "message": "m"}
    assert differences(field("x", validations=[rule]), field("x")) == ("validations",)


def test_conflict_names_both_definitions() -> None:
    a = [page("p", field("child.weight", "number"))]
    b = [page("q", field("other"), field("child.weight", "text"))]
    merged = merge_fields([("a", a), ("b", b)], {})
    (c,) = merged.conflicts
    assert (c.key, c.first.matter, c.second.matter, c.differences) == (
        "child.weight",
        "a",
        "b",
        ("type",),
    )
    assert c.first.loc == ("pages", 0, "fields", 0)
    assert c.second.loc == ("pages", 0, "fields", 1)


def test_prefer_resolves_the_conflict_and_picks_the_winner() -> None:
    a = [page("p", field("child.weight", "number"))]
    b = [page("q", field("child.weight", "text"))]
    merged = merge_fields([("a", a), ("b", b)], {"child.weight": "b"})
    assert not merged.conflicts
    assert merged.winners["child.weight"].type.value == "text"


def test_prefer_naming_a_matter_without_the_key_is_reported() -> None:
    merged = merge_fields([("a", [page("p", field("x"))])], {"x": "b", "y": "a"})
    assert merged.unused_prefer == ("x", "y")


def test_the_bundle_asking_a_key_itself_wins_without_comparison() -> None:
    own = {"x": field("x", "boolean")}
    a = [page("p", field("x", "text"))]
    b = [page("q", field("x", "number"))]
    merged = merge_fields([("a", a), ("b", b)], {}, own)
    assert not merged.conflicts and merged.winners["x"].type.value == "boolean"


def test_page_order_bundle_then_shared_then_members_then_declarations() -> None:
    decl = field("declaration.ok", "declaration", text="承诺")
    a = [page("child", field("child.name"), field("child.weight", "number")), page("end", decl)]
    b = [page("kid", field("child.name"), field("card.mode")), page("end", decl)]
    own = [page("situation", field("q.first", "boolean"))]
    members = [("a", a), ("b", b)]
    merged = merge_fields(members, {}, {"q.first": own[0].fields[0]})
    layout = layout_pages(own, [("a", "甲", a), ("b", "乙", b)], merged)
    assert [(p.id, p.matter) for p in layout.pages] == [
        ("situation", ""),
        ("shared-child", ""),
        ("a.child", "a"),
        ("b.kid", "b"),
        ("shared-end", ""),
    ]
    assert [f.key for f in layout.pages[1].fields] == ["child.name"]
    assert layout.pages[2].title == "页（甲）"
    assert layout.field_matters["child.name"] == ("a", "b")
    assert layout.field_matters["q.first"] == ()
    assert layout.page_matters["shared-child"] == ("a", "b")
    assert layout.fields["card.mode"].page == "b.kid"
    assert sum(1 for p in layout.pages for f in p.fields if f.key == "child.name") == 1
