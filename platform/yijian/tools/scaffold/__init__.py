"""``yijian new matter|bundle ID``: a commented folder that passes check and test at once.

A newcomer starts from files that already work and changes them one value at a time, running
``yijian check`` and ``yijian test`` after each change, rather than from an empty folder and
the reference. The templates are the YAML files next to this module (shipped in the wheel);
every placeholder value says where its real value comes from.
"""

from __future__ import annotations

from pathlib import Path

from yijian.defs.common import ID_RE

TEMPLATES = Path(__file__).resolve().parent
MATTER_FILES = ("matter.yaml", "form.yaml", "rules.yaml", "routing.yaml", "cases.yaml")
BUNDLE_FILES = ("bundle.yaml", "form.yaml", "routing.yaml", "cases.yaml")


class ScaffoldError(ValueError):
    """The folder cannot be made (bad id, or it exists): the message says what to do."""


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"__{name}__", value)
    return text


def _check_id(root: Path, folder_id: str) -> Path:
    if not ID_RE.match(folder_id) or len(folder_id) > 64:
        raise ScaffoldError(
            f"'{folder_id}' is not a folder id: letters, digits, '-' and '_', e.g. disability-card"
        )
    folder = root / "matters" / folder_id
    if folder.exists():
        raise ScaffoldError(f"matters/{folder_id} already exists; choose another id")
    return folder


def _code(folder_id: str) -> str:
    return "".join(c for c in folder_id.upper() if c.isalnum())[:12] or "NEW"


def new_matter(root: Path, matter_id: str, name: str | None = None) -> list[Path]:
    """Write ``matters/<matter_id>/`` from the matter templates; the files written."""
    folder = _check_id(root, matter_id)
    values = {"ID": matter_id, "NAME": name or f"新事项 {matter_id}", "CODE": _code(matter_id)}
    folder.mkdir(parents=True)
    out = []
    for fname in MATTER_FILES:
        text = (TEMPLATES / "matter" / fname).read_text(encoding="utf-8")
        (folder / fname).write_text(_fill(text, values), encoding="utf-8")
        out.append(folder / fname)
    return out


def new_bundle(
    root: Path, bundle_id: str, members: list[str] | None = None, name: str | None = None
) -> list[Path]:
    """Write ``matters/<bundle_id>/`` and every member matter that does not exist yet."""
    folder = _check_id(root, bundle_id)
    members = members or [f"{bundle_id}-first", f"{bundle_id}-second"]
    if len(members) < 2:
        raise ScaffoldError("a 一件事 joins at least two matters: give two or more --members")
    for mid in members:
        if not (root / "matters" / mid).exists():
            _check_id(root, mid)
    out = []
    for mid in members:
        if not (root / "matters" / mid).exists():
            out += new_matter(root, mid)
    listed = "\n".join(f"  - matter: {mid}\n    include: required" for mid in members)
    values = {
        "ID": bundle_id,
        "NAME": name or f"新一件事 {bundle_id}",
        "MEMBERS": listed,
        "MEMBER_LIST": ", ".join(members),
        "FIRST": members[0],
        "FAILING": ", ".join(f"{mid}.R1" for mid in members),
        "SITUATIONS": ", ".join(f"{mid}.change" for mid in members),
    }
    folder.mkdir(parents=True)
    for fname in BUNDLE_FILES:
        text = (TEMPLATES / "bundle" / fname).read_text(encoding="utf-8")
        (folder / fname).write_text(_fill(text, values), encoding="utf-8")
        out.append(folder / fname)
    return out
