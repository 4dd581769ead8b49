"""A real SMTP server for tests: aiosmtpd's handler that records messages and refuses some addresses."""

from __future__ import annotations

import email
import email.policy
import socket


class Recorder:
    """aiosmtpd handler: refuses the addresses in `refuse` at RCPT (550), records every message."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.refuse = refuse
        self.messages: list[dict] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({
            "mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos), "tls": over_tls(server, session),
            "login": session.auth_data if session.authenticated else None,
            "message": email.message_from_bytes(envelope.content, policy=email.policy.default)})
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["rcpt_tos"]]


def over_tls(server, session) -> bool:
    """STARTTLS sets session.ssl; implicit TLS shows only on the transport."""
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
