"""The public verification page over HTTP: the notice's check code opens it, the same file
passes, a changed one does not, an unknown code is 404; nobody needs to sign in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from test_web_window import _signed_in, _staff, _submitted
from webtools import SAME_ORIGIN, TestClient

from yijian.store.passwords import Passwords


@pytest.fixture
def w(app: Starlette, client: TestClient) -> Iterator[SimpleNamespace]:
    app.state.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    _staff(app, "wang", "clerk", "442000")
    case_no = _submitted(client)
    clerk = _signed_in(app, "wang")
    yield SimpleNamespace(case_no=case_no, clerk=clerk, citizen=client)
    clerk.close()


def test_a_notice_is_issued_once_and_checks_out(w, app: Starlette) -> None:  # type: ignore[no-untyped-def]
    assert (
        w.clerk.post(f"/staff/cases/{w.case_no}/accept", follow_redirects=False).status_code == 303
    )
    pdf = w.citizen.get(f"/cases/{w.case_no}/notices/2.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = w.clerk.get(f"/staff/cases/{w.case_no}/notices/2.pdf")
    assert again.content == pdf.content  # the document as issued, whoever downloads it
    doc = app.state.store.issued.of_event(w.case_no, 2)
    stranger = TestClient(app, headers=SAME_ORIGIN)  # no sign-in
    page = stranger.get(f"/verify/{doc.check_code}")
    assert page.status_code == 200 and "受理通知书" in page.text and "有效" in page.text
    assert "王芳" not in page.text  # the holder is masked
    r = stranger.post(f"/verify/{doc.check_code}", files={"file": ("n.pdf", pdf.content)})
    assert "核验通过" in r.text
    changed = pdf.content.replace(b"%%EOF", b"%%EOF\n% appended", 1)
    r = stranger.post(f"/verify/{doc.check_code}", files={"file": ("n.pdf", changed)})
    assert "核验未通过" in r.text
    assert stranger.get("/verify/ABCDEFGHJKMN").status_code == 404
    r = stranger.get(f"/verify?code={doc.check_code.lower()}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/verify/{doc.check_code}"
    assert re.search(r"<label[^>]*for=\"code\"", stranger.get("/verify").text)
    stranger.close()
