"""A clearly marked TEST certificate authority and seal certificates for the examples.

``yijian seal init`` writes them so the example server seals real, verifiable PDFs. Nothing
here is a legal seal: the CA's name says 测试 (TEST) and "NOT FOR PRODUCTION"; a county uses
certificates from a licensed 电子认证服务机构 through the ``pkcs11`` or ``remote`` signer
(docs/seal.md). RSA 2048 and SHA-256, because that is what PAdES validators accept widely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["SealCredentials", "make_ca", "make_seal", "seal_certificate"]

TEST_MARK = "测试用 NOT FOR PRODUCTION"


@dataclass(frozen=True)
class SealCredentials:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def p12(self, passphrase: bytes, ca: x509.Certificate | None = None) -> bytes:
        enc = serialization.BestAvailableEncryption(passphrase)
        extra = [ca] if ca is not None else None
        return pkcs12.serialize_key_and_certificates(b"seal", self.key, self.cert, extra, enc)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"yijian {TEST_MARK}"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_ca(now: dt.datetime | None = None) -> SealCredentials:
    now = now or dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(f"一件 测试电子印章 CA（{TEST_MARK}）")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .sign(key, hashes.SHA256())
    )
    return SealCredentials(key, cert)


def seal_certificate(
    ca: SealCredentials,
    public_key: rsa.RSAPublicKey,
    seal_name: str,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """A seal certificate for ``public_key`` (a key made here, or one inside a token)."""
    now = now or dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(seal_name))
        .issuer_name(ca.cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), False
        )
        .sign(ca.key, hashes.SHA256())
    )


def make_seal(ca: SealCredentials, seal_name: str) -> SealCredentials:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return SealCredentials(key, seal_certificate(ca, key.public_key(), seal_name))
