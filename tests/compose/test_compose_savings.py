"""三减 figures: separately (sum over members) vs bundled (the composed bundle)."""

from __future__ import annotations

from dataclasses import replace

from compose_helpers import material, step

from yijian.compose.savings import MemberFacts, compute

A = MemberFacts("a", frozenset({"x", "y", "z"}), materials=3, visits=1, steps=2, days=2)
B = MemberFacts("b", frozenset({"x", "y", "w"}), materials=2, visits=1, steps=3, days=5)


def specs():
    ids = replace(material("id_card"), matters=("a", "b"))
    cert = replace(material("cert"), matters=("b",), passed_from="a")
    own = replace(material("photo"), matters=("a",))
    spare = replace(material("note", necessity="非必要"), matters=("a",))
    return [ids, cert, own, spare]


def plan():
    return [
        step("accept"),
        replace(step("go"), matter="a"),
        replace(step("do"), matter="b"),
        replace(step("end"), matter="b"),
    ]


def test_figures_for_the_whole_bundle() -> None:
    s = compute([A, B], {"q.first"}, specs(), plan(), days=5).as_dict()
    assert s["questions"] == {"separate": 6, "bundled": 5, "saved": 1}  # x y z w + q.first
    assert s["materials"] == {"separate": 5, "bundled": 2, "saved": 3}  # cert passed, note 非必要
    assert s["visits"] == {"separate": 2, "bundled": 1, "saved": 1}
    assert s["steps"] == {"separate": 5, "bundled": 4, "saved": 1}
    assert s["days"] == {"separate": 7, "bundled": 5, "saved": 2}


def test_figures_for_the_included_members_only() -> None:
    s = compute([A, B], set(), specs(), plan(), days=3, included={"b"}).as_dict()
    assert s["questions"]["bundled"] == 3
    # without its producer in the application, the certificate is asked for again
    assert s["materials"] == {"separate": 2, "bundled": 2, "saved": 0}
    assert s["steps"]["bundled"] == 3  # the joint accept and b's two steps
