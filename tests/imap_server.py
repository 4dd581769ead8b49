"""A small real IMAP4rev1 server for tests, on the loopback interface, over a real socket.

No maintained pure-Python IMAP server is on the package index this project installs from (pymap is
not there), so the tests speak the protocol to this one through the standard imaplib client. It
implements what a read-only client needs — CAPABILITY, STARTTLS, implicit TLS, LOGIN, SELECT/EXAMINE,
UID SEARCH (ALL, SINCE), UID FETCH (UID, RFC822.SIZE, INTERNALDATE, FLAGS, BODY[], BODY.PEEK[]),
NOOP, LOGOUT — records every command, sets \\Seen on a non-peek BODY[] (so a test sees a flag being
set), and can drop the connection in the middle of sending a message.
"""

from __future__ import annotations

import re
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Stored:
    uid: int
    data: bytes
    received: datetime
    flags: set[str] = field(default_factory=set)


@dataclass
class Mailbox:
    """The chair's INBOX: messages with their UIDs, and what the clients did to it."""

    user: str = "chair"
    password: str = "mật-khẩu-thử"
    uidvalidity: int = 7001
    messages: list[Stored] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    drop_on_fetch: int = 0  # drop the connection half-way through the n-th body fetch (1-based); 0: never
    body_fetches: int = 0
    logins: int = 0

    def add(self, data: bytes, received: datetime) -> int:
        uid = (self.messages[-1].uid if self.messages else 100) + 3  # UIDs need not be contiguous
        self.messages.append(Stored(uid, data, received))
        return uid


def internaldate(when: datetime) -> str:
    return f'{when.day:02d}-{MONTHS[when.month - 1]}-{when.year} {when:%H:%M:%S} {when:%z}'


def _since(text: str) -> datetime:
    day, month, year = text.strip('"').split("-")
    return datetime(int(year), MONTHS.index(month) + 1, int(day), tzinfo=timezone.utc)


def _uids(spec: str, box: Mailbox) -> list[Stored]:
    wanted: list[Stored] = []
    top = box.messages[-1].uid if box.messages else 0
    for part in spec.split(","):
        low, _, high = part.partition(":")
        lo = top if low == "*" else int(low)
        hi = lo if not high else (top if high == "*" else int(high))
        lo, hi = min(lo, hi), max(lo, hi)
        wanted += [m for m in box.messages if lo <= m.uid <= hi and m not in wanted]
    return wanted


class _Handler(socketserver.StreamRequestHandler):
    server: "_Server"

    def setup(self):
        if self.server.implicit_tls is not None:
            self.request = self.server.implicit_tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def handle(self):
        box, self.authed, self.selected = self.server.box, False, False
        self._send(b"* OK [CAPABILITY IMAP4rev1] test server ready")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            box.commands.append(re.sub(r'(?i)^(\S+ LOGIN \S+) .*', r"\1 ***", text))
            tag, _, rest = text.partition(" ")
            command, _, args = rest.partition(" ")
            if not self._dispatch(tag, command.upper(), args):
                return

    def _dispatch(self, tag: str, command: str, args: str) -> bool:
        if command == "LOGOUT":
            self._send(b"* BYE bye")
            self._send(f"{tag} OK LOGOUT completed".encode())
            return False
        if command == "CAPABILITY":
            caps = "IMAP4rev1" + (" STARTTLS" if self.server.starttls is not None else "")
            self._send(f"* CAPABILITY {caps}".encode())
        elif command == "STARTTLS" and self.server.starttls is not None:
            self._send(f"{tag} OK begin TLS".encode())
            self.wfile.flush()
            self.request = self.server.starttls.wrap_socket(self.request, server_side=True)
            self.rfile, self.wfile = self.request.makefile("rb"), self.request.makefile("wb")
            return True
        elif command == "LOGIN":
            return self._login(tag, args)
        elif not self.authed:
            self._send(f"{tag} NO login first".encode())
            return True
        elif command in ("SELECT", "EXAMINE"):
            box = self.server.box
            self._send(f"* {len(box.messages)} EXISTS".encode())
            self._send(f"* OK [UIDVALIDITY {box.uidvalidity}] UIDs valid".encode())
            self.selected = True
            mode = "READ-ONLY" if command == "EXAMINE" else "READ-WRITE"
            self._send(f"{tag} OK [{mode}] {command} completed".encode())
            return True
        elif command == "UID" and self.selected:
            return self._uid(tag, args)
        elif command != "NOOP":
            self._send(f"{tag} BAD unknown command".encode())
            return True
        self._send(f"{tag} OK {command} completed".encode())
        return True

    def _login(self, tag: str, args: str) -> bool:
        user, _, password = args.partition(" ")
        password = password.strip('"').replace('\\"', '"').replace("\\\\", "\\")
        box = self.server.box
        if user.strip('"') == box.user and password == box.password:
            self.authed = True
            box.logins += 1
            self._send(f"{tag} OK LOGIN completed".encode())
        else:
            self._send(f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials".encode())
        return True

    def _uid(self, tag: str, args: str) -> bool:
        sub, _, rest = args.partition(" ")
        box = self.server.box
        if sub.upper() == "SEARCH":
            found = box.messages
            match = re.search(r"SINCE (\S+)", rest, re.I)
            if match:
                since = _since(match.group(1)).date()
                found = [m for m in found if m.received.date() >= since]
            self._send(("* SEARCH " + " ".join(str(m.uid) for m in found)).rstrip().encode())
        elif sub.upper() == "FETCH":
            spec, _, items = rest.partition(" ")
            for m in _uids(spec, box):
                if not self._fetch(m, items.upper()):
                    return False
        self._send(f"{tag} OK UID {sub} completed".encode())
        return True

    def _fetch(self, m: Stored, items: str) -> bool:
        box = self.server.box
        seq = box.messages.index(m) + 1
        parts = [f"UID {m.uid}"]
        if "RFC822.SIZE" in items:
            parts.append(f"RFC822.SIZE {len(m.data)}")
        if "INTERNALDATE" in items:
            parts.append(f'INTERNALDATE "{internaldate(m.received)}"')
        if "BODY[]" in items or "BODY.PEEK[]" in items:
            if "BODY[]" in items:
                m.flags.add("\\Seen")
            box.body_fetches += 1
            head = f"* {seq} FETCH ({' '.join(parts)} BODY[] {{{len(m.data)}}}\r\n".encode()
            if box.drop_on_fetch == box.body_fetches:
                self.wfile.write(head + m.data[: len(m.data) // 2])
                self.wfile.flush()
                return False
            self.wfile.write(head + m.data + b")\r\n")
            return True
        if "FLAGS" in items:
            parts.append(f"FLAGS ({' '.join(sorted(m.flags))})")
        self._send(f"* {seq} FETCH ({' '.join(parts)})".encode())
        return True

    def _send(self, line: bytes) -> None:
        self.wfile.write(line + b"\r\n")
        self.wfile.flush()


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, box: Mailbox, implicit_tls: ssl.SSLContext | None, starttls: ssl.SSLContext | None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.box, self.implicit_tls, self.starttls = box, implicit_tls, starttls


class ImapServer:
    """Context manager: serves `box` on 127.0.0.1:`port` (security "none", "starttls" or "ssl")."""

    def __init__(self, box: Mailbox, security: str = "none", context: ssl.SSLContext | None = None):
        self.box = box
        self._server = _Server(box, context if security == "ssl" else None,
                               context if security == "starttls" else None)
        self.port = self._server.server_address[1]

    def __enter__(self) -> "ImapServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
