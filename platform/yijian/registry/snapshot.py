"""The registry: an immutable snapshot of every definition, rebuilt on change and swapped whole.

A snapshot is built from a definitions root (matters/, forms/, rules/, themes/). Requests read
``registry.current`` once and use that snapshot to the end, so a reload never changes the rules
under a request in flight (as mkdocs serve does). If a rebuild has errors the previous
snapshot stays current and the errors are kept for the admin page. Every compiled matter
version ever served stays reachable by (id, version), so a case pins the definitions it
started with.

Loading 10,000 matters allocates millions of small objects that all stay alive; the cyclic
garbage collector would walk them again and again while they are made (a third of a cold
load), so it is paused during a build, and after a big full build the objects are frozen
out of its sight (``gc.freeze``). Parsed files persist under ``<root>/var/cache/``
(:mod:`yijian.load.diskcache`) unless ``disk_cache`` is off.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from yijian.calendar import WorkCalendar
from yijian.compiled.matter import CompiledMatter
from yijian.load.build import BuildInputs, build_all
from yijian.load.diskcache import DiskCache
from yijian.load.org import Org
from yijian.load.source import FileCache
from yijian.located.diagnostics import Diagnostic
from yijian.registry.archive import VersionArchive, files_of, rebuild, shared_files
from yijian.rules.engine import RuleEngine

#: Folders from which a full build's objects are frozen out of the garbage collector's sight.
FREEZE_AT = 1000
#: Versions rebuilt from the archive kept compiled (a rebuild costs tens of milliseconds).
REBUILT_KEPT = 64


@dataclass(frozen=True)
class Snapshot:
    root: Path
    version: str
    matters: Mapping[str, CompiledMatter]  # matters and bundles by id
    diagnostics: tuple[Diagnostic, ...]
    engine: RuleEngine
    calendar: WorkCalendar | None
    built_at: float
    build_ms: float
    org: Org = field(default_factory=Org)  # departments and centres (rules/org.yaml)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def matter(self, matter_id: str) -> CompiledMatter | None:
        return self.matters.get(matter_id)


@dataclass
class Registry:
    """Holds the current snapshot and every version served; rebuilds on change."""

    root: Path
    region: str | None = None
    current: Snapshot | None = None
    last_errors: tuple[Diagnostic, ...] = ()
    last_attempt: float = 0.0
    cache: FileCache = field(default_factory=FileCache)
    inputs: BuildInputs | None = None
    disk_cache: bool = True
    #: where versions outlive the process (the store's ``versions``); None: memory only
    archive: VersionArchive | None = None
    _versions: dict[tuple[str, str], CompiledMatter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _archived: set[tuple[str, str]] | None = None
    #: versions rebuilt from the archive, least recently asked first (bounded: REBUILT_KEPT)
    _rebuilt: OrderedDict[tuple[str, str], CompiledMatter] = field(default_factory=OrderedDict)
    _rebuild_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.disk_cache and self.cache.disk is None:
            self.cache.disk = DiskCache(self.root / "var" / "cache")

    def load(self, changed: Iterable[Path] | None = None) -> Snapshot | None:
        """Build a snapshot (only what ``changed`` touches, when given); swap it in if clean.

        Returns the new snapshot, or None when the build had errors (the old one stays)."""
        with self._lock:
            paths = list(changed) if changed else None
            with _gc_paused() as freeze:
                snap = self._build(paths)
                # a big full build: its objects live long; keep the collector off them
                freeze.append(paths is None and len(self.inputs.folders) >= FREEZE_AT)
            self.cache.persist()
            return snap

    def _build(self, changed: list[Path] | None) -> Snapshot | None:
        started = time.perf_counter()
        self.last_attempt = time.time()
        inputs, matters, diags = build_all(self.root, self.cache, self.region, self.inputs, changed)
        elapsed = (time.perf_counter() - started) * 1000
        errors = tuple(d for d in diags if d.severity == "error")
        self.last_errors = errors
        if errors:
            if self.current is None:
                # nothing good to keep: serve what compiled, so admins see the rest
                self.current = self._snapshot(inputs, matters, diags, elapsed)
                self.inputs = inputs
                self._archive(matters)  # served, so drafts may pin these versions
            return None
        self.inputs = inputs
        snap = self._snapshot(inputs, matters, diags, elapsed)
        self.current = snap
        self._archive(matters)
        return snap

    def _archive(self, matters: Mapping[str, CompiledMatter]) -> None:
        """Hand the versions not archived yet to the archive (one transaction a build)."""
        if self.archive is None:
            return
        if self._archived is None:
            self._archived = self.archive.known()
        new = [m for m in matters.values() if (m.id, m.version) not in self._archived]
        if not new:
            return
        shared = shared_files(self.root)
        self.archive.archive_many([(m.id, m.version, files_of(self.root, m, shared)) for m in new])
        self._archived |= {(m.id, m.version) for m in new}

    def _snapshot(
        self,
        inputs: BuildInputs,
        matters: Mapping[str, CompiledMatter],
        diags: list[Diagnostic],
        elapsed: float,
    ) -> Snapshot:
        for m in matters.values():
            self._versions.setdefault((m.id, m.version), m)
        h = hashlib.sha256(
            "".join(f"{mid}@{matters[mid].version};" for mid in sorted(matters)).encode()
        )
        if inputs.org.defined:  # an org-only edit is a new version of what the site serves
            h.update(b"org@" + inputs.org.digest().encode())
        return Snapshot(
            self.root,
            h.hexdigest()[:16],
            dict(matters),
            tuple(diags),
            inputs.engine,
            inputs.calendar,
            time.time(),
            elapsed,
            inputs.org,
        )

    def version(self, matter_id: str, version: str) -> CompiledMatter | None:
        """A matter exactly as it was at ``version`` (for cases and drafts in flight): from
        memory, else rebuilt from the archive (after a restart), else None."""
        key = (matter_id, version)
        found = self._versions.get(key) or self._rebuilt.get(key)
        if found is not None or self.archive is None:
            if found is not None and key in self._rebuilt:
                with contextlib.suppress(KeyError):  # dropped meanwhile by another thread
                    self._rebuilt.move_to_end(key)
            return found
        with self._rebuild_lock:  # one rebuild of a version, however many ask at once
            if key in self._rebuilt:
                return self._rebuilt[key]
            files = self.archive.files(matter_id, version)
            built = rebuild(files, matter_id, version, self.region) if files else None
            if built is not None:
                self._rebuilt[key] = built
                while len(self._rebuilt) > REBUILT_KEPT:  # the least recently asked goes
                    self._rebuilt.popitem(last=False)
        return built


@contextmanager
def _gc_paused() -> Iterator[list[bool]]:
    """No cyclic collection while a build allocates. Append True to the yielded list to move
    every object alive into the permanent generation (``gc.freeze``) before collection
    resumes: otherwise the first collection walks the millions of objects just built."""
    was_enabled = gc.isenabled()
    gc.disable()
    freeze: list[bool] = []
    try:
        yield freeze
    finally:
        if any(freeze):
            gc.freeze()
        if was_enabled:
            gc.enable()
