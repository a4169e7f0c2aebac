"""Each matter's compiled rule carries its own site (file, place) on a copy of the rule the
build compiled once for all matters: the copy is the rule with ``site`` set, nothing else."""

from __future__ import annotations

import dataclasses

from yijian.load.rulectx import _with_site
from yijian.rules.engine import RuleEngine, RuleSite, builtin_functions


def test_a_located_rule_is_the_shared_rule_with_its_site() -> None:
    rule = RuleEngine(list(builtin_functions())).compile({"<=": [{"var": "a.b"}, 3]})
    site = RuleSite("matters/x/rules.yaml", ("eligibility", 0, "when"), "text")
    located = _with_site(rule, site)
    expected = dataclasses.replace(rule, site=site)
    for f in dataclasses.fields(rule):
        assert getattr(located, f.name) is getattr(expected, f.name), f.name
    assert rule.site is None  # the shared one is untouched
    assert located.evaluate({"a": {"b": 2}}) is True
    assert dataclasses.fields(located) == dataclasses.fields(rule)
