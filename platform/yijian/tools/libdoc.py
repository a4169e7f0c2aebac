"""docs/reference/library.md: the national field library (数据元) shipped in the package.

A county root reads these fields with ``use: <group>.<name>`` without copying forms/; the page
is where a hint's cut list of library fields points (``E-FORM-USE``), so an author sees every
name, its type and label, and which file to add to or override in the root's ``forms/``.
"""

from __future__ import annotations

from collections.abc import Iterator

from yijian import packaged
from yijian.defs import LibraryDef
from yijian.load.source import FileCache


def _cell(text: object) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def _sections() -> Iterator[str]:
    for path in sorted(packaged.FORMS.glob("*.yaml")):
        group = path.stem
        lib = FileCache().read(path.parent, path, LibraryDef, path.name).model
        if not isinstance(lib, LibraryDef):
            continue  # a broken library file is `yijian check`'s to report
        yield f"\n## {group}\n\n{_cell(lib.description)}\n\n"
        yield "| use | type | label | help |\n|---|---|---|---|\n"
        for name, f in lib.fields.items():
            yield f"| `{group}.{name}` | `{f.type}` | {_cell(f.label)} | {_cell(f.help)} |\n"


def library_reference(header: str) -> str:
    return (
        header + "# Field library (数据元)\n\n"
        "The fields every definitions root can take with `use: <group>.<name>` in form.yaml; "
        "they ship with the platform (`yijian/builtin/forms/`), so a county root does not copy "
        "them. A root adds a field to a group, or overrides one, in its own "
        "`forms/<group>.yaml` (same group name: its fields win name by name), and adds a group "
        "with a new file. A matter overrides `key`, `label` and presentation per use "
        "(see [form.yaml](yaml.md#formyaml)).\n" + "".join(_sections())
    )
