"""Stage 6, second half — deliver composed messages: one SMTP session for a batch (STARTTLS, SSL or
plain, login when a user is set), or `.eml` drafts an e-mail program opens ready to send; each attempt
ends as a `SendResult` (toolkit.sendlog). Composing is toolkit.mail's."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from toolkit.bloc.model import Bloc, slugify
from toolkit.fileio import write_bytes_atomic
from toolkit.problems import Problem, problem
from toolkit.sendlog import Outgoing, SendLog, SendResult, SendStatus
from toolkit.texts import mail as M

TIMEOUT_S = 60
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom to send. No password: that is asked for at send time."""

    host: str = ""
    port: int = 0
    security: str = "starttls"  # "starttls" | "ssl" | "none"
    user: str = ""
    sender: str = ""
    sender_name: str = ""

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


class Connection:
    """One SMTP session for the whole batch, opened on first use and reopened after a drop.
    When opening or logging in fails, every later message fails with that same reason."""

    def __init__(self, settings: SmtpSettings, password: str | None, context: ssl.SSLContext | None):
        self.settings, self._password = settings, password
        self.context = context or ssl.create_default_context()
        self.smtp: smtplib.SMTP | None = None
        self.broken: Problem | None = None

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, msg: EmailMessage) -> dict:
        """Send one message; returns the refused addresses (the SMTP errors of smtplib propagate)."""
        if self.smtp is None:
            self._open()
        try:
            return self.smtp.send_message(msg)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def _open(self) -> None:
        s = self.settings
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=TIMEOUT_S, context=self.context)
            else:
                smtp = smtplib.SMTP(s.host, s.effective_port, timeout=TIMEOUT_S)
                if s.security == "starttls":
                    smtp.starttls(context=self.context)
        except (OSError, smtplib.SMTPException) as exc:
            self.broken = problem("mail.connect_failed", host=s.host, port=s.effective_port, reason=_reason(exc))
            raise _Broken from exc
        try:
            if s.user:
                smtp.login(s.user, self._password or "")
        except (OSError, smtplib.SMTPException, UnicodeEncodeError) as exc:  # smtplib sends ASCII only
            smtp.close()
            reason = M.NON_ASCII_LOGIN if isinstance(exc, UnicodeEncodeError) else _reason(exc)
            self.broken = problem("mail.login_failed", host=s.host, user=s.user, reason=reason)
            raise _Broken from exc
        self.smtp = smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


class _Broken(Exception):
    """The connection cannot be opened; the reason is in Connection.broken."""


def deliver(out: Outgoing, connection: Connection, log: SendLog, resend: bool) -> SendResult:
    if out.message is None:
        return _unsent(out)
    if not resend and log.already_sent(out):
        return _result(out, SendStatus.ALREADY_SENT)
    if connection.broken is not None:
        return _result(out, SendStatus.FAILED, connection.broken)
    unit = out.code if out.code != M.BOARD_CODE else ""
    try:
        refused = connection.send(out.message)
    except _Broken:
        return _result(out, SendStatus.FAILED, connection.broken)
    except smtplib.SMTPRecipientsRefused as exc:
        return _result(out, SendStatus.FAILED, problem(
            "mail.refused", unit=unit, addresses=", ".join(exc.recipients), reason=_refusals(exc.recipients)))
    except (OSError, smtplib.SMTPException) as exc:
        return _result(out, SendStatus.FAILED, problem("mail.failed", unit=unit, reason=_reason(exc)))
    if refused:
        return _result(out, SendStatus.SENT, problem(
            "mail.partly_refused", unit=unit, addresses=", ".join(refused), reason=_refusals(refused)))
    return _result(out, SendStatus.SENT)


def draft(out: Outgoing, drafts: Path, bloc: Bloc) -> SendResult:
    """Write the message as an .eml an e-mail program opens as a draft ready to send (X-Unsent)."""
    if out.message is None:
        return _unsent(out)
    out.message["X-Unsent"] = "1"
    member = bloc.member(out.code)
    stem = f"{out.kind}-{member.order:02d}-{slugify(member.code)}" if member else f"{out.kind}-{out.code}"
    path = drafts / f"{stem}.eml"
    write_bytes_atomic(path, out.message.as_bytes(policy=out.message.policy.clone(linesep="\r\n")))
    result = _result(out, SendStatus.DRAFTED)
    result.eml = path
    return result


def _unsent(out: Outgoing) -> SendResult:
    """A message that could not be composed: skipped (no address) or failed."""
    return _result(out, SendStatus.SKIPPED if out.skipped else SendStatus.FAILED, out.problem)


def _result(out: Outgoing, status: SendStatus, why: Problem | None = None) -> SendResult:
    composed = out.message is not None
    return SendResult(out.kind, out.code, out.name, out.to, out.subject, out.attachments, status, why,
                      when=datetime.now().astimezone().isoformat(timespec="seconds"),
                      attachment_sha256=out.attachment_sha256,
                      body_sha256=out.body_sha256 if composed else "")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return str(exc) or type(exc).__name__


def _refusals(refused: dict) -> str:
    return "; ".join(f"{addr}: {code} {_decode(text)}" for addr, (code, text) in refused.items())


def _decode(text) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
