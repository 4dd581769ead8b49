"""Stage 6 — mail: forms out to the units, feedback back to the units, the summary to the board.

compose (one EmailMessage per recipient, with the right workbook attached) → deliver (SMTP with
STARTTLS/SSL, or `.eml` drafts) → log (ket-qua/thu/nhat-ky-gui.csv, toolkit.sendlog). One failed recipient
never stops the others; a message already sent with the same content is not sent again unless asked.
The password comes from the caller, the system's credential store (toolkit.credentials: entered once
through `thidua doctor` or `thidua send`) or, for servers and CI, THIDUA_SMTP_PASSWORD; thidua never
writes it to the workbook, a file or the log.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass, replace
from datetime import datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Member, email_list, looks_like_email, slugify
from toolkit.credentials import SMTP_SERVICE, get_password, service_for
from toolkit.feedback import feedback_path
from toolkit.fileio import write_bytes_atomic
from toolkit.folder import FolderError, load_folder_bloc
from toolkit.seal import folder_custody
from toolkit.forms import form_filename
from toolkit.paths import PAPERS_DIR, BlocFolder
from toolkit.papers import board_papers
from toolkit.problems import Problem, problem
from toolkit.report import problem_row
from toolkit.returns import Returns, collect_returns
from toolkit.sendlog import Outgoing, SendLog, SendResult, SendStatus
from toolkit.summary import bloc_summary_filename
from toolkit.texts import mail as M
from toolkit.vntext import match_key

KINDS = tuple(M.KINDS)  # "forms", "feedback", "summary", "reminders"
PASSWORD_ENV = "THIDUA_SMTP_PASSWORD"
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT_S = 60
MIME_TYPES = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
              ".pdf": ("application", "pdf"),
              ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}


class MailError(FolderError):
    """A user error that stops the whole send (message in Vietnamese); shells report it like FolderError."""


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


def smtp_settings(bloc: Bloc, **overrides) -> SmtpSettings:
    """The bloc's settings, with the options given (None = keep the bloc's) taking precedence."""
    settings = SmtpSettings(bloc.smtp_host, bloc.smtp_port, bloc.smtp_security, bloc.smtp_user,
                            bloc.sender_email, bloc.sender_name or _chair_name(bloc))
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


# --- the entry point ------------------------------------------------------------------------------

def send_documents(folder: Path, what: str, dry_run: bool = False, password: str | None = None,
                   resend: bool = False, *, overrides: dict | None = None, only: tuple[str, ...] = (),
                   bloc: Bloc | None = None, ssl_context: ssl.SSLContext | None = None,
                   output: Path | None = None) -> list[SendResult]:
    """Compose and send (or, with dry_run, write as .eml) one message per recipient of `what`
    ("forms", "feedback", "summary", "reminders"). overrides: SmtpSettings fields given as options; only: member
    codes to limit to; ssl_context: to trust a private CA (default: the system's); output: where the
    summary was written (default ket-qua/). Every attempt is appended to ket-qua/thu/nhat-ky-gui.csv."""
    if what not in KINDS:
        raise MailError(M.UNKNOWN_KIND.format(what=what))
    folder = Path(folder)
    bloc = bloc or load_folder_bloc(folder)
    settings = smtp_settings(bloc, **(overrides or {}))
    _check_sender(settings, required=not dry_run)
    outgoing = compose_all(folder, bloc, what, settings, only, output)
    where = BlocFolder.at(folder)
    log = SendLog(where.mail_log)
    if dry_run:
        return [log.add(_draft(o, where.mail, bloc)) for o in outgoing]
    password = password or (smtp_password(settings) if settings.user else None)
    if settings.user and password is None:
        raise MailError(M.NO_PASSWORD.format(user=settings.user, folder=folder, env=PASSWORD_ENV))
    with _Connection(settings, password, ssl_context) as connection:
        return [log.add(_deliver(o, connection, log, resend)) for o in outgoing]


def smtp_service(settings: SmtpSettings) -> str:
    """The credential store's service name for this SMTP server."""
    return service_for(SMTP_SERVICE, settings.host)


def smtp_password(settings: SmtpSettings) -> str | None:
    """The stored password of the SMTP account, else THIDUA_SMTP_PASSWORD, else None."""
    return get_password(smtp_service(settings), settings.user) or os.environ.get(PASSWORD_ENV) or None


def _check_sender(settings: SmtpSettings, required: bool) -> None:
    if required and not settings.host:
        raise MailError(M.NO_HOST.format(label=T.INFO_FIELDS["smtp_host"]))
    if required and not settings.sender:
        raise MailError(M.NO_SENDER.format(label=T.INFO_FIELDS["sender_email"]))
    if settings.sender and not looks_like_email(settings.sender):
        raise MailError(M.BAD_SENDER.format(value=settings.sender))


# --- compose --------------------------------------------------------------------------------------

def compose_all(folder: Path, bloc: Bloc, what: str, settings: SmtpSettings,
                only: tuple[str, ...] = (), output: Path | None = None) -> list[Outgoing]:
    """Every message of one kind, in founding order (the board's single message for the summary)."""
    if what == "summary":
        return [_compose_summary(BlocFolder.at(folder, output=output).output, bloc, settings)]
    wanted = {match_key(c) for c in only}
    unknown = [c for c in only if match_key(c) not in {match_key(m.code) for m in bloc.members}]
    if unknown:
        raise MailError(M.UNKNOWN_UNIT.format(codes=", ".join(unknown),
                                              known=", ".join(m.code for m in bloc.members)))
    members = [m for m in bloc.members if not wanted or match_key(m.code) in wanted]
    if what == "forms":
        return [_compose_form(folder, bloc, m, settings) for m in members]
    if what == "reminders":
        return _compose_reminders(folder, bloc, members, settings)
    returns = collect_returns(BlocFolder.at(folder).returned(), bloc,
                              custody=folder_custody(folder), folder=folder)
    return [_compose_feedback(folder, bloc, m, returns, settings) for m in members]


def _compose_form(folder: Path, bloc: Bloc, member: Member, settings: SmtpSettings) -> Outgoing:
    out = _recipient("forms", member.code, member.name, member.email, T.SHEET_MEMBERS)
    form = BlocFolder.at(folder).forms / form_filename(member)
    if out.problem is None and not form.is_file():
        out.problem = problem("mail.no_attachment", unit=member.code, file=form.name,
                              hint=M.NO_FORM_HINT.format(path=folder))
    if out.problem is None:
        body = M.FORMS_BODY.format(file=form.name, deadline=_deadline(bloc), **_words(bloc))
        out.attachments = (form,)
        out.message = _message(settings, out, _subject("forms", bloc, member), member.name, body, bloc)
    return out


def _compose_feedback(folder: Path, bloc: Bloc, member: Member, returns: Returns,
                      settings: SmtpSettings) -> Outgoing:
    out = _recipient("feedback", member.code, member.name, member.email, T.SHEET_MEMBERS)
    if out.problem is None:
        workbook = feedback_path(folder, member)
        has_problems = any(r.problems for r in _unit_results(member, returns)) or _unit_notes(member, returns)
        out.attachments = (workbook,) if has_problems and workbook.is_file() else ()  # never a stale one
        body = M.FEEDBACK_BODY.format(status=feedback_status(bloc, member, returns), **_words(bloc))
        if out.attachments:
            body += "\n\n" + M.FEEDBACK_ATTACHED.format(file=workbook.name)
        out.message = _message(settings, out, _subject("feedback", bloc, member), member.name, body, bloc)
    return out


def _compose_reminders(folder: Path, bloc: Bloc, members: list[Member],
                       settings: SmtpSettings) -> list[Outgoing]:
    """One reminder per unit that has not sent, or whose files are not counted (toolkit.status)."""
    from toolkit.status import status_rows  # reads the inbox; only reminders need it
    rows = {r.code: r for r in status_rows(folder, bloc)}
    return [_compose_reminder(folder, bloc, m, rows[m.code], settings) for m in members
            if rows[m.code].state_key in ("missing", "overdue", "not_counted")]


def _compose_reminder(folder: Path, bloc: Bloc, member: Member, row, settings: SmtpSettings) -> Outgoing:
    out = _recipient("reminders", member.code, member.name, member.email, T.SHEET_MEMBERS)
    if out.problem is None:
        form = BlocFolder.at(folder).forms / form_filename(member)
        if row.received:
            body = M.REMINDER_NOT_COUNTED.format(files=", ".join(row.files), problem=row.first_problem,
                                                 deadline=_deadline(bloc), **_words(bloc))
        else:
            out.attachments = (form,) if form.is_file() else ()
            body = M.REMINDER_MISSING.format(file=form.name, deadline=_deadline(bloc), **_words(bloc))
        out.message = _message(settings, out, _subject("reminders", bloc, member), member.name, body, bloc)
    return out


def _compose_summary(output: Path, bloc: Bloc, settings: SmtpSettings) -> Outgoing:
    board = bloc.board_name or M.BOARD_DEFAULT
    out = _recipient("summary", M.BOARD_CODE, board, bloc.board_email, T.SHEET_INFO)
    if out.problem is None:
        summary = bloc_summary(output, bloc)
        pdf = summary.with_suffix(".pdf")
        out.attachments = ((summary, pdf) if pdf.is_file() else (summary,)) + board_papers(output / PAPERS_DIR, bloc)
        body = M.SUMMARY_BODY.format(board=board, members=len(bloc.members),
                                     files=", ".join(p.name for p in out.attachments), **_words(bloc))
        out.message = _message(settings, out, _subject("summary", bloc, None), board, body, bloc)
    return out


def _recipient(kind: str, code: str, name: str, emails: str, where: str) -> Outgoing:
    to = tuple(email_list(emails))
    out = Outgoing(kind, code, name, to)
    if not to:
        out.skipped = True
        out.problem = problem("mail.no_email", unit=code if code != M.BOARD_CODE else "", name=name,
                              where=M.WHERE_SHEET.format(sheet=where))
    bad = [a for a in to if not _usable_address(name, a)]
    if bad:
        out.problem = problem("mail.bad_address", unit=code if code != M.BOARD_CODE else "", address=bad[0])
    return out


def _usable_address(name: str, address: str) -> bool:
    """Looks like an e-mail and the email package can put it in a header."""
    try:
        Address(name, addr_spec=address)
    except (ValueError, HeaderParseError):
        return False
    return looks_like_email(address)


def bloc_summary(output: Path, bloc: Bloc) -> Path:
    """This bloc's summary workbook in `output`; MailError when consolidation has not run yet."""
    path = Path(output) / bloc_summary_filename(bloc)
    if not path.is_file():
        raise MailError(M.NO_SUMMARY.format(path=path))
    return path


def feedback_status(bloc: Bloc, member: Member, returns: Returns) -> str:
    """The body's account of a unit's returned files: received or not, and every problem by file."""
    results = _unit_results(member, returns)
    if not results:
        return M.FEEDBACK_MISSING.format(deadline=_deadline(bloc), **_words(bloc))
    set_problems = _unit_notes(member, returns)
    if member.code not in returns.submissions:
        head = M.FEEDBACK_ERRORS.format(deadline=_deadline(bloc))
    elif set_problems or any(r.problems for r in results):
        head = M.FEEDBACK_WARNINGS
    else:
        return M.FEEDBACK_OK
    lines = [head]
    for r in results:
        if r.problems:
            lines.append(M.FEEDBACK_FILE.format(file=r.path.name))
            lines.extend(_problem_line(p) for p in r.problems)
    lines.extend(_problem_line(p) for p in set_problems)
    return "\n".join(lines)


def _unit_results(member: Member, returns: Returns) -> list:
    return [r for r in returns.results if r.unit_code == member.code]


def _unit_notes(member: Member, returns: Returns) -> list[Problem]:
    """Problems of the set of files that concern this unit (e.g. several files sent)."""
    return [p for p in returns.problems if p.unit == member.code]


def _problem_line(p: Problem) -> str:
    row = problem_row(p)
    return M.FEEDBACK_PROBLEM.format(severity=row.level, where=row.lead, message=row.message)


def _words(bloc: Bloc) -> dict:
    kind = T.BLOC_KINDS[bloc.kind]
    return {"bloc": bloc.name, "period": T.period_title(bloc.period, bloc.year), "chair": _chair_name(bloc),
            "kind_lower": kind.lower(), "kind_upper": kind.upper()}


def _chair_name(bloc: Bloc) -> str:
    chair = bloc.chair_member
    return chair.name if chair else ""


def _deadline(bloc: Bloc) -> str:
    if bloc.deadline is None:
        return M.NO_DEADLINE
    return M.DEADLINE_LINE.format(deadline=bloc.deadline.strftime("%d/%m/%Y"))


def _subject(kind: str, bloc: Bloc, member: Member | None) -> str:
    return M.SUBJECT[kind].format(bloc=bloc.name, period=T.period_title(bloc.period, bloc.year),
                                  unit=member.label if member else "")


def _message(settings: SmtpSettings, out: Outgoing, subject: str, greeting_name: str, body: str,
             bloc: Bloc) -> EmailMessage:
    """A UTF-8 message: Vietnamese display names and subject encoded by the email package (RFC 2047),
    non-ASCII attachment names as RFC 2231 parameters."""
    msg = EmailMessage()
    if settings.sender:
        msg["From"] = Address(settings.sender_name, addr_spec=settings.sender)
    msg["To"] = [Address(out.name, addr_spec=a) for a in out.to]
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    text = "\n\n".join((M.GREETING.format(name=greeting_name), body)) + "\n" + \
        M.SIGNATURE.format(**_words(bloc))
    msg.set_content(text, charset="utf-8")
    digests = []
    for path in out.attachments:
        data = path.read_bytes()
        digests.append(hashlib.sha256(data).hexdigest())
        maintype, subtype = MIME_TYPES.get(path.suffix.lower(), ("application", "octet-stream"))
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    out.attachment_sha256 = ";".join(digests)
    return msg


# --- deliver --------------------------------------------------------------------------------------

class _Connection:
    """One SMTP session for the whole batch, opened on first use and reopened after a drop.
    When opening or logging in fails, every later message fails with that same reason."""

    def __init__(self, settings: SmtpSettings, password: str | None, context: ssl.SSLContext | None):
        self.settings, self._password = settings, password
        self.context = context or ssl.create_default_context()
        self.smtp: smtplib.SMTP | None = None
        self.broken: Problem | None = None

    def __enter__(self) -> "_Connection":
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
    """The connection cannot be opened; the reason is in _Connection.broken."""


def _deliver(out: Outgoing, connection: _Connection, log: SendLog, resend: bool) -> SendResult:
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


def _draft(out: Outgoing, drafts: Path, bloc: Bloc) -> SendResult:
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
