"""The e-licence identifier of GB/T 36904-2018 (电子证照标识), built and checked. Pure.

``1.2.156.3005.2`` (the e-licence root OID) ``.`` licence type code (the defining body's
unified social credit code, 18, + a 3-digit serial: 21 characters) ``.`` the issuer's unified
social credit code ``.`` serial number ``.`` version (3 digits) ``.`` check character.

The check character is ISO 7064 MOD 37,36 over the identifier after the root OID with the dots
left out: the standard's published sample
``1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U`` computes to ``U``
(``tests/runtime/test_licenceid.py``).
"""

from __future__ import annotations

import re

__all__ = ["ROOT", "check_char", "licence_id", "valid"]

ROOT = "1.2.156.3005.2"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SHAPE = re.compile(
    r"^1\.2\.156\.3005\.2\.([0-9A-Z]{18}\d{3})\.([0-9A-Z]{18})\.([0-9A-Z]{1,32})\.(\d{3})\.([0-9A-Z])$"
)


def check_char(body: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid): one character of 0-9A-Z."""
    p = 36
    for ch in body:
        p = (p + _ALPHABET.index(ch)) % 36 or 36
        p = p * 2 % 37
    return _ALPHABET[(37 - p) % 36]


def licence_id(type_code: str, issuer: str, serial: str, version: int = 1) -> str:
    """The identifier of one licence; raises ``ValueError`` for a malformed part."""
    parts = (type_code.upper(), issuer.upper(), serial.upper(), f"{version:03d}")
    body = ".".join(parts)
    ident = f"{ROOT}.{body}.{check_char(body.replace('.', ''))}"
    if not valid(ident):
        raise ValueError(f"not a GB/T 36904 identifier: {ident}")
    return ident


def valid(identifier: str) -> bool:
    """Right shape and right check character."""
    m = _SHAPE.match(identifier.strip().upper())
    if m is None:
        return False
    body = "".join(m.group(i) for i in range(1, 5))
    return check_char(body) == m.group(5)
