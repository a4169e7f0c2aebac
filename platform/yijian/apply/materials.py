"""One set of materials (一套材料): which materials the automatic upload step asks for.

A material the citizen must provide (``Outcome.uploads``: 申请人自备, not passed along) is
uploaded through a ``file`` field when the form has one on a page the rules show; every other
such material is asked on one automatic "上传材料" step after the last form page, so nothing the
guide lists is left without a way to hand it in. The files live in the store's files table
(``material_id`` says which material), not in the answers: the table already links a person,
a draft and the content, and a file never mixes with what was typed.

Only pure decisions live here (no request, no template), shared by the pages, the progress
indicator, the check-your-answers page and submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yijian.compiled.matter import CompiledMatter, MaterialSpec
from yijian.defs.form import FieldType
from yijian.defs.matter import Material, Necessity
from yijian.runtime.evaluate import Outcome

#: The step's URL segment. Page ids start with a letter or digit, so it never hides a page.
MIME_OF = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "ofd": {"application/ofd", "application/zip"},
}


def accepted(material: Material | None) -> tuple[tuple[str, ...], float]:
    if material is None:
        return ("pdf", "jpg", "png"), 10.0
    return material.upload.types, material.upload.max_mb


def limits_text(material: Material | None) -> str:
    types, mb = accepted(material)
    return f"支持 {'、'.join(t.upper() for t in types)} 格式，单个文件不超过 {mb:g} MB"


def file_answer(ref: Any) -> dict[str, Any]:
    """The small reference an answer (or a summary) keeps of a stored file."""
    return {
        "id": getattr(ref, "id", None),
        "sha256": ref.sha256,
        "name": ref.name,
        "size": ref.size,
        "mime": ref.mime,
    }


UPLOAD_PAGE = "_materials"
TITLE = "上传材料"
INPUT_PREFIX = "material."  # posted file input: ``material.<material id>``


def field_materials(m: CompiledMatter, out: Outcome) -> set[str]:
    """Material ids a ``file`` field on a shown page (and shown itself) already uploads."""
    return {mid for page, key, mid in _file_fields(m) if page in out.pages and key in out.visible}


#: per matter version: (the matter, its file fields as (page id, shown field key, material))
_FILE_FIELDS: dict[int, tuple[CompiledMatter, tuple[tuple[str, str, str], ...]]] = {}


def _file_fields(m: CompiledMatter) -> tuple[tuple[str, str, str], ...]:
    """The file fields that upload a material, found once per matter version: walking every
    field twice per answer change grew with the form (bench_bigform, issue 14). A file field
    inside a group counts when its group is shown, as before."""
    hit = _FILE_FIELDS.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    found = []
    for page in m.pages:
        for f in page.fields:
            if f.type == FieldType.file and f.definition.material:
                found.append((page.id, f.key, f.definition.material))
            for c in f.children:
                if c.type == FieldType.file and c.definition.material:
                    found.append((page.id, f.key, c.definition.material))
    if len(_FILE_FIELDS) >= 256:  # old versions of edited matters: start again
        _FILE_FIELDS.clear()
    _FILE_FIELDS[id(m)] = (m, tuple(found))
    return tuple(found)


def pending(m: CompiledMatter, out: Outcome) -> list[MaterialSpec]:
    """The materials the upload step asks for, in the guide's order (empty: no such step)."""
    covered = field_materials(m, out)
    return [ms for ms in out.uploads if ms.material.id not in covered]


def has_step(m: CompiledMatter, out: Outcome) -> bool:
    return bool(pending(m, out))


def after_pages(m: CompiledMatter, out: Outcome) -> str:
    """Where "continue" on the last form page leads: the upload step, or check-your-answers."""
    return UPLOAD_PAGE if has_step(m, out) else "review"


def is_required(material: Material) -> bool:
    """必要 blocks submission; 容缺后补 may follow after acceptance (容缺受理)."""
    return material.necessity == Necessity.必要


def uploaded(store: Any, draft_id: str) -> dict[str, Any]:
    """The newest stored file per material id of this draft (file fields' uploads included)."""
    files: dict[str, Any] = {}
    for ref in store.files.for_draft(draft_id):  # oldest first: the newest one wins
        files[ref.material_id] = ref
    return files


def missing(specs: list[MaterialSpec], files: dict[str, Any]) -> dict[str, str]:
    """Required materials without a file: the message shown next to each, by material id."""
    return {
        ms.material.id: f"请上传{ms.material.name}"
        for ms in specs
        if is_required(ms.material) and ms.material.id not in files
    }


@dataclass
class MaterialItem:
    """What the template needs to draw one material's upload control."""

    material: Material
    file: Any = None  # FileRef or None
    error: str | None = None
    draft_id: str = ""

    @property
    def name(self) -> str:
        return INPUT_PREFIX + self.material.id

    @property
    def id(self) -> str:
        return "f-material-" + self.material.id

    @property
    def wrap_id(self) -> str:
        return "w-material-" + self.material.id

    @property
    def anchor(self) -> str:
        """Where the error summary links: the file input, or the block when a file is shown."""
        return self.id if self.file is None else self.wrap_id

    @property
    def required(self) -> bool:
        return is_required(self.material)

    @property
    def limits(self) -> str:
        return limits_text(self.material)

    @property
    def accept(self) -> str:
        exts = []
        for t in self.material.upload.types:
            exts += [f".{t}", ".jpeg"] if t == "jpg" else [f".{t}"]
        return ",".join(exts)

    @property
    def hx(self) -> dict[str, str]:
        """htmx: upload as soon as a file is chosen, answer with this material's block only."""
        return {
            "hx-post": f"/drafts/{self.draft_id}/{UPLOAD_PAGE}?material={self.material.id}",
            "hx-trigger": "change",
            "hx-target": f"#{self.wrap_id}",
            "hx-swap": "outerHTML",
            "hx-encoding": "multipart/form-data",
            "hx-include": f"#{self.wrap_id}",
        }

    @property
    def hx_remove(self) -> dict[str, str]:
        """The remove button posts its own ``_action`` value (htmx sends a named trigger's)."""
        return {**self.hx, "hx-trigger": "click"}


def items(
    specs: list[MaterialSpec], files: dict[str, Any], errors: dict[str, str], draft_id: str
) -> list[MaterialItem]:
    return [
        MaterialItem(ms.material, files.get(ms.material.id), errors.get(ms.material.id), draft_id)
        for ms in specs
    ]


def review_rows(specs: list[MaterialSpec], files: dict[str, Any], draft_id: str) -> list[dict]:
    """Check-your-answers rows: each material with the file handed in, or why it may wait."""
    rows = []
    for ms in specs:
        ref = files.get(ms.material.id)
        if ref is not None:
            value: Any = ref.name
        elif is_required(ms.material):
            value = None  # 未填写 → reads as missing; submission sends the citizen back
        else:
            value = "未上传（可容缺后补，受理后补交）"
        page = f"/drafts/{draft_id}/{UPLOAD_PAGE}?return=review"
        rows.append(
            {
                "key": ms.material.name,
                "value": value,
                "href": f"{page}#w-material-{ms.material.id}",
                "action": "修改" if ref is not None else "上传",
                "visually_hidden": ms.material.name,
            }
        )
    return rows


def summary_uploads(specs: list[MaterialSpec], files: dict[str, Any]) -> list[dict[str, Any]]:
    """The upload step's files as the case summary lists them (beside file fields' uploads)."""
    return [
        {"material_id": ms.material.id, "field": None, **file_answer(files[ms.material.id])}
        for ms in specs
        if ms.material.id in files
    ]
