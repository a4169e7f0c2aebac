"""The channels a message travels by (the ``notification_channels`` extension point).

A channel is built from the site's settings (``from_settings``) and ``send``s one message or
raises; the sender retries a failure later. ``email`` speaks SMTP (``smtplib``; STARTTLS and a
login when configured). ``sms`` hands the text to an ``SmsProvider``: ``file`` appends one JSON
line per message (a county without a gateway yet, and the tests), ``log`` writes a masked line
to the log; a province's gateway is one more provider class.
"""

from __future__ import annotations

import json
import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from yijian.runtime.mask import mask_phone

__all__ = ["Channel", "EmailChannel", "FileSms", "LogSms", "SmsChannel"]

log = logging.getLogger("yijian.notify")


class Channel(Protocol):
    def send(self, recipient: str, subject: str, body: str) -> None: ...


class EmailChannel:
    """SMTP: ``smtp_host``/``smtp_port``, ``mail_from``, optional STARTTLS and login."""

    def __init__(
        self,
        host: str,
        port: int = 25,
        sender: str = "noreply@localhost",
        starttls: bool = False,
        login: tuple[str, str] | None = None,
        timeout: float = 10,
    ):
        self.host, self.port, self.sender = host, port, sender
        self.starttls, self.login, self.timeout = starttls, login, timeout

    @classmethod
    def from_settings(cls, settings: Any) -> EmailChannel | None:
        host = getattr(settings, "smtp_host", None)
        if not host:
            return None
        return cls(host, settings.smtp_port, settings.mail_from, settings.smtp_starttls)

    def send(self, recipient: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, recipient, subject
        msg.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.login:
                smtp.login(*self.login)
            smtp.send_message(msg)


class SmsProvider(Protocol):
    def deliver(self, phone: str, text: str) -> None: ...


class FileSms:
    """One JSON line per message in a file: for a county without a gateway, and for tests."""

    def __init__(self, path: Path):
        self.path = path

    def deliver(self, phone: str, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")


class LogSms:
    """Only a masked line in the log (development)."""

    def deliver(self, phone: str, text: str) -> None:
        log.info("sms to %s: %s", mask_phone(phone), text)


class SmsChannel:
    def __init__(self, provider: SmsProvider):
        self.provider = provider

    @classmethod
    def from_settings(cls, settings: Any) -> SmsChannel:
        if getattr(settings, "sms_provider", "file") == "log":
            return cls(LogSms())
        path = getattr(settings, "sms_file", None) or Path(settings.db_path).parent / "sms.jsonl"
        return cls(FileSms(Path(path)))

    def send(self, recipient: str, subject: str, body: str) -> None:
        self.provider.deliver(recipient, body)
