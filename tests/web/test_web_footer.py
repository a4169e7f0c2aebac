"""The footer's 监督投诉 leads somewhere (issue 15, item 10): without a complaint page of the
county's own (``complaint_url``), it names the 12345 hotline, which takes 监督投诉; never a link
to "#"."""

from __future__ import annotations


def test_no_dead_complaint_link(client) -> None:
    for url in ("/", "/progress"):
        html = client.get(url).text
        footer = html.split('<footer class="yj-footer">', 1)[1]
        assert 'href="#"' not in footer
        assert "监督投诉" in footer and 'href="tel:12345"' in footer
