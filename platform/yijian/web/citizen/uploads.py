"""File uploads per material: size and type limits, through the store (content-addressed).

The type is sniffed from the content by the store, never trusted from the name; the field's
material says which types and how many MiB it accepts. The answer keeps a small reference
(sha256, name, size, type), so the review page, the summary and the case all see the upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile

from yijian.apply.materials import MIME_OF, accepted, file_answer
from yijian.compiled.matter import FieldSpec
from yijian.defs.matter import Material
from yijian.runtime.answers import get, put
from yijian.web.failures import store_failed

#: a file the store could not keep now (locked, read-only, full): nothing was stored
UPLOAD_NOT_SAVED = "{label}暂时没有保存成功，请稍后重新上传"


def store_upload(
    store: Any,
    upload: UploadFile,
    material: Material | None,
    label: str,
    owner_id: Any,
    draft_id: str,
    material_id: str,
) -> Any:
    """One posted file through the store: its ``FileRef``, or the message why it was refused.

    Shared by file fields and the automatic upload page, so both apply the same limits: the
    material's size cap (read no further than one byte past it) and its types, sniffed by the
    store from the content. A file the store kept but whose sniffed type the material does not
    accept is detached again, so it never counts as uploaded.
    """
    types, max_mb = accepted(material)
    upload.file.seek(0)
    data = upload.file.read(int(max_mb * 1024 * 1024) + 1)  # sync: runs in a worker thread
    if not data:
        return f"所选文件是空的，请重新选择{label}"
    if len(data) > max_mb * 1024 * 1024:
        return f"{label}不能超过 {max_mb:g} MB"
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:120]
    ref = store.files.put(data, name, owner_id, draft_id, material_id)
    if isinstance(ref, str):
        return ref
    allowed = set().union(*(MIME_OF.get(t.lower(), {t}) for t in types))
    if ref.mime not in allowed:
        store.files.remove(ref.id, draft_id)
        return f"{label}只能是 {'、'.join(t.upper() for t in types)} 格式的文件"
    return ref


@dataclass
class Taken:
    """What ``take_uploads`` did: messages by field, files added, files they replaced."""

    errors: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def take_uploads(
    store: Any,
    fields: list[FieldSpec],
    form: FormData,
    answers: dict[str, Any],
    materials: dict[str, Material],
    owner_id: Any,
    draft_id: str,
) -> Taken:
    """Store each posted file; answers get the reference, errors get a message per field.

    A new file replaces the field's previous one: its id is in ``replaced``, for the caller to
    remove once the answers naming the new file are saved (so 100 uploads to one field keep
    one file, not 100)."""
    taken = Taken()
    for f in fields:
        upload = form.get(f.key)
        if not isinstance(upload, UploadFile) or not upload.filename:
            continue
        material = materials.get(f.definition.material or "")
        try:
            ref = store_upload(
                store, upload, material, f.label, owner_id, draft_id, f.definition.material or f.key
            )
        except Exception as exc:
            if not store_failed(exc):
                raise
            ref = UPLOAD_NOT_SAVED.format(label=f.label)
        if isinstance(ref, str):
            taken.errors[f.key] = ref
            continue
        old = get(answers, f.key)
        if isinstance(old, dict) and isinstance(old.get("id"), str) and old["id"] != ref.id:
            taken.replaced.append(old["id"])
        put(answers, f.key, file_answer(ref))
        taken.added.append(ref.id)
    return taken
