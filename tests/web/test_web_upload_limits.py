"""Uploads are bounded and served safely (issue 13, item 7).

Before: 100 uploads to one field left 100 rows and their bytes on disk while the answer kept
one; a removed file stayed on disk; a chunked body (no Content-Length) passed the 20 MB check
and was read in full; a PDF whose /OpenAction runs JavaScript was accepted and served inline.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from starlette.applications import Starlette
from webtools import RELIEF, sign_up, start

from yijian.store import files as files_module

PROOF = "residence-proof"
JS_PDF = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> "
    b">>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def png(i: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + i.to_bytes(4, "big") + b"\x00" * 64


def on_disk(app: Starlette) -> list[Path]:
    root = app.state.store.files.root
    return [p for p in root.rglob("*") if p.is_file()] if root.is_dir() else []


def upload_field(client, draft_id: str, content: bytes, name: str = "收入.png"):
    return client.post(
        f"/drafts/{draft_id}/upload",
        data={"_action": "upload:files.income_proof"},
        files={"files.income_proof": (name, content, "application/octet-stream")},
    )


def test_uploads_to_one_field_keep_one_file_and_a_removed_one_leaves_the_disk(client, app):
    draft_id, _ = start(client, RELIEF)
    for i in range(30):
        assert "已上传" in upload_field(client, draft_id, png(i)).text
    rows = app.state.store.files.for_draft(draft_id)
    assert len(rows) == 1 and len(on_disk(app)) == 1
    kept = app.state.store.drafts.get(draft_id).answers["files"]["income_proof"]
    assert rows[0].id == kept["id"] and on_disk(app)[0].read_bytes() == png(29)
    client.post(f"/drafts/{draft_id}/upload", data={"_action": "remove-file:files.income_proof"})
    assert app.state.store.files.for_draft(draft_id) == [] and on_disk(app) == []


def _to_upload_step(client) -> str:
    draft_id, _ = start(client, PROOF)
    client.post(
        f"/drafts/{draft_id}/applicant",
        data={
            "applicant.name": "张三",
            "applicant.phone": "13800138000",
            "applicant.reason": "school",
            "_f": ["applicant.name", "applicant.phone", "applicant.reason"],
        },
    )
    return draft_id


def upload_material(client, draft_id: str, material: str, content: bytes, name: str = "a.png"):
    return client.post(
        f"/drafts/{draft_id}/_materials",
        data={"_action": f"upload:{material}"},
        files={f"material.{material}": (name, content, "application/octet-stream")},
    )


def test_the_upload_step_deletes_replaced_and_removed_files(client, app):
    draft_id = _to_upload_step(client)
    upload_material(client, draft_id, "lease", png(1))
    upload_material(client, draft_id, "lease", png(2))
    assert [p.read_bytes() for p in on_disk(app)] == [png(2)]
    client.post(f"/drafts/{draft_id}/_materials", data={"_action": "remove-file:lease"})
    assert on_disk(app) == []


def test_a_draft_has_a_file_quota(client, app, monkeypatch):
    monkeypatch.setattr(files_module, "DRAFT_MAX_FILES", 1)
    draft_id = _to_upload_step(client)
    assert "已上传" in upload_material(client, draft_id, "lease", png(1)).text
    r = upload_material(client, draft_id, "photo", png(2))
    assert "yj-error-summary" in r.text and "已达上限，请先删除不需要的文件" in r.text
    assert len(app.state.store.files.for_draft(draft_id)) == 1


def test_a_pdf_that_runs_javascript_is_refused_inline(client, app):
    draft_id, _ = start(client, RELIEF)
    r = upload_field(client, draft_id, JS_PDF, "证明.pdf")
    assert "yj-error-summary" in r.text and "PDF 文件含有脚本" in r.text and "已上传" not in r.text
    draft_id = _to_upload_step(client)
    r = upload_material(client, draft_id, "lease", JS_PDF, "合同.pdf")
    assert "PDF 文件含有脚本" in r.text
    assert app.state.store.files.for_draft(draft_id) == [] and on_disk(app) == []


def test_uploads_are_served_as_attachments(client, app):
    sign_up(client, "王芳", "13900139000", "correct horse")
    draft_id, _ = start(client, RELIEF)
    upload_field(client, draft_id, png(7), "收入 证明.png")
    (ref,) = app.state.store.files.for_draft(draft_id)
    r = client.get(f"/files/{ref.id}")
    assert r.status_code == 200 and r.content == png(7)
    name = "%E6%94%B6%E5%85%A5%20%E8%AF%81%E6%98%8E.png"  # 收入 证明.png
    assert (
        r.headers["content-disposition"]
        == f"attachment; filename=upload.png; filename*=UTF-8''{name}"
    )
    assert r.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_is_cut_off_at_the_limit_as_it_streams(app):
    """Straight through ASGI, as a server hands a chunked body: no Content-Length, 64 KiB
    messages. The app must refuse once past the limit, without reading the rest."""
    limit = int(app.state.settings.max_upload_mb * 1024 * 1024)
    chunk = b"0" * 65536
    total = limit * 3
    sent = 0

    head = (
        b'--xyz\r\nContent-Disposition: form-data; name="files.income_proof"; '
        b'filename="a.png"\r\nContent-Type: image/png\r\n\r\n'
    )

    async def receive():
        nonlocal sent
        body = head if sent == 0 else chunk
        sent += len(body)
        return {"type": "http.request", "body": body, "more_body": sent < total}

    answer: dict = {}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/drafts/somedraft/applicant",
        "raw_path": b"/drafts/somedraft/applicant",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"sec-fetch-site", b"same-origin"),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("127.0.0.1", 1234),
        "server": ("testserver", 80),
        "state": {},
        "app": app,
    }
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # off any event loop an earlier test left running
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    assert answer["status"] == 413
    assert sent <= limit + len(chunk)  # read no further than the limit
