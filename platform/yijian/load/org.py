"""Reading ``rules/org.yaml`` and checking every department and post the definitions name.

A root without the file has no organisation yet: nothing is checked against it (a county
starting out, and the test fixtures) and ``Org.defined`` is false. With it, every matter's
``department.name`` (and ``supervision.department``, which needs a ``webhook``, and each
commitment's ``check_department``), every
bundle's ``lead_department``, every routing step's ``department:``
(a department's name or one of its aliases) and ``role:`` (a post of some department) must
exist; centres must have a known region and accept known matters; ids are unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yijian.compiled.matter import CompiledMatter
from yijian.defs.org import Centre, Department, OrgDef
from yijian.load.checks import diagnostic_at, unknown_ref
from yijian.load.source import FileCache, FolderSource, SourceFile
from yijian.located.diagnostics import Diagnostic
from yijian.runtime.regions import RegionTable

__all__ = ["ORG_FILE", "Org", "check_org", "read_org"]

ORG_FILE = "rules/org.yaml"


@dataclass(frozen=True)
class Org:
    """The county's departments and centres, with the lookups the back office needs."""

    departments: tuple[Department, ...] = ()
    centres: tuple[Centre, ...] = ()
    defined: bool = False
    licence_types: tuple[Any, ...] = ()
    ratings: Any = None
    remedies: Any = None  # the county's default 权利救济 (defs.matter.Remedy)
    _names: dict[str, Department] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for d in self.departments:
            for name in (d.id, d.name, *d.aliases):
                self._names.setdefault(name, d)

    def digest(self) -> str:
        """A content hash of the organisation: part of the snapshot version, so an edit of
        rules/org.yaml alone shows as a new version in the reload log and `yijian check`."""
        parts = [d.model_dump_json() for d in self.departments]
        parts += [c.model_dump_json() for c in self.centres]
        parts += [t.model_dump_json() for t in self.licence_types]
        parts += [self.ratings.model_dump_json()] if self.ratings is not None else []
        parts += [self.remedies.model_dump_json()] if self.remedies is not None else []
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    def department(self, name_or_id: str | None) -> Department | None:
        return self._names.get(name_or_id or "")

    def department_of(self, matter: CompiledMatter) -> Department | None:
        """The department owning a matter (its 实施主体) or a bundle (its 牵头部门): the one
        whose queue, reviewers and notices the case belongs to. None when not defined here."""
        definition = matter.definition
        owner = getattr(definition, "department", None)
        name = getattr(owner, "name", None) or getattr(definition, "lead_department", None)
        return self.department(name)

    def licence_type(self, name: str | None) -> Any:
        """The e-licence type (its GB/T 36904 type code) a matter's result names, if defined."""
        return next((t for t in self.licence_types if t.name == name), None) if name else None

    def posts(self) -> dict[str, str]:
        """Post name → staff role, over every department."""
        return {p.name: p.role for d in self.departments for p in d.posts}

    def centre(self, centre_id: str) -> Centre | None:
        return next((c for c in self.centres if c.id == centre_id), None)

    def centres_for(self, region: str) -> list[Centre]:
        """Centres whose region holds ``region`` (a township centre holds its villages)."""
        return [c for c in self.centres if region.startswith(c.region) or c.region == region]

    @staticmethod
    def accepts(centre: Centre, matter_id: str) -> bool:
        return centre.accepts == "all" or matter_id in centre.accepts


def read_org(root: Path, cache: FileCache) -> tuple[Org, SourceFile | None]:
    path = root / ORG_FILE
    if not path.is_file():
        return Org(), None
    src = cache.read(root, path, OrgDef, ORG_FILE)
    model: Any = src.model
    if model is None:
        return Org(defined=True), src
    return (
        Org(
            model.departments, model.centres, True, model.licence_types, model.ratings,
            model.remedies,
        ),
        src,
    )  # fmt: skip


_DUP = "E-ORG-DUPLICATE"
#: How many digits a centre's region code has at each level (docs/staff.md: codes nest).
_DIGITS = {"county": 6, "township": 9, "village": 12}


def _duplicates(src: SourceFile, org: Org) -> list[Diagnostic]:
    out, seen = [], set()
    for kind, items in (("departments", org.departments), ("centres", org.centres)):
        for i, item in enumerate(items):
            if (kind, item.id) in seen:
                msg = f"{kind[:-1]} id '{item.id}' is used twice"
                out.append(diagnostic_at(src, (kind, i, "id"), msg, "E-ORG-DUPLICATE"))
            seen.add((kind, item.id))
    for i, c in enumerate(org.centres):
        names: set[str] = set()
        for j, w in enumerate(c.windows):
            if w.name in names:
                msg = f"window '{w.name}' is named twice in centre '{c.id}'"
                out.append(diagnostic_at(src, ("centres", i, "windows", j, "name"), msg, _DUP))
            names.add(w.name)
    # a post name shared by departments (分管负责人) must mean one staff role everywhere:
    # routing's `role:` names the post, not the department, so the role must not depend on it
    roles: dict[str, str] = {}
    for i, d in enumerate(org.departments):
        for j, p in enumerate(d.posts):
            if roles.setdefault(p.name, p.role) != p.role:
                was = roles[p.name]
                msg = f"post '{p.name}' has role {p.role} here but {was} in an earlier department"
                out.append(diagnostic_at(src, ("departments", i, "posts", j, "role"), msg, _DUP))
    return out


def _centres(src: SourceFile, org: Org, matter_ids: Iterable[str]) -> list[Diagnostic]:
    out, table, known = [], RegionTable.load(), sorted(matter_ids)
    posts = sorted(org.posts())
    for i, c in enumerate(org.centres):
        for j, w in enumerate(c.windows):
            if w.post is not None and w.post not in posts:
                loc = ("centres", i, "windows", j, "post")
                out.append(unknown_ref(src, loc, "post", w.post, posts, "E-ORG-ROLE"))
        if not table.is_valid(c.region[:6]):
            msg = f"unknown region code '{c.region}' (its first six digits are no known region)"
            out.append(diagnostic_at(src, ("centres", i, "region"), msg, "E-ORG-REGION"))
        elif len(c.region) != _DIGITS[c.level]:
            # a township centre on its county's code would take every township's cases
            msg = f"a {c.level} centre's region has {_DIGITS[c.level]} digits, not {len(c.region)}"
            out.append(diagnostic_at(src, ("centres", i, "region"), msg, "E-ORG-REGION"))
        for j, mid in enumerate(() if c.accepts == "all" else c.accepts):
            if mid not in known:
                loc = ("centres", i, "accepts", j)
                out.append(unknown_ref(src, loc, "matter", mid, known, "E-ORG-MATTER"))
    return out


def _matter_refs(folder: FolderSource, org: Org) -> list[Diagnostic]:
    out = []
    names = sorted({n for d in org.departments for n in (d.name, *d.aliases)})
    files = folder.files
    matter, bundle, routing = (
        files.get("matter.yaml"),
        files.get("bundle.yaml"),
        files.get("routing.yaml"),
    )
    if matter is not None and matter.model is not None:
        name = matter.model.department.name
        if org.department(name) is None:
            loc = ("department", "name")
            out.append(unknown_ref(matter, loc, "department", name, names, "E-ORG-DEPARTMENT"))
        out.extend(_supervision(matter, org, names))
        for i, c in enumerate(getattr(matter.model, "commitments", ())):
            if org.department(c.check_department) is None:
                loc, ref = ("commitments", i, "check_department"), c.check_department
                out.append(unknown_ref(matter, loc, "department", ref, names, "E-ORG-DEPARTMENT"))
    if bundle is not None and bundle.model is not None:
        lead = getattr(bundle.model, "lead_department", None)
        if lead and org.department(lead) is None:
            loc = ("lead_department",)
            out.append(unknown_ref(bundle, loc, "department", lead, names, "E-ORG-DEPARTMENT"))
    if routing is not None and routing.model is not None:
        posts = org.posts()
        for i, step in enumerate(routing.model.steps):
            if step.department and org.department(step.department) is None:
                loc, ref = ("steps", i, "department"), step.department
                code = "E-ORG-DEPARTMENT"
                out.append(unknown_ref(routing, loc, "department", ref, names, code))
            for j, joint in enumerate(step.departments):
                if org.department(joint) is None:
                    loc, code = ("steps", i, "departments", j), "E-ORG-DEPARTMENT"
                    out.append(unknown_ref(routing, loc, "department", joint, names, code))
            if step.role and step.role not in posts:
                loc, known = ("steps", i, "role"), sorted(posts)
                out.append(unknown_ref(routing, loc, "post", step.role, known, "E-ORG-ROLE"))
    return out


def _supervision(matter: SourceFile, org: Org, names: list[str]) -> list[Diagnostic]:
    """审管联动: the supervising department exists and says where its decisions go."""
    wanted = getattr(matter.model, "supervision", None)
    if wanted is None:
        return []
    found, loc = org.department(wanted.department), ("supervision", "department")
    if found is None:
        code = "E-ORG-DEPARTMENT"
        return [unknown_ref(matter, loc, "department", wanted.department, names, code)]
    if found.webhook is None:
        msg = f"department '{found.id}' supervises this matter but has no `webhook` in {ORG_FILE}"
        return [diagnostic_at(matter, loc, msg, "E-ORG-WEBHOOK")]
    return []


def check_org(
    org: Org, src: SourceFile | None, folders: Mapping[str, FolderSource]
) -> list[Diagnostic]:
    """Every problem of the organisation and of what the definitions name in it."""
    if src is None:
        return []
    if src.model is None:
        return list(src.diagnostics)
    out = _duplicates(src, org) + _centres(src, org, folders)
    for mid in sorted(folders):
        out.extend(_matter_refs(folders[mid], org))
    return out
