"""Why a file cannot be opened, in the user's words: never Python's spelling (class names, English
system messages), and a problem of the chair's workbook that names the cause and what to do."""

from __future__ import annotations

from pathlib import Path

from toolkit import texts as T
from toolkit.problems import Problem, problem
from toolkit.texts import returns as TR
from toolkit.xlsx import OLE_MAGIC

IN_USE_WINERRORS = (32, 33)  # Windows: sharing / lock violation (the file is open in Excel)


def lock_files(path: Path) -> list[Path]:
    """Owner/lock files Excel (~$name) and LibreOffice (.~lock.name#) leave beside an open file."""
    path = Path(path)
    return [p for p in (path.with_name("~$" + path.name[2:]), path.with_name("~$" + path.name),
                        path.with_name(f".~lock.{path.name}#")) if p.exists()]


def os_reason(exc: OSError, path: Path | None = None) -> str:
    """An operating-system error as a Vietnamese reason (for `reason` fields of problems)."""
    if isinstance(exc, PermissionError):
        in_use = getattr(exc, "winerror", None) in IN_USE_WINERRORS or (path and lock_files(path))
        return T.OS_REASONS["in_use" if in_use else "permission"]
    if isinstance(exc, IsADirectoryError):
        return T.OS_REASONS["directory"]
    if isinstance(exc, FileNotFoundError):
        return T.OS_REASONS["missing"]
    return T.OS_REASONS["other"]


def chairbook_problem(path: Path, exc: Exception) -> Problem:
    """The problem saying why the chair's workbook at `path` could not be opened (`exc`: what opening
    it raised) and what to do."""
    path, file = Path(path), Path(path).name
    if isinstance(exc, PermissionError):
        in_use = getattr(exc, "winerror", None) in IN_USE_WINERRORS or lock_files(path)
        return problem("bloc.in_use" if in_use else "bloc.no_permission", file=file)
    if isinstance(exc, OSError) and not path.is_file():
        return problem("bloc.not_found", file=file)
    if isinstance(exc, OSError):
        return problem("bloc.unreadable", file=file, reason=os_reason(exc, path))
    return _content_problem(path)


def _content_problem(path: Path) -> Problem:
    """What is wrong with a file that opened but is not a readable workbook."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    data = path.read_bytes() if head.startswith(OLE_MAGIC) else b""
    if head.startswith(OLE_MAGIC):
        encrypted = "EncryptionInfo".encode("utf-16-le") in data
        return problem("bloc.encrypted" if encrypted else "bloc.not_xlsx", file=path.name)
    if not head:
        return problem("bloc.unreadable", file=path.name, reason=TR.REASONS["empty"])
    if not head.startswith(b"PK"):
        return problem("bloc.not_xlsx", file=path.name)
    return problem("bloc.unreadable", file=path.name, reason=TR.REASONS["zip"])
