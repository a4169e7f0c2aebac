"""Sealing a PDF (一枚印章管审批): a PAdES signature with pyHanko over the whole file.

What makes a document sealed is the signature: the seal's certificate signs a digest of every
byte of the PDF except the signature itself (``/ByteRange``), so changing one byte afterwards
is detected by any validator. The round red image (``documents.sealimage``) is what a person
sees; the template places it where the seal goes and the signature field sits over it.

Three ways to hold the seal's key, behind one interface (:class:`SealSigner`, the ``signers``
extension point): a PKCS#12 file (``pkcs12``), a PKCS#11 token such as an HSM (``pkcs11``;
tested with SoftHSM2) and a remote signing service over HTTP (``remote``, the shape a
provincial 电子印章平台 takes). A timestamp is added when a TSA URL is configured.

What this is not: a legally recognised Chinese electronic seal needs an SM2/SM3 certificate
from a licensed service and the GB/T 38540 seal data structure; pyHanko signs RSA/ECDSA PAdES.
docs/seal.md says exactly where that line is and where a licensed signer plugs in.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = ["SealOptions", "off_loop", "pades"]

T = TypeVar("T")


@dataclass(frozen=True)
class SealOptions:
    """Where the visible seal sits (PDF points from the bottom left of ``page``) and what the
    signature says about itself."""

    field: str = "Seal"
    page: int = 0
    box: tuple[int, int, int, int] | None = None  # None: an invisible field
    reason: str = ""
    location: str = ""
    name: str = ""  # the seal's name (行政审批专用章 …)
    tsa_url: str | None = None


def pades(pdf: bytes, signer: Any, options: SealOptions) -> bytes:
    """``pdf`` signed PAdES-B(-T with a TSA) by the pyHanko ``signer``; the original bytes are
    kept as they are (an incremental update)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=options.field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason or None,
        location=options.location or None,
        name=options.name or None,
    )
    spec = fields.SigFieldSpec(options.field, on_page=options.page, box=options.box)
    stamper = timestamps.HTTPTimeStamper(options.tsa_url) if options.tsa_url else None
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=stamper, new_field_spec=spec)
    out = io.BytesIO()
    off_loop(pdf_signer.sign_pdf, writer, output=out)
    return out.getvalue()


def off_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn`` here, or on a thread of its own when this thread runs an event loop: pyHanko's
    synchronous API calls ``asyncio.run`` inside, which refuses to start within a running
    loop (a caller on the event loop, or a test runner that left one running)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()
