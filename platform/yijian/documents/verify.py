"""Checking a sealed PDF: is the signature intact, does it chain to a trusted seal CA.

Used by the public verification page (a citizen or a bank uploads the file they were given),
``yijian seal check`` and the tests. Trust roots come from ``YIJIAN_SEAL_TRUST`` (PEM files,
``:``-separated; ``yijian seal init`` writes the test CA's), never from the document itself.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SignatureReport", "signature_report", "trust_roots"]


@dataclass(frozen=True)
class SignatureReport:
    signed: bool
    intact: bool  # the bytes it covers are unchanged
    trusted: bool  # the certificate chains to a trusted seal CA
    signer: str = ""
    signed_at: str = ""
    covers_whole_file: bool = False

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file

    @property
    def text(self) -> str:
        if not self.signed:
            return "文件未加盖电子印章"
        if not self.intact:
            return "电子印章验证失败：文件在盖章后被修改"
        if not self.covers_whole_file:
            return "电子印章有效，但盖章后文件又被追加了内容"
        if not self.trusted:
            return f"签章完整，但印章证书不受信任（{self.signer}）"
        return f"电子印章有效：{self.signer}，盖章时间 {self.signed_at}"


def trust_roots(paths: Sequence[str] | None = None) -> list:  # type: ignore[type-arg]
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    files = (
        paths
        if paths is not None
        else [p for p in os.environ.get("YIJIAN_SEAL_TRUST", "").split(":") if p]
    )
    roots = []
    for name in files:
        data = Path(name).read_bytes()
        for _, _, der in pem.unarmor(data, multiple=True):
            roots.append(asn1_x509.Certificate.load(der))
    return roots


def signature_report(pdf: bytes, roots: list | None = None) -> SignatureReport:  # type: ignore[type-arg]
    """What a validator says of the document's last signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # not a PDF, or a broken one: no seal to speak of
        return SignatureReport(False, False, False)
    if not signatures:
        return SignatureReport(False, False, False)
    sig = signatures[-1]
    context = ValidationContext(trust_roots=roots if roots is not None else trust_roots())
    from yijian.documents.seal import off_loop

    try:
        status = off_loop(validate_pdf_signature, sig, context)
    except Exception:
        return SignatureReport(True, False, False)
    subject = status.signing_cert.subject.native if status.signing_cert else {}
    when = (
        status.signer_reported_dt.isoformat(timespec="seconds") if status.signer_reported_dt else ""
    )
    coverage = getattr(status, "coverage", None)
    whole = coverage is not None and coverage.name == "ENTIRE_FILE"
    return SignatureReport(
        signed=True,
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        signer=str(subject.get("common_name", "")),
        signed_at=when,
        covers_whole_file=whole,
    )
