"""The committed reference under docs/reference/ is what ``yijian docs`` writes today."""

from __future__ import annotations

from pathlib import Path

from yijian.defs.form import FieldType
from yijian.extend import FIELD_TYPES
from yijian.rules.engine import builtin_functions
from yijian.runtime.fieldtypes import kind_of
from yijian.tools.docgen import PAGES, write_reference

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"


def test_committed_reference_is_up_to_date(tmp_path: Path) -> None:
    for path in write_reference(tmp_path):
        committed = REFERENCE / path.name
        assert committed.is_file(), f"docs/reference/{path.name} is missing: run `yijian docs`"
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/reference/{path.name} is out of date: run `yijian docs`"
        )


def test_every_field_type_is_described() -> None:
    """Every built-in is registered at the extension point and describes itself."""
    assert set(FIELD_TYPES.names()) >= {str(t) for t in FieldType}
    text = PAGES["fields.md"]()
    assert all(f"| `{t.value}` |" in text for t in FieldType)
    assert all(kind_of(n).renders and kind_of(n).checks for n in FIELD_TYPES.names())


def test_every_rule_function_has_a_section() -> None:
    text = PAGES["functions.md"]()
    for fn in builtin_functions():
        assert f"\n### {fn.name}\n" in text
        assert fn.doc, f"rule function {fn.name} has no docstring"


def test_nested_keys_and_choices_are_listed() -> None:
    text = PAGES["yaml.md"]()
    assert "| `time_limits.promised.days` | integer (0–3650) | required |" in text
    assert "| `materials[].source` | one of: `申请人自备`" in text
    assert "| `pages[].fields[].visible_if` | JsonLogic rule | optional |" in text
    assert "| `holidays[].from` | date (YYYY-MM-DD) | required |" in text
