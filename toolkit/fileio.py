"""File helpers: atomic output and content hashes. Inputs are only ever read."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    The result has the permissions a plain write gives: a new file the umask's normal mode
    (0666 less the umask, so colleagues on a shared folder can open it), a replaced file its own mode."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = _new_file_beside(target)
    normal_mode = stat.S_IMODE(tmp_path.stat().st_mode)
    try:
        yield tmp_path
        _set_mode(tmp_path, _existing_mode(target, normal_mode))
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def _new_file_beside(target: Path) -> Path:
    """A new empty file with a random name beside `target`, created as open() creates one (mode 0666
    less the umask; tempfile's files are owner-only)."""
    for _ in range(100):
        tmp = target.with_name(f".~{target.stem}{secrets.token_hex(6)}{target.suffix}")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _existing_mode(target: Path, default: int) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return default


def _set_mode(path: Path, mode: int) -> None:
    """Give `path` this mode; where the file system keeps no modes (a network share) it stays as it is."""
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            os.chmod(path, mode)
    except PermissionError:
        pass


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
