"""Constants shared by the browser tests (a uniquely named module: ``conftest`` clashes with the
web tests' conftest when both folders run in one session)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
BUNDLE = "newborn-bundle"


def yijian_command(*args: str) -> list[str]:
    """The ``yijian`` command of this interpreter's environment."""
    import sys

    script = Path(sys.executable).parent / "yijian"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "yijian.cli"]
    return [*cmd, *args]
