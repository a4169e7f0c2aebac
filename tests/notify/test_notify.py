"""Notifications against real components: an SMTP sink (aiosmtpd) on a free port, the SMS file
provider, and ``yijian worker --once`` after a clerk's action over HTTP."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from yijian.notify.channels import EmailChannel, FileSms, SmsChannel
from yijian.notify.messages import messages_for, render
from yijian.notify.sender import deliver_once
from yijian.store import Store
from yijian.store.outbox import OutboxItem

ANSWERS = {
    "mother": {"name": "王芳", "id_number": "11010519491231002X"},
    "contact": {"phone": "13800138000", "email": "wangfang@example.cn"},
}


class Sink:
    """An SMTP server that refuses the first ``refuse`` messages, then keeps the rest."""

    def __init__(self, refuse: int = 0) -> None:
        self.refuse = refuse
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return "451 try again later"
        self.messages.append(envelope)
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler, port = Sink(refuse=1), _port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def test_messages_carry_masked_data_only() -> None:
    items = messages_for(
        "correction_requested", 2, "C1", "出生医学证明", "王芳", ANSWERS,
        {"items": [{"id": "a"}, {"id": "b"}], "due": "2026-03-20"},
    )  # fmt: skip
    assert [(i.channel, i.recipient) for i in items] == [
        ("sms", "13800138000"),
        ("email", "wangfang@example.cn"),
    ]
    text = json.dumps([i.data for i in items], ensure_ascii=False)
    assert "王*" in text and "王芳" not in text and "11010519491231002X" not in text
    subject, body = render(items[0].template, items[0].data)
    assert subject == "您的申请需要补正" and "补正 2 项" in body and "2026-03-20" in body
    assert messages_for("suspended", 3, "C1", "x", None, ANSWERS, {}) == []


def test_email_is_retried_until_the_server_takes_it(sink: tuple[Sink, int], tmp_path: Path) -> None:
    handler, port = sink
    store = Store.open(tmp_path / "y.db")
    data = {"case_no": "C1", "matter": "出生医学证明", "applicant": "王*"}
    store.outbox.add(OutboxItem("C1:2:email", "email", "wangfang@example.cn", "accepted", data))
    channels = {"email": EmailChannel("127.0.0.1", port, sender="noreply@county.example")}
    first = deliver_once(store.outbox, channels, "w1")
    assert (first.sent, first.failed) == (0, 1) and handler.messages == []
    store.db.conn().execute("UPDATE outbox SET next_attempt_at = '2000-01-01'")  # due now
    second = deliver_once(store.outbox, channels, "w1")
    assert (second.sent, second.failed) == (1, 0)
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == ["wangfang@example.cn"]
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert message["From"] == "noreply@county.example" and message["Subject"] == "您的申请已受理"
    assert "出生医学证明（办件编号 C1）已受理" in message.get_content()
    assert store.outbox.counts() == {"pending": 0, "sent": 1, "dead": 0}
    store.close()


def test_an_unconfigured_channel_waits_in_the_outbox(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "y.db")
    store.outbox.add(OutboxItem("C1:2:email", "email", "a@b.cn", "accepted", {}))
    stats = deliver_once(store.outbox, {}, "w1")
    assert stats.failed == 1 and store.outbox.counts()["pending"] == 1
    store.close()


def test_sms_file_provider(tmp_path: Path) -> None:
    path = tmp_path / "sms.jsonl"
    SmsChannel(FileSms(path)).send("13800138000", "s", "您好")
    assert json.loads(path.read_text("utf-8")) == {"phone": "13800138000", "text": "您好"}


def test_a_clerks_action_reaches_the_applicants_phone_through_the_worker(
    tmp_path: Path,
) -> None:
    """The whole path: a window action writes its SMS in the event's transaction; the worker
    command delivers it to the SMS file."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
    from webtools import BIRTH_PAGES, REPO, SAME_ORIGIN, TestClient, start, with_markers

    from yijian.office.staff import GrantSpec, Operator, add_staff
    from yijian.web import Settings, create_app

    db = tmp_path / "var" / "y.db"
    app = create_app(Settings(root=REPO, db_path=db))
    with TestClient(app, headers=SAME_ORIGIN) as citizen:
        draft_id, _ = start(citizen, "birth-medical-certificate")
        for name, values in BIRTH_PAGES.items():
            citizen.post(f"/drafts/{draft_id}/{name}", data=with_markers(values))
        citizen.post(f"/drafts/{draft_id}/submit")
        case_no = app.state.store.drafts.get(draft_id).case_no
        from argon2 import PasswordHasher

        from yijian.store.passwords import Passwords

        cheap = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        app.state.passwords = cheap
        add_staff(app.state.store, cheap, login="wang", name="王", password="notify-test-pw1",
                  operator=Operator.shell("t"), regions=app.state.regions,
                  grants=[GrantSpec("clerk", "442000")])  # fmt: skip
        clerk = TestClient(app, headers=SAME_ORIGIN)
        clerk.post("/staff/signin", data={"login": "wang", "password": "notify-test-pw1"})
        assert (
            clerk.post(f"/staff/cases/{case_no}/accept", follow_redirects=False).status_code == 303
        )
        assert clerk.post(f"/staff/cases/{case_no}/accept").status_code == 400  # acts once
    sms = tmp_path / "sms.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "yijian.cli", "worker", "--root", str(REPO), "--db", str(db),
         "--once", "--sms-file", str(sms)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0 and "sent 1, failed 0" in done.stdout, done.stdout + done.stderr
    (line,) = sms.read_text("utf-8").splitlines()
    message = json.loads(line)
    assert message["phone"] == "13800138000"
    assert case_no in message["text"] and "已受理" in message["text"]
    assert "王芳" not in message["text"]
