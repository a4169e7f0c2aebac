"""The automatic 上传材料 step: one upload control per material no file field asks for."""

from __future__ import annotations

import re

from webtools import HTMX, start, with_markers

PROOF = "residence-proof"
PDF = b"%PDF-1.4\n" + b"0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
APPLICANT = {
    "applicant.name": "张三",
    "applicant.phone": "13800138000",
    "applicant.reason": "school",
}


def fill_applicant(client, draft_id: str, **extra: str):
    data = with_markers({**APPLICANT, **extra}, ("applicant.reason_other",))
    return client.post(f"/drafts/{draft_id}/applicant", data=data, follow_redirects=False)


def upload(client, draft_id: str, material: str, name: str, content: bytes, **kw):
    return client.post(
        f"/drafts/{draft_id}/_materials",
        data={"_action": f"upload:{material}"},
        files={f"material.{material}": (name, content, "application/octet-stream")},
        **kw,
    )


def test_step_follows_the_last_page_and_lists_only_what_the_citizen_provides(client):
    draft_id, first = start(client, PROOF)
    assert "第 1 步，共 3 步" in client.get(first).text  # 申请人信息, 上传材料, 核对并提交
    r = fill_applicant(client, draft_id)
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}/_materials"
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and '<h1 class="yj-heading-l">上传材料</h1>' in page.text
    assert "第 2 步，共 3 步" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'name="material.lease"' in page.text and 'name="material.photo"' in page.text
    assert 'name="material.id_card"' not in page.text  # 电子证照: fetched, never asked
    assert "须有出租人签名" in page.text  # the material's notes
    assert "支持 PDF、PNG 格式，单个文件不超过 1 MB" in page.text  # Material.upload
    assert 'accept=".pdf,.png"' in page.text
    photo = re.search(r'<div id="w-material-photo".*?</div>\s*</div>', page.text, re.S).group(0)
    assert "可容缺后补" in photo
    # the draft's page is remembered: resuming leads back here
    assert (
        client.get(f"/drafts/{draft_id}", follow_redirects=False)
        .headers["location"]
        .endswith("/_materials")
    )


def test_required_material_blocks_continue_and_the_optional_one_does_not(client, app):
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    r = client.post(f"/drafts/{draft_id}/_materials", data={"_action": "continue"})
    assert r.status_code == 200 and "yj-error-summary" in r.text
    assert "请上传房屋租赁合同" in r.text and "请上传近期免冠照片" not in r.text
    assert 'href="#f-material-lease"' in r.text
    r = upload(client, draft_id, "lease", "合同.pdf", PDF)
    assert "已上传：<strong>合同.pdf</strong>" in r.text and "删除此文件" in r.text
    r = client.post(
        f"/drafts/{draft_id}/_materials", data={"_action": "continue"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}/review"
    files = app.state.store.files.for_draft(draft_id)
    assert [(f.material_id, f.name, f.mime) for f in files] == [
        ("lease", "合同.pdf", "application/pdf")
    ]


def test_upload_limits_type_and_size_like_file_fields(client, app):
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    r = upload(client, draft_id, "lease", "合同.pdf", b"MZ\x90\x00not a pdf")
    assert "yj-error-summary" in r.text and "已上传" not in r.text
    r = upload(client, draft_id, "lease", "合同.jpg", b"\xff\xd8\xff" + b"0" * 32)  # not accepted
    assert "房屋租赁合同只能是 PDF、PNG 格式的文件" in r.text
    r = upload(client, draft_id, "lease", "big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    assert "房屋租赁合同不能超过 1 MB" in r.text
    assert app.state.store.files.for_draft(draft_id) == []  # nothing refused counts as uploaded


def test_replace_and_remove_without_js(client, app):
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    upload(client, draft_id, "lease", "旧.pdf", PDF)
    r = upload(client, draft_id, "lease", "新.png", PNG)
    assert "已上传：<strong>新.png</strong>" in r.text and "旧.pdf" not in r.text
    assert [f.name for f in app.state.store.files.for_draft(draft_id)] == ["新.png"]
    r = client.post(f"/drafts/{draft_id}/_materials", data={"_action": "remove-file:lease"})
    assert "已上传" not in r.text and 'name="material.lease"' in r.text
    assert app.state.store.files.for_draft(draft_id) == []
    # an unknown material id in the action is ignored
    r = client.post(f"/drafts/{draft_id}/_materials", data={"_action": "remove-file:id_card"})
    assert r.status_code == 200


def test_htmx_upload_and_remove_answer_with_the_material_block(client, app):
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    page = client.get(f"/drafts/{draft_id}/_materials").text
    assert f'hx-post="/drafts/{draft_id}/_materials?material=lease"' in page
    assert 'hx-encoding="multipart/form-data"' in page and 'hx-target="#w-material-lease"' in page
    r = client.post(
        f"/drafts/{draft_id}/_materials?material=lease",
        files={"material.lease": ("合同.pdf", PDF, "application/pdf")},
        headers=HTMX,
    )
    assert r.text.lstrip().startswith('<div id="w-material-lease"') and "<html" not in r.text
    assert "已上传：<strong>合同.pdf</strong>" in r.text
    r = client.post(
        f"/drafts/{draft_id}/_materials?material=lease",
        data={"_action": "remove-file:lease"},
        headers=HTMX,
    )
    assert 'name="material.lease"' in r.text and "已上传" not in r.text
    assert app.state.store.files.for_draft(draft_id) == []


def test_review_lists_uploads_and_submission_rechecks(client, app):
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    review = client.get(f"/drafts/{draft_id}/review").text
    assert "上传材料" in review and "可容缺后补" in review
    # a required material without a file: back to the step, its message shown there
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.headers["location"] == f"/drafts/{draft_id}/_materials?check=1&return=review"
    page = client.get(r.headers["location"]).text
    assert "请上传房屋租赁合同" in page and "返回核对页" in page
    assert app.state.store.drafts.get(draft_id).status == "open"
    upload(client, draft_id, "lease", "合同.pdf", PDF)
    review = client.get(f"/drafts/{draft_id}/review").text
    assert "合同.pdf" in review and "未上传（可容缺后补，受理后补交）" in review
    assert f"/drafts/{draft_id}/_materials?return=review#w-material-lease" in review
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")
    case = app.state.store.cases.get(app.state.store.drafts.get(draft_id).case_no)
    uploads = case.summary["uploads"]
    assert [(u["material_id"], u["name"]) for u in uploads] == [("lease", "合同.pdf")]
    assert len(uploads[0]["sha256"]) == 64


def test_no_step_when_every_material_has_a_field_or_is_fetched(client):
    draft_id, first = start(client, "birth-medical-certificate")
    assert "第 1 步，共 4 步" in client.get(first).text
    assert (
        client.get(f"/drafts/{draft_id}/_materials", follow_redirects=False)
        .headers["location"]
        .endswith("/review")
    )
