"""Small multipart posts are read by a split of the body, not python-multipart's callbacks.

Every page with a file field posts multipart/form-data; python-multipart's parser spent about
five times as long on such a page as on the same answers urlencoded (issue 14, item 4). The
short path must give exactly the form Starlette's parser gives, and leave anything unusual
(a real upload, odd headers, a broken body, too many fields) to that parser.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.exceptions import HTTPException
from starlette.requests import Request

from yijian.web import fastform
from yijian.web.failures import limited

BOUNDARY = "----WebKitFormBoundaryQ1a2B3c4"


def body(*parts: tuple[str, str, str | None]) -> bytes:
    """A browser's multipart body: (name, value, filename or None) per part."""
    out = []
    for name, value, filename in parts:
        head = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            head += f'; filename="{filename}"\r\nContent-Type: application/octet-stream'
        out.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n{value}\r\n")
    return ("".join(out) + f"--{BOUNDARY}--\r\n").encode()


def request(raw: bytes, ctype: str = f"multipart/form-data; boundary={BOUNDARY}") -> Request:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        chunk, sent = (b"" if sent else raw), True
        return {"type": "http.request", "body": chunk, "more_body": False}

    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(raw)).encode())]
    return Request({"type": "http", "method": "POST", "headers": headers, "app": None}, receive)


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """``asyncio.run`` in a thread of its own (another test may leave a loop running here)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def read(req: Request, **limits: int) -> list[tuple[str, Any]]:
    async def go() -> list[tuple[str, Any]]:
        async with req.form(**limits) as form:
            return [
                (k, (v.filename, v.size, v.file.read(), v.headers.get("content-type")))
                if hasattr(v, "filename")
                else (k, v)
                for k, v in form.multi_items()
            ]

    return run(go())


PAGE = body(
    ("_f", "applicant.name", None),
    ("applicant.name", "张三", None),
    ("_f", "f.note", None),
    ("f.note", "第一行\r\n\r\n第三行 -- 含分隔线", None),
    ("f.empty", "", None),
    ("f.spaced", " 两边有空格 ", None),
    ("f.proof", "", ""),
    ("_action", "continue", None),
)


def test_a_page_post_is_read_by_the_short_path() -> None:
    form = fastform.parse_small(PAGE, BOUNDARY.encode(), "utf-8", 20, 3000)
    assert form is not None
    run(form.close())


@pytest.mark.parametrize(
    "raw",
    [
        PAGE,
        body(("a", "1", None), ("a", "2", None), ("b", "", None)),
        body(("photo", "\x89PNG data", "photo.png"), ("a", "1", None)),  # a real upload
        body(("a", "x", None))[:-4],  # cut short
        PAGE.replace(b"form-data; name", b"form-data;  name"),  # unusual spacing
        body(("we\\ird", "1", None)),
    ],
)
def test_same_form_as_starlettes_parser(raw: bytes) -> None:
    def outcome(req: Request) -> Any:
        try:
            return read(req, max_files=20, max_fields=3000)
        except HTTPException as exc:
            return (exc.status_code, exc.detail)

    assert outcome(limited(request(raw), 1 << 20)) == outcome(request(raw))


def test_limits_are_starlettes() -> None:
    many = body(*((f"k{i}", "v", None) for i in range(12)))
    with pytest.raises(HTTPException) as caught:
        read(limited(request(many), 1 << 20), max_fields=10)
    assert caught.value.status_code == 400
    with pytest.raises(HTTPException) as caught:
        read(limited(request(PAGE), 100))
    assert caught.value.status_code == 413


def test_urlencoded_unchanged() -> None:
    raw = b"a=1&b=%E5%BC%A0&a=2"
    req = limited(request(raw, "application/x-www-form-urlencoded"), 1 << 20)
    assert read(req) == [("a", "1"), ("b", "张"), ("a", "2")]


URLENCODED = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    "raw",
    [
        b"applicant.income=9123",
        b"a=1&b=%E5%BC%A0&a=2",
        b"",
        b"&&a=1&&b=2&",
        b"a&=1&b",
        b"a=1=2&c==",
        b"a+b=c+d%2B%20e",
        b"%ZZ=%&x=%E5%BC",
        "名=张三".encode(),
        b"a=1;b=2",
    ],
)
def test_urlencoded_short_path_is_starlettes(raw: bytes) -> None:
    taken = run(fastform.small_urlencoded(request(raw, URLENCODED)))
    assert taken is not None  # read by the split, not the parser
    starlette = read(request(raw, URLENCODED))
    assert [(k, v) for k, v in taken.multi_items()] == starlette
    assert read(limited(request(raw, URLENCODED), 1 << 20)) == starlette


def test_urlencoded_short_path_leaves_the_rest_to_starlette() -> None:
    assert run(fastform.small_urlencoded(request(b"a=1", "text/plain"))) is None
    big = b"a=" + b"x" * (fastform.SMALL + 1)
    assert run(fastform.small_urlencoded(request(big, URLENCODED))) is None
