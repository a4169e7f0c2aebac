"""Definition versions that outlive the process: archive each new version, rebuild on demand.

A draft or case is pinned to the version of its matter it started on. The registry keeps every
version it compiled in memory; a restart loses them. So after each clean build the registry
hands every version it has not archived yet to a :class:`VersionArchive` (the store's
``versions`` part; the registry and the store are on one layer and do not import each other,
so the archive is passed in): the files the version was compiled from — its folder (a bundle's
with its members' folders), the field library (forms/) and rules/ (rule modules, parameters,
calendars, the organisation) — kept by content. Asked later for a version it does not hold,
the registry writes those files into a temporary root, builds it there, and keeps the result.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger("yijian.registry")

__all__ = ["VersionArchive", "files_of", "rebuild"]


class VersionArchive(Protocol):
    def archive_many(self, items: list[tuple[str, str, Mapping[str, bytes]]]) -> int: ...

    def known(self) -> set[tuple[str, str]]: ...

    def files(self, matter_id: str, version: str) -> dict[str, bytes] | None: ...


def _tree(root: Path, rel: str, suffixes: tuple[str, ...]) -> dict[str, bytes]:
    base = root / rel
    if not base.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(base.rglob("*"))
        if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts
    }


def shared_files(root: Path) -> dict[str, bytes]:
    """What every version is compiled with: the field library and rules/ (read once a build)."""
    return {**_tree(root, "forms", (".yaml",)), **_tree(root, "rules", (".yaml", ".py"))}


def files_of(root: Path, m: Any, shared: Mapping[str, bytes]) -> dict[str, bytes]:
    """The files of one compiled matter or bundle (its folder, its members' folders)."""
    files = dict(shared)
    for mid in (m.id, *(x.id for x in getattr(m, "members", ()))):
        files.update(_tree(root, f"matters/{mid}", (".yaml", ".yml")))
    return files


def rebuild(
    files: Mapping[str, bytes], matter_id: str, version: str, region: str | None
) -> Any | None:
    """The matter ``version`` built from its archived files (None if it does not come out as
    that version: then the caller falls back to the current one, as before archiving)."""
    from yijian.registry.snapshot import Registry  # the builder this module serves

    folder = Path(tempfile.mkdtemp(prefix="yijian-version-"))
    try:
        for rel, data in files.items():
            path = folder / rel
            if folder not in path.resolve().parents:  # a stored path never leaves the folder
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        registry = Registry(folder, region=region, disk_cache=False)
        registry.load()
        # errors elsewhere in the partial root do not count (rules/org.yaml names matters that
        # are not there): only the matter's own, and the version check below
        own = [e for e in registry.last_errors if e.path.startswith("matters/")]
        snap = registry.current
        built = snap.matter(matter_id) if snap is not None and not own else None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if built is None or built.version != version:
        log.warning("archived version %s@%s did not rebuild as itself", matter_id, version)
        return None
    return built
