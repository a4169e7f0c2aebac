"""A persistent cache of parsed + validated definition files, like Python's bytecode cache.

Parsing and validating YAML is most of a cold load (10,000 matters are 40,000 files); the
result of a file depends only on its content, its path (diagnostics name it) and our code.
So ``(model:path, sha256)`` → ``(model, diagnostics)`` is pickled under
``<root>/var/cache/``, in a file whose name carries a tag of everything that could change the
result: the yijian and pydantic versions and the source of the definition models and of the
modules that parse, validate and word diagnostics. A code change gets a new file and the old
one is ignored (and removed).

The file is a stream of pickled batches: a reload appends the few entries it parsed (cheap,
one ``write`` on an ``O_APPEND`` descriptor), a full build rewrites it compacted (atomic
replace). A torn or unreadable tail is dropped: the cache is only ever an optimisation.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

import yijian

Entries = dict[tuple[str, str], Any]
#: A root with fewer parsed files gets no cache file: it loads in milliseconds anyway, and test
#: or example roots stay free of var/ folders.
MIN_ENTRIES = 200
_CODE = ("defs", "located", "load/source.py", "load/validate.py")


def code_tag() -> str:
    """A short hash of everything a cached entry depends on besides the file itself."""
    h = hashlib.sha256(f"{yijian.__version__};{metadata.version('pydantic')}".encode())
    package = Path(yijian.__file__).parent
    for name in _CODE:
        path = package / name
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            h.update(file.name.encode() + b"\0" + file.read_bytes())
    return h.hexdigest()[:16]


class DiskCache:
    """One pickle stream per definitions root and code version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f"defs-{code_tag()}.pickle"
        self._writer: threading.Thread | None = None

    def save(self, entries: Entries, fresh: Entries, compact: bool) -> None:
        """Store ``fresh`` entries (all of ``entries`` when ``compact``) in a background thread,
        so a load returns as soon as its snapshot is built. The thread is not a daemon: a
        command that exits right after loading still finishes writing."""
        if not fresh and not compact:
            return
        if not self.path.exists() and len(entries) < MIN_ENTRIES:
            return
        self.wait()
        if compact or not self.path.exists():
            work, arg = self.rewrite, dict(entries)
        else:
            work, arg = self.append, dict(fresh)
        self._writer = threading.Thread(target=work, args=(arg,), name="yijian-disk-cache")
        self._writer.start()

    def wait(self) -> None:
        """Block until the last save is on disk (benchmarks and tests)."""
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def load(self) -> Entries:
        """Every entry stored (later batches win); an empty dict when there is no cache."""
        out: Entries = {}
        try:
            with self.path.open("rb") as fh:
                while True:
                    try:
                        out.update(pickle.load(fh))
                    except EOFError:
                        break
        except FileNotFoundError:
            pass
        except Exception:  # a torn append or a foreign file: keep what was read
            pass
        return out

    def append(self, batch: Entries) -> None:
        """Add a few entries at the end, in one write so concurrent writers do not interleave."""
        if not batch:
            return
        blob = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, blob)
            finally:
                os.close(fd)
        except OSError:
            pass  # a read-only root loads as before, only slower

    def rewrite(self, entries: Entries) -> None:
        """Replace the file with exactly ``entries`` (drops stale ones), and old code versions."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".defs-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for old in self.folder.glob("defs-*.pickle"):
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
