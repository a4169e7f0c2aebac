"""Constants shared by the browser tests (a uniquely named module: ``conftest`` clashes with the
web tests' conftest when both folders run in one session)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
BUNDLE = "newborn-bundle"
