"""Where rule functions come from: entry points, and a definitions root's ``rules/*.py``."""

import importlib.metadata
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from test_engine import BUILTIN_NAMES

from yijian.rules import loading
from yijian.rules.engine import RuleEngine
from yijian.rules.functions import rule_function
from yijian.rules.loading import builtin_functions, load_rule_module


class TestBuiltinFunctions:
    def test_this_environment(self) -> None:
        found = builtin_functions()
        assert {f.name for f in found} == BUILTIN_NAMES
        assert len(found) == len(BUILTIN_NAMES)

    def test_without_dist_metadata_imports_the_modules(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def absent(name: str) -> None:
            raise importlib.metadata.PackageNotFoundError(name)

        monkeypatch.setattr(importlib.metadata, "distribution", absent)
        monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [])
        found = builtin_functions()
        assert [f.origin for f in found[:1]] == ["yijian.rules.builtins.china"]
        assert {f.name for f in found} == BUILTIN_NAMES

    def test_entry_points(self, monkeypatch: pytest.MonkeyPatch) -> None:
        plugin = ModuleType("yijian_test_plugin")

        @rule_function("plugin_op")
        def plugin_op() -> int:
            return 1

        plugin_op.__module__ = plugin.__name__  # as if defined in the plugin package
        plugin.plugin_op = plugin_op  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "yijian_test_plugin", plugin)
        points = [
            importlib.metadata.EntryPoint("p", "yijian_test_plugin", "yijian.rule_functions"),
            *(
                importlib.metadata.EntryPoint(m.rsplit(".")[-1], m, "yijian.rule_functions")
                for m in loading.BUILTIN_MODULES
            ),
        ]
        monkeypatch.setattr(importlib.metadata, "distribution", lambda name: object())
        monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: points)
        names = [f.name for f in builtin_functions()]
        assert set(names) == BUILTIN_NAMES | {"plugin_op"}
        assert len(names) == len(BUILTIN_NAMES) + 1


class TestLoadRuleModule:
    SOURCE = """
        from yijian.rules.functions import rule_function

        @rule_function("household_size")
        def household_size(members: object) -> int:
            '''Members of the household, the applicant included.'''
            return len(members) + {n} if isinstance(members, list) else 0
    """

    def write(self, path: Path, source: str) -> Path:
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    def test_loads_and_reloads_fresh(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "family.py", self.SOURCE.replace("{n}", "1"))
        functions, error = load_rule_module(path)
        assert error is None
        assert [(f.name, f.origin) for f in functions] == [("household_size", str(path))]
        assert functions[0].func(["a", "b"]) == 3
        # same length, same second: a cached .pyc would hand back the old code
        self.write(path, self.SOURCE.replace("{n}", "2"))
        functions, error = load_rule_module(path)
        assert error is None and functions[0].func(["a", "b"]) == 4
        assert not (tmp_path / "__pycache__").exists()
        assert not [m for m in sys.modules if m.startswith("yijian_rules_")]

    def test_syntax_error_has_file_and_line(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "broken.py", "x = 1\ndef f(:\n    pass\n")
        assert load_rule_module(path) == ([], f"{path}:2: SyntaxError: invalid syntax")

    def test_runtime_error_has_file_and_line(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "oops.py", "import json\n\nVALUE = json.loads('{')\n")
        functions, error = load_rule_module(path)
        assert functions == []
        assert error is not None and error.startswith(f"{path}:3: JSONDecodeError: ")

    def test_never_raises(self, tmp_path: Path) -> None:
        functions, error = load_rule_module(tmp_path / "missing.py")
        assert functions == [] and error is not None and "missing.py" in error
        exits = self.write(tmp_path / "exits.py", "raise SystemExit(3)\n")
        assert load_rule_module(exits)[1] == f"{exits}:1: SystemExit: 3"

    def test_usable_by_the_engine(self, tmp_path: Path) -> None:
        path = self.write(tmp_path / "family.py", self.SOURCE.replace("{n}", "1"))
        functions, _ = load_rule_module(path)
        eng = RuleEngine([*builtin_functions(), *functions])
        rule = eng.compile({"<=": [{"household_size": [{"var": "members"}]}, 3]})
        assert rule.evaluate({"members": ["父", "母"]}) is True


def test_reference_docs_list_every_builtin() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "rule-functions.md").read_text(encoding="utf-8")
    headings = {line[4:].strip() for line in doc.splitlines() if line.startswith("### ")}
    assert headings == BUILTIN_NAMES
    for f in builtin_functions():
        assert f.doc.rsplit("Example:", 1)[1].strip() in doc, f.name
