"""`yijian schema`: one JSON Schema per definition file kind, usable by editors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from yijian.cli import main
from yijian.defs import FOLDER_FILES
from yijian.defs.common import ID_RE, KEY_RE
from yijian.tools.schema import FILE_KINDS, write_schemas

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "matters" / "birth-medical-certificate" / "matter.yaml"


def test_every_file_kind_has_a_schema(tmp_path: Path) -> None:
    written = {p.name for p in write_schemas(tmp_path)}
    assert written == {
        f"{name}.schema.json"
        for name in (
            "matter",
            "form",
            "rules",
            "routing",
            "bundle",
            "cases",
            "forms-library",
            "shared-parameters",
            "calendar",
            "org",
            "site",
        )
    }
    models = {kind.model for kind in FILE_KINDS}
    assert set(FOLDER_FILES.values()) <= models
    for name in written:
        schema = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert schema["type"] == "object" and schema["additionalProperties"] is False


def test_keys_are_spelled_as_in_yaml(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    cal = json.loads((tmp_path / "calendar.schema.json").read_text(encoding="utf-8"))
    assert "from" in cal["$defs"]["Holiday"]["properties"]


def test_cli_writes_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert "matter.schema.json" in capsys.readouterr().out


def test_example_matter_fits_its_schema(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    schema = json.loads((tmp_path / "matter.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert set(schema["required"]) <= data.keys() <= schema["properties"].keys()
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, schema)


def test_ids_and_keys_carry_their_pattern(tmp_path: Path) -> None:
    """Editors flag a bad id or answer key only if the schema says what one looks like."""
    write_schemas(tmp_path)
    matter = json.loads((tmp_path / "matter.schema.json").read_text(encoding="utf-8"))
    material = matter["$defs"]["Material"]["properties"]
    assert material["id"]["pattern"] == ID_RE.pattern
    assert material["from_field"]["anyOf"][0]["pattern"] == KEY_RE.pattern
    rules = json.loads((tmp_path / "rules.schema.json").read_text(encoding="utf-8"))
    conditions = rules["properties"]["materials"]
    assert conditions["propertyNames"]["pattern"] == ID_RE.pattern
    assert "patternProperties" not in conditions and conditions["additionalProperties"]
    jsonschema = pytest.importorskip("jsonschema")
    for bad in (
        {"eligibility": [{"id": "bad id", "name": "n", "when": True, "message": "m"}]},
        {"materials": {"bad id": True}},
    ):
        with pytest.raises(jsonschema.ValidationError, match="does not match"):
            jsonschema.validate(bad, rules)


def test_field_types_come_from_the_registry_with_what_each_requires(tmp_path: Path) -> None:
    """An editor completes every registered type name and flags a select without options, a
    repeat without fields — each type's own ``schema()`` fragment — while the example fits."""
    import jsonschema

    write_schemas(tmp_path)
    schema = json.loads((tmp_path / "form.schema.json").read_text(encoding="utf-8"))
    names = schema["$defs"]["FieldDef"]["properties"]["type"]["anyOf"][0]["enum"]
    assert {"text", "id_card", "region", "repeat", "info"} <= set(names)
    form = REPO / "matters" / "birth-medical-certificate" / "form.yaml"
    jsonschema.validate(yaml.safe_load(form.read_text(encoding="utf-8")), schema)
    page = {"id": "p", "title": "t", "fields": []}
    for bad, missing in (
        ({"key": "a", "type": "select", "label": "性别"}, "'options' is a required property"),
        ({"key": "a", "type": "repeat", "label": "子女"}, "'fields' is a required property"),
        ({"key": "a", "type": "texte", "label": "姓名"}, "is not one of"),
    ):
        with pytest.raises(jsonschema.ValidationError, match=missing):
            jsonschema.validate({"pages": [{**page, "fields": [bad]}]}, schema)
    library = {"fields": {"sex": {"use": "person.sex", "type": "select"}}}
    jsonschema.validate(library, json.loads((tmp_path / "forms-library.schema.json").read_text()))
