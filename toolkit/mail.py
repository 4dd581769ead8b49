"""Stage 6 — mail: forms out to the units, feedback back to the units, the summary to the board.

compose (one EmailMessage per recipient, with the right workbook attached) → deliver (toolkit.delivery:
SMTP with STARTTLS/SSL, or `.eml` drafts) → log (ket-qua/thu/nhat-ky-gui.csv, toolkit.sendlog). One failed recipient
never stops the others; a message already sent with the same content is not sent again unless asked.
The password comes from the caller, the system's credential store (toolkit.credentials: entered once
through `thidua doctor` or `thidua send`) or, for servers and CI, THIDUA_SMTP_PASSWORD; thidua never
writes it to the workbook, a file or the log.
"""

from __future__ import annotations

import hashlib
import os
import ssl
from dataclasses import replace
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from pathlib import Path

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Member, email_list, looks_like_email
from toolkit.credentials import SMTP_SERVICE, get_password, service_for
from toolkit.delivery import Connection, SmtpSettings, deliver, draft
from toolkit.feedback import feedback_path
from toolkit.folder import Consolidation, FolderError, consolidate, load_folder_bloc
from toolkit.seal import folder_custody
from toolkit.forms import form_filename
from toolkit.paths import PAPERS_DIR, BlocFolder
from toolkit.papers import board_papers
from toolkit.problems import Problem, problem
from toolkit.report import problem_row
from toolkit.returns import Returns, collect_returns
from toolkit.sendlog import Outgoing, SendLog, SendResult
from toolkit.summary import bloc_summary_filename
from toolkit.texts import mail as M
from toolkit.texts import unit_result as U
from toolkit.vntext import match_key

KINDS = tuple(M.KINDS)  # "forms", "feedback", "summary", "reminders", "results"
PASSWORD_ENV = "THIDUA_SMTP_PASSWORD"
MIME_TYPES = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
              ".pdf": ("application", "pdf"),
              ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}


class MailError(FolderError):
    """A user error that stops the whole send (message in Vietnamese); shells report it like FolderError."""


def smtp_settings(bloc: Bloc, **overrides) -> SmtpSettings:
    """The bloc's settings, with the options given (None = keep the bloc's) taking precedence."""
    settings = SmtpSettings(bloc.smtp_host, bloc.smtp_port, bloc.smtp_security, bloc.smtp_user,
                            bloc.sender_email, bloc.sender_name or _chair_name(bloc))
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


# --- the entry point ------------------------------------------------------------------------------

def send_documents(folder: Path, what: str, dry_run: bool = False, password: str | None = None,
                   resend: bool = False, *, overrides: dict | None = None, only: tuple[str, ...] = (),
                   bloc: Bloc | None = None, ssl_context: ssl.SSLContext | None = None,
                   output: Path | None = None, inbox: Path | None = None) -> list[SendResult]:
    """Compose and send (or, with dry_run, write as .eml) one message per recipient of `what`
    ("forms", "feedback", "summary", "reminders", "results"). overrides: SmtpSettings fields given as options;
    only: member codes to limit to; ssl_context: to trust a private CA (default: the system's); output: where
    the summary was (results: is) written (default ket-qua/); inbox: the returns the results are ranked from
    (default nhan/). Every attempt is appended to ket-qua/thu/nhat-ky-gui.csv."""
    if what not in KINDS:
        raise MailError(M.UNKNOWN_KIND.format(what=what))
    folder = Path(folder)
    bloc = bloc or load_folder_bloc(folder)
    settings = smtp_settings(bloc, **(overrides or {}))
    _check_sender(settings, required=not dry_run)
    outgoing = compose_all(folder, bloc, what, settings, only, output, inbox)
    where = BlocFolder.at(folder)
    log = SendLog(where.mail_log)
    if dry_run:
        return [log.add(draft(o, where.mail, bloc)) for o in outgoing]
    password = password or (smtp_password(settings) if settings.user else None)
    if settings.user and password is None:
        raise MailError(M.NO_PASSWORD.format(user=settings.user, folder=folder, env=PASSWORD_ENV))
    with Connection(settings, password, ssl_context) as connection:
        return [log.add(deliver(o, connection, log, resend)) for o in outgoing]


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


class _SendPolicy(EmailPolicy):
    """The standard policy, but a non-ASCII Subject is folded by email.header.Header when the message is
    written as bytes (sent or drafted): before Python 3.13
    the standard folder drops the space at a fold between two encoded words ("Tổng kết" arrives as
    "Tổngkết" in a subject long enough to fold)."""

    def fold_binary(self, name: str, value) -> bytes:
        folded = self._subject(name, value)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)

    def _subject(self, name: str, value) -> str:
        if name.lower() != "subject" or str(value).isascii():
            return ""
        return f"{name}: {Header(str(value), 'utf-8', header_name=name).encode(linesep=self.linesep)}{self.linesep}"


SEND_POLICY = _SendPolicy()


# --- compose --------------------------------------------------------------------------------------

def compose_all(folder: Path, bloc: Bloc, what: str, settings: SmtpSettings,
                only: tuple[str, ...] = (), output: Path | None = None,
                inbox: Path | None = None) -> list[Outgoing]:
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
    if what == "results":
        return _compose_results(BlocFolder.at(folder, inbox, output), bloc, members, settings)
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


def _usable(done: Consolidation, where: BlocFolder) -> Consolidation:
    """The consolidation, when a unit may be told its result from it: some return was read, and the
    chair's workbook still matches the forms issued (as `thidua consolidate` and the button require);
    MailError otherwise, before anything is written or sent."""
    if not done.returns.results:
        raise MailError(M.RESULTS_NO_RETURNS.format(inbox=where.inbox))
    mismatch = done.issued_mismatch
    if mismatch is not None and mismatch.is_error:
        raise MailError(M.RESULTS_UNUSABLE.format(reason=mismatch.message))
    return done


def _compose_results(where: BlocFolder, bloc: Bloc, members: list[Member],
                     settings: SmtpSettings) -> list[Outgoing]:
    """Each unit its own result, ranked now (the summary is rewritten too, as `thidua giay-to` does, so
    both agree): every ranked unit's workbook rewritten into ket-qua/don-vi/; a unit not ranked is told why."""
    from toolkit.unit_result import BlocFigures, message_fields, write_unit_results  # XlsxWriter, pandas: only here

    ranking = _usable(consolidate(where.root, bloc, inbox=where.inbox, output=where.output), where).ranking
    figures = BlocFigures.of(ranking)  # the bloc-wide figures, once for every unit
    workbooks = write_unit_results(ranking, where.unit_results, figures=figures)
    out = []
    for member in members:
        out.append(_recipient("results", member.code, member.name, member.email, T.SHEET_MEMBERS))
        if out[-1].problem is None:
            workbook = workbooks.get(member.code)
            out[-1].attachments = (workbook,) if workbook else ()
            text = U.BODY if workbook else U.NOT_COUNTED_BODY
            body = text.format(file=workbook.name if workbook else "", **message_fields(ranking, member.code, figures),
                               **_words(bloc))
            out[-1].message = _message(settings, out[-1], _subject("results", bloc, member), member.name, body, bloc)
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
    msg = EmailMessage(policy=SEND_POLICY)
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
