"""The resume link can be sent to oneself (issue 15, item 10): besides the link itself, a 短信
and a 邮件 link carry it (they work without JavaScript), and a 复制链接 button is there for
scripts to reveal (tests/browser/test_browser_resume_copy.py)."""

from __future__ import annotations

from urllib.parse import quote, unquote

from webtools import BIRTH, BIRTH_PAGES, start, with_markers


def test_the_link_can_be_sent_by_sms_or_mail(client) -> None:
    draft_id, _ = start(client, BIRTH)
    client.post(f"/drafts/{draft_id}/child", data=with_markers(BIRTH_PAGES["child"]))
    page = client.post(f"/drafts/{draft_id}/save").text
    link = page.split('<p class="yj-resume-link"><a href="')[1].split('"')[0]
    sms = page.split('href="sms:', 1)[1].split('"')[0]
    mail = page.split('href="mailto:', 1)[1].split('"')[0]
    assert quote(link, safe="") in sms and link in unquote(sms)
    assert link in unquote(mail)
    assert 'data-copy="' + link + '"' in page and "复制链接" in page
