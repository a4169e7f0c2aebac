"""Active content in an uploaded PDF: scripts, launch actions, embedded files (issue 13).

Why refuse rather than flag: an uploaded material is opened by staff in their PDF reader, so a
document that runs JavaScript when opened (``/OpenAction`` → ``/JS``), starts a program
(``/Launch``) or carries another file inside it (``/EmbeddedFile``) is a way into the office.
A citizen's 证明材料 needs none of these; the message tells them to save it again as a plain
PDF ("打印为 PDF").

How: PDF names are scanned in the raw bytes and in every Flate-compressed stream (an object
stream hides its objects' dictionaries there), with ``#xx`` escapes in names decoded
(``/J#61vaScript``). Inflation is bounded in total output and in the number of streams, so a
compression bomb costs at most ``_INFLATE_BUDGET`` bytes of work.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["ACTIVE_NAMES", "active_content"]

#: PDF names that make a document act on its own (an ``/OpenAction`` with JavaScript names
#: ``/JS`` or ``/JavaScript``; an ``/OpenAction`` that only sets the first page is harmless).
ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles"})
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_INFLATE_BUDGET = 64 * 1024 * 1024  # bytes of inflated output, all streams together
_MAX_STREAMS = 5000


def _names(data: bytes) -> str | None:
    for match in _NAME.finditer(data):
        name = match.group(1)
        if b"#" in name:
            name = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        if name in ACTIVE_NAMES:
            return name.decode("ascii", "replace")
    return None


def active_content(data: bytes) -> str | None:
    """The first active-content name found (``"JS"``, ``"Launch"`` …), or None."""
    found = _names(data)
    if found is not None:
        return found
    budget = _INFLATE_BUDGET
    view = memoryview(data)
    for i, match in enumerate(_STREAM.finditer(data)):
        if i >= _MAX_STREAMS or budget <= 0:
            break
        start = match.end()
        if start >= len(data) or data[start] & 0x0F != 8:  # not a zlib (deflate) header
            continue
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(view[start:], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        found = _names(chunk)
        if found is not None:
            return found
    return None
