"""What a received message carries that could be a return: every attachment with a form's extension,
also inside forwarded messages (message/rfc822 parts) and .zip archives, each bounded in size.

Only bytes are taken out here; nothing is written. Whether a file is a form, and whose, is the returns
reader's to say — a name or an extension only decides what is kept for it.
"""

from __future__ import annotations

import io
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from pathlib import PurePosixPath

from toolkit.problems import Problem, problem
from toolkit.texts import intake as TI

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ARCHIVE_SUFFIX = ".zip"
MAX_ATTACHMENT = 10 * 1024 * 1024  # a form is tens of KB; the reader refuses far less than this
MAX_ARCHIVE_TOTAL = 30 * 1024 * 1024  # everything extracted from one .zip
MAX_ARCHIVE_ENTRIES = 100
UTF8_NAME_FLAG = 0x800


@dataclass(frozen=True)
class Attachment:
    """One file that could be a return: its name as sent (NFC, no folders) and its bytes."""

    name: str
    data: bytes


@dataclass
class Contents:
    """What one message brought: candidate returns, names ignored, and problems met."""

    files: list[Attachment] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def message_contents(msg: EmailMessage) -> Contents:
    """Every candidate return of `msg` (forwarded messages and archives included), in order."""
    out = Contents()
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = _part_name(part)
        if name:
            _take(name, part, out)
    defects = [d for part in msg.walk() for d in part.defects]
    if defects:
        reason = "; ".join(dict.fromkeys(type(d).__name__ for d in defects))
        out.problems.insert(0, problem("intake.malformed", reason=reason))
    return out


def _part_name(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except (ValueError, LookupError, TypeError):  # a parameter the email package cannot decode
        name = ""
    return clean_name(str(name))


def clean_name(name: str) -> str:
    """The last component of a sent file name, NFC, without control characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/")).rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()


def _take(name: str, part: Message, out: Contents) -> None:
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in FORM_SUFFIXES + (ARCHIVE_SUFFIX,):
        out.ignored.append(name)
        out.problems.append(problem("intake.ignored", name=name))
        return
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        out.problems.append(problem("intake.malformed", reason=name))
        return
    if len(data) > MAX_ATTACHMENT:
        out.problems.append(_too_large(name, len(data), MAX_ATTACHMENT))
    elif suffix == ARCHIVE_SUFFIX:
        _unzip(name, data, out)
    else:
        out.files.append(Attachment(name, data))


def _too_large(name: str, size: int, limit: int) -> Problem:
    return problem("intake.too_large", name=name, size=size_text(size), limit=size_text(limit))


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def _unzip(name: str, data: bytes, out: Contents) -> None:
    """The forms inside an archive: no folders kept, no links, no names leaving the folder, bounded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        out.problems.append(problem("intake.zip_refused", name=name, entry=name, reason=str(exc) or "zip"))
        return
    total = 0
    for index, info in enumerate(entries):
        entry = _entry_name(info)
        refusal = _refusal(info, entry, index)
        if refusal is None and PurePosixPath(entry).suffix.lower() not in FORM_SUFFIXES:
            out.ignored.append(f"{name} › {entry}")
            continue
        if refusal is None:
            content, refusal = _read_entry(archive, info, MAX_ARCHIVE_TOTAL - total)
            total += len(content)
        if refusal is not None:
            out.problems.append(problem("intake.zip_refused", name=name, entry=entry, reason=refusal))
            continue
        out.files.append(Attachment(clean_name(entry), content))


def _entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name; archives made on Vietnamese Windows often store UTF-8 without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & UTF8_NAME_FLAG:
        try:
            name = name.encode("cp437").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return unicodedata.normalize("NFC", name)


def _refusal(info: zipfile.ZipInfo, entry: str, index: int) -> str | None:
    parts = PurePosixPath(entry.replace("\\", "/")).parts
    if index >= MAX_ARCHIVE_ENTRIES:
        return TI.ZIP_TOO_MANY.format(limit=MAX_ARCHIVE_ENTRIES)
    if stat.S_ISLNK(info.external_attr >> 16):
        return TI.ZIP_LINK
    if entry.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return TI.ZIP_OUTSIDE
    if info.flag_bits & 0x1:
        return TI.ZIP_ENCRYPTED
    return None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> tuple[bytes, str | None]:
    """The entry's bytes, reading at most a byte past the limits (a header may lie about the size)."""
    limit = min(MAX_ATTACHMENT, room)
    if info.file_size > limit:
        return b"", TI.ZIP_TOO_LARGE.format(size=size_text(info.file_size), limit=size_text(limit))
    try:
        with archive.open(info) as fh:
            content = fh.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
        return b"", str(exc) or type(exc).__name__
    if len(content) > limit:
        return b"", TI.ZIP_TOO_LARGE.format(size=size_text(len(content)), limit=size_text(limit))
    return content, None
