"""The ``webhook`` channel: signed JSON POSTed to a department's receiver (审管联动).

Unlike ``email`` and ``sms`` the message is data, not text: the outbox row's ``data`` holds the
JSON ``body`` and the name of the environment variable with the signing key (``secret_env``);
the row's recipient is the receiver's URL, taken from rules/org.yaml when the decision was
made. The body is signed as sent — ``X-Yijian-Signature: sha256=<hex HMAC-SHA256 of the raw
body>`` — so a receiver verifies the exact bytes before parsing them. ``Idempotency-Key``
repeats the body's ``idempotency_key``: a receiver that saw it already answers 2xx and does
nothing (a worker that crashed after the POST but before marking it sent posts it again).

Any answer but 2xx, a timeout or a missing key fails the attempt; the outbox retries it with
its backoff. The key is read at send time, so setting it later still delivers.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.request
from collections.abc import Mapping
from typing import Any

__all__ = ["SIGNATURE_HEADER", "WebhookChannel", "body_bytes", "sign", "verify"]

SIGNATURE_HEADER = "X-Yijian-Signature"
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def body_bytes(body: Mapping[str, Any]) -> bytes:
    """The exact bytes sent and signed (UTF-8, sorted keys, no spaces)."""
    return _ENCODER.encode(body).encode("utf-8")


def sign(secret: str, raw: bytes) -> str:
    """The signature header's value for ``raw`` under ``secret``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def verify(secret: str, raw: bytes, header: str | None) -> bool:
    """What a receiver does first (constant-time compare); here for tests and receivers."""
    return header is not None and hmac.compare_digest(sign(secret, raw), header)


class WebhookChannel:
    """POSTs ``data["body"]`` to the recipient URL, signed with ``env[data["secret_env"]]``."""

    def __init__(self, env: Mapping[str, str] | None = None, timeout: float = 10):
        self.env = os.environ if env is None else env
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Any) -> WebhookChannel:
        """Always available: the address and key name travel with each message."""
        return cls(timeout=float(getattr(settings, "webhook_timeout", 10)))

    def send(self, recipient: str, subject: str, body: str) -> None:
        raise TypeError("the webhook channel sends data (send_data), not text")

    def send_data(self, recipient: str, template: str, data: Mapping[str, Any]) -> None:
        name = str(data.get("secret_env") or "")
        secret = self.env.get(name)
        if not secret:
            raise LookupError(f"the signing key ${name} is not set for the worker")
        body = dict(data.get("body") or {})
        raw = body_bytes(body)
        request = urllib.request.Request(  # the URL: http(s), checked at load
            recipient,
            data=raw,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                SIGNATURE_HEADER: sign(secret, raw),
                "Idempotency-Key": str(body.get("idempotency_key", "")),
                "X-Yijian-Event": template,
                "User-Agent": "yijian-worker",
            },
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as answer:
            if not 200 <= answer.status < 300:  # urllib raises for 4xx/5xx; 1xx/3xx end here
                raise OSError(f"the receiver answered {answer.status}")
