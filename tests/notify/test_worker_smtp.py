"""``yijian worker --once`` as a command delivers e-mail to a real SMTP sink (aiosmtpd), with
the SMTP settings it takes on the command line; the e-mail test in test_notify.py calls the
sender directly, this one proves the command wires the email channel from its flags."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from yijian.store import Store
from yijian.store.outbox import OutboxItem

REPO = Path(__file__).resolve().parents[2]


class Keep:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _worker(db: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yijian.cli", "worker", "--root", str(REPO), "--db", str(db),
         "--once", "--sms-file", str(db.parent / "sms.jsonl"), *flags],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_worker_once_sends_the_outbox_email_to_the_smtp_server(tmp_path: Path) -> None:
    db = tmp_path / "y.db"
    store = Store.open(db)
    data = {"case_no": "C9", "matter": "出生医学证明", "applicant": "王*"}
    store.outbox.add(OutboxItem("C9:2:email", "email", "wangfang@example.cn", "accepted", data))
    store.close()

    # without an SMTP host the e-mail waits (exit 1: one failed) and nothing is lost
    waiting = _worker(db)
    assert waiting.returncode == 1 and "sent 0, failed 1" in waiting.stdout, waiting.stderr

    handler, port = Keep(), _port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        store = Store.open(db)
        store.db.conn().execute("UPDATE outbox SET next_attempt_at = '2000-01-01'")  # due now
        store.close()
        done = _worker(db, "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                       "--mail-from", "noreply@county.example")  # fmt: skip
    finally:
        controller.stop()
    assert done.returncode == 0 and "sent 1, failed 0" in done.stdout, done.stdout + done.stderr
    (envelope,) = handler.messages
    assert envelope.mail_from == "noreply@county.example"
    assert envelope.rcpt_tos == ["wangfang@example.cn"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["Subject"] == "您的申请已受理"
    assert "C9" in message.get_content() and "王芳" not in message.get_content()
    store = Store.open(db)
    assert store.outbox.counts() == {"pending": 0, "sent": 1, "dead": 0}
    store.close()
