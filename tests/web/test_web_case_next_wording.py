"""The case page's 接下来 follows the matter's promise: a 即办件 (当场办结) is not told the window
takes 5 working days, and a 承诺件 hears the 5 days of 第三十二条 and its own promised limit."""

from __future__ import annotations

import re

from test_web_materials import PDF, PROOF, fill_applicant, upload
from webtools import BIRTH, BIRTH_PAGES, TestClient, start, with_markers


def _next_paragraph(page: str) -> str:
    found = re.search(r"<h2[^>]*>接下来</h2>\s*<p>(.*?)</p>", page, re.S)
    assert found, "the case page says what happens next"
    return found.group(1)


def _case_page(client: TestClient, draft_id: str) -> str:
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code == 303, r.text
    case_no = client.app.state.store.drafts.get(draft_id).case_no  # type: ignore[attr-defined]
    return client.get(f"/cases/{case_no}").text


def test_an_immediate_matter_is_not_promised_five_working_days(client: TestClient) -> None:
    draft_id, _ = start(client, BIRTH)
    for name, values in BIRTH_PAGES.items():
        client.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
    page = _case_page(client, draft_id)
    assert "当场办结" in page  # 承诺办结 in the summary list
    text = _next_paragraph(page)
    assert "5 个工作日" not in text and "个工作日" not in text, text
    assert "即办件，承诺当场办结" in text, text


def test_a_promised_matter_hears_the_window_days_and_its_promise(client: TestClient) -> None:
    draft_id, _ = start(client, PROOF)
    fill_applicant(client, draft_id)
    upload(client, draft_id, "lease", "合同.pdf", PDF)
    text = _next_paragraph(_case_page(client, draft_id))
    assert "5 个工作日内审核" in text, text
    assert "受理之日起 3 个工作日内办结" in text, text
