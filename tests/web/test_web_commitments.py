"""告知承诺 in the browser: the check-your-answers page offers the box with the commitment's
text; ticking it saves the choice, the upload step no longer asks for the replaced material,
and the case records the commitment (the test matter accepts one instead of the lease)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_web_materials import PDF, PROOF, fill_applicant, upload
from webtools import BIRTH, FIXTURE, REPO, start

KEY = f"{PROOF}:lease"
COMMITMENT = """
commitments:
  - id: lease
    text: 本人承诺在本县有合法稳定住所，租赁关系真实有效。
    replaces: {materials: [lease]}
    check_after: 10
    check_department: 县公安局
"""


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    shutil.copytree(FIXTURE / "matters", root / "matters", dirs_exist_ok=True)
    shutil.copytree(REPO / "forms", root / "forms")
    shutil.copytree(REPO / "rules", root / "rules", ignore=shutil.ignore_patterns("org.yaml"))
    matter = root / "matters" / PROOF / "matter.yaml"
    matter.write_text(matter.read_text("utf-8") + COMMITMENT, "utf-8")
    return root


def test_the_guide_lists_the_material_as_committable(client) -> None:
    assert "可告知承诺" in client.get(f"/matters/{PROOF}").text


def test_ticking_the_box_replaces_the_material(client, app) -> None:
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    page = client.get(f"/drafts/{draft_id}/review").text
    assert 'name="commitment"' in page and f'value="{KEY}"' in page
    assert "本人承诺在本县有合法稳定住所" in page and "以承诺代替：房屋租赁合同" in page
    r = client.post(
        f"/drafts/{draft_id}/submit",
        data={"_action": "commitments", "commitment": KEY},
        follow_redirects=False,
    )
    assert (
        r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}/review#commitments"
    )
    assert "checked" in client.get(f"/drafts/{draft_id}/review").text.split(KEY)[1][:40]
    # the lease is no longer asked: continue on the upload step goes on without it
    r = client.post(
        f"/drafts/{draft_id}/_materials", data={"_action": "continue"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}/review"
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")
    case = app.state.store.cases.get(r.headers["location"].split("/")[2])
    (entry,) = case.summary["commitments"]
    assert (entry["id"], entry["via"]) == ("lease", "choice")
    assert "lease" not in [m["id"] for m in case.summary["materials"]]


def test_unticking_asks_for_the_material_again(client) -> None:
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    client.post(f"/drafts/{draft_id}/submit", data={"_action": "commitments", "commitment": KEY})
    client.post(f"/drafts/{draft_id}/submit", data={"_action": "commitments"})
    r = client.post(f"/drafts/{draft_id}/_materials", data={"_action": "continue"})
    assert r.status_code == 200 and "请上传房屋租赁合同" in r.text
    assert upload(client, draft_id, "lease", "合同.pdf", PDF).status_code == 200


def test_an_unknown_commitment_is_refused(client) -> None:
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    r = client.post(
        f"/drafts/{draft_id}/submit", data={"_action": "commitments", "commitment": "x:y"}
    )
    assert r.status_code == 400 and "没有可选择的告知承诺" in r.text
