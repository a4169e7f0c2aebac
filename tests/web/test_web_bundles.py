"""The three 一件事 bundles end to end without JavaScript (issue 4).

Each journey takes a complete, eligible application from the bundle's own ``cases.yaml`` and
walks the merged form exactly as a citizen without JavaScript would: it reads every rendered
page for its input names, radio / checkbox values, the boolean encoding and the region
selects (pressing "更新下一级选项" to reveal the next level), posts the page and follows the
redirect to whichever page the rules show next, until the check-your-answers page. There it
checks the de-duplicated material list and each member's status, submits, and reads the one
case with its sub-cases back from the store, from 我的办件 and from the case page.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import webtools
import yaml
from starlette.applications import Starlette
from starlette.testclient import TestClient
from webtools import REPO

from yijian.compiled.matter import CompiledMatter
from yijian.runtime.regions import RegionTable

#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")

NEWBORN = "newborn-bundle"
RETIREMENT = "retirement-bundle"
RESTAURANT = "restaurant-bundle"
BUNDLES = (NEWBORN, RETIREMENT, RESTAURANT)
R1_MESSAGE = "该新生儿已签发过出生医学证明，首次签发不能重复办理；补发或换发请到原签发机构办理。"


# ---------------------------------------------------------------------------- definitions


def _members(bundle: str) -> list[str]:
    data = yaml.safe_load((REPO / "matters" / bundle / "bundle.yaml").read_text(encoding="utf-8"))
    return [str(x["matter"]) for x in data["matters"]]


@pytest.fixture
def web_root(tmp_path: Path) -> Path:
    """The three bundles and their members, with the library, rules and themes (overrides the
    conftest root, which holds only the birth example)."""
    root = tmp_path / "root"
    for name in {*BUNDLES, *(m for b in BUNDLES for m in _members(b))}:
        shutil.copytree(REPO / "matters" / name, root / "matters" / name)
    for name in ("forms", "rules", "themes"):
        shutil.copytree(REPO / name, root / name, ignore=PARTIAL)
    return root


def flatten(answers: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """cases.yaml answers (nested or dotted) as ``{dotted key: value}``."""
    flat: dict[str, Any] = {}
    for key, value in answers.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


def case_answers(bundle: str, name_starts: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(flat answers, expect) of the bundle's cases.yaml case whose name starts so."""
    text = (REPO / "matters" / bundle / "cases.yaml").read_text(encoding="utf-8")
    cases = yaml.safe_load(text)
    cases = cases["cases"] if isinstance(cases, dict) else cases
    case = next(c for c in cases if str(c["name"]).startswith(name_starts))
    answers = {k: _plain(v) for k, v in flatten(case["answers"]).items()}
    return answers, case["expect"]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def newborn_answers(name_starts: str = "1 满足") -> tuple[dict[str, Any], dict[str, Any]]:
    """A newborn case, with the child born two days ago: the 12-month limit R3 counts from the
    real today, which the web layer uses, not the case's ``context.today``."""
    answers, expect = case_answers(NEWBORN, name_starts)
    born = date.today() - timedelta(days=2)
    answers["child.birth_datetime"] = f"{born.isoformat()}T08:30"
    return answers, expect


# ---------------------------------------------------------------------------- reading pages


class FormReader(HTMLParser):
    """The controls of the one form posting to ``action``: markers, radios, checkboxes,
    selects (with their options) and text inputs, as a browser would submit them."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.markers: list[str] = []
        self.radios: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self.selects: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self.files: dict[str, str] = {}  # file input name → accept
        self.buttons: list[tuple[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "hidden" and name == "_f":
                self.markers.append(a.get("value", ""))
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(a.get("value", ""))
            elif kind == "file":
                self.files[name] = a.get("accept", "")
            elif kind not in ("hidden", "submit"):
                self.texts[name] = a.get("type", "text")
        elif tag == "textarea":
            self.texts[name] = "textarea"
        elif tag == "select":
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select is not None:
            self.selects[self._select].append(a.get("value", ""))
        elif tag == "button" and name:
            self.buttons.append((name, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


def read_form(html: str, action: str) -> FormReader:
    reader = FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posting to {action}"
    return reader


def error_summary(html: str) -> list[str]:
    box = re.search(r'class="yj-error-summary".*?</ul>', html, re.S)
    return re.findall(r"<a [^>]*>([^<]+)</a>", box.group(0)) if box else []


def fill(
    form: FormReader, answers: dict[str, Any], regions: RegionTable
) -> tuple[dict[str, Any], bool]:
    """What a citizen posts for the rendered fields; True when a region needs its next level
    revealed first (no JavaScript: the "更新下一级选项" button)."""
    data: dict[str, Any] = {"_f": list(form.markers)}
    refresh = False
    for key in form.markers:
        if key not in answers:
            continue  # not answered: posted empty, as a citizen skipping it would
        value = answers[key]
        if key in form.radios:
            encoded = {True: "true", False: "false"}.get(value, str(value))
            assert encoded in form.radios[key], (key, encoded, form.radios[key])
            data[key] = encoded
        elif key in form.checkboxes:
            wanted = ["true"] if value is True else [str(v) for v in value]
            assert set(wanted) <= set(form.checkboxes[key]), (key, wanted, form.checkboxes[key])
            data[key] = wanted
        elif f"{key}-1" in form.selects:
            chain = [r.code for r in regions.path(str(value))]
            for level, code in enumerate(chain, start=1):
                options = form.selects.get(f"{key}-{level}")
                if options is None:
                    refresh = True
                    break
                assert code in options, (key, level, code)
                data[f"{key}-{level}"] = code
        elif key in form.selects:
            assert str(value) in form.selects[key], (key, value, form.selects[key])
            data[key] = str(value)
        else:
            assert key in form.texts, f"no control for {key} on the page"
            data[key] = str(value)
    return data, refresh


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(form: FormReader) -> dict[str, tuple[str, bytes, str]] | None:
    """A small PDF for every file input of the page (the 上传材料 step)."""
    for accept in form.files.values():
        assert ".pdf" in accept, accept
    files = {name: (f"{name}.pdf", PDF, "application/pdf") for name in form.files}
    return files or None


def walk(
    client: TestClient,
    url: str,
    answers: dict[str, Any],
    regions: RegionTable,
    uploads: dict[str, list[str]] | None = None,
) -> list[str]:
    """Fill page after page from ``url`` until the review page, or until the page saying the
    application cannot go on (``_cannot-apply``); returns the page ids seen.

    A page comes back (200) when a region needs its next level ("更新下一级选项") or when the
    answers just posted revealed a follow-up question (without JavaScript a conditional
    field appears only after a post): the walker then
    fills the page again, as the citizen would (the new question comes without a message:
    the citizen had not seen it). Errors with no new field are a failure."""
    seen: list[str] = []
    uploads = {} if uploads is None else uploads
    while not url.endswith("/review") and "/_cannot-apply" not in url:
        draft_id, page_id = url.split("?")[0].split("/")[2:4]
        assert page_id not in seen, f"page {page_id} came back: {seen}"
        seen.append(page_id)
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        action = f"/drafts/{draft_id}/{page_id}"
        posted: set[str] | None = None  # the fields of the last "continue"
        for _ in range(6):
            form = read_form(r.text, action)
            data, refresh = fill(form, answers, regions)
            if refresh:
                assert ("_action", "refresh") in form.buttons
            elif posted is not None and posted >= set(form.markers):
                break  # the same fields with errors: a real error
            posted = None if refresh else set(form.markers)
            data["_action"] = "refresh" if refresh else "continue"
            uploads[page_id] = list(form.files)
            r = client.post(action, data=data, files=attach(form), follow_redirects=False)
            if r.status_code != 200:
                break
        assert r.status_code == 303, (page_id, error_summary(r.text))
        url = r.headers["location"]
    return seen


# ---------------------------------------------------------------------------- reading results


def materials(html: str) -> list[tuple[str, str]]:
    """(name, status) of each line of the material checklist."""
    return [
        (name.strip(), status)
        for status, name in re.findall(
            r'<li class="yj-material yj-material--(\w+)".*?<p class="yj-material__name">([^<]+)',
            html,
            re.S,
        )
    ]


def member_rows(html: str) -> dict[str, tuple[bool, list[str]]]:
    """{member name: (符合条件?, reasons)} from the first eligibility banner on the page."""
    box = re.search(r'<ul class="yj-member-status">(.*?)</ul>', html, re.S)
    assert box, "no member status in the banner"
    rows = {}
    for item in re.findall(r"<li (.*?)</li>", box.group(1), re.S):
        name = re.search(r'yj-member-status__name">([^<]+)<', item)
        assert name
        ok = "符合条件" in item
        reasons = re.findall(r'yj-member-status__reason">([^<]+)<', item)
        rows[name.group(1)] = (ok, reasons)
    return rows


def bundle_of(app: Starlette, bundle: str) -> CompiledMatter:
    m = app.state.registry.current.matter(bundle)
    assert m is not None, app.state.registry.last_errors
    return m


def expected_materials(m: CompiledMatter, ids: list[str]) -> dict[str, str]:
    """{name: checklist status} for the material ids: passed along or fetched → 免提交."""
    by_id = {ms.material.id: ms for ms in m.materials}
    out = {}
    for mid in ids:
        ms = by_id[mid]
        asked = ms.material.source.value == "申请人自备" and ms.passed_from is None
        out[ms.material.name] = "required" if asked else "exempt"
    return out


def sign_up(client: TestClient, phone: str) -> None:
    r = webtools.sign_up(client, "王芳", phone, "correct horse")
    assert r.status_code == 303, r.text


def sign_in(client: TestClient, phone: str) -> None:
    r = client.post(
        "/signin", data={"phone": phone, "password": "correct horse"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/my"


def start_bundle(client: TestClient, bundle: str) -> tuple[str, str]:
    r = client.post(f"/apply/{bundle}", follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    return url.split("/")[2], url


def submit(client: TestClient, draft_id: str) -> str:
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303, (r.status_code, error_summary(r.text))
    location = r.headers["location"]
    assert location.startswith("/cases/"), location
    return location.removeprefix("/cases/")


def assert_case(app: Starlette, bundle: str, case_no: str, matters: list[str]) -> None:
    """One case of the bundle, pinned to its version, with one sub-case per member going
    ahead, in bundle order, each pinned to that member's version."""
    m = bundle_of(app, bundle)
    case = app.state.store.cases.get(case_no)
    assert case is not None and case.parent_case_no is None
    assert case.matter_id == bundle and case.version == m.version
    order = [x.id for x in m.members]  # sub-cases in bundle order (cases.yaml lists a set)
    assert [c.matter_id for c in case.children] == sorted(matters, key=order.index)
    versions = {x.id: x.version for x in m.members}
    for i, child in enumerate(case.children, start=1):
        assert child.case_no == f"{case_no}-{i:02d}" and child.parent_case_no == case_no
        assert child.version == versions[child.matter_id]
        assert child.version == m.extra["members"][child.matter_id]["version"]
        assert child.summary["matter_id"] == child.matter_id
        assert child.summary["version"] == child.version
    assert case.summary["eligible"] is True


def assert_case_pages(app: Starlette, client: TestClient, case_no: str, bundle: str) -> None:
    """The case page lists every sub-case with its number (never broken: .yj-case-no), its
    state, its department and promised deadline; the case itself names the lead department
    and the bundle's overall promise."""
    m = bundle_of(app, bundle)
    case = app.state.store.cases.get(case_no)
    names = {x.id: x.name for x in m.members}
    page = client.get(f"/cases/{case_no}")
    assert page.status_code == 200 and "申请已提交" in page.text and m.name in page.text
    assert "包含的事项" in page.text
    listed = re.findall(
        r'yj-subcase__name">([^<]+)</span><span class="yj-case-no">（(\d{20}-\d{2})）', page.text
    )
    assert listed == [(names[c.matter_id], c.case_no) for c in case.children]
    assert page.text.count("已提交") >= len(case.children) + 1
    key_value = r'__key">([^<]+)</dt>\s*<dd class="yj-summary-list__value">\s*([^<]+?)\s*<'
    rows = dict(re.findall(key_value, page.text))
    assert rows["牵头部门"] == m.extra["lead_department"]
    assert rows["承诺办结"].startswith(f"{case.summary['promised_days']} 个工作日")
    items = re.findall(r'<li class="yj-subcase">(.*?)</li>', page.text, re.S)
    assert len(items) == len(case.children)
    for child, item in zip(case.children, items, strict=True):
        member = next(x for x in m.members if x.id == child.matter_id)
        assert f"办理部门：{member.definition.department.name}" in item, item
        days = child.summary["promised_days"]
        assert ("承诺办结：当场办结" if days == 0 else f"承诺办结：{days} 个工作日") in item


# ---------------------------------------------------------------------------- journeys


JOURNEYS = {
    NEWBORN: "1 满足",
    RETIREMENT: "正常退休、已达龄",
    RESTAURANT: "完整申请",
}


@pytest.mark.parametrize("bundle", BUNDLES)
def test_bundle_filled_page_by_page_becomes_one_case_with_sub_cases(
    bundle: str, app: Starlette, client: TestClient
) -> None:
    if bundle == NEWBORN:
        answers, expect = newborn_answers(JOURNEYS[bundle])
    else:
        answers, expect = case_answers(bundle, JOURNEYS[bundle])
    m = bundle_of(app, bundle)
    phone = {NEWBORN: "13900139001", RETIREMENT: "13900139002", RESTAURANT: "13900139003"}[bundle]
    sign_up(client, phone)
    client.cookies.clear()  # signed out …
    sign_in(client, phone)  # … and in again through the real route

    draft_id, first = start_bundle(client, bundle)
    uploads: dict[str, list[str]] = {}
    seen = walk(client, first, answers, app.state.regions, uploads)
    # the bundle's own questions first; a member page only for members that go ahead
    assert seen[0] == m.pages[0].id
    member_pages = {p.id: p.matter for p in m.pages if p.matter}
    assert {member_pages[p] for p in seen if p in member_pages} <= set(expect["matters"])

    review = client.get(f"/drafts/{draft_id}/review")
    assert review.status_code == 200 and "核对您的申请" in review.text
    # every member going ahead is shown as 符合条件, and only those
    rows = member_rows(review.text)
    going = {m.extra["members"][mid]["name"] for mid in expect["matters"]}
    assert set(rows) == going, rows
    assert all(ok and not reasons for ok, reasons in rows.values()), rows
    # one set of materials: each listed once; passed along / fetched ones not asked
    listed = materials(review.text)
    assert len(listed) == len({n for n, _ in listed}), listed
    if "materials" in expect:
        want = expected_materials(m, expect["materials"])
        assert {n for n, _ in listed} == set(want)
        assert {n for n, s in listed if s == "exempt"} == {
            n for n, s in want.items() if s == "exempt"
        }
    passed = {ms.material.name for ms in m.materials if ms.passed_from}
    for name, status in listed:
        if name in passed:
            assert status == "exempt", (name, status)
    if "uploads" in expect:
        # one upload control per material the citizen provides, exactly those of cases.yaml,
        # each once however many members ask for it; after uploading, the list says so
        assert sum(len(names) for names in uploads.values()) == len(expect["uploads"]), uploads
        stored = sorted(f.material_id for f in app.state.store.files.for_draft(draft_id))
        assert stored == sorted(expect["uploads"])
        wanted = set(expected_materials(m, expect["uploads"]))
        assert {n for n, s in listed if s != "exempt"} == wanted
        assert {s for n, s in listed if n in wanted} <= {"uploaded"}
    assert '<form method="post" action="/drafts/' + draft_id + '/submit"' in review.text

    case_no = submit(client, draft_id)
    assert_case(app, bundle, case_no, expect["matters"])
    assert_case_pages(app, client, case_no, bundle)

    my = client.get("/my")
    assert my.status_code == 200
    assert my.text.count(f"/cases/{case_no}") == 1  # one case, not one per member
    item = re.search(rf'<a href="/cases/{case_no}">.*?</li>\s*</ul>', my.text, re.S)
    assert item, my.text
    member_names = {x.id: x.name for x in m.members}
    subs = re.findall(r"<li>([^：<]+)：<strong[^>]*>([^<]+)</strong>", item.group(0))
    order = [x.id for x in m.members]
    going_ids = sorted(expect["matters"], key=order.index)
    assert subs == [(member_names[mid], "已提交") for mid in going_ids], subs
    # a double submit is the same case
    again = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert again.headers["location"] == f"/cases/{case_no}"
    assert len(app.state.store.cases.for_owner(app.state.store.cases.get(case_no).owner_id)) == 1


def test_optional_members_ticked_on_and_off(app: Starlette, client: TestClient) -> None:
    """新生儿: both options ticked add their pages, material and sub-cases; unticking one from
    the review page removes its page and sub-case again; an option whose own rule fails (R7,
    no bank card) is shown as 暂不符合 with its reason and the rest still goes ahead."""
    answers, expect = newborn_answers("可选事项全部勾选")
    m = bundle_of(app, NEWBORN)
    draft_id, first = start_bundle(client, NEWBORN)
    seen = walk(client, first, answers, app.state.regions)
    assert "maternity-medical-reimbursement.bank" in seen
    assert "parenting-guidance.guidance" in seen
    review = client.get(f"/drafts/{draft_id}/review")
    rows = member_rows(review.text)
    shown = {x.id: m.extra["members"][x.id] for x in m.members}
    assert len(rows) == 7 and all(ok for ok, _ in rows.values()), rows
    listed = materials(review.text)
    assert dict(listed) == expected_materials(m, expect["materials"]) and len(listed) == 9
    assert "6222021001115678804" in review.text

    # untick 科学育儿指导 through the change link of the review page
    link = f"/drafts/{draft_id}/bundle-optional?return=review"
    assert link in review.text
    page = client.get(link)
    form = read_form(page.text, f"/drafts/{draft_id}/bundle-optional")
    assert form.checkboxes["bundle.optional"] == [
        "maternity-medical-reimbursement",
        "parenting-guidance",
        "resident-medical-insurance-payment",
    ]
    r = client.post(
        f"/drafts/{draft_id}/bundle-optional",
        data={
            "_f": ["bundle.optional"],
            "bundle.optional": ["maternity-medical-reimbursement"],
            "_return": "review",
            "_action": "continue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("/review")
    review = client.get(r.headers["location"])
    rows = member_rows(review.text)
    assert shown["parenting-guidance"]["name"] not in rows and len(rows) == 6
    assert "石岐社区卫生服务中心" not in review.text  # its question is no longer asked
    # the hidden member page is skipped when asked for directly
    r = client.get(f"/drafts/{draft_id}/parenting-guidance.guidance", follow_redirects=False)
    assert r.status_code == 303 and "parenting-guidance" not in r.headers["location"]

    # clear the bank card: R7 fails for 生育医疗费用报销 only
    bank = read_form(
        client.get(f"/drafts/{draft_id}/maternity-medical-reimbursement.bank").text,
        f"/drafts/{draft_id}/maternity-medical-reimbursement.bank",
    )
    r = client.post(
        f"/drafts/{draft_id}/maternity-medical-reimbursement.bank",
        data={"_f": bank.markers, "_action": "continue", "_return": "review"},
        follow_redirects=False,
    )
    assert r.status_code == 303, error_summary(r.text)
    review = client.get(f"/drafts/{draft_id}/review")
    rows = member_rows(review.text)
    maternity = shown["maternity-medical-reimbursement"]["name"]
    ok, reasons = rows[maternity]
    assert not ok and reasons, rows[maternity]
    assert "部分事项暂不符合条件" in review.text
    assert "产妇本人银行卡信息" not in dict(materials(review.text))

    case_no = submit(client, draft_id)
    assert_case(app, NEWBORN, case_no, expect["matters"][:5])


def test_optional_member_ticked_on_adds_a_sub_case(app: Starlette, client: TestClient) -> None:
    """退休: the optional 医保视同缴费年限核定 ticked on the first page joins as a sub-case."""
    answers, expect = case_answers(RETIREMENT, "有视同缴费年限并勾选医保核定")
    draft_id, first = start_bundle(client, RETIREMENT)
    walk(client, first, answers, app.state.regions)
    rows = member_rows(client.get(f"/drafts/{draft_id}/review").text)
    assert len(rows) == len(expect["matters"]) and all(ok for ok, _ in rows.values())
    case_no = submit(client, draft_id)
    assert_case(app, RETIREMENT, case_no, expect["matters"])


def refused_newborn(client: TestClient, app: Starlette) -> tuple[str, Any]:
    answers, _ = newborn_answers()
    answers["child.has_certificate"] = True  # R1 of the required 出生医学证明 fails
    draft_id, first = start_bundle(client, NEWBORN)
    seen = walk(client, first, answers, app.state.regions)
    assert seen[-1] == "birth-medical-certificate.child"  # stopped where R1 is answered
    review = client.get(f"/drafts/{draft_id}/review")  # reached by its address all the same
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    return draft_id, (review, r)


def test_required_member_failing_refuses_the_bundle(app: Starlette, client: TestClient) -> None:
    draft_id, (review, r) = refused_newborn(client, app)
    m = bundle_of(app, NEWBORN)
    name = m.extra["members"]["birth-medical-certificate"]["name"]
    # the review explains: which member, and why; no submit button
    assert "暂不符合申请条件" in review.text
    ok, reasons = member_rows(review.text)[name]
    assert not ok and reasons == [R1_MESSAGE]
    assert f'action="/drafts/{draft_id}/submit"' not in review.text
    # posting anyway is refused with 422, nothing stored
    assert r.status_code == 422 and "申请未提交" in r.text
    draft = app.state.store.drafts.get(draft_id)
    assert draft.status == "open" and not draft.case_no


def test_refused_bundle_submit_names_the_failing_member_and_reason(
    app: Starlette, client: TestClient
) -> None:
    _, (_, r) = refused_newborn(client, app)
    assert r.status_code == 422 and "申请未提交" in r.text
    # the same member rows as the live banner: the failing one with its rule's message
    name = bundle_of(app, NEWBORN).extra["members"]["birth-medical-certificate"]["name"]
    rows = member_rows(r.text)
    assert rows[name] == (False, [R1_MESSAGE])
    assert all(ok for n, (ok, _) in rows.items() if n != name), rows


def test_refused_restaurant_without_food_items(app: Starlette, client: TestClient) -> None:
    """开办餐饮店: all five menu answers "否" → the required food licence fails → refused."""
    answers, _ = case_answers(RESTAURANT, "完整申请")
    for key in ("hot_dishes", "cold_dishes", "raw_food", "fresh_drinks", "pastry"):
        answers[f"menu.{key}"] = False
    draft_id, first = start_bundle(client, RESTAURANT)
    walk(client, first, answers, app.state.regions)
    review = client.get(f"/drafts/{draft_id}/review")
    m = bundle_of(app, RESTAURANT)
    ok, reasons = member_rows(review.text)[m.extra["members"]["food-business-licence"]["name"]]
    assert not ok and reasons
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 422
    assert app.state.store.drafts.get(draft_id).status == "open"


def test_passed_along_material_says_where_it_comes_from(app: Starlette, client: TestClient) -> None:
    answers, _ = newborn_answers()
    draft_id, first = start_bundle(client, NEWBORN)
    walk(client, first, answers, app.state.regions)
    review = client.get(f"/drafts/{draft_id}/review").text
    line = re.search(r'yj-material__name">出生医学证明\s.*?</li>', review, re.S)
    assert line and "由“出生医学证明首次签发”办结后自动流转" in line.group(0)
    assert "可调取" not in line.group(0)  # not yet issued: nothing to fetch when applying


def test_material_list_tags_only_what_is_asked(app: Starlette, client: TestClient) -> None:
    """免提交 (grey) for what is fetched, shared or passed along, never a red 必要 beside it;
    必要 / 可容缺后补 only on what the citizen hands in. Same list on a form page's aside."""
    answers, _ = case_answers(RESTAURANT, "完整申请")
    draft_id, first = start_bundle(client, RESTAURANT)
    seen = walk(client, first, answers, app.state.regions)
    review = client.get(f"/drafts/{draft_id}/review").text
    aside = client.get(f"/drafts/{draft_id}/{seen[-1]}").text
    for html in (review, aside):
        items = re.findall(r'<li class="yj-material yj-material--(\w+)".*?</li>', html, re.S)
        lines = re.findall(r'(<li class="yj-material yj-material--\w+".*?</li>)', html, re.S)
        assert "exempt" in items and set(items) - {"exempt"}, items
        for status, line in zip(items, lines, strict=True):
            tags = re.findall(r'class="yj-tag yj-tag--(\w+)">([^<]+)<', line)
            if status == "exempt":
                assert tags == [("grey", "免提交")], line
            else:
                assert tags and tags[0] in (("red", "必要"), ("yellow", "可容缺后补")), line


def test_question_revealed_without_js_is_not_flagged_before_it_was_shown(
    app: Starlette, client: TestClient
) -> None:
    answers, _ = newborn_answers("可选事项全部勾选")
    del answers["mother.bank_card"]
    draft_id, first = start_bundle(client, NEWBORN)
    walk(client, first, answers, app.state.regions)
    action = f"/drafts/{draft_id}/maternity-medical-reimbursement.bank"
    form = read_form(client.get(action).text, action)
    assert form.markers == ["mother.bank_card"]  # 开户银行 is not asked yet
    r = client.post(
        action,
        data={"_f": form.markers, "mother.bank_card": "6222021001115678804", "_action": "continue"},
        follow_redirects=False,
    )
    assert r.status_code == 200  # the page again, now with 开户银行 …
    assert "mother.bank_name" in read_form(r.text, action).markers
    assert error_summary(r.text) == []  # … but not as an error: it was never shown
    assert REVEALED in r.text and "错误：" not in r.text.split("</title>")[0]
    assert "autofocus" not in r.text  # nothing grabs the focus: the page reads from the top
    assert "请填写开户银行" not in r.text
    # posted again without an answer, the question has been seen: now it is an error
    form = read_form(r.text, action)
    r = client.post(
        action,
        data={"_f": form.markers, "mother.bank_card": "6222021001115678804", "_action": "continue"},
        follow_redirects=False,
    )
    assert r.status_code == 200 and error_summary(r.text) == ["请填写开户银行"]
    assert REVEALED not in r.text
    r = client.post(
        action,
        data={
            "_f": form.markers,
            "mother.bank_card": "6222021001115678804",
            "mother.bank_name": "中国工商银行",
            "_action": "continue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303


REVEALED = "根据您的回答，请补充填写以下新出现的问题。"


def bank_page(app: Starlette, client: TestClient) -> tuple[str, str]:
    """A newborn draft with 生育医疗费用报销 ticked, walked to the end without a bank card:
    (draft id, the bank page's URL), 开户银行 not shown there yet."""
    answers, _ = newborn_answers("可选事项全部勾选")
    del answers["mother.bank_card"]
    draft_id, first = start_bundle(client, NEWBORN)
    walk(client, first, answers, app.state.regions)
    return draft_id, f"/drafts/{draft_id}/maternity-medical-reimbursement.bank"


def test_revealed_question_beside_a_real_error_is_still_not_flagged(
    app: Starlette, client: TestClient
) -> None:
    """A wrong card number is an error as ever; the 开户银行 it reveals is not one yet."""
    _, action = bank_page(app, client)
    r = client.post(
        action,
        data={"_f": ["mother.bank_card"], "mother.bank_card": "123", "_action": "continue"},
        follow_redirects=False,
    )
    assert r.status_code == 200
    summary = error_summary(r.text)
    assert len(summary) == 1 and "银行卡号" in summary[0], summary
    assert REVEALED in r.text and "请填写开户银行" not in r.text


def test_question_shown_live_before_the_post_is_flagged(app: Starlette, client: TestClient) -> None:
    """With JavaScript the card is saved as it is typed and 开户银行 appears at once: posting
    the page without answering it is an error, even from a page that lacks its marker."""
    _, action = bank_page(app, client)
    r = client.post(
        f"{action}/change?field=mother.bank_card",
        data={"mother.bank_card": "6222021001115678804"},
        headers={"sec-fetch-site": "same-origin", "hx-request": "true"},
    )
    assert r.status_code == 200 and 'name="mother.bank_name"' in r.text
    r = client.post(
        action,
        data={
            "_f": ["mother.bank_card"],
            "mother.bank_card": "6222021001115678804",
            "_action": "continue",
        },
        follow_redirects=False,
    )
    assert r.status_code == 200 and error_summary(r.text) == ["请填写开户银行"]
    assert REVEALED not in r.text


def test_commitment_revealed_by_choosing_it_without_js(app: Starlette, client: TestClient) -> None:
    """开办餐饮店: choosing 告知承诺 reveals the 承诺 to tick; it comes back unflagged, then
    is required like any question the citizen has seen."""
    answers, _ = case_answers(RESTAURANT, "完整申请")
    answers["fire.commitment"] = "现场检查"
    answers.pop("fire.commitment_signed", None)
    draft_id, first = start_bundle(client, RESTAURANT)
    seen = walk(client, first, answers, app.state.regions)
    page_id = next(p for p in seen if p.endswith(".fire"))
    action = f"/drafts/{draft_id}/{page_id}"
    form = read_form(client.get(action).text, action)
    assert form.markers == ["fire.commitment"]
    posted = {"_f": form.markers, "fire.commitment": "告知承诺", "_action": "continue"}
    r = client.post(action, data=posted, follow_redirects=False)
    assert r.status_code == 200 and error_summary(r.text) == [] and REVEALED in r.text
    form = read_form(r.text, action)
    assert "fire.commitment_signed" in form.markers
    r = client.post(action, data={**posted, "_f": form.markers}, follow_redirects=False)
    assert r.status_code == 200 and error_summary(r.text) == ["请阅读并勾选承诺"]
    ticked = {**posted, "_f": form.markers, "fire.commitment_signed": "true"}
    assert client.post(action, data=ticked, follow_redirects=False).status_code == 303
