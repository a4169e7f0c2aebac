"""The last step of every document: signing (the electronic seal).

Every PDF the platform issues passes through :func:`finish` before anyone receives it. The
``signers`` extension point holds ``unsigned`` (the PDF unchanged), and the seal's three
backends (``pkcs12``, ``pkcs11``, ``remote``: ``documents.sealsigners``, PAdES with pyHanko).
The site chooses one (``YIJIAN_SIGNER``, or ``Settings.signer``); a plugin with ``from_env``
is configured from the environment, once per process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Protocol

from yijian.extend import SIGNERS

__all__ = ["Signer", "Unsigned", "finish", "signer_named"]


class Signer(Protocol):
    """Signs a finished PDF; ``purpose`` names the document (受理通知书 …) for the record."""

    def sign(self, pdf: bytes, *, purpose: str) -> bytes: ...


class Unsigned:
    """No seal configured: the document goes out as rendered."""

    def sign(self, pdf: bytes, *, purpose: str, box: Any = None) -> bytes:
        return pdf


def _build(name: str, env: Mapping[str, str]) -> Any:
    plugin = SIGNERS.get(name)
    from_env = getattr(plugin, "from_env", None)
    return from_env(env) if callable(from_env) else plugin()


@lru_cache(maxsize=8)
def _cached(name: str) -> Any:
    return _build(name, os.environ)


SIGNERS.on_change(_cached.cache_clear)


def signer_named(name: str | None = None) -> Any:
    """The configured signer: ``name``, else ``YIJIAN_SIGNER``, else ``unsigned``."""
    return _cached(name or os.environ.get("YIJIAN_SIGNER") or "unsigned")


def finish(
    pdf: bytes, *, purpose: str, signer: str | None = None, seal: str | None = None
) -> bytes:
    """``pdf`` through the configured signer; ``seal`` names the seal it must carry (a signer
    holding several chooses by it; one holding a single seal ignores it)."""
    chosen = signer_named(signer)
    if seal and getattr(chosen, "chooses_seal", False):
        return chosen.sign(pdf, purpose=purpose, seal=seal)
    return chosen.sign(pdf, purpose=purpose)
