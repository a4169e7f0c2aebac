"""The public verification page's answers (文书核验): what an issued document is, whether it
still stands, and whether a file someone holds is that document, sealed and unchanged.

Public: anyone with the check code (printed on the document and in its QR code) may ask. Only
what the document itself shows is said, the holder masked; never the case's answers. Status is
read from the case's events: a revoked decision (撤销) makes every document of the case
revoked; a later document of the same title replaces an earlier one (superseded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.documents.verify import SignatureReport, signature_report
from yijian.runtime.licenceid import ROOT
from yijian.store.issued import Issued

__all__ = ["FileCheck", "Verified", "check_file", "licence_status", "look_up", "look_up_licence"]

STATUS_WORDS = {
    "valid": "有效",
    "revoked": "已撤销",
    "superseded": "已被新文书替代",
    "expired": "已过有效期",
}


@dataclass(frozen=True)
class Verified:
    code: str
    title: str
    issuer: str
    holder: str
    issued_on: str
    status: str  # valid | revoked | superseded

    @property
    def status_text(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class FileCheck:
    same: bool  # the uploaded bytes are the issued document's
    seal: SignatureReport

    @property
    def text(self) -> str:
        if self.same and self.seal.valid:
            return "核验通过：该文件是本平台签发的原件，电子印章有效，内容未被修改"
        if self.same and not self.seal.signed:  # a site without a seal configured
            return "核验通过：该文件与本平台签发的文书一致（本文书未加盖电子印章）"
        if not self.same and self.seal.signed and not self.seal.intact:
            return "核验未通过：文件在盖章后被修改"
        if not self.same:
            return "核验未通过：该文件不是此查验码对应的文书（可能被修改或替换）"
        return f"核验未通过：{self.seal.text}"


def _status(services: Services, doc: Issued) -> str:
    events = services.store.cases.events(doc.case_no)
    if any(e.kind == kinds.REVOKED for e in events):
        return "revoked"
    return "superseded" if services.store.issued.later_same_title(doc) else "valid"


def licence_status(services: Services, case_no: str, valid_until: str | None) -> str:
    """A licence's status from its granting case's events (撤销) and its validity."""
    if any(e.kind == kinds.REVOKED for e in services.store.cases.events(case_no)):
        return "revoked"
    today = services.context().today.isoformat()
    return "expired" if valid_until and valid_until < today else "valid"


def look_up_licence(services: Services, identifier: str) -> Verified | None:
    """An e-licence by its GB/T 36904 identifier (what its QR code and 我的证照 show)."""
    found = services.store.licences.get(identifier)
    if found is None:
        return None
    status = licence_status(services, found.case_no, found.valid_until)
    return Verified(
        found.identifier, found.type_name, found.issuer, found.holder_masked, found.issued_on,
        status,
    )  # fmt: skip


def look_up(services: Services, code: str) -> Verified | None:
    if code.startswith(ROOT):
        return look_up_licence(services, code)
    doc = services.store.issued.by_code(code.strip().replace(" ", "").upper())
    if doc is None:
        return None
    return Verified(
        doc.check_code,
        doc.title,
        doc.issuer,
        doc.holder,
        doc.issued_at[:10],
        _status(services, doc),
    )


def check_file(services: Services, code: str, data: bytes) -> FileCheck | None:
    doc = services.store.issued.by_code(code.strip().upper())
    if doc is None:
        return None
    same = hashlib.sha256(data).hexdigest() == doc.sha256
    return FileCheck(same, signature_report(data))
