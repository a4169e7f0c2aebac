"""Reading a small multipart/form-data post by splitting the body, not by parser callbacks.

Every form page with a file field posts multipart (a browser cannot post a file otherwise), and
a page of 40 fields is 80 parts (each answer and its ``_f`` marker). python-multipart's parser
calls back into Python for every header byte run and part: measured about five times the time
of the same answers urlencoded (docs/performance.md, issue 14). A page post's body is small and
already complete, so :func:`parse_small` reads it with a few ``bytes.split``/``partition``
calls instead, giving the same :class:`FormData` Starlette's parser gives.

Only the plain shape is taken: parts named with ``form-data; name="…"``, and file inputs left
empty (``filename=""`` and no bytes, what a browser sends for a file not chosen). Anything
else (a chosen file, unusual headers, a broken body, more fields or files than allowed) makes
:func:`parse_small` answer None and Starlette's parser reads the body, with its own streaming,
spooling and error messages.
"""

from __future__ import annotations

import re
from tempfile import SpooledTemporaryFile
from typing import Any
from urllib.parse import unquote_plus

from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData, Headers, UploadFile

#: Largest declared body read whole for the short path (a page post is a few KB).
SMALL = 256 * 1024
#: Starlette's spool size for uploads (``MultiPartParser.spool_max_size``).
SPOOL = 1024 * 1024
_DISPOSITION = re.compile(rb'form-data; name="([^"\\]*)"(?:; filename="([^"\\]*)")?\Z')


def parse_urlencoded(body: bytes) -> FormData:
    """A url-encoded body as Starlette's parser reads it (python-multipart's querystring
    parser, not strict, then ``unquote_plus`` of the latin-1 text): fields split on ``&``,
    empty ones skipped, the name up to the first ``=`` (a field without one has an empty
    value). An htmx answer change posts one or two fields: this is a few ``split`` calls
    where the parser called back into Python per field part (issue 14)."""
    items: list[tuple[str, str | UploadFile]] = []
    for field in body.split(b"&"):
        if field:
            name, _, value = field.partition(b"=")
            items.append(
                (unquote_plus(name.decode("latin-1")), unquote_plus(value.decode("latin-1")))
            )
    return FormData(items)


async def small_urlencoded(request: Any) -> FormData | None:
    """The form of a small url-encoded request (read whole), or None: not url-encoded, no
    declared length or past ``SMALL`` (then Starlette's parser reads it)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > SMALL:
        return None
    media, _ = parse_options_header(request.headers.get("content-type", ""))
    if media != b"application/x-www-form-urlencoded":
        return None
    return parse_urlencoded(await request.body())


def _text(raw: bytes, charset: str) -> str:
    """As Starlette decodes a part: the charset, else latin-1 (it never refuses a post)."""
    try:
        return raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1")


def parse_small(
    body: bytes, boundary: bytes, charset: str, max_files: float, max_fields: float
) -> FormData | None:
    """The form in ``body``, or None when it is not of the plain shape (see the module)."""
    delimiter = b"--" + boundary
    if not body.startswith(delimiter):
        return None
    parts = body[len(delimiter) :].split(b"\r\n" + delimiter)
    if not parts[-1].startswith(b"--"):  # the closing delimiter
        return None
    items: list[tuple[str, str | UploadFile]] = []
    fields = files = 0
    for part in parts[:-1]:
        if not part.startswith(b"\r\n"):
            return None
        head, blank, data = part[2:].partition(b"\r\n\r\n")
        if not blank:
            return None
        raw_headers = []
        disposition = None
        for line in head.split(b"\r\n"):
            name, colon, value = line.partition(b":")
            if not colon:
                return None
            name = name.lower()
            raw_headers.append((name, value.lstrip()))
            if name == b"content-disposition":
                disposition = value.lstrip()
        found = _DISPOSITION.match(disposition or b"")
        if found is None:
            return None
        key, filename = found.groups()
        if filename is None:
            fields += 1
            items.append((_text(key, charset), _text(data, charset)))
        elif filename == b"" and data == b"":
            files += 1
            spool = SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - FormData.close() closes it
            headers = Headers(raw=raw_headers)
            upload = UploadFile(spool, size=0, filename="", headers=headers)  # type: ignore[arg-type]
            items.append((_text(key, charset), upload))
        else:
            return None
    if fields > max_fields or files > max_files:
        return None  # Starlette's parser refuses it with its own message
    return FormData(items)
