"""The last step of every document: signing (the electronic seal plugs in here).

Every PDF the platform issues passes through :func:`finish` before anyone receives it. Today
the ``signers`` extension point holds only ``unsigned``, which returns the PDF unchanged; the
seal (PAdES with pyHanko, a later issue) registers another signer under the same point and the
site chooses it, so the callers that render receipts and notices never change.
"""

from __future__ import annotations

from typing import Protocol

from yijian.extend import SIGNERS

__all__ = ["Signer", "Unsigned", "finish"]


class Signer(Protocol):
    """Signs a finished PDF; ``purpose`` names the document (受理通知书 …) for the record."""

    def sign(self, pdf: bytes, *, purpose: str) -> bytes: ...


class Unsigned:
    """No seal configured: the document goes out as rendered."""

    def sign(self, pdf: bytes, *, purpose: str) -> bytes:
        return pdf


def finish(pdf: bytes, *, purpose: str, signer: str = "unsigned") -> bytes:
    """``pdf`` through the configured signer (``Settings.signer``; ``unsigned`` by default)."""
    return SIGNERS.get(signer)().sign(pdf, purpose=purpose)
