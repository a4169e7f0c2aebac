"""长辈版: a page with several questions is shown one question per screen (web/questions.py).

Every client here carries the theme cookie ``yj_theme=elder`` except where a test switches.
The standard theme's whole pages are covered, untouched, by test_web_forms.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from webtools import BIRTH, BIRTH_PAGES, HTMX, RELIEF, start, with_markers

from yijian.web.citizen.questions import screens

ELDER = "elder"


@pytest.fixture
def elder(client: Any) -> Any:
    client.cookies.set("yj_theme", ELDER)
    return client


def summary_links(html: str) -> list[str]:
    box = re.search(r'class="yj-error-summary".*?</ul>', html, re.S)
    return re.findall(r'href="#([^"]+)"', box.group(0)) if box else []


def caption(html: str) -> str:
    found = re.search(r'class="yj-steps__caption">([^<]*)<', html)
    return found.group(1) if found else ""


def asked(html: str) -> str | None:
    """The question a screen shows (its ``_q``); None on a whole page."""
    found = re.search(r'name="_q" value="([^"]*)"', html)
    return found.group(1) if found else None


def markers(html: str) -> list[str]:
    return re.findall(r'name="_f" value="([^"]*)"', html)


def back_link(html: str) -> str:
    return re.search(r'<a href="([^"]*)" class="yj-back-link"', html).group(1)


def answer(
    client: Any, draft_id: str, page: str, q: int, key: str, values: dict[str, str], **extra: str
) -> Any:
    """Post one question's screen as its form does: its inputs, its ``_f`` marker and ``_q``."""
    data: dict[str, Any] = {
        k: v for k, v in values.items() if k == key or k.startswith((key + "-", key + "."))
    }
    data.update({"_q": key, "_f": key, **extra})
    return client.post(f"/drafts/{draft_id}/{page}?q={q}", data=data, follow_redirects=False)


def walk(client: Any, url: str, values: dict[str, str]) -> str:
    """Answer screen after screen from ``values`` until the page is left; where it led."""
    page = url.split("?")[0]
    for _ in range(40):
        if url.split("?")[0] != page:
            return url
        html = client.get(url).text
        key = asked(html)
        if key is None:  # a page with one question: posted whole
            r = client.post(page, data=with_markers(values), follow_redirects=False)
        else:
            q = int(url.split("q=")[1].split("&")[0])
            r = answer(client, page.split("/")[2], page.split("/")[3], q, key, values)
        assert r.status_code == 303, (key, summary_links(r.text))
        url = r.headers["location"]
    raise AssertionError("the questions never led off the page")


def test_a_page_with_several_questions_is_split(elder):
    draft_id, first = start(elder, BIRTH)
    assert first == f"/drafts/{draft_id}/child?q=0"
    page = elder.get(first)
    assert caption(page.text) == "第 1 步，共 4 步 · 第 1 题，共 10 题"
    assert asked(page.text) == "child.name" and markers(page.text) == ["child.name"]
    assert 'name="child.sex"' not in page.text  # the next question waits for its own screen
    assert f'action="/drafts/{draft_id}/child?q=0"' in page.text
    assert "<title>新生儿姓名 · 新生儿信息 · " in page.text
    assert "请按助产机构的分娩记录填写新生儿信息" in page.text  # the page intro, first screen only
    assert back_link(page.text) == f"/matters/{BIRTH}"
    second = elder.get(f"/drafts/{draft_id}/child?q=1")
    assert asked(second.text) == "child.sex" and "第 2 题，共 10 题" in caption(second.text)
    assert "请按助产机构的分娩记录" not in second.text
    assert back_link(second.text) == f"/drafts/{draft_id}/child?q=0"  # 返回: the question before
    # no ?q= (or an odd one): the first question still to answer
    r = elder.get(f"/drafts/{draft_id}/child?q=99", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/drafts/{draft_id}/child?q=0"


def test_each_question_validates_alone_and_keeps_what_was_typed(elder, app):
    draft_id, _ = start(elder, BIRTH)
    r = answer(elder, draft_id, "child", 0, "child.name", {"child.name": ""})
    assert r.status_code == 200 and summary_links(r.text) == ["f-child-name"]
    assert "请填写新生儿姓名" in r.text and "<title>错误：" in r.text
    assert asked(r.text) == "child.name"  # the same question again, not the whole page
    # a value that does not fit its type: stored as typed, shown back, the page's own message
    r = answer(elder, draft_id, "child", 6, "child.weight_g", {"child.weight_g": "12a"})
    assert r.status_code == 200 and summary_links(r.text) == ["f-child-weight_g"]
    assert 'value="12a"' in r.text
    assert app.state.store.drafts.get(draft_id).answers["child"]["weight_g"] == "12a"
    assert 'value="12a"' in elder.get(f"/drafts/{draft_id}/child?q=6").text
    r = answer(elder, draft_id, "child", 6, "child.weight_g", {"child.weight_g": "100"})
    assert summary_links(r.text) == ["f-child-weight_g"] and "出生体重" in r.text  # min: 300
    r = answer(elder, draft_id, "child", 6, "child.weight_g", {"child.weight_g": "3200"})
    assert r.status_code == 303 and r.headers["location"].endswith("/child?q=7")
    # a rule across questions (validations) speaks on the question it belongs to
    parents = BIRTH_PAGES["parents"]
    same = {**parents, "father.id_number": parents["mother.id_number"]}
    answer(elder, draft_id, "parents", 1, "mother.id_number", same)
    r = answer(elder, draft_id, "parents", 3, "father.id_number", same)
    assert summary_links(r.text) == ["f-father-id_number"]
    assert "父亲和母亲的公民身份号码不能相同" in r.text


def test_the_questions_lead_to_the_next_page_then_review_and_submit(elder, app):
    draft_id, first = start(elder, BIRTH)
    url = walk(elder, first, BIRTH_PAGES["child"])
    assert url == f"/drafts/{draft_id}/parents?q=0"
    page = elder.get(url)
    assert caption(page.text) == "第 2 步，共 4 步 · 第 1 题，共 5 题"
    # 返回 from the first question: the last question of the page before
    assert back_link(page.text) == f"/drafts/{draft_id}/child?q=9"
    url = walk(elder, url, BIRTH_PAGES["parents"])
    assert url == f"/drafts/{draft_id}/declaration"  # one question: the page as it is
    url = walk(elder, url, BIRTH_PAGES["declaration"])
    assert url == f"/drafts/{draft_id}/review"
    review = elder.get(url)
    assert back_link(review.text) == f"/drafts/{draft_id}/declaration"
    # 修改 opens the question's own screen, and 继续 there returns to check-your-answers
    assert f"/drafts/{draft_id}/child?return=review&amp;q=0#f-child-name" in review.text
    link = f"/drafts/{draft_id}/parents?return=review&amp;q=2#f-father-name"
    assert link in review.text
    change = elder.get(link.replace("&amp;", "&").split("#")[0])
    assert asked(change.text) == "father.name" and "返回核对页" in change.text
    r = answer(
        elder, draft_id, "parents", 2, "father.name", {"father.name": "李强"}, _return="review"
    )
    assert r.headers["location"] == f"/drafts/{draft_id}/review"
    r = elder.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/")
    case = app.state.store.cases.get(app.state.store.drafts.get(draft_id).case_no)
    assert case.answers["father"]["name"] == "李强"


def test_a_refused_submission_opens_the_first_question_with_a_message(elder):
    draft_id, _ = start(elder, BIRTH)
    r = elder.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    r = elder.get(r.headers["location"], follow_redirects=False)
    assert r.headers["location"] == f"/drafts/{draft_id}/child?q=0&check=1&return=review"
    page = elder.get(r.headers["location"])
    assert summary_links(page.text) == ["f-child-name"] and "返回核对页" in page.text


def test_a_revealed_question_gets_its_own_next_screen(elder):
    draft_id, _ = start(elder, RELIEF)
    kind = elder.get(f"/drafts/{draft_id}/applicant?q=6")
    assert asked(kind.text) == "applicant.kind" and "第 7 题，共 11 题" in caption(kind.text)
    assert "w-applicant-kind_other" not in kind.text  # hidden questions are on no screen
    # with htmx: the answer reveals it, yet it is not swapped in here; only the count grows
    r = elder.post(
        f"/drafts/{draft_id}/applicant/change?field=applicant.kind",
        data={"applicant.kind": "other"},
        headers=HTMX,
    )
    assert r.text.lstrip().startswith('<div id="w-applicant-kind"')
    assert "w-applicant-kind_other" not in r.text
    assert 'id="progress" hx-swap-oob="innerHTML"' in r.text and "第 7 题，共 12 题" in r.text
    # without JS: 继续 leads to the revealed question, on its own screen, not to an error
    r = answer(elder, draft_id, "applicant", 6, "applicant.kind", {"applicant.kind": "other"})
    assert r.headers["location"] == f"/drafts/{draft_id}/applicant?q=7"
    page = elder.get(r.headers["location"])
    assert asked(page.text) == "applicant.kind_other" and "yj-error-summary" not in page.text
    assert "请说明困难情况" in page.text and "第 8 题，共 12 题" in caption(page.text)
    assert back_link(page.text) == f"/drafts/{draft_id}/applicant?q=6"
    r = answer(elder, draft_id, "applicant", 7, "applicant.kind_other", {})
    assert summary_links(r.text) == ["f-applicant-kind_other"]
    r = answer(
        elder, draft_id, "applicant", 7, "applicant.kind_other", {"applicant.kind_other": "火灾"}
    )
    assert r.headers["location"] == f"/drafts/{draft_id}/applicant?q=8"


def test_htmx_change_on_a_screen_keeps_the_live_banner(elder):
    draft_id, _ = start(elder, BIRTH)
    page = elder.get(f"/drafts/{draft_id}/child?q=9")
    assert asked(page.text) == "child.has_certificate" and 'id="eligibility"' in page.text
    r = elder.post(
        f"/drafts/{draft_id}/child/change?field=child.has_certificate",
        data={"child.has_certificate": "true"},
        headers=HTMX,
    )
    assert 'id="eligibility" hx-swap-oob="innerHTML"' in r.text and "首次签发不能重复办理" in r.text
    assert "<html" not in r.text and 'hx-swap-oob="outerHTML"' not in r.text


def test_switching_theme_mid_page_works_both_ways(elder):
    draft_id, _ = start(elder, BIRTH)
    child = BIRTH_PAGES["child"]
    answer(elder, draft_id, "child", 0, "child.name", child)
    answer(elder, draft_id, "child", 1, "child.sex", child)
    # elder → standard: the whole page, with the answers so far
    r = elder.get("/theme/default", params={"next": f"/drafts/{draft_id}/child?q=2"})
    assert len(markers(r.text)) == 10 and asked(r.text) is None
    assert 'value="李小安"' in r.text and "题，共" not in caption(r.text)
    # standard: post the whole page with three more answers (the rest empty: kept, flagged)
    three = {k: v for k, v in child.items() if k.startswith(("child.birth_", "child.hospital-"))}
    done = {k: v for k, v in child.items() if k in ("child.name", "child.sex", "child.hospital")}
    keys = ("child.weight_g", "child.length_cm", "child.gestation_weeks", "child.has_certificate")
    r = elder.post(f"/drafts/{draft_id}/child", data=with_markers({**three, **done}, keys))
    assert r.status_code == 200 and "f-child-weight_g" in summary_links(r.text)
    # standard → elder: the first question of the page still unanswered
    r = elder.get("/theme/elder", params={"next": f"/drafts/{draft_id}/child"})
    assert str(r.url).endswith(f"/drafts/{draft_id}/child?q=5")
    assert asked(r.text) == "child.hospital_certified"


def test_pages_with_one_question_and_repeat_groups_stay_whole(elder, app):
    draft_id, _ = start(elder, RELIEF)
    page = elder.get(f"/drafts/{draft_id}/family", follow_redirects=False)
    assert page.status_code == 200 and asked(page.text) is None  # an info text and one repeat
    assert "请填写共同生活的家庭成员" in page.text
    # a repeat group between two questions is one screen; an info text joins the next question
    m = app.state.registry.current.matter(RELIEF)
    applicant, family = m.pages[0], m.pages[1]
    mixed = replace(family, fields=(applicant.fields[0], *family.fields, applicant.fields[-1]))
    out = SimpleNamespace(visible={"applicant.name", "note", "members", "applicant.insured"})
    found = screens(mixed, out, set())  # type: ignore[arg-type]
    assert [s.key for s in found] == ["applicant.name", "members", "applicant.insured"]
    assert [f.type.value for f in found[1].fields] == ["info", "repeat"]
    # a page shown whole: no ?q=, no question count
    assert screens(family, out, set()) == []  # type: ignore[arg-type]


def test_standard_theme_keeps_whole_pages(client):
    draft_id, first = start(client, BIRTH)
    assert first == f"/drafts/{draft_id}/child"
    page = client.get(f"{first}?q=3")
    assert asked(page.text) is None and len(markers(page.text)) == 10
    assert caption(page.text) == "第 1 步，共 4 步"


def h1s(html: str) -> list[str]:
    """The text of every <h1> (tags inside removed)."""
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h1\b.*?</h1>", html, re.S)]


def test_a_screen_is_headed_by_its_question_and_keeps_it_after_a_live_answer(elder):
    draft_id, first = start(elder, BIRTH)
    page = elder.get(first, follow_redirects=True)
    assert asked(page.text) == "child.name"
    assert h1s(page.text) == ["新生儿姓名"]  # the question, not the section 新生儿信息
    assert "新生儿信息</span>" in page.text  # the section is the caption
    assert "查看所需材料" in page.text and "<details" in page.text  # the list is collapsed
    r = elder.post(
        f"/drafts/{draft_id}/child/change?field=child.name",
        data={"child.name": "李小安"},
        headers=HTMX,
    )
    assert h1s(r.text) == ["新生儿姓名"]  # the swapped field is still the page's heading
    # the standard theme: one page, headed by its section, the materials listed
    elder.cookies.set("yj_theme", "default")
    whole = elder.get(f"/drafts/{draft_id}/child")
    assert h1s(whole.text) == ["新生儿信息"] and "查看所需材料" not in whole.text
