"""What a browser posts for a page's first ``<form method="post">``: the benchmarks' bodies.

Text inputs, hidden inputs (markers, tokens) and textareas with their values, the selected
option of each select, checked radios and checkboxes, and the button that submits (its
name/value, when ``button`` names it). The peer and yijian are both posted the body their own
page asks a browser for, so neither is posted less than it would really receive.
"""

from __future__ import annotations

import uuid
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, button: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.button = button
        self.fields: list[tuple[str, str]] = []
        self.depth = 0  # inside the first post form
        self.done = False
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "").lower() == "post":
            self.depth += 1
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
            elif kind in ("submit", "button", "image", "reset"):
                if self.button is not None and f"{name}={a.get('value', '')}" == self.button:
                    self.fields.append((name, a.get("value", "")))
            elif kind != "file":
                self.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and self.button == f"{name}={a.get('value', '')}":
            self.fields.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = name
            self.fields.append((name, ""))  # the first option when none is selected
            self._first = True
        elif tag == "option" and self.select is not None:
            if self._first or "selected" in a:
                self.fields[-1] = (self.select, a.get("value", ""))
                self._first = False
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.lstrip("\n")))
            self.textarea = None
        elif tag == "form" and self.depth:
            self.depth -= 1
            self.done = not self.depth


def form_fields(page: str, button: str | None = None) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser submits from ``page``'s first post form."""
    parser = _Form(button)
    parser.feed(page)
    return parser.fields


def multipart(fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    """(body, content type) of ``fields`` as a browser's multipart/form-data post."""
    boundary = "----yjbench" + uuid.uuid4().hex[:16]
    out = []
    for name, value in fields:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    out.append(f"--{boundary}--\r\n")
    return "".join(out).encode(), f"multipart/form-data; boundary={boundary}"
