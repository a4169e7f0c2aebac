"""Shared by the seal tests (imported as ``sealtools``): a CJK PDF, a test CA, validation with
pyHanko, a SoftHSM2 token and a local remote-signing service."""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils

from yijian.documents.testca import SealCredentials

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


def cjk_pdf(text: str = "准予行政许可决定书：王𠮷芳，食品经营许可") -> bytes:
    from weasyprint import HTML

    from yijian.documents.fonts import cjk_font_family

    html = f"<html><body style='font-family:\"{cjk_font_family()}\"'><h1>{text}</h1></body></html>"
    return HTML(string=html).write_pdf()


def validate(pdf: bytes, ca: SealCredentials) -> Any:
    """pyHanko's validation status of the (only) signature, trusting the test CA."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    [sig] = reader.embedded_signatures
    from yijian.documents.seal import off_loop

    return off_loop(validate_pdf_signature, sig, ValidationContext(trust_roots=[root]))


@contextmanager
def signing_service(seal: SealCredentials, ca: SealCredentials) -> Iterator[str]:
    """A remote signing service on 127.0.0.1: GET /certificate, POST /sign (a digest)."""
    chain = seal.pem() + ca.pem()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._send(chain, "application/x-pem-file")

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            digest = base64.b64decode(body["digest"])
            sig = seal.key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
            self._send(json.dumps({"signature": base64.b64encode(sig).decode()}).encode(),
                       "application/json")  # fmt: skip

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _der_int(n: int) -> bytes:
    body = n.to_bytes((n.bit_length() + 8) // 8, "big")
    return bytes([0x02, len(body)]) + body


def softhsm_token(tmp: Path, ca: SealCredentials, seal_name: str) -> dict[str, str]:
    """A fresh SoftHSM2 token holding a seal key made inside it and its certificate; the
    environment the ``pkcs11`` signer reads."""
    import pkcs11
    from cryptography.hazmat.primitives.asymmetric import rsa

    from yijian.documents.testca import seal_certificate

    assert Path(SOFTHSM).exists(), "install softhsm2 (make test does)"
    (tmp / "tokens").mkdir()
    conf = tmp / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    util = shutil.which("softhsm2-util")
    assert util, "softhsm2-util missing"
    subprocess.run(
        [util, "--init-token", "--free", "--label", "yijian", "--pin", "1234", "--so-pin", "5678"],
        check=True, capture_output=True, env={**os.environ, "SOFTHSM2_CONF": str(conf)},
    )  # fmt: skip
    lib = pkcs11.lib(SOFTHSM)
    lib.reinitialize()
    token = lib.get_token(token_label="yijian")
    with token.open(rw=True, user_pin="1234") as session:
        public, _ = session.generate_keypair(
            pkcs11.KeyType.RSA, 2048, label="seal", id=b"\x01", store=True
        )
        n = int.from_bytes(public[pkcs11.Attribute.MODULUS], "big")
        e = int.from_bytes(public[pkcs11.Attribute.PUBLIC_EXPONENT], "big")
        cert = seal_certificate(ca, rsa.RSAPublicNumbers(e, n).public_key(), seal_name)
        der = cert.public_bytes(serialization.Encoding.DER)
        session.create_object(
            {
                pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
                pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                pkcs11.Attribute.LABEL: "seal",
                pkcs11.Attribute.ID: b"\x01",
                pkcs11.Attribute.TOKEN: True,
                pkcs11.Attribute.VALUE: der,
                pkcs11.Attribute.SUBJECT: cert.subject.public_bytes(),
                pkcs11.Attribute.ISSUER: cert.issuer.public_bytes(),
                pkcs11.Attribute.SERIAL_NUMBER: _der_int(cert.serial_number),
            }
        )
    return {
        "YIJIAN_SEAL_PKCS11_LIB": SOFTHSM,
        "YIJIAN_SEAL_TOKEN": "yijian",
        "YIJIAN_SEAL_KEY": "seal",
        "YIJIAN_SEAL_PIN": "1234",
        "YIJIAN_SEAL_NAME": seal_name,
    }
