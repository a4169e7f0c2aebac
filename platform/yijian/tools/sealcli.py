"""``yijian seal init``: a clearly marked TEST seal for the examples, and ``yijian seal check``.

``init`` writes, beside the database (``var/seal/`` by default): the test CA's certificate
(``test-ca.pem``, what a validator must trust to accept the examples' seals), the seal's
PKCS#12 file (``seal.p12``) and ``seal.env`` with the settings the ``pkcs12`` signer reads; the
passphrase is random and stays in that file (mode 600). It refuses to overwrite an existing
seal. The seal's name follows the policy's rule for a county approval bureau unless
``--name`` says otherwise. ``check`` signs a one-page PDF with the configured signer and
validates it, so a county knows its seal works before a citizen receives a document.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from yijian.store.target import resolve

__all__ = ["add_seal_parser"]


def _folder(args: argparse.Namespace) -> Path:
    root = Path(getattr(args, "root", ".") or ".")
    return Path(args.dir) if args.dir else resolve(args.db, root).path.parent / "seal"


def cmd_init(args: argparse.Namespace) -> int:
    from yijian.documents.testca import make_ca, make_seal

    folder = _folder(args)
    if (folder / "seal.p12").exists():
        print(f"error: {folder / 'seal.p12'} exists; a seal is never overwritten", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    ca = make_ca()
    seal = make_seal(ca, args.name)
    passphrase = secrets.token_urlsafe(24)
    (folder / "test-ca.pem").write_bytes(ca.pem())
    (folder / "test-ca.key").write_bytes(
        ca.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase.encode()),
        )
    )
    p12 = folder / "seal.p12"
    p12.write_bytes(seal.p12(passphrase.encode(), ca.cert))
    env = folder / "seal.env"
    env.write_text(
        "# TEST seal made by `yijian seal init`: NOT FOR PRODUCTION (docs/seal.md)\n"
        "YIJIAN_SIGNER=pkcs12\n"
        f"YIJIAN_SEAL_P12={p12.resolve()}\n"
        f"YIJIAN_SEAL_PASSPHRASE={passphrase}\n"
        f"YIJIAN_SEAL_NAME={args.name}\n"
        f"YIJIAN_SEAL_TRUST={(folder / 'test-ca.pem').resolve()}\n",
        encoding="utf-8",
    )
    names = _definition_seals(args) if args.all else []
    table = {}
    for i, name in enumerate(n for n in names if n != args.name):
        file = f"seal-{i + 1:02d}.p12"
        secret = secrets.token_urlsafe(24)
        (folder / file).write_bytes(make_seal(ca, name).p12(secret.encode(), ca.cert))
        os.chmod(folder / file, 0o600)
        table[name] = {"p12": file, "passphrase": secret}
    if table:
        (folder / "seals.json").write_text(json.dumps(table, ensure_ascii=False, indent=2))
        os.chmod(folder / "seals.json", 0o600)
        with env.open("a", encoding="utf-8") as out:
            out.write(f"YIJIAN_SEAL_DIR={folder.resolve()}\n")
    for path in (p12, env, folder / "test-ca.key"):
        os.chmod(path, 0o600)
    print(f"wrote a TEST seal “{args.name}” in {folder} (not for production)")
    if table:
        print(f"and {len(table)} more seals named by the definitions: " + "、".join(table))
    print(f"use it: set -a; . {env}; set +a   (yijian serve and yijian worker read it)")
    return 0


def _definition_seals(args: argparse.Namespace) -> list[str]:
    """Every seal the definitions name: each service centre's approval seal, and each routing
    step's own (an entrusting authority's)."""
    from yijian.documents.sealname import approval_seal, township_of
    from yijian.registry import Registry
    from yijian.runtime.regions import RegionTable

    root = Path(getattr(args, "root", ".") or ".")
    snapshot = Registry(root, region=getattr(args, "region", None)).load()
    if snapshot is None:
        return []
    regions = RegionTable.load()
    names: list[str] = []
    for c in snapshot.org.centres:
        if c.level == "village":
            continue
        try:
            county = regions.name(c.region[:6])
        except (KeyError, LookupError, ValueError):
            continue
        township = township_of(c.name) if c.level == "township" else None
        names.append(c.seal or approval_seal(county, township))
    for m in snapshot.matters.values():
        names += [s.step.seal for s in m.steps if s.step.seal]
    return list(dict.fromkeys(names))


def cmd_check(args: argparse.Namespace) -> int:
    from yijian.documents.sealsigners import SealConfigError
    from yijian.documents.signing import signer_named
    from yijian.documents.verify import signature_report

    try:
        signer = signer_named(None)
    except SealConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    from weasyprint import HTML

    pdf = HTML(string="<p>yijian seal check 印章检查</p>").write_pdf()
    try:
        signed = signer.sign(pdf, purpose="印章检查")
    except SealConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = signature_report(signed)
    print(report.text)
    return 0 if report.valid else 1


def add_seal_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser(
        "seal", help="the electronic seal: make a test seal, check the configured one"
    )
    verbs = s.add_subparsers(dest="verb", required=True)
    i = verbs.add_parser("init", help="write a clearly marked TEST CA and seal for the examples")
    i.add_argument("--db", default=None, help="the seal goes beside it (var/seal/)")
    i.add_argument("--dir", default=None, help="where to write (default: <db folder>/seal)")
    i.add_argument("--name", default="中山市行政审批局行政审批专用章", help="the seal's name")
    i.add_argument(
        "--all", action="store_true",
        help="also a seal for every centre and every step `seal:` the definitions name",
    )  # fmt: skip
    i.set_defaults(func=cmd_init)
    c = verbs.add_parser("check", help="sign a test page with the configured signer and verify it")
    c.set_defaults(func=cmd_check)
