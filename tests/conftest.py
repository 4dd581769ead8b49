"""Shared pytest fixtures."""

import os
import subprocess

import pytest

from toolkit import office


def _uno_importable() -> bool:
    try:
        done = subprocess.run([office.UNO_PYTHON, "-c", "import uno"], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of soffice with a usable python3-uno; fails in CI when missing, skips locally."""
    path = office.find_soffice()
    if path is None:
        problem = "LibreOffice (soffice) is not installed"
    elif not _uno_importable():
        problem = f"python3-uno is not importable by {office.UNO_PYTHON}"
    else:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{problem}; CI must install it")
    pytest.skip(problem)
