"""Notifications: messages for case events, the channels that carry them, the sender.

An action writes its messages into the outbox in the same transaction as its event
(``store.outbox.enqueue``); ``yijian worker`` delivers them with retries (``sender``). Channels
are plugins of the ``notification_channels`` extension point: ``email`` (SMTP) and ``sms``
(through an ``SmsProvider``: ``file`` and ``log`` built in) — a province's SMS gateway is one
more provider. Only masked personal data goes into a message.
"""
