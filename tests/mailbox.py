"""A real SMTP server for tests: aiosmtpd on a free loopback port.

`smtp_server` (registered in conftest.py) starts one and points the test
app's MAIL_SERVER/MAIL_PORT at it. Tests read what it really received:
`server.mails` are parsed `email.message.EmailMessage`s, `server.envelopes`
the SMTP envelopes (mail_from, rcpt_tos). `stop()` and `start()` take it
down and bring it back on the same port, as a mail server outage would.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s\"<>]+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    def links(self) -> list[str]:
        return LINK.findall(self.text)

    def __getitem__(self, header: str):
        return self.message[header]


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.server.lock:
            self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


class SmtpServer:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host, self.port = host, port or free_port()
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self.controller is not None

    def start(self) -> SmtpServer:
        if self.controller is None:
            self.controller = Controller(_Handler(self), hostname=self.host, port=self.port)
            self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self) -> dict:
        """Config that sends a test app's mail here."""
        return {"MAIL_SERVER": self.host, "MAIL_PORT": self.port, "MAIL_USE_TLS": False,
                "MAIL_USERNAME": None, "MAIL_PASSWORD": None}

    @property
    def mails(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.mails if address in mail.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """For mail sent by a thread: wait until `count` have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.mails) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.mails

    def clear(self) -> None:
        with self.lock:
            self.received.clear()
