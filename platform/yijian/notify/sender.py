"""Delivering the outbox: claim due messages, send each through its channel, mark it.

``deliver_once`` is one pass (the worker loops over it; a test calls it once). A message whose
channel is not configured (no SMTP host) fails like any other and is retried with backoff, so
configuring the channel later still delivers it. A channel with ``send_data`` (``webhook``)
gets the row's data as it is instead of a rendered text.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from yijian.extend import NOTIFICATION_CHANNELS
from yijian.notify.channels import Channel
from yijian.notify.messages import render

__all__ = ["Stats", "channels_from", "deliver_once", "run"]

log = logging.getLogger("yijian.notify")


@dataclass
class Stats:
    sent: int = 0
    failed: int = 0


def channels_from(settings: Any) -> dict[str, Channel]:
    """Every installed channel that the settings configure."""
    built = {}
    for name, plugin in NOTIFICATION_CHANNELS.plugins().items():
        channel = plugin.from_settings(settings)
        if channel is not None:
            built[name] = channel
    return built


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def deliver_once(
    outbox: Any, channels: Mapping[str, Channel], owner: str, limit: int = 50, lease_s: int = 60
) -> Stats:
    stats = Stats()
    for item in outbox.claim(owner, limit, lease_s):
        channel = channels.get(item.channel)
        try:
            if channel is None:
                raise LookupError(f"channel '{item.channel}' is not configured")
            send_data = getattr(channel, "send_data", None)
            if send_data is not None:  # a data channel (webhook): no text to render
                send_data(item.recipient, item.template, item.data)
            else:
                subject, body = render(item.template, item.data)
                channel.send(item.recipient, subject, body)
        except Exception as exc:  # any failure: try again later
            outbox.mark_failed(item.id, owner, f"{type(exc).__name__}: {exc}")
            stats.failed += 1
            log.warning("message %s via %s failed: %s", item.id, item.channel, type(exc).__name__)
        else:
            outbox.mark_sent(item.id, owner)
            stats.sent += 1
    return stats


def run(
    outbox: Any,
    channels: Mapping[str, Channel],
    interval: float = 2.0,
    chores: Any = None,
    chores_every: float = 60.0,
    lease_s: int = 60,
) -> None:
    """Deliver until interrupted (``yijian worker``); ``chores()`` every ``chores_every`` s."""
    owner = owner_name()
    last = float("-inf")
    while True:
        if chores is not None and time.monotonic() - last >= chores_every:
            last = time.monotonic()
            chores()
        stats = deliver_once(outbox, channels, owner, lease_s=lease_s)
        if not stats.sent and not stats.failed:
            time.sleep(interval)
