"""`yijian seal init` writes a clearly marked test seal (never over an existing one) and
`yijian seal check` signs and validates a page with the configured signer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _yijian(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "yijian.cli", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=REPO)  # fmt: skip


def test_init_then_check(tmp_path: Path) -> None:
    folder = tmp_path / "seal"
    done = _yijian("seal", "init", "--dir", str(folder))
    assert done.returncode == 0, done.stderr
    assert "TEST" in done.stdout and (folder / "seal.p12").is_file()
    settings = dict(
        line.split("=", 1)
        for line in (folder / "seal.env").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert (
        settings["YIJIAN_SIGNER"] == "pkcs12"
        and oct((folder / "seal.env").stat().st_mode)[-3:] == "600"
    )
    again = _yijian("seal", "init", "--dir", str(folder))
    assert again.returncode == 1 and "never overwritten" in again.stderr
    checked = _yijian("seal", "check", env={**os.environ, **settings})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "电子印章有效" in checked.stdout and "行政审批专用章" in checked.stdout
    wrong = {**os.environ, **settings, "YIJIAN_SEAL_PASSPHRASE": "wrong"}
    refused = _yijian("seal", "check", env=wrong)
    assert (
        refused.returncode == 1 and "error:" in refused.stderr and "Traceback" not in refused.stderr
    )
