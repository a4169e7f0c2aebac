"""我的办件, case pages, receipt PDFs and files: only the owner gets them, everyone else 404."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from starlette.applications import Starlette
from starlette.exceptions import StarletteDeprecationWarning
from starlette.templating import Jinja2Templates

from yijian.documents import fonts
from yijian.store import FileRef, Store
from yijian.web.auth import COOKIE
from yijian.web.citizen.accounts import account_routes
from yijian.web.citizen.cases import case_routes
from yijian.web.citizen.correction import correction_routes
from yijian.web.citizen.licences import licence_routes
from yijian.web.citizen.rating import rating_routes
from yijian.web.citizen.supply import supply_routes

with warnings.catch_warnings():
    # Starlette 1.x asks for `httpx2`; the venv has httpx, which still works. Not ours to change.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


class FakeRegistry:
    """Just what the case routes read: names, first pages, members (no YAML needed)."""

    def __init__(self) -> None:
        birth = SimpleNamespace(id="birth", name="出生医学证明首次签发", members=())
        bundle = SimpleNamespace(
            id="newborn",
            name="新生儿出生一件事",
            pages=(SimpleNamespace(id="mother"),),
            members=(birth, SimpleNamespace(id="hukou", name="户口登记", members=())),
            materials=(),
            steps=(),
            definition=None,
        )
        self.current = SimpleNamespace(
            matter={"newborn": bundle, "birth": birth}.get, calendar=None
        )

    def version(self, matter_id: str, version: str) -> None:
        return None


@pytest.fixture
def world(tmp_path: Path):
    store = Store.open(tmp_path / "y.db")
    alice = store.users.create("13800138000", "h", "王芳")
    bob = store.users.create("13900139000", "h", "李雷")
    draft = store.drafts.create("newborn", "v1", alice.id)
    ref = store.files.put(JPEG, "mother-id.jpg", alice.id, draft.id, "mother_id_card")
    assert isinstance(ref, FileRef)
    answers = {"mother": {"name": "王芳", "id_number": "11010119900307123X"}}
    children = [
        {"matter_id": "birth", "version": "a", "summary": {}},
        {"matter_id": "hukou", "version": "b", "summary": {}},
    ]
    case = store.cases.submit(draft, answers, {}, "442000", children)
    open_draft = store.drafts.create("newborn", "v1", alice.id)
    store.drafts.save(open_draft.id, {}, None)
    app = Starlette(
        routes=[
            *account_routes(),
            *case_routes(),
            *correction_routes(),
            *supply_routes(),
            *rating_routes(),
            *licence_routes(),
        ]
    )
    app.state.store = store
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    app.state.registry = FakeRegistry()
    clients = {}
    for name, user in (("alice", alice), ("bob", bob)):
        client = TestClient(app)
        client.cookies.set(COOKIE, store.sessions.create(user.id))
        clients[name] = client
    clients["anon"] = TestClient(app)
    yield SimpleNamespace(store=store, case=case, file=ref, open_draft=open_draft, **clients)
    for client in clients.values():
        client.close()
    store.close()


def urls(w: SimpleNamespace) -> list[str]:
    no = w.case.case_no
    return [
        f"/cases/{no}",
        f"/cases/{no}-01",
        f"/cases/{no}/receipt.pdf",
        f"/cases/{no}/notices/1.pdf",
        f"/cases/{no}-01/notices/1.pdf",
        f"/cases/{no}/results/1.pdf",
        f"/cases/{no}-01/results/1.pdf",
        f"/cases/{no}/correct",
        f"/cases/{no}/supply",
        f"/files/{w.file.id}",
    ]


def test_other_account_and_anonymous_get_404(world: SimpleNamespace) -> None:
    for url in [*urls(world), "/cases/44200020990101000001", "/files/nope"]:
        assert world.bob.get(url).status_code == 404, url
        assert world.anon.get(url).status_code == 404, url
    no = world.case.case_no
    for url in (f"/cases/{no}/correct", f"/cases/{no}/supply", f"/cases/{no}/rate"):  # posts
        assert world.bob.post(url).status_code == 404, url
        assert world.anon.post(url).status_code == 404, url
    assert world.anon.get("/my", follow_redirects=False).status_code == 303
    assert world.anon.get("/licences", follow_redirects=False).status_code == 303


def test_owner_sees_my_cases(world: SimpleNamespace) -> None:
    page = world.alice.get("/my")
    assert page.status_code == 200
    text = page.text
    assert "我的办件" in text and "138****8000" in text and "13800138000" not in text
    assert f'href="/drafts/{world.open_draft.id}/mother"' in text and "继续填写" in text
    assert world.case.case_no in text and "新生儿出生一件事" in text
    assert "出生医学证明首次签发" in text and "户口登记" in text and "已提交" in text
    assert "11010119900307123X" not in text
    bob_page = world.bob.get("/my")
    assert world.case.case_no not in bob_page.text and "没有未提交的申请" in bob_page.text


def test_owner_sees_case_page_and_file(world: SimpleNamespace) -> None:
    page = world.alice.get(f"/cases/{world.case.case_no}")
    assert page.status_code == 200
    assert "申请已提交" in page.text and world.case.case_no in page.text
    assert f"/cases/{world.case.case_no}/receipt.pdf" in page.text
    sub = world.alice.get(f"/cases/{world.case.case_no}-02")
    assert sub.status_code == 200 and "户口登记" in sub.text
    f = world.alice.get(f"/files/{world.file.id}")
    assert f.status_code == 200 and f.content == JPEG
    assert f.headers["content-type"] == "image/jpeg"
    assert f.headers["x-content-type-options"] == "nosniff"


def test_case_page_says_who_handles_each_sub_case_and_by_when(world: SimpleNamespace) -> None:
    """The bundle names its 牵头部门 and overall promise; each sub-case its own department and
    promise, from its summary (an older summary without ``department``: its steps' departments),
    its number in one unbreakable piece."""
    store = world.store
    draft = store.drafts.create("newborn", "v1", store.users.by_phone("13800138000").id)
    steps = [{"id": "accept", "department": "县公安局"}, {"id": "issue", "department": "县公安局"}]
    children = [
        {
            "matter_id": "birth",
            "version": "a",
            "summary": {"department": "县卫生健康局", "promised_days": 0, "deadline": "2025-09-29"},
        },
        {
            "matter_id": "hukou",
            "version": "b",
            "summary": {"steps": steps, "promised_days": 2, "deadline": "2025-10-09"},
        },
    ]
    parent = {
        "kind": "bundle",
        "department": "县卫生健康局",
        "promised_days": 5,
        "promised_workdays": True,
        "deadline": "2025-10-10",
    }
    case = store.cases.submit(draft, {}, parent, "442000", children)
    text = world.alice.get(f"/cases/{case.case_no}").text
    assert "牵头部门" in text and "5 个工作日，2025 年 10 月 10 日前" in text
    items = re.findall(r'<li class="yj-subcase">(.*?)</li>', text, re.S)
    assert len(items) == 2
    assert f'<span class="yj-case-no">（{case.case_no}-01）</span>' in items[0]
    assert "办理部门：县卫生健康局" in items[0] and "承诺办结：当场办结" in items[0]
    assert "办理部门：县公安局<" in items[1]  # one department, named once
    assert "承诺办结：2 个工作日，2025 年 10 月 9 日前" in items[1]
    sub = world.alice.get(f"/cases/{case.case_no}-02").text
    assert "办理部门" in sub and "牵头部门" not in sub


def test_receipt_pdf(world: SimpleNamespace, tmp_path: Path) -> None:
    assert fonts._installed_families(), "no CJK font: apt-get install fonts-wqy-microhei"
    r = world.alice.get(f"/cases/{world.case.case_no}/receipt.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        pdf = tmp_path / "r.pdf"
        pdf.write_bytes(r.content)
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "收件凭证" in text and world.case.case_no in text and "新生儿出生一件事" in text
        assert "110101********123X" in text and "王芳" in text
        assert "11010119900307123X" not in text


def test_receipt_without_font_says_what_to_install(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "_installed_families", lambda: ())
    r = world.alice.get(f"/cases/{world.case.case_no}/receipt.pdf")
    assert r.status_code == 503
    assert "收件凭证暂时无法生成" in r.text and "apt-get install fonts-wqy-microhei" in r.text
    assert "No CJK font found" in r.text
