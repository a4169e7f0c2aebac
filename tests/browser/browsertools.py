"""Constants and helpers shared by the browser tests (a uniquely named module: ``conftest``
clashes with the web tests' conftest when both folders run in one session)."""

import json
import sqlite3
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
BUNDLE = "newborn-bundle"


def yijian_command(*args: str) -> list[str]:
    """The ``yijian`` command of this interpreter's environment."""
    import sys

    script = Path(sys.executable).parent / "yijian"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "yijian.cli"]
    return [*cmd, *args]


def texted_code(site: Any, phone: str) -> str:
    """The sign-up code as the SMS would bring it (the outbox, before the worker sends it)."""
    with sqlite3.connect(site.root.parent / "yijian.db") as conn:
        (data,) = conn.execute(
            "SELECT data FROM outbox WHERE recipient = ? AND template = 'signup_code'"
            " ORDER BY id DESC LIMIT 1",
            (phone,),
        ).fetchone()
    return str(json.loads(data)["code"])
