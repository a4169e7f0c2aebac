"""Fuzzing form posts: unknown keys, huge values, odd Unicode, markup — never a 500, never echoed
unescaped."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtools import BIRTH, HTMX, RELIEF, start

KEYS = [
    "child.name",
    "child.weight_g",
    "child.birth_region-1",
    "child.birth_region-2",
    "child.has_certificate",
    "child.birth_datetime",
    "mother.id_number",
    "contact.phone",
    "declaration.truthful",
    "members.0.name",
    "_rows.members",
    "members.99.income",
    "applicant.since-year",
    "applicant.region-3",
    "applicant.kind",
    "applicant.needs",
    "_f",
    "_action",
    "_return",
    "__proto__",
    "a.b.c.d.e",
    "",
]
MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ 7*7 }}",
        "{% raw %}",
        "\u202e\u0000",
        "𠀀𪚥",
        "x" * 5000,
        "add:members",
        "remove:members:-1",
        "remove:members:999",
        "remove-file:files.income_proof",
        "true",
        "450000",
        "-1e999",
    ]
)
VALUES = st.one_of(MARKUP, st.text(max_size=60))
FORMS = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(max_size=20)),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=8,
)
PAGES = st.sampled_from(
    [
        (BIRTH, "child"),
        (BIRTH, "parents"),
        (BIRTH, "declaration"),
        (RELIEF, "applicant"),
        (RELIEF, "family"),
        (RELIEF, "upload"),
    ]
)
FIELDS = st.sampled_from(
    [
        "child.name",
        "child.birth_region",
        "members",
        "members.0.name",
        "applicant.region",
        "applicant.since",
        "x",
        "members.9.name",
    ]
)


def unescaped(text: str) -> bool:
    body = text.split("</head>", 1)[-1]
    return "<script>alert" in body or "<img src=x" in body or ">49<" in body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=PAGES,
    form=FORMS,
    field=FIELDS,
    action=st.sampled_from(["", "add:members", "remove:members:0"]),
)
def test_form_posts_never_fail(client, page, form, field, action):
    matter, page_id = page
    draft_id, _ = start(client, matter)
    r = client.post(f"/drafts/{draft_id}/{page_id}", data=form)
    assert r.status_code in (200, 303, 400, 413, 422), r.status_code
    assert not unescaped(r.text)
    url = f"/drafts/{draft_id}/{page_id}/change?field={field}&action={action}"
    r = client.post(url, data=form, headers=HTMX)
    assert r.status_code in (200, 400, 404, 422), r.status_code
    assert not unescaped(r.text)
    for follow in (f"/drafts/{draft_id}/{page_id}", f"/drafts/{draft_id}/review"):
        r = client.get(follow)
        assert r.status_code == 200 and not unescaped(r.text)
    r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
    assert r.status_code in (200, 303, 422)
