"""A composed message (`Outgoing`), what became of each message the mail stage tried (`SendStatus`, `SendResult`) and the send log
that remembers them (ket-qua/thu/nhat-ky-gui.csv), so a message already sent is not sent twice."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum
from pathlib import Path

from toolkit.fileio import atomic_path
from toolkit.problems import Problem
from toolkit.texts import mail as M


@dataclass
class Outgoing:
    """One composed message (or why it cannot be composed) for one recipient."""

    kind: str
    code: str  # member code, or M.BOARD_CODE for the board
    name: str
    to: tuple[str, ...]
    attachments: tuple[Path, ...] = ()
    message: EmailMessage | None = None
    problem: Problem | None = None
    skipped: bool = False  # no address: nothing to try
    attachment_sha256: str = ""  # of the bytes attached, ';'-joined

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]) if self.message is not None else ""

    @property
    def body_sha256(self) -> str:
        body = self.message.get_body(("plain",)).get_content() if self.message is not None else ""
        return hashlib.sha256(body.encode("utf-8")).hexdigest()

    @property
    def fingerprint(self) -> tuple[str, str]:
        """What 'already sent' compares: the attachments' hashes; for feedback and results, the message
        text (their workbooks are rewritten on every run, dated, so their bytes change when nothing did;
        a result's text states its total, rank, grade, award, note and every review change)."""
        by_body = self.kind in ("feedback", "reminders", "results")  # a reminder may attach nothing
        return ("body", self.body_sha256) if by_body else ("attachment", self.attachment_sha256)


class SendStatus(str, Enum):
    """What happened to one message; the values key M.RESULTS and M.MARKS and still equal the strings."""

    SENT = "sent"
    DRAFTED = "drafted"
    ALREADY_SENT = "already_sent"
    SKIPPED = "skipped"
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        return self in (SendStatus.SENT, SendStatus.DRAFTED, SendStatus.ALREADY_SENT)


@dataclass
class SendResult:
    """What happened to one message; problem says why when it was not sent or only partly."""

    kind: str
    code: str
    name: str
    to: tuple[str, ...]
    subject: str
    attachments: tuple[Path, ...]
    status: SendStatus
    problem: Problem | None = None
    eml: Path | None = None
    when: str = ""
    attachment_sha256: str = ""
    body_sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.status.ok

    @property
    def detail(self) -> str:
        return self.problem.message if self.problem else ""


@dataclass
class SendLog:
    """ket-qua/thu/nhat-ky-gui.csv: one row per attempt (UTF-8 with BOM so Excel shows Vietnamese).
    The whole file is rewritten atomically after every attempt, so a crash loses nothing sent."""

    path: Path
    rows: list[list[str]] = field(default_factory=list)

    def __post_init__(self):
        if self.path.is_file():
            with open(self.path, encoding="utf-8-sig", newline="") as fh:
                self.rows = [row for row in csv.reader(fh)][1:]

    def already_sent(self, out: Outgoing) -> bool:
        """Sent before, successfully, to the same addresses, with the same content."""
        kind_label, to = M.KINDS[out.kind], ", ".join(out.to)
        column = 7 if out.fingerprint[0] == "attachment" else 8
        sent = M.RESULTS[SendStatus.SENT]
        return any(len(r) >= len(M.LOG_COLUMNS) and r[1] == kind_label and r[2] == out.code and r[4] == to
                   and r[column] == out.fingerprint[1] and r[9] == sent for r in self.rows)

    def add(self, result: SendResult) -> SendResult:
        self.rows.append([result.when, M.KINDS[result.kind], result.code, result.name, ", ".join(result.to),
                          result.subject, "; ".join(p.name for p in result.attachments),
                          result.attachment_sha256, result.body_sha256, M.RESULTS[result.status],
                          result.detail])
        self._write()
        return result

    def _write(self) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(M.LOG_COLUMNS)
        writer.writerows(self.rows)
        with atomic_path(self.path) as tmp:
            tmp.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
