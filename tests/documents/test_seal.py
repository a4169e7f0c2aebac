"""The seal's three backends sign a real CJK PDF that pyHanko's validator accepts, and one
flipped byte makes it invalid."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
from sealtools import cjk_pdf, signing_service, softhsm_token, validate

from yijian.documents.sealsigners import (
    Pkcs11Seal,
    Pkcs12Seal,
    RemoteSeal,
    SealConfigError,
)
from yijian.documents.testca import make_ca, make_seal

NAME = "中山市石岐街道办事处行政审批专用章"


@pytest.fixture(scope="module")
def ca():  # type: ignore[no-untyped-def]
    return make_ca()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return cjk_pdf()


def _valid(signed: bytes, ca) -> None:  # type: ignore[no-untyped-def]
    status = validate(signed, ca)
    assert status.intact and status.valid and status.bottom_line, status.pretty_print_details()
    at = signed.index(b"%%EOF") // 2  # one byte in the signed range: the original content
    flipped = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]
    broken = validate(flipped, ca)
    assert not broken.intact and not broken.bottom_line


def test_pkcs12(tmp_path: Path, ca, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    seal = make_seal(ca, NAME)
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(seal.p12(b"secret", ca.cert))
    env = {
        "YIJIAN_SEAL_P12": str(p12),
        "YIJIAN_SEAL_PASSPHRASE": "secret",
        "YIJIAN_SEAL_NAME": NAME,
    }
    signed = Pkcs12Seal.from_env(env).sign(pdf, purpose="准予行政许可决定书")
    assert signed.startswith(pdf)  # an incremental update: the issued bytes are kept
    _valid(signed, ca)
    with pytest.raises(SealConfigError, match=r"passphrase|cannot"):
        Pkcs12Seal.from_env({**env, "YIJIAN_SEAL_PASSPHRASE": "wrong"})
    with pytest.raises(SealConfigError, match="YIJIAN_SEAL_P12"):
        Pkcs12Seal.from_env({})


def test_remote_service(ca, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    seal = make_seal(ca, NAME)
    with signing_service(seal, ca) as url:
        signed = RemoteSeal.from_env({"YIJIAN_SEAL_URL": url}).sign(pdf, purpose="受理通知书")
    _valid(signed, ca)


def test_pkcs11_softhsm(tmp_path: Path, ca, pdf: bytes) -> None:  # type: ignore[no-untyped-def]
    env = softhsm_token(tmp_path, ca, NAME)
    signed = Pkcs11Seal.from_env(env).sign(pdf, purpose="准予行政许可决定书")
    _valid(signed, ca)
    with pytest.raises(SealConfigError, match="PKCS#11"):
        Pkcs11Seal.from_env({**env, "YIJIAN_SEAL_TOKEN": "nope"}).sign(pdf, purpose="x")
