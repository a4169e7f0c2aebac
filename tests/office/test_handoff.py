"""审管联动 against a real local HTTP receiver: a decision of the food licence (supervised by
县市场监督管理局 in the example root) is written to the outbox in the decision's transaction
and POSTed signed by the worker's sender; a 500 is retried with backoff; one decision written
twice is delivered once; other events and unsupervised matters send nothing."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import casefixtures as cf
import pytest
import taskfixtures as tf

from yijian.apply.services import Services
from yijian.casework import kinds
from yijian.extend import NOTIFICATION_CHANNELS
from yijian.notify.sender import channels_from, deliver_once
from yijian.notify.webhook import SIGNATURE_HEADER, WebhookChannel, verify
from yijian.office.handoff import handoff_writer
from yijian.registry import Registry
from yijian.runtime.regions import RegionTable
from yijian.store import Store

SECRET = "s3cret-for-tests"
NOW = [tf.MONDAY]  # the store's clock: a test moves it past the backoff
FOOD = "food-business-licence"


class Receiver(ThreadingHTTPServer):
    """Answers the scripted statuses in turn (then 200) and keeps what it received."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[int] = []
        self.got: list[tuple[dict[str, str], bytes, int]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/decisions"


class _Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # http.server's name
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        status = self.server.script.pop(0) if self.server.script else 200
        self.server.got.append((dict(self.headers), raw, status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def registry(receiver: Receiver, tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """The example root with the market department's webhook pointed at the receiver."""
    root = tmp_path_factory.mktemp("root")
    for part in ("matters", "rules", "forms"):
        if (tf.REPO / part).is_dir():
            shutil.copytree(tf.REPO / part, root / part)
    org = root / "rules" / "org.yaml"
    text = org.read_text("utf-8")
    assert "http://127.0.0.1:8091/hooks/decisions" in text
    org.write_text(text.replace("http://127.0.0.1:8091/hooks/decisions", receiver.url), "utf-8")
    reg = Registry(root)
    assert reg.load() is not None, reg.last_errors
    return reg


@pytest.fixture
def app(registry: Registry, receiver: Receiver, tmp_path: Path) -> Iterator[Services]:
    receiver.script.clear()
    receiver.got.clear()
    NOW[:] = [tf.MONDAY]

    def clock() -> Any:
        return NOW[0]

    store = Store.open(tmp_path / "yijian.db", clock=clock)
    yield Services(registry, store, RegionTable.load(), "442000", clock=clock)
    store.close()


def _decide(s: Services, case_no: str, kind: str, data: dict[str, Any], twice: bool = False):  # type: ignore[no-untyped-def]
    case = s.store.cases.get(case_no)
    assert case is not None
    matter = s.registry.current.matter(case.matter_id)
    writer = handoff_writer(s, case, matter)

    def both(conn: Any, event: Any) -> None:
        writer(conn, event)
        if twice:  # a retried action writes the same decision's hand-off again
            writer(conn, event)

    event = s.store.cases.act(
        case_no, kind, status=kinds.STATUS.get(kind), actor="staff:4:chen", data=data,
        check=lambda events: None, also=both,
    )  # fmt: skip
    assert not isinstance(event, str)
    return event


APPROVED = {
    "step": "decide", "decision": "approved", "opinion": "符合条件，准予许可", "reason": "",
    "basis": "《食品经营许可和备案管理办法》", "approver": "staff:4:chen", "facts": {},
}  # fmt: skip


def _channels() -> dict[str, Any]:
    return {"webhook": WebhookChannel(env={"YIJIAN_HOOK_MARKET": SECRET}, timeout=5)}


def test_a_decision_is_posted_signed_and_retried(app: Services, receiver: Receiver) -> None:
    case_no = cf.submitted(app, FOOD, tf.case_answers(FOOD))
    event = _decide(app, case_no, kinds.CONCLUDED, APPROVED)
    receiver.script[:] = [500]
    first = deliver_once(app.store.outbox, _channels(), "w1")
    assert (first.sent, first.failed) == (0, 1)
    assert deliver_once(app.store.outbox, _channels(), "w1").sent == 0  # backoff: not due yet
    NOW[0] = tf.MONDAY + timedelta(seconds=31)  # the first backoff (30 s) has passed
    second = deliver_once(app.store.outbox, _channels(), "w1")
    assert (second.sent, second.failed) == (1, 0)
    assert [status for _, _, status in receiver.got] == [500, 200]
    headers, raw, _ = receiver.got[-1]
    assert verify(SECRET, raw, headers[SIGNATURE_HEADER])
    assert not verify("another key", raw, headers[SIGNATURE_HEADER])
    body = json.loads(raw)
    key = f"{case_no}:{event.seq}:handoff"
    assert body["idempotency_key"] == headers["Idempotency-Key"] == key
    assert (body["type"], body["decision"]) == ("decision", "approved")
    assert body["supervisor"] == body["department"] == "market"
    assert body["matter"]["id"] == FOOD and body["case_no"] == case_no
    assert body["event_hash"] == event.hash and body["opinion"] == APPROVED["opinion"]
    assert app.store.outbox.counts() == {"pending": 0, "sent": 1, "dead": 0}


def test_the_same_decision_twice_is_one_delivery(app: Services, receiver: Receiver) -> None:
    case_no = cf.submitted(app, FOOD, tf.case_answers(FOOD))
    _decide(app, case_no, kinds.CONCLUDED, APPROVED, twice=True)
    deliver_once(app.store.outbox, _channels(), "w1")
    deliver_once(app.store.outbox, _channels(), "w2")
    assert len(receiver.got) == 1
    revoked = _decide(app, case_no, kinds.REVOKED, {"reason": "承诺不实", "basis": "第六十九条"})
    assert deliver_once(app.store.outbox, _channels(), "w1").sent == 1
    body = json.loads(receiver.got[-1][1])
    assert (body["type"], body["decision"]) == ("revocation", "revoked")
    assert body["event_seq"] == revoked.seq


def test_other_events_and_unsupervised_matters_send_nothing(app: Services) -> None:
    case_no = cf.submitted(app, FOOD, tf.case_answers(FOOD))
    _decide(app, case_no, kinds.TASK_CLAIMED, {"step": "review"})
    _decide(app, case_no, kinds.CONCLUDED, {"decision": "partial"})  # a bundle's joint close
    other = cf.submitted(app, "outdoor-signboard", tf.case_answers("outdoor-signboard"))
    _decide(app, other, kinds.CONCLUDED, APPROVED)
    assert app.store.outbox.for_case(case_no) == []
    assert [m["channel"] for m in app.store.outbox.for_case(other)] != ["webhook"]


def test_a_missing_key_fails_and_is_retried_later(app: Services, receiver: Receiver) -> None:
    case_no = cf.submitted(app, FOOD, tf.case_answers(FOOD))
    _decide(app, case_no, kinds.CONCLUDED, APPROVED)
    stats = deliver_once(app.store.outbox, {"webhook": WebhookChannel(env={})}, "w1")
    assert (stats.sent, stats.failed, receiver.got) == (0, 1, [])


def test_the_channel_is_registered_beside_the_built_ins(tmp_path: Path) -> None:
    assert {"email", "sms", "webhook"} <= set(NOTIFICATION_CHANNELS.names())
    settings = type("S", (), {"db_path": tmp_path / "x.db", "smtp_host": None})()
    assert isinstance(channels_from(settings)["webhook"], WebhookChannel)
