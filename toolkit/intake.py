"""Receive returns from the chair's mailbox (`thidua nhan`): IMAP over SSL or STARTTLS, read-only.

Messages since the forms were sent (the send log knows when) are fetched with BODY.PEEK[] from INBOX
opened with EXAMINE, so nothing is ever flagged or deleted. Each message's candidate returns
(toolkit.attachments) are saved into nhan/ under `<unit>-<received>-<name>`, its original into
nhan/thu-goc/, every file atomically; only then is the message remembered (UIDVALIDITY+UID and
Message-ID in .thidua/thu-da-nhan.json), so a dropped connection leaves nothing half-saved and the next
run picks up where it stopped. The sender's address only names the file: identity comes from the form.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import os
import re
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from toolkit import texts as T
from toolkit.attachments import Attachment, Contents, message_contents, size_text
from toolkit.bloc.model import Bloc, email_list, slugify
from toolkit.credentials import IMAP_SERVICE, SMTP_SERVICE, get_password, service_for
from toolkit.fileio import write_bytes_atomic
from toolkit.folder import FolderError, load_folder_bloc
from toolkit.intake_state import FetchState, forms_sent_since
from toolkit.mail import PASSWORD_ENV
from toolkit.paths import PEER_DIR, BlocFolder
from toolkit.problems import Problem, problem
from toolkit.texts import intake as TI

DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
TIMEOUT_S = 60
MAX_MESSAGE = 40 * 1024 * 1024  # bigger messages are not downloaded (reported)
UNKNOWN_UNIT = "khong-ro"


class IntakeError(FolderError):
    """A user error that stops the whole intake (message in Vietnamese)."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str
    user: str

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.security]


def imap_settings(bloc: Bloc, **overrides) -> ImapSettings:
    """The bloc's receiving settings (the user defaults to the SMTP user), options taking precedence."""
    values = {"host": bloc.imap_host, "port": bloc.imap_port, "security": bloc.imap_security,
              "user": bloc.imap_user or bloc.smtp_user}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ImapSettings(**values)


def mailbox_service(settings: ImapSettings) -> str:
    """The credential store's service name for this IMAP server."""
    return service_for(IMAP_SERVICE, settings.host)


def mailbox_password(settings: ImapSettings, bloc: Bloc) -> str | None:
    """The mailbox password from the credential store sending uses: the IMAP account's own entry, else
    the SMTP entry when it is the same account (the usual case), else THIDUA_SMTP_PASSWORD."""
    same_account = settings.user == bloc.smtp_user and bool(bloc.smtp_user)
    return (get_password(mailbox_service(settings), settings.user)
            or (same_account and get_password(service_for(SMTP_SERVICE, bloc.smtp_host), bloc.smtp_user))
            or os.environ.get(PASSWORD_ENV) or None)


@dataclass
class Received:
    """One message looked at: who sent it, when, what was saved from it and what was not."""

    uid: int
    sender: str = ""
    unit: str = ""  # member code the sender's address belongs to ("" when unknown)
    received: datetime | None = None
    saved: list[Path] = field(default_factory=list)
    original: Path | None = None
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class IntakeReport:
    since: date | None
    messages: list[Received] = field(default_factory=list)
    already: int = 0  # messages fetched by an earlier run (by UID or Message-ID)
    problems: list[Problem] = field(default_factory=list)  # of the session (a dropped connection)

    @property
    def saved(self) -> list[Path]:
        return [p for m in self.messages for p in m.saved]


def receive_returns(folder: Path, password: str | None = None, *, bloc: Bloc | None = None,
                    overrides: dict | None = None, ssl_context: ssl.SSLContext | None = None) -> IntakeReport:
    """Fetch the new messages of the chair's INBOX and save their candidate returns into nhan/."""
    folder = Path(folder)
    bloc = bloc or load_folder_bloc(folder)
    settings = imap_settings(bloc, **(overrides or {}))
    if not settings.host:
        raise IntakeError(TI.NO_HOST.format(label=T.INFO_FIELDS["imap_host"]))
    if not settings.user:
        raise IntakeError(TI.NO_USER.format(label=T.INFO_FIELDS["imap_user"]))
    password = password or mailbox_password(settings, bloc)
    if password is None:
        raise IntakeError(TI.NO_PASSWORD.format(user=settings.user, env=PASSWORD_ENV))
    where = BlocFolder.at(folder)
    state = FetchState.load(where.intake_state)
    report = IntakeReport(forms_sent_since(where.mail_log))
    imap = _open(settings, password, ssl_context)
    try:
        _fetch_new(imap, where, bloc, state, report)
    except (imaplib.IMAP4.error, OSError) as exc:  # dropped or refused mid-way: what was saved stays
        report.problems.append(problem("intake.dropped", reason=_reason(exc)))
    finally:
        _close(imap)
    return report


def _open(s: ImapSettings, password: str, context: ssl.SSLContext | None) -> imaplib.IMAP4:
    context = context or ssl.create_default_context()
    try:
        if s.security == "ssl":
            imap = imaplib.IMAP4_SSL(s.host, s.effective_port, ssl_context=context, timeout=TIMEOUT_S)
        else:
            imap = imaplib.IMAP4(s.host, s.effective_port, timeout=TIMEOUT_S)
            if s.security == "starttls":
                imap.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise IntakeError(TI.CONNECT_FAILED.format(host=s.host, port=s.effective_port, reason=_reason(exc))) from None
    try:
        imap.login(s.user, password)
    except (OSError, imaplib.IMAP4.error, UnicodeEncodeError) as exc:
        _close(imap)
        raise IntakeError(TI.LOGIN_FAILED.format(host=s.host, user=s.user, reason=_reason(exc))) from None
    return imap


def _close(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except (OSError, imaplib.IMAP4.error):
        pass


def _fetch_new(imap: imaplib.IMAP4, where: BlocFolder, bloc: Bloc, state: FetchState,
               report: IntakeReport) -> None:
    typ, data = imap.select("INBOX", readonly=True)  # EXAMINE: the mailbox is never changed
    if typ != "OK":
        raise IntakeError(TI.NO_INBOX.format(host=imap.host, reason=_decode(data)))
    validity = _uidvalidity(imap)
    criteria = ("SINCE", report.since.strftime("%d-%b-%Y")) if report.since else ("ALL",)
    typ, found = imap.uid("SEARCH", *criteria)
    if typ != "OK":
        raise imaplib.IMAP4.error(_decode(found))
    uids = [int(u) for u in b" ".join(x for x in found if isinstance(x, bytes)).split() if u.isdigit()]
    new = [u for u in uids if not state.has_uid(validity, u)]
    report.already = len(uids) - len(new)
    sizes = _sizes(imap, new)
    for uid in new:
        if sizes.get(uid, 0) > MAX_MESSAGE:  # reported and remembered, never downloaded
            report.messages.append(Received(uid, problems=[problem(
                "intake.message_too_large", size=size_text(sizes[uid]), limit=size_text(MAX_MESSAGE))]))
            state.remember(validity, uid, "")
            continue
        raw, internal = _fetch_one(imap, uid)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        message_id = _message_id(msg)
        if state.has_message_id(message_id):
            report.already += 1
        else:
            report.messages.append(_save(msg, raw, internal, uid, where, bloc, state))
        state.remember(validity, uid, message_id)


def _uidvalidity(imap: imaplib.IMAP4) -> int:
    values = imap.response("UIDVALIDITY")[1]
    return int(values[-1]) if values and values[-1] else 0


def _sizes(imap: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    if not uids:
        return {}
    typ, data = imap.uid("FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
    out = {}
    for line in data if typ == "OK" else []:
        match = re.search(rb"UID (\d+).*RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*UID (\d+)",
                          line if isinstance(line, bytes) else b"")
        if match:
            uid, size = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            out[int(uid)] = int(size)
    return out


def _fetch_one(imap: imaplib.IMAP4, uid: int) -> tuple[bytes, datetime | None]:
    """The message's bytes as stored and its INTERNALDATE; IMAP4.abort when the answer is cut short."""
    typ, data = imap.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
    literal = next((item for item in data if isinstance(item, tuple)), None) if typ == "OK" else None
    if literal is None:
        raise imaplib.IMAP4.abort(_decode(data))
    return literal[1], _internaldate(literal[0])


def _internaldate(head: bytes) -> datetime | None:
    match = re.search(rb'INTERNALDATE "([^"]+)"', head)
    try:
        return datetime.strptime(match.group(1).decode(), "%d-%b-%Y %H:%M:%S %z").astimezone() if match else None
    except ValueError:
        return None


def _message_id(msg: EmailMessage) -> str:
    try:
        return str(msg.get("Message-ID", "")).strip()
    except (ValueError, TypeError, IndexError):
        return ""


def _save(msg: EmailMessage, raw: bytes, internal: datetime | None, uid: int, where: BlocFolder,
          bloc: Bloc, state: FetchState) -> Received:
    """Save the message's candidate returns and its original, then record them in the state."""
    got = Received(uid, sender=_sender(msg), received=internal or _date_header(msg) or datetime.now().astimezone())
    got.unit = unit_for_sender(bloc, [got.sender] + _forwarded_senders(msg))
    stem = f"{slugify(got.unit) or UNKNOWN_UNIT}-{got.received:%Y%m%d-%H%M%S}"
    try:
        contents = message_contents(msg)
    except (ValueError, LookupError, TypeError, AttributeError, IndexError) as exc:  # MIME past repair
        contents = Contents(problems=[problem("intake.malformed", reason=_reason(exc))])
    got.ignored, got.problems = contents.ignored, contents.problems
    taken: set[str] = set()
    for attachment in contents.files:
        path = _target(where, stem, attachment, taken)
        write_bytes_atomic(path, attachment.data)
        got.saved.append(path)
    got.original = where.originals / f"{stem}-{uid}.eml"
    write_bytes_atomic(got.original, raw)
    for path in got.saved:
        state.remember_file(path.relative_to(where.root).as_posix(), got.received, got.sender, got.unit)
    return got


def _target(where: BlocFolder, stem: str, attachment: Attachment, taken: set[str]) -> Path:
    """nhan/<stem>-<name slug><suffix> (peer-scoring forms into nhan/cham-cheo/), unique in the message."""
    name = Path(attachment.name)
    slug = slugify(name.stem) or "tep"
    folder = where.peer_inbox if slug.startswith(PEER_DIR) else where.inbox
    base, n = f"{stem}-{slug}", 1
    candidate = f"{base}{name.suffix.lower()}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}{name.suffix.lower()}"
    taken.add(candidate)
    return folder / candidate


def _sender(msg: EmailMessage) -> str:
    try:
        pairs = getaddresses([str(msg.get("From", ""))])
    except (ValueError, TypeError, IndexError):
        return ""
    return next((addr.lower() for _, addr in pairs if addr), "")


def _forwarded_senders(msg: EmailMessage) -> list[str]:
    """The From of every forwarded message inside (a unit's return may come through someone else)."""
    inner = [part.get_payload(0) for part in msg.walk() if part.get_content_type() == "message/rfc822"]
    return [s for s in map(_sender, (m for m in inner if isinstance(m, EmailMessage))) if s]


def unit_for_sender(bloc: Bloc, addresses: list[str]) -> str:
    """The member code of the first address found in a member's e-mail cell; "" when none is."""
    owners = {a.lower(): m.code for m in bloc.members for a in email_list(m.email)}
    return next((owners[a] for a in addresses if a in owners), "")


def _date_header(msg: EmailMessage) -> datetime | None:
    try:
        when = parsedate_to_datetime(str(msg.get("Date", "")))
    except (ValueError, TypeError, IndexError):
        return None
    return when.astimezone() if when and when.tzinfo else when


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _decode(data) -> str:
    items = data if isinstance(data, list) else [data]
    return " ".join(x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in items if x)
