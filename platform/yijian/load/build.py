"""Building all compiled matters from a root, or rebuilding only what a change touches.

A changed matter folder recompiles that folder and the bundles that include it; a changed
``forms/`` file recompiles the folders that ``use:`` it; a changed ``rules/*.py``, shared
parameter or calendar file rebuilds the engine and recompiles everything (any rule may call a
function). Unchanged files are never re-parsed (content-hash cache in :mod:`source`).

A hot reload touches only the changed folders: the matters/ listing is not even re-read unless
a folder may have come or gone. Within one build, a rule written the same way in many matters
is checked and compiled once (:class:`_MemoEngine`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar

from yijian.compiled.matter import CompiledMatter
from yijian.load.calendarsrc import read_calendar
from yijian.load.casechecks import case_calendar_errors, case_param_errors
from yijian.load.checks import horizon_warnings
from yijian.load.compiler import Library, MatterCompiler
from yijian.load.org import Org, check_org, read_org
from yijian.load.placeholders import placeholder_warnings
from yijian.load.site import read_site
from yijian.load.source import (
    FileCache,
    FolderSource,
    matter_folders,
    prefetch_folders,
    read_folder,
    read_library,
    read_shared_parameters,
)
from yijian.located.diagnostics import Diagnostic
from yijian.rules.engine import (
    CompiledRule,
    RuleEngine,
    RuleProblem,
    builtin_functions,
    load_rule_module,
)

V = TypeVar("V")


@dataclass
class BuildInputs:
    """What a build used, kept so the next build can redo only what changed."""

    engine: RuleEngine
    calendar: object | None
    library: Library
    engine_digest: str
    library_files: dict[str, str]  # rel → digest
    global_diags: list[Diagnostic]
    folders: dict[str, FolderSource] = field(default_factory=dict)
    compiled: dict[str, CompiledMatter | None] = field(default_factory=dict)
    diags: dict[str, list[Diagnostic]] = field(default_factory=dict)
    uses: dict[str, set[str]] = field(default_factory=dict)  # folder id → library prefixes used
    org: Org = field(default_factory=Org)  # rules/org.yaml (departments, centres)


class _MemoEngine:
    """The engine, remembering ``check`` and ``compile`` by the rule's text for one build.

    Catalogs repeat rules (the same ID-number or income checks in hundreds of matters);
    a compiled rule is immutable and thread-safe, so matters may share it. Variable scope is
    still checked per matter by the caller, from the rule's ``reads``.

    The key is the rule's ``repr``: rules are YAML data (dicts, lists, str, numbers, bools,
    None, dates), whose ``repr`` is exact (``1``, ``1.0`` and ``True`` differ, as do ``{1: …}``
    and ``{"1": …}``) and four times cheaper than ``json.dumps``; an equal key is therefore an
    equal rule, and check/compile are pure functions of it."""

    def __init__(self, engine: RuleEngine) -> None:
        self.engine = engine
        self._checked: dict[str, list[RuleProblem]] = {}
        self._compiled: dict[str, CompiledRule] = {}
        self._last: tuple[object, str | None] = (None, None)

    def __getattr__(self, name: str) -> object:
        return getattr(self.engine, name)

    def _key(self, expr: object) -> str | None:
        if self._last[0] is expr:  # compile() right after check() of the same rule
            return self._last[1]
        try:
            key = repr(expr)
        except RecursionError:
            key = None  # absurdly deep: the engine reports it, uncached
        self._last = (expr, key)
        return key

    def check(self, expr: object) -> list[RuleProblem]:
        key = self._key(expr)
        if key is None:
            return self.engine.check(expr)
        found = self._checked.get(key)
        if found is None:
            found = self._checked[key] = self.engine.check(expr)
        return list(found)

    def compile(self, expr: object) -> CompiledRule:
        key = self._key(expr)
        if key is None:
            return self.engine.compile(expr)
        rule = self._compiled.get(key)
        if rule is None:
            rule = self._compiled[key] = self.engine.compile(expr)
        return rule


def _folder_ids(root: Path, prev: BuildInputs | None, changed: list[Path] | None) -> frozenset[str]:
    """The ids of the matter folders (each is ``root/matters/<id>``); on a hot reload, the
    previous ones unless a changed path may add or remove a folder (listing 10,000 folders
    per keystroke is what we avoid)."""
    mroot = root / "matters"
    if prev is None or changed is None:
        return frozenset(p.name for p in matter_folders(root))
    for path in changed:
        try:
            parts = Path(path).relative_to(mroot).parts
        except ValueError:
            try:
                parts = Path(path).resolve().relative_to(mroot.resolve()).parts
            except ValueError:
                continue
        if len(parts) < 2 or parts[0] not in prev.folders or not (mroot / parts[0]).is_dir():
            return frozenset(p.name for p in matter_folders(root))
    return frozenset(prev.folders)


def _digest_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def _origin(root: Path, origin: str) -> str:
    """A rule module's origin as admins read it: root-relative path, or the package module."""
    try:
        return Path(origin).relative_to(root).as_posix()
    except ValueError:
        return origin


def _module_error(root: Path, path: Path, error: str) -> Diagnostic:
    """``/abs/rules/x.py:5: SyntaxError: …`` as a diagnostic at ``rules/x.py:5``."""
    rest = error.removeprefix(str(path))
    line = 0
    if rest[:1] == ":" and rest[1:].split(":", 1)[0].isdigit():
        number, rest = rest[1:].split(":", 1)
        line = int(number)
    return Diagnostic(
        _origin(root, str(path)),
        line,
        1 if line else 0,
        "",
        rest.removeprefix(":").strip(),
        "E-RULE-MODULE",
        "fix the Python module; see docs/rule-functions.md",
    )


def _engine_inputs(root: Path, cache: FileCache, region: str | None):
    diags: list[Diagnostic] = []
    functions = list(builtin_functions())
    for path in sorted((root / "rules").glob("*.py")) if (root / "rules").is_dir() else []:
        found, error = load_rule_module(path)
        if error:
            diags.append(_module_error(root, path, error))
        functions.extend(found)
    names: dict[str, str] = {}
    for f in functions:
        origin = _origin(root, f.origin)
        if f.name in names and names[f.name] != origin:
            diags.append(
                Diagnostic(
                    origin,
                    0,
                    0,
                    "",
                    f"rule function '{f.name}' is defined twice (also in {names[f.name]})",
                    "E-RULE-FUNCTION-DUPLICATE",
                    "rename one of them",
                )
            )
        names[f.name] = origin
    calendar, cal_diags = read_calendar(root, region)
    diags.extend(cal_diags)
    params = {}
    for src in read_shared_parameters(root, cache):
        diags.extend(src.diagnostics)
        if src.model is not None:
            params.update(src.model.parameters)
    try:
        engine = RuleEngine(functions, {"calendar": calendar})
    except ValueError as exc:
        diags.append(
            Diagnostic(
                "rules",
                0,
                0,
                "",
                str(exc),
                "E-RULE-FUNCTION-DUPLICATE",
                "a rule function may not take the name of a built-in operator",
            )
        )
        engine = RuleEngine(list(builtin_functions()), {"calendar": calendar})
    return engine, calendar, params, diags


def build_all(
    root: Path,
    cache: FileCache,
    region: str | None,
    prev: BuildInputs | None,
    changed: list[Path] | None,
) -> tuple[BuildInputs, Mapping[str, CompiledMatter], list[Diagnostic]]:
    rules_dir = root / "rules"
    engine_files = (
        [
            *rules_dir.glob("*.py"),
            *rules_dir.glob("params/*.yaml"),
            *rules_dir.glob("calendar/*.yaml"),
        ]
        if rules_dir.is_dir()
        else []
    )
    engine_digest = _digest_files(engine_files)
    full = prev is None or changed is None or prev.engine_digest != engine_digest
    cache.begin(full)
    lib_sources = read_library(root, cache)
    org, org_src = read_org(root, cache)
    lib_files = {s.rel: s.digest for s in lib_sources}
    if full or prev is None:
        engine, calendar, params, gdiags = _engine_inputs(root, cache, region)
    else:
        engine, calendar, gdiags = prev.engine, prev.calendar, prev.global_diags
        params = dict(prev.library.parameters)
    fields = {}
    lib_diags: list[Diagnostic] = list(read_site(root)[1])  # site.yaml: checked with the rest
    for s in lib_sources:
        lib_diags.extend(s.diagnostics)
        if s.model is not None:
            group = Path(s.rel).stem
            for name, f in s.model.fields.items():
                fields[f"{group}.{name}"] = (f, s.rel)
    library = Library(fields, params)
    inputs = BuildInputs(engine, calendar, library, engine_digest, lib_files, gdiags + lib_diags)

    ids = _folder_ids(root, None if full else prev, changed)
    mdir = root / "matters"
    if full or prev is None:
        todo = set(ids)
    else:
        inputs.folders = {k: v for k, v in prev.folders.items() if k in ids}
        inputs.compiled = {k: v for k, v in prev.compiled.items() if k in ids}
        inputs.diags = {k: v for k, v in prev.diags.items() if k in ids}
        inputs.uses = {k: v for k, v in prev.uses.items() if k in ids}
        todo = {i for i in ids if i not in prev.folders}
        if set(prev.folders) != set(ids):
            todo |= {i for i, f in inputs.folders.items() if f.kind == "bundle"}
        changed_lib = {
            Path(rel).stem for rel, d in lib_files.items() if prev.library_files.get(rel) != d
        }
        changed_lib |= {Path(rel).stem for rel in prev.library_files if rel not in lib_files}
        if changed_lib:
            todo |= {i for i, used in inputs.uses.items() if used & changed_lib}
        mroot = (root / "matters").resolve()
        for path in changed or []:
            try:
                rel = Path(path).resolve().relative_to(mroot)
            except ValueError:
                continue
            if rel.parts and rel.parts[0] in ids:
                todo.add(rel.parts[0])
    paths = {mid: mdir / mid for mid in sorted(todo)}
    memo = _MemoEngine(engine)
    mids = list(paths)
    fresh: set[str] = set()  # read (and compiled, if matters) during the parse
    compiled: set[str] = set()
    # the dicts keep the order they had when folders were read, then compiled, one after the
    # other (the site lists matters in it, checks report in it); ``ready`` fills them sooner
    had = {name: list(d) for name, d in _ordered(inputs).items()}

    def ready(indexes: list[int]) -> None:
        """Matters whose files a cold, parallel parse has finished: compiled while the workers
        parse the others (compiling is not parallel: compiled rules do not pickle)."""
        for i in indexes:
            mid = mids[i]
            folder = inputs.folders[mid] = read_folder(root, paths[mid], cache)
            fresh.add(mid)
            if folder.kind == "matter":
                _compile_matter(inputs, mid, ids, memo)
                compiled.add(mid)

    prefetch_folders(root, list(paths.values()), cache, ready)
    for mid, path in paths.items():
        if mid not in fresh:
            inputs.folders[mid] = read_folder(root, path, cache)
    cache.finish()
    inputs.folders = _in_order(inputs.folders, had["folders"], mids)
    matters_todo = sorted(i for i in todo if inputs.folders[i].kind == "matter")
    for mid in matters_todo:
        if mid not in compiled:
            _compile_matter(inputs, mid, ids, memo)
    inputs.compiled = _in_order(inputs.compiled, had["compiled"], matters_todo)
    inputs.diags = _in_order(inputs.diags, had["diags"], matters_todo)
    inputs.uses = _in_order(inputs.uses, had["uses"], matters_todo)
    if matters_todo:  # bundles built from a changed matter must follow it
        todo |= {i for i, f in inputs.folders.items() if f.kind == "bundle"}
    for mid in sorted(i for i in todo if inputs.folders[i].kind == "bundle"):
        _compile_bundle(inputs, mid, ids, memo)
    inputs.org = org
    diags = list(inputs.global_diags)
    for mid in sorted(inputs.diags):
        diags.extend(inputs.diags[mid])
    diags.extend(check_org(org, org_src, inputs.folders))  # over every folder: cheap
    diags.extend(horizon_warnings(inputs.folders.values(), inputs.calendar, date.today()))
    diags.extend(case_calendar_errors(inputs.folders.values(), inputs.calendar))
    diags.extend(case_param_errors(inputs.folders.values(), inputs.compiled))
    diags.extend(placeholder_warnings(inputs.folders.values()))  # E-PLACEHOLDER
    matters = {k: v for k, v in inputs.compiled.items() if v is not None}
    return inputs, matters, diags


def _ordered(inputs: BuildInputs) -> dict[str, dict[str, object]]:
    return {
        "folders": inputs.folders,
        "compiled": inputs.compiled,
        "diags": inputs.diags,
        "uses": inputs.uses,
    }


def _in_order(d: dict[str, V], first: list[str], then: list[str]) -> dict[str, V]:
    """``d`` in the order it gets when the keys ``first`` are there and ``then`` are set one by
    one (a key set again keeps its place)."""
    known = set(first)
    order = [*first, *(k for k in then if k not in known)]
    if len(order) != len(d) or any(k not in d for k in order):
        return d  # not built as assumed: leave it (order only, never content)
    return {k: d[k] for k in order}


def _compile_matter(
    inputs: BuildInputs, mid: str, ids: frozenset[str], engine: _MemoEngine
) -> None:
    folder = inputs.folders[mid]
    form = folder.model("form.yaml")
    used: set[str] = set()
    if form is not None:
        stack = [f for p in form.pages for f in p.fields]
        while stack:
            f = stack.pop()
            if f.use:
                used.add(f.use.split(".")[0])
            stack.extend(f.fields)
    inputs.uses[mid] = used
    # the version names everything the compiled rules came from, not only the folder: an edited
    # rules/*.py, parameter, calendar or used library file must give pinned cases a new version.
    # Computed before compiling and handed to the compiler (no second CompiledMatter per matter).
    h = hashlib.sha256(f"{folder.digest};{inputs.engine_digest};".encode())
    for rel in sorted(inputs.library_files):
        if _stem(rel) in used:
            h.update(f"{rel}={inputs.library_files[rel]};".encode())
    compiler = MatterCompiler(folder, inputs.library, engine, ids)  # type: ignore[arg-type]
    compiler.version = h.hexdigest()[:16]
    compiled, diags = compiler.run()
    inputs.compiled[mid] = compiled
    inputs.diags[mid] = diags


@functools.lru_cache(maxsize=4096)
def _stem(rel: str) -> str:
    """``Path(rel).stem``, remembered: asked for every library file by every matter."""
    return Path(rel).stem


def _compile_bundle(
    inputs: BuildInputs, mid: str, ids: frozenset[str], engine: _MemoEngine
) -> None:
    from yijian.load.bundles.build import compile_bundle

    folder = inputs.folders[mid]
    compiled, diags = compile_bundle(
        folder, inputs.compiled, inputs.library, engine, ids, sources=inputs.folders
    )
    inputs.compiled[mid] = compiled
    inputs.diags[mid] = diags
