"""Reading a definitions root from disk: folders of YAML, the field library, shared parameters.

This is the I/O edge of loading. Each file is parsed and validated once per content: results
are kept in an in-process cache keyed by the file's sha256 (like Python's bytecode cache), so a
hot reload re-reads only what changed and an unchanged file costs one hash. For big catalogs
the cache also persists on disk (:mod:`diskcache`) and a cold batch is parsed on every core
(:mod:`pool`): 10,000 matters are 40,000 files.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from yijian import packaged
from yijian.defs import FOLDER_FILES, LibraryDef, SharedParameters
from yijian.defs.org import OrgDef
from yijian.load.diskcache import DiskCache
from yijian.load.pool import parse_all
from yijian.load.validate import validate
from yijian.located.diagnostics import Diagnostic, did_you_mean
from yijian.located.yamlsrc import parse

ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class SourceFile:
    """One parsed and validated YAML file (model is None when it has errors)."""

    rel: str
    text: str
    digest: str
    model: BaseModel | None
    diagnostics: tuple[Diagnostic, ...]


Entry = tuple[BaseModel | None, tuple[Diagnostic, ...]]
Key = tuple[str, str]  # ("module.Model:rel/path.yaml", sha256)
_MODELS = {m.__name__: m for m in (*FOLDER_FILES.values(), LibraryDef, SharedParameters, OrgDef)}


def _key(model: type[BaseModel], rel: str, digest: str) -> Key:
    return (f"{model.__module__}.{model.__qualname__}:{rel}", digest)


@dataclass
class FileCache:
    """Parsed + validated files by (model, path, content hash): an unchanged file is never
    re-parsed. With ``disk`` the entries outlive the process; :meth:`prefetch` parses a cold
    batch of files on every core."""

    entries: dict[Key, Entry] = field(default_factory=dict)
    disk: DiskCache | None = None
    fresh: dict[Key, Entry] = field(default_factory=dict, repr=False)  # parsed, not yet on disk
    used: set[Key] | None = field(default=None, repr=False)  # keys read during a full build
    #: read and hashed by prefetch, by ``os.fspath`` of the path (str keys: hashing 40,000
    #: ``Path`` objects, and building them, was a measurable part of a cold load)
    _ahead: dict[str, tuple[bytes, str]] = field(default_factory=dict, repr=False)
    _listed: dict[str, list[str]] = field(default_factory=dict, repr=False)  # folder → names
    _disk_read: bool = field(default=False, repr=False)
    _compact: bool = field(default=False, repr=False)

    def _lookup(self, key: Key) -> Entry | None:
        if not self._disk_read and self.disk is not None:
            self._disk_read = True
            self.entries = {**self.disk.load(), **self.entries}
        if self.used is not None:
            self.used.add(key)
        return self.entries.get(key)

    def _store(self, key: Key, entry: Entry) -> None:
        self.entries[key] = entry
        self.fresh[key] = entry

    def read(
        self, root: Path, path: Path | str, model: type[BaseModel], rel: str | None = None
    ) -> SourceFile:
        """``path`` parsed as ``model`` (``rel``, its root-relative name, when known: pathlib's
        ``relative_to`` is measurable over 40,000 files)."""
        rel = rel if rel is not None else Path(path).relative_to(root).as_posix()
        ahead = self._ahead.pop(os.fspath(path), None)  # read and hashed by prefetch: not again
        if ahead is None:
            raw = _read_bytes(os.fspath(path))
            ahead = (raw, hashlib.sha256(raw).hexdigest())
        raw, digest = ahead
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            diag = Diagnostic(rel, 0, 0, "", _not_utf8(raw, exc), "E-YAML-ENCODING", _SAVE_UTF8)
            return SourceFile(rel, "", digest, None, (diag,))
        cache_key = _key(model, rel, digest)
        hit = self._lookup(cache_key)
        if hit is None:
            hit = _parse_and_validate(model, rel, text)
            self._store(cache_key, hit)
        return SourceFile(rel, text, digest, hit[0], hit[1])

    def prefetch(
        self,
        root: Path,
        files: Iterable[tuple[Path | str, str, type[BaseModel]]],
        groups: Sequence[int] = (),
        ready: Callable[[list[int]], None] | None = None,
    ) -> None:
        """Read and hash ``files`` now and parse the uncached ones together, on every core when
        there are many (a cold build); :meth:`read` then finds them without touching the disk.

        ``groups``: the group (folder) number of each file, ascending; ``ready(numbers)`` is
        called, while the workers still parse, with the groups whose files are all parsed
        (not necessarily every group: the caller handles the rest after)."""
        jobs: list[tuple[str, str, str]] = []
        keys: list[Key] = []
        owner: list[int] = []
        for i, (path, rel, model) in enumerate(files):
            name = os.fspath(path)
            raw = _read_bytes(name)
            digest = hashlib.sha256(raw).hexdigest()
            self._ahead[name] = (raw, digest)
            key = _key(model, rel, digest)
            if self._lookup(key) is None:
                try:
                    jobs.append((model.__name__, rel, raw.decode("utf-8")))
                except UnicodeDecodeError:
                    continue  # read() reports it
                keys.append(key)
                owner.append(groups[i] if groups else 0)
        left = Counter(owner)

        def done(start: int, entries: list[Entry]) -> None:
            complete = []
            for at in range(start, start + len(entries)):
                self._store(keys[at], entries[at - start])
                group = owner[at]
                left[group] -= 1
                if not left[group]:
                    complete.append(group)
            if complete and ready is not None and groups:
                ready(complete)

        parse_all(jobs, parse_batch, done)

    def begin(self, full: bool) -> None:
        """Start a build; a full build records which entries it uses, to drop the others."""
        self.used = set() if full else None

    def finish(self) -> None:
        """End the reading part of a build: forget read-ahead bytes, and after a full build
        drop the entries it did not use (old contents of edited files)."""
        self._ahead.clear()
        self._listed.clear()
        if self.used is not None:
            pruned = len(self.used) < len(self.entries)
            if pruned:
                self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self._compact = self._compact or pruned or bool(self.fresh)
        self.used = None

    def persist(self) -> None:
        """Hand what was parsed to the disk cache (in the background); the registry calls
        this once the new snapshot is served, so writing never delays a reload."""
        if self.disk is not None:
            self.disk.save(self.entries, self.fresh, compact=self._compact)
        self.fresh = {}
        self._compact = False


def parse_batch(jobs: Sequence[tuple[str, str, str]]) -> list[Entry]:
    """Parse and validate ``(model name, rel, text)`` jobs (what a worker process runs)."""
    return [_parse_and_validate(_MODELS[name], rel, text) for name, rel, text in jobs]


def _parse_and_validate(
    model: type[BaseModel], rel: str, text: str
) -> tuple[BaseModel | None, tuple[Diagnostic, ...]]:
    data, problems = parse(text)
    diags = [Diagnostic(rel, p.line, p.col, "", p.message, p.code, p.hint) for p in problems]
    if data is None and problems:  # nothing was read (syntax, size, depth, aliases, bytes)
        return None, tuple(diags)
    obj, errors = validate(model, data, rel, text)
    # a value the YAML problem already explains (0101 read as 65) is not reported twice
    explained = {(p.line, p.col) for p in problems}
    diags.extend(e for e in errors if (e.line, e.col) not in explained)
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

    @cached_property
    def digest(self) -> str:
        """Hash of the file names and contents (cached: the folder is immutable, and the
        compiler and the build both ask)."""
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + self.files[name].digest.encode())
        return h.hexdigest()[:16]

    def model(self, name: str) -> Any:
        f = self.files.get(name)
        return f.model if f else None

    def all_diagnostics(self) -> list[Diagnostic]:
        return [*self.diagnostics, *(d for f in self.files.values() for d in f.diagnostics)]


def _rel(root: Path, folder: Path) -> str:
    """``folder.relative_to(root).as_posix()``, by slicing the text when it starts with the
    root (a ``Path``'s text is normalised, so this is exact) — both the prefetch and the read
    must name a file alike, or the parse done ahead would be missed."""
    root_s, base = os.fspath(root), os.fspath(folder)
    if base.startswith(root_s + os.sep):
        return base[len(root_s) + 1 :].replace(os.sep, "/")
    return folder.relative_to(root).as_posix()


_SAVE_UTF8 = "save the file as UTF-8 (without BOM is best); a binary file is not a definition"
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    """What the bytes are, as far as it helps the admin: UTF-16/32 (a Windows editor's
    "Unicode"), binary, or text in another encoding (GBK)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return f"{name} text, not UTF-8"
    if b"\0" in raw[:1024]:
        return "binary data, not UTF-8 text"
    return f"not UTF-8 text ({exc.reason} at byte {exc.start})"


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:  # a str path: no pathlib object per file
        return fh.read()


def _file_names(folder: Path | str) -> list[str]:
    """The visible files of ``folder``, sorted (``scandir``: no ``stat`` per entry)."""
    with os.scandir(folder) as it:
        return sorted(e.name for e in it if not e.name.startswith(".") and not e.is_dir())


def read_folder(root: Path, folder: Path, cache: FileCache) -> FolderSource:
    """One matter or bundle folder, its files parsed (from ``cache`` when unchanged).

    Paths are handled as strings, and the listing :func:`prefetch_folders` made is reused:
    with 10,000 folders, pathlib objects and a second ``scandir`` per folder were a tenth of a
    warm rebuild.
    """
    name = folder.name
    base = os.fspath(folder)
    rel = _rel(root, folder)
    diags: list[Diagnostic] = []
    if not set(name) <= ID_CHARS or not name[:1].isalnum():
        diags.append(
            Diagnostic(
                rel,
                0,
                0,
                "",
                f"folder name '{name}' is not a valid id",
                "E-FOLDER-ID",
                "use lowercase letters, digits and '-', e.g. birth-registration",
            )
        )
    files: dict[str, SourceFile] = {}
    names = cache._listed.pop(base, None)
    for fname in names if names is not None else _file_names(base):
        model = FOLDER_FILES.get(fname)
        if model is None:
            if fname.endswith((".yml", ".yaml")):
                diags.append(
                    Diagnostic(
                        f"{rel}/{fname}",
                        0,
                        0,
                        "",
                        f"unknown definition file '{fname}'{did_you_mean(fname, FOLDER_FILES)}",
                        "E-FILE-UNKNOWN",
                        f"a folder holds: {', '.join(FOLDER_FILES)}",
                    )
                )
            continue
        files[fname] = cache.read(root, os.path.join(base, fname), model, f"{rel}/{fname}")
    has_matter, has_bundle = "matter.yaml" in files, "bundle.yaml" in files
    if has_matter == has_bundle:
        what = (
            "both matter.yaml and bundle.yaml"
            if has_matter
            else "neither matter.yaml nor bundle.yaml"
        )
        diags.append(
            Diagnostic(
                rel,
                0,
                0,
                "",
                f"the folder has {what}",
                "E-FOLDER-KIND",
                "a matter folder has matter.yaml; a 一件事 bundle folder has bundle.yaml",
            )
        )
    return FolderSource(folder.name, rel, files, tuple(diags))


#: How a library file shipped in the package is named in diagnostics and versions.
PACKAGED_FORMS = "<yijian>/forms"


def read_library(root: Path, cache: FileCache) -> list[SourceFile]:
    """The field library: the package's national files, then the root's ``forms/*.yaml``.

    Later files win field by field (:func:`yijian.load.build.build_all` merges them by
    ``<file>.<name>``), so a county's ``forms/person.yaml`` adds fields to the national
    ``person`` group or overrides single ones, and a root without forms/ still has them all.
    """
    folder = root / "forms"
    own = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    # a root file identical to the package's (the repository's example root reads the package's
    # files through symlinks; an archived version is rebuilt from copies) is that file, once
    national = [
        p
        for p in sorted(packaged.FORMS.glob("*.yaml"))
        if not any(packaged.same_file(p, q) for q in own if q.name == p.name)
    ]
    return [
        *(cache.read(root, p, LibraryDef, f"{PACKAGED_FORMS}/{p.name}") for p in national),
        *(cache.read(root, p, LibraryDef) for p in own),
    ]


def read_shared_parameters(root: Path, cache: FileCache) -> list[SourceFile]:
    folder = root / "rules" / "params"
    if not folder.is_dir():
        return []
    return [cache.read(root, p, SharedParameters) for p in sorted(folder.glob("*.yaml"))]


def matter_folders(root: Path) -> list[Path]:
    """Every matter and bundle folder, by name; ``scandir`` knows directories without a
    ``stat`` per entry, which counts with thousands of folders."""
    folder = root / "matters"
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if not e.name.startswith((".", "_")) and e.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names]


def prefetch_folders(
    root: Path,
    folders: Sequence[Path],
    cache: FileCache,
    ready: Callable[[list[int]], None] | None = None,
) -> None:
    """Read every definition file of ``folders`` ahead, parsing a cold batch in parallel; the
    listings are kept for :func:`read_folder` (one ``scandir`` per folder per build).
    ``ready(indexes)``: folders (by index in ``folders``) whose files are parsed, told while
    the workers parse on, so the build can compile them meanwhile."""
    files = []
    groups: list[int] = []
    for i, folder in enumerate(folders):
        base = os.fspath(folder)
        rel = _rel(root, folder)
        listed = cache._listed[base] = _file_names(base)
        names = [n for n in listed if n in FOLDER_FILES]
        files.extend((os.path.join(base, n), f"{rel}/{n}", FOLDER_FILES[n]) for n in names)
        groups.extend([i] * len(names))
    cache.prefetch(root, files, groups, ready)
