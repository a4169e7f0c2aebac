"""Reading a definitions root from disk: folders of YAML, the field library, shared parameters.

This is the I/O edge of loading. Each file is parsed and validated once per content: results
are kept in an in-process cache keyed by the file's sha256 (like Python's bytecode cache), so a
hot reload re-reads only what changed and an unchanged file costs one hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yijian.defs import FOLDER_FILES, LibraryDef, SharedParameters
from yijian.load.diagnostics import Diagnostic, did_you_mean
from yijian.load.validate import validate
from yijian.load.yamlsrc import parse

ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class SourceFile:
    """One parsed and validated YAML file (model is None when it has errors)."""

    rel: str
    text: str
    digest: str
    model: BaseModel | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class FileCache:
    """Parsed + validated files by (model, content hash): an unchanged file is never re-parsed."""

    entries: dict[tuple[str, str], tuple[BaseModel | None, tuple[Diagnostic, ...]]] = field(
        default_factory=dict
    )

    def read(self, root: Path, path: Path, model: type[BaseModel]) -> SourceFile:
        rel = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            diag = Diagnostic(rel, 0, 0, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                              "E-YAML-ENCODING", "save the file as UTF-8")
            return SourceFile(rel, "", digest, None, (diag,))
        cache_key = (f"{model.__module__}.{model.__qualname__}:{rel}", digest)
        hit = self.entries.get(cache_key)
        if hit is None:
            hit = _parse_and_validate(model, rel, text)
            self.entries[cache_key] = hit
        return SourceFile(rel, text, digest, hit[0], hit[1])


def _parse_and_validate(
    model: type[BaseModel], rel: str, text: str
) -> tuple[BaseModel | None, tuple[Diagnostic, ...]]:
    data, problems = parse(text)
    diags = [Diagnostic(rel, p.line, p.col, "", p.message, p.code, p.hint) for p in problems]
    if any(p.code in ("E-YAML-SYNTAX", "E-YAML-SIZE", "E-YAML-ALIAS") for p in problems):
        return None, tuple(diags)
    obj, errors = validate(model, data, rel, text)
    diags.extend(errors)
    return (obj if not diags else None), tuple(diags)


@dataclass(frozen=True)
class FolderSource:
    """A matter or bundle folder: its files by name, and problems of the folder itself."""

    id: str
    rel: str
    files: dict[str, SourceFile]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def kind(self) -> str:
        return "bundle" if "bundle.yaml" in self.files else "matter"

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].digest.encode())
        return h.hexdigest()[:16]

    def model(self, name: str) -> Any:
        f = self.files.get(name)
        return f.model if f else None

    def all_diagnostics(self) -> list[Diagnostic]:
        return [*self.diagnostics, *(d for f in self.files.values() for d in f.diagnostics)]


def read_folder(root: Path, folder: Path, cache: FileCache) -> FolderSource:
    rel = folder.relative_to(root).as_posix()
    diags: list[Diagnostic] = []
    if not set(folder.name) <= ID_CHARS or not folder.name[:1].isalnum():
        diags.append(Diagnostic(rel, 0, 0, "", f"folder name '{folder.name}' is not a valid id",
                                "E-FOLDER-ID", "use lowercase letters, digits and '-', e.g. birth-registration"))
    files: dict[str, SourceFile] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix in (".yml",) or path.suffix == ".yaml" and path.name not in FOLDER_FILES:
            diags.append(Diagnostic(
                path.relative_to(root).as_posix(), 0, 0, "",
                f"unknown definition file '{path.name}'{did_you_mean(path.name, FOLDER_FILES)}",
                "E-FILE-UNKNOWN", f"a folder holds: {', '.join(FOLDER_FILES)}"))
            continue
        if path.name in FOLDER_FILES:
            files[path.name] = cache.read(root, path, FOLDER_FILES[path.name])
    has_matter, has_bundle = "matter.yaml" in files, "bundle.yaml" in files
    if has_matter == has_bundle:
        what = "both matter.yaml and bundle.yaml" if has_matter else "neither matter.yaml nor bundle.yaml"
        diags.append(Diagnostic(rel, 0, 0, "", f"the folder has {what}", "E-FOLDER-KIND",
                                "a matter folder has matter.yaml; a 一件事 bundle folder has bundle.yaml"))
    return FolderSource(folder.name, rel, files, tuple(diags))


def read_library(root: Path, cache: FileCache) -> list[SourceFile]:
    """Every forms/*.yaml file (field library)."""
    folder = root / "forms"
    if not folder.is_dir():
        return []
    return [cache.read(root, p, LibraryDef) for p in sorted(folder.glob("*.yaml"))]


def read_shared_parameters(root: Path, cache: FileCache) -> list[SourceFile]:
    folder = root / "rules" / "params"
    if not folder.is_dir():
        return []
    return [cache.read(root, p, SharedParameters) for p in sorted(folder.glob("*.yaml"))]


def matter_folders(root: Path) -> list[Path]:
    folder = root / "matters"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
