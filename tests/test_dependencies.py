"""Every runtime dependency declared in pyproject.toml is imported by the platform.

A declared dependency nothing imports is still installed, locked, audited and upgraded on
every site (issue 13: sqlite-utils was declared, named by the design, and imported nowhere).
Those loaded by another package instead of by name are listed with the reason.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "platform" / "yijian"

#: Dependencies the platform needs without importing them itself, and why.
INDIRECT = {
    "python-multipart": "starlette parses form posts with it (request.form())",
    "python-pkcs11": "pyHanko's PKCS#11 seal signer (documents/sealsigners.py) loads it",
}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported() -> set[str]:
    found = set()
    pattern = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
    for path in SOURCE.rglob("*.py"):
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_declared_dependency_is_imported() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]}
    by_dist: dict[str, set[str]] = {}
    for module, dists in packages_distributions().items():
        for dist in dists:
            by_dist.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    imported = _imported()
    unused = sorted(d for d in declared - INDIRECT.keys() if not (by_dist.get(d, set()) & imported))
    assert not unused, f"declared in pyproject.toml but imported nowhere: {unused}"
    assert INDIRECT.keys() <= declared, "an INDIRECT entry is no longer declared"
