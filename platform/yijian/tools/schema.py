"""JSON Schemas of every definition file kind, for editors (``yijian schema``).

The models in :mod:`yijian.defs` are the one source of truth for what a YAML file may hold;
their JSON Schemas let an editor (VS Code's YAML extension, JetBrains IDEs) complete keys,
show each key's description on hover and underline an unknown key or a wrong choice while the
admin types, before ``yijian check`` runs. ``FILE_KINDS`` names each kind once, with the glob
of the files it applies to; docgen documents the same kinds from the same models.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yijian.calendar import CalendarYear
from yijian.defs import (
    BundleDef,
    CasesDef,
    FormDef,
    LibraryDef,
    MatterDef,
    RoutingDef,
    RulesDef,
    SharedParameters,
)
from yijian.defs.fieldtype import field_type, field_type_names
from yijian.defs.org import OrgDef
from yijian.defs.site import SiteDef


@dataclass(frozen=True)
class FileKind:
    """One kind of definition file: its name, model, and where such files live."""

    name: str  # schema file stem, e.g. "matter" → matter.schema.json
    model: type[BaseModel]
    glob: str  # relative to the definitions root
    title: str  # heading in docs/reference/yaml.md

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("matter", MatterDef, "matters/*/matter.yaml", "matter.yaml"),
    FileKind("form", FormDef, "matters/*/form.yaml", "form.yaml"),
    FileKind("rules", RulesDef, "matters/*/rules.yaml", "rules.yaml"),
    FileKind("routing", RoutingDef, "matters/*/routing.yaml", "routing.yaml"),
    FileKind("bundle", BundleDef, "matters/*/bundle.yaml", "bundle.yaml"),
    FileKind("cases", CasesDef, "matters/*/cases.yaml", "cases.yaml"),
    FileKind("forms-library", LibraryDef, "forms/*.yaml", "forms/<group>.yaml"),
    FileKind(
        "shared-parameters", SharedParameters, "rules/params/*.yaml", "rules/params/<name>.yaml"
    ),
    FileKind(
        "calendar", CalendarYear, "rules/calendar/*.yaml", "rules/calendar/<region>-<year>.yaml"
    ),
    FileKind("org", OrgDef, "rules/org.yaml", "rules/org.yaml"),
    FileKind("site", SiteDef, "site.yaml", "site.yaml"),
)


def schema_of(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of one file kind, keys spelled as in YAML (``from``, not ``from_``)."""
    schema = _field_types(_checked_keys(kind.model.model_json_schema(by_alias=True)))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://yijian.local/schemas/{kind.schema_file}",
        **schema,
        "title": kind.title,
    }


def _checked_keys(node: Any) -> Any:
    """Rewrite pydantic's ``patternProperties`` for a mapping keyed by ids or answer keys.

    pydantic writes ``dict[LocalId, X]`` as ``{"patternProperties": {ID: X}}``, under which a
    key that does not match is allowed with any value: an editor would flag neither a misspelt
    id nor a wrong value under it. ``propertyNames`` (every key must match) plus
    ``additionalProperties`` (every value is X) says what the model checks.
    """
    if isinstance(node, list):
        return [_checked_keys(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _checked_keys(value) for key, value in node.items()}
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        ((pattern, values),) = patterns.items()
        del node["patternProperties"]
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = values
    return node


def _field_types(schema: dict[str, Any]) -> dict[str, Any]:
    """A field's ``type`` is one of the registered names (the built-ins and every installed
    plugin), and each type adds what it requires (``options``, row ``fields``, ``text``): the
    plugin's own ``schema()`` fragment, applied when ``type`` names it. A field taken with
    ``use:`` names no type and is completed from the library, so it is left alone."""
    field = schema.get("$defs", {}).get("FieldDef")
    if field is None:
        return schema
    names = field_type_names()
    schema["$defs"].pop("FieldType", None)  # the closed enum pydantic saw; the registry rules
    field["properties"]["type"] = {
        "anyOf": [{"enum": names, "title": "FieldType", "type": "string"}, {"type": "null"}],
        **{k: v for k, v in field["properties"]["type"].items() if k not in ("anyOf", "enum")},
    }
    field["allOf"] = [
        {
            "if": {
                "properties": {"type": {"const": name}},
                "required": ["type"],
                "not": {"required": ["use"]},
            },
            "then": fragment,
        }
        for name in names
        if (fragment := field_type(name).schema())
    ]
    return schema


def write_schemas(out: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every file kind into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_KINDS:
        path = out / kind.schema_file
        text = json.dumps(schema_of(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
