"""The seal's key, three ways, behind one interface (the ``signers`` extension point).

Each signer is configured from the environment (secrets never sit in the definitions) with
:meth:`from_env` and signs a finished PDF with :meth:`sign`; ``documents.signing.finish`` is
the only caller. All three produce the same PAdES signature (``documents.seal.pades``):

- ``pkcs12``  — ``YIJIAN_SEAL_P12`` (file), ``YIJIAN_SEAL_PASSPHRASE``;
- ``pkcs11``  — ``YIJIAN_SEAL_PKCS11_LIB`` (e.g. /usr/lib/softhsm/libsofthsm2.so),
  ``YIJIAN_SEAL_TOKEN`` (token label), ``YIJIAN_SEAL_KEY`` (key and certificate label),
  ``YIJIAN_SEAL_PIN``; the key never leaves the token;
- ``remote``  — ``YIJIAN_SEAL_URL``: a signing service that publishes its certificate chain at
  ``GET <url>/certificate`` (PEM) and signs a SHA-256 digest at ``POST <url>/sign``
  (``{"digest": base64}`` → ``{"signature": base64}``, RSA PKCS#1 v1.5); the key never
  leaves the service. Optional ``YIJIAN_SEAL_URL_TOKEN`` is sent as a bearer token.

Common: ``YIJIAN_SEAL_NAME`` (the seal's name, shown in the signature), ``YIJIAN_SEAL_TSA``
(an RFC 3161 timestamp server).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from yijian.documents.seal import SealOptions, pades

__all__ = ["Pkcs11Seal", "Pkcs12Seal", "RemoteSeal", "SealConfigError"]


class SealConfigError(RuntimeError):
    """The signer cannot start: the message says which setting is missing or wrong."""


def _need(env: Mapping[str, str], key: str) -> str:
    value = env.get(key, "").strip()
    if not value:
        raise SealConfigError(f"{key} is not set (docs/seal.md)")
    return value


class _Sealing:
    """What every backend shares: the options and signing a PDF with a pyHanko signer."""

    def __init__(self, env: Mapping[str, str]):
        self.name = env.get("YIJIAN_SEAL_NAME", "")
        self.tsa = env.get("YIJIAN_SEAL_TSA") or None

    def _signer(self) -> Any:
        raise NotImplementedError

    def sign(self, pdf: bytes, *, purpose: str, box: Any = None) -> bytes:
        options = SealOptions(reason=purpose, name=self.name, tsa_url=self.tsa, box=box)
        return pades(pdf, self._signer(), options)


def _load_p12(path: str, passphrase: bytes) -> Any:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    try:  # checked here first: pyHanko logs a traceback of its own for a wrong passphrase
        pkcs12.load_key_and_certificates(Path(path).read_bytes(), passphrase or None)
    except (OSError, ValueError) as exc:
        raise SealConfigError(
            f"cannot open the seal file {path} (wrong passphrase?): {exc}"
        ) from None
    try:
        loaded = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    except Exception as exc:  # the file, or the passphrase: say which file, not a traceback
        raise SealConfigError(f"cannot read the seal file {path}: {exc}") from exc
    if loaded is None:
        raise SealConfigError(f"cannot open the seal file {path} (wrong passphrase?)")
    return loaded


class Pkcs12Seal(_Sealing):
    """The seal's key and certificate in a PKCS#12 file (``yijian seal init`` makes one).

    One site may hold several seals (一枚印章 per service centre, an entrusting authority's):
    ``YIJIAN_SEAL_DIR`` names a folder whose ``seals.json`` maps each seal's name to its file
    and passphrase; a document is signed with the seal it names, else the default one."""

    chooses_seal = True

    def __init__(self, path: str, passphrase: bytes, env: Mapping[str, str] | None = None):
        super().__init__(env or {})
        self._loaded = _load_p12(path, passphrase)
        self._seals: dict[str, Any] = {}
        folder = (env or {}).get("YIJIAN_SEAL_DIR")
        if folder:
            index = Path(folder) / "seals.json"
            try:
                table = json.loads(index.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise SealConfigError(f"cannot read {index}: {exc}") from exc
            for name, item in table.items():
                file = Path(folder) / str(item["p12"])
                self._seals[name] = _load_p12(str(file), str(item["passphrase"]).encode())

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Pkcs12Seal:
        path = _need(env, "YIJIAN_SEAL_P12")
        return cls(path, env.get("YIJIAN_SEAL_PASSPHRASE", "").encode(), env)

    def sign(self, pdf: bytes, *, purpose: str, box: Any = None, seal: str | None = None) -> bytes:
        self._current = self._seals.get(seal or "", self._loaded)
        named = seal if seal in self._seals else self.name
        options = SealOptions(reason=purpose, name=named, tsa_url=self.tsa, box=box)
        return pades(pdf, self._current, options)

    def _signer(self) -> Any:
        return getattr(self, "_current", self._loaded)


class Pkcs11Seal(_Sealing):
    """The seal's key inside a PKCS#11 token (an HSM, a USB key, SoftHSM2 in tests)."""

    def __init__(
        self, lib: str, token: str, key: str, pin: str, env: Mapping[str, str] | None = None
    ):
        super().__init__(env or {})
        self.lib, self.token, self.key, self.pin = lib, token, key, pin

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Pkcs11Seal:
        return cls(
            _need(env, "YIJIAN_SEAL_PKCS11_LIB"),
            _need(env, "YIJIAN_SEAL_TOKEN"),
            _need(env, "YIJIAN_SEAL_KEY"),
            _need(env, "YIJIAN_SEAL_PIN"),
            env,
        )

    def sign(self, pdf: bytes, *, purpose: str, box: Any = None) -> bytes:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                self.lib, token_criteria=TokenCriteria(label=self.token), user_pin=self.pin
            )
        except Exception as exc:  # the library's own errors: say which token, not a traceback
            raise SealConfigError(f"cannot open PKCS#11 token {self.token!r}: {exc}") from exc
        try:
            self._current = PKCS11Signer(session, key_label=self.key, cert_label=self.key)
            return super().sign(pdf, purpose=purpose, box=box)
        finally:
            session.close()

    def _signer(self) -> Any:
        return self._current


class RemoteSeal(_Sealing):
    """A signing service holds the key; only a digest travels (the 电子印章平台 shape)."""

    def __init__(self, url: str, token: str = "", env: Mapping[str, str] | None = None):
        super().__init__(env or {})
        self.url, self.token = url.rstrip("/"), token

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> RemoteSeal:
        return cls(_need(env, "YIJIAN_SEAL_URL"), env.get("YIJIAN_SEAL_URL_TOKEN", ""), env)

    def _call(self, path: str, body: dict[str, Any] | None = None) -> bytes:
        headers = {"content-type": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return bytes(answer.read())
        except OSError as exc:
            raise SealConfigError(f"the signing service at {self.url} failed: {exc}") from exc

    def _signer(self) -> Any:
        from asn1crypto import pem as asn1_pem
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign.signers.pdf_cms import Signer
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        chain = [
            asn1_x509.Certificate.load(der)
            for _, _, der in asn1_pem.unarmor(self._call("/certificate"), multiple=True)
        ]
        service = self

        class _Remote(Signer):
            async def async_sign_raw(
                self, data: bytes, digest_algorithm: str, dry_run: bool = False
            ) -> bytes:
                size = chain[0].public_key.byte_size
                if dry_run:
                    return bytes(size)
                digest = hashlib.new(digest_algorithm, data).digest()
                payload = {
                    "digest": base64.b64encode(digest).decode(),
                    "algorithm": digest_algorithm,
                }
                answer = json.loads(service._call("/sign", payload))
                return base64.b64decode(answer["signature"])

        return _Remote(
            signing_cert=chain[0], cert_registry=SimpleCertificateStore.from_certs(chain[1:])
        )
