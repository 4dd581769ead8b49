"""An unreadable chair's workbook says why and what to do, in Vietnamese, never in Python's spelling
(issue 13, "Also"): in use, no permission, missing, not an xlsx, encrypted, damaged."""

from __future__ import annotations

import errno
import io
import zipfile

import pytest

from tests.rules_helpers import six_bloc
from toolkit import texts as T
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.chairbook.unreadable import chairbook_problem, os_reason
from toolkit.problems import ProblemError
from toolkit.xlsx import OLE_MAGIC

PYTHON_SPELLINGS = ("Error", "Exception", "True", "False", "None", "'")


def _code(path) -> tuple[str, str]:
    with pytest.raises(ProblemError) as caught:
        load_bloc(path)
    [p] = caught.value.problems
    assert not any(word in p.message for word in PYTHON_SPELLINGS), p.message
    return p.code, p.message


def test_a_file_that_is_not_an_xlsx_says_so(tmp_path):
    path = tmp_path / "khoi.xlsx"
    path.write_bytes(b"not a workbook")
    assert _code(path)[0] == "bloc.not_xlsx"


def test_an_encrypted_workbook_says_remove_the_password(tmp_path):
    path = tmp_path / "khoi.xlsx"
    path.write_bytes(OLE_MAGIC + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100)
    code, message = _code(path)
    assert code == "bloc.encrypted" and "mật khẩu" in message


def test_a_damaged_zip_says_it_is_damaged_not_a_class_name(tmp_path):
    path = tmp_path / "khoi.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "x" * 1000)
    path.write_bytes(buffer.getvalue()[:60])
    code, message = _code(path)
    assert code == "bloc.unreadable" and "bị hỏng" in message


def test_a_missing_file_or_a_directory_is_not_found(tmp_path):
    assert _code(tmp_path / "khong-co.xlsx")[0] == "bloc.not_found"
    folder = tmp_path / "thu-muc.xlsx"
    folder.mkdir()
    assert _code(folder)[0] == "bloc.not_found"


def test_permission_denied_says_no_permission_and_in_use_says_close_excel(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    denied = PermissionError(errno.EACCES, "Permission denied", str(path))
    assert chairbook_problem(path, denied).code == "bloc.no_permission"
    (tmp_path / "~$khoi.xlsx").write_bytes(b"owner")  # Excel's owner file: the workbook is open in Excel
    in_use = chairbook_problem(path, denied)
    assert in_use.code == "bloc.in_use" and "đóng tệp" in in_use.message


def test_a_windows_sharing_violation_is_in_use(tmp_path):
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32
    assert chairbook_problem(tmp_path / "khoi.xlsx", exc).code == "bloc.in_use"


@pytest.mark.parametrize("exc, key", [(PermissionError(errno.EACCES, "denied"), "permission"),
                                      (IsADirectoryError(errno.EISDIR, "is a dir"), "directory"),
                                      (FileNotFoundError(errno.ENOENT, "no file"), "missing"),
                                      (OSError(errno.EIO, "I/O error"), "other")])
def test_os_errors_become_vietnamese_reasons(tmp_path, exc, key):
    assert os_reason(exc, tmp_path / "x.xlsx") == T.OS_REASONS[key]
