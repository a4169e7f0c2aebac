"""A notice issued once, sealed, with a check code and a QR code that opens the verification
page; the page's answers: status (valid, revoked), the same file passes, a changed one fails."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "office"))

import pytest
from sealtools import validate
from taskfixtures import CLERK_GRANTS, case_answers, member, services, submitted

from yijian.apply.issued import issue_notice
from yijian.apply.notices import notice_inputs
from yijian.apply.verification import check_file, look_up
from yijian.calendar.clock import CHINA_TZ
from yijian.casework import kinds
from yijian.documents import signing
from yijian.documents.notice import render_notice
from yijian.documents.testca import make_ca, make_seal
from yijian.office.window import accept

BIRTH = "birth-medical-certificate"
SEAL = "中山市行政审批局行政审批专用章"


@pytest.fixture
def sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    ca = make_ca()
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(make_seal(ca, SEAL).p12(b"pw", ca.cert))
    trust = tmp_path / "ca.pem"
    trust.write_bytes(ca.pem())
    for k, v in {"YIJIAN_SIGNER": "pkcs12", "YIJIAN_SEAL_P12": str(p12),
                 "YIJIAN_SEAL_PASSPHRASE": "pw", "YIJIAN_SEAL_NAME": SEAL,
                 "YIJIAN_SEAL_TRUST": str(trust)}.items():  # fmt: skip
        monkeypatch.setenv(k, v)
    signing._cached.cache_clear()
    yield ca
    signing._cached.cache_clear()


def test_issue_once_verify_and_revoke(tmp_path: Path, sealed) -> None:  # type: ignore[no-untyped-def]
    s = services(tmp_path, datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ))
    case_no = submitted(s, BIRTH, case_answers(BIRTH))
    event = accept(s, member(1, "wang", CLERK_GRANTS), case_no)
    case = s.store.cases.get(case_no)
    inputs = notice_inputs(s, case, event.seq, "测试站点")
    url = "http://gov.example/verify"
    first = issue_notice(s, inputs, event.seq, url, render_notice)
    Path("test-results").mkdir(exist_ok=True)
    Path("test-results/sealed-notice.pdf").write_bytes(first)  # to look at
    assert issue_notice(s, inputs, event.seq, url, render_notice) == first  # kept, not redone
    status = validate(first, sealed)
    assert status.intact and status.valid and status.bottom_line
    doc = s.store.issued.of_event(case_no, event.seq)
    text = subprocess.run(["pdftotext", "-", "-"], input=first, capture_output=True).stdout
    assert doc.check_code in text.decode() and "受理通知书" in text.decode()
    # the QR code opens the verification page of this document
    png = subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-"],
                         input=first, capture_output=True, check=True).stdout  # fmt: skip
    import io

    import zxingcpp
    from PIL import Image

    codes = [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert f"{url}/{doc.check_code}" in codes
    found = look_up(s, doc.check_code.lower())
    assert found.title == "受理通知书" and found.status == "valid" and "*" in found.holder
    assert check_file(s, doc.check_code, first).text.startswith("核验通过")
    at = len(first) // 3
    flipped = first[:at] + bytes([first[at] ^ 1]) + first[at + 1 :]
    bad = check_file(s, doc.check_code, flipped)
    assert not bad.same and not bad.seal.valid and "核验未通过" in bad.text
    assert look_up(s, "ABCDEFGHJKMN") is None
    revoke = {"reason": "虚假承诺", "basis": "行政许可法第六十九条"}
    s.store.cases.append_event(case_no, kinds.REVOKED, status="revoked", data=revoke)
    assert look_up(s, doc.check_code).status == "revoked"


def test_each_document_carries_its_own_seal(tmp_path: Path, sealed, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """一枚印章: the centre's approval seal by default; a step's own `seal:` (an entrusting
    authority's) when the routing names one; each signed with that seal's key."""
    import json

    from yijian.apply.issued import seal_for
    from yijian.documents.verify import signature_report, trust_roots

    own = make_seal(sealed, "出生医学证明专用章")
    (tmp_path / "seals").mkdir()
    (tmp_path / "seals" / "birth.p12").write_bytes(own.p12(b"b", sealed.cert))
    (tmp_path / "seals" / "seals.json").write_text(
        json.dumps({"出生医学证明专用章": {"p12": "birth.p12", "passphrase": "b"}}), "utf-8"
    )
    monkeypatch.setenv("YIJIAN_SEAL_DIR", str(tmp_path / "seals"))
    signing._cached.cache_clear()
    s = services(tmp_path, datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ))
    case_no = submitted(s, BIRTH, case_answers(BIRTH))
    case = s.store.cases.get(case_no)
    assert seal_for(s, case, None) == "中山市行政审批局行政审批专用章"  # the county centre's
    assert seal_for(s, case, "issue") == "出生医学证明专用章"  # the routing's own
    accepted = accept(s, member(1, "wang", CLERK_GRANTS), case_no)
    notice = issue_notice(s, notice_inputs(s, case, accepted.seq, "站点"), accepted.seq,
                          "http://gov.example/verify", render_notice)  # fmt: skip
    report = signature_report(notice, trust_roots())
    assert report.valid and report.signer == SEAL  # the default: the approval seal
    from yijian.office import taskactions as ta
    from yijian.office.review import TaskRef

    health = member(2, "li", ("reviewer", "442000", "health"))
    ta.pass_step(s, health, TaskRef(case_no, "", "issue"), "签发", {})
    decided = s.store.cases.events(case_no)[-1]
    assert decided.kind == "concluded"
    case = s.store.cases.get(case_no)
    pdf = issue_notice(s, notice_inputs(s, case, decided.seq, "站点"), decided.seq,
                       "http://gov.example/verify", render_notice)  # fmt: skip
    report = signature_report(pdf, trust_roots())
    assert report.valid and report.signer == "出生医学证明专用章"


def test_the_worker_issues_notices_before_anyone_downloads_them(tmp_path: Path, sealed) -> None:  # type: ignore[no-untyped-def]
    from yijian.apply.issued import issue_pending

    s = services(tmp_path, datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ))
    case_no = submitted(s, BIRTH, case_answers(BIRTH))
    accepted = accept(s, member(1, "wang", CLERK_GRANTS), case_no)
    url = "http://gov.example/verify"
    done = issue_pending(s, url, "站点", render_notice, since="2000-01-01")
    assert done == [(case_no, accepted.seq)]
    assert issue_pending(s, url, "站点", render_notice, since="2000-01-01") == []  # once
    kept = s.store.issued.of_event(case_no, accepted.seq)
    case = s.store.cases.get(case_no)
    served = issue_notice(s, notice_inputs(s, case, accepted.seq, "站点"), accepted.seq, url,
                          render_notice)  # fmt: skip
    assert served == kept.pdf  # the request serves what the worker issued
