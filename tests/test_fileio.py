"""Files thidua writes keep the user's normal permissions: the umask's mode when new, their own when replaced."""

from __future__ import annotations

import os
import stat

import pytest

from tests.helpers import small_bloc
from toolkit.fileio import atomic_path, write_bytes_atomic
from toolkit.forms import generate_forms


@pytest.fixture(params=[0o022, 0o002], ids=["umask022", "umask002"])
def umask(request):
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umasks_normal_mode(umask, tmp_path):
    target = tmp_path / "khoi.py"
    write_bytes_atomic(target, b"x = 1\n")
    assert _mode(target) == 0o666 & ~umask
    assert target.read_bytes() == b"x = 1\n"


def test_forms_written_through_a_library_get_the_umasks_normal_mode(umask, tmp_path):
    forms = generate_forms(small_bloc(), tmp_path / "phieu")
    assert forms and {_mode(p) for p in forms} == {0o666 & ~umask}


def test_a_replaced_file_keeps_its_own_mode(umask, tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and _mode(target) == 0o640


def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "phan-hoi.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["phan-hoi.xlsx"]
