"""An htmx answer change with the stock ``form/_change.html`` is joined in Python
(``Templates.change_text``, issue 14): its bytes must be exactly what the template renders, in
both themes, for fields alone and with every out-of-band fragment (fields shown or hidden, the
banner, the checklist, the progress line)."""

from __future__ import annotations

from typing import Any

import pytest
from webtools import BIRTH, HTMX, RELIEF, start

from yijian.web.templating import CHANGE, Templates

#: (matter, page, field query, posted data): changes that draw each kind of fragment
CHANGES: list[tuple[str, str, str, dict[str, str]]] = [
    (BIRTH, "child", "child.has_certificate", {"child.has_certificate": "true"}),
    (BIRTH, "child", "child.has_certificate", {"child.has_certificate": "false"}),
    (BIRTH, "child", "child.name", {"child.name": "<b>李</b>&小安"}),
    (BIRTH, "parents", "mother.id_number", {"mother.id_number": "11010519491231002X"}),
    (BIRTH, "parents", "mother.id_number", {"mother.id_number": "1101"}),
    (RELIEF, "applicant", "applicant.kind", {"applicant.kind": "other"}),
    (RELIEF, "applicant", "applicant.kind", {"applicant.kind": "disabled"}),
    (RELIEF, "applicant", "applicant.region", {"applicant.region-1": "450000"}),
    (RELIEF, "family", "members&action=add%3Amembers", {"_rows.members": "0"}),
    (RELIEF, "family", "members.0.name", {"members.0.name": "王五"}),
    (RELIEF, "family", "members&action=remove%3Amembers%3A0", {"_rows.members": "1"}),
]


@pytest.fixture
def joined(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(Python-joined text, the template's render) of every change answered."""
    seen: list[tuple[str, str]] = []
    python_join = Templates.change_text

    def both(self: Templates, request: Any, context: dict[str, Any]) -> str:
        text = python_join(self, request, context)
        banner = context["banner"]
        plain = {**context, "banner": banner() if callable(banner) else banner}
        seen.append((text, self.render_text(request, CHANGE, plain)))
        return text

    monkeypatch.setattr(Templates, "change_text", both)
    return seen


@pytest.mark.parametrize("theme", ["default", "elder"])
def test_the_joined_change_is_the_templates_output(client, app, web_root, joined, theme):
    rules = web_root / "matters" / RELIEF / "rules.yaml"  # a material "other" asks for
    condition = '\nmaterials:\n  hukou_book: {"==": [{"var": "applicant.kind"}, "other"]}\n'
    rules.write_text(rules.read_text(encoding="utf-8") + condition, encoding="utf-8")
    assert app.state.registry.load() is not None
    client.cookies.set("yj_theme", theme)
    drafts = {m: start(client, m)[0] for m in (BIRTH, RELIEF)}
    for matter, page, field, data in CHANGES:
        url = f"/drafts/{drafts[matter]}/{page}/change?field={field}"
        assert client.post(url, data=data, headers=HTMX).status_code == 200
    assert len(joined) == len(CHANGES)
    assert app.state.templates._stock_change(theme) is not None  # joined in Python, not Jinja2
    for python_text, template_text in joined:
        assert python_text == template_text
    every = "".join(text for text, _ in joined)
    for fragment in ('id="eligibility" hx-swap-oob', 'id="materials-box" hx-swap-oob'):
        assert fragment in every
    if theme == "default":  # 长辈版: a revealed question waits for its own screen
        assert 'hx-swap-oob="outerHTML"' in every  # a field shown out of band
    else:  # …and the question count (第 N 题，共 M 题) grows instead
        assert 'id="progress" hx-swap-oob="innerHTML"' in every
