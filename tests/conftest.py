"""Shared pytest fixtures, and the check that every problem code is produced by some test."""

import os
import subprocess
from pathlib import Path

import pytest

from tests import catalog_coverage
from toolkit import office

RECORDER = catalog_coverage.install()
_RUN = {"files": set(), "deselected": 0}


def pytest_collection_modifyitems(items):
    _RUN["files"] = {Path(str(item.fspath)).resolve() for item in items}


def pytest_deselected(items):
    _RUN["deselected"] += len(items)


def pytest_sessionfinish(session, exitstatus):
    """On a full run, fail the session when some catalog entry was never produced by any test."""
    if exitstatus != 0 or session.config.option.collectonly \
            or not catalog_coverage.is_full_run(_RUN["files"], _RUN["deselected"]):
        return
    missing = catalog_coverage.never_produced(RECORDER)
    if missing:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(f"Problem codes never produced by any test: {', '.join(missing)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _uno_importable(python: Path) -> bool:
    try:
        done = subprocess.run([python, "-c", "import uno"], capture_output=True)
    except OSError:
        return False
    return done.returncode == 0


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of soffice with a usable python3-uno; fails in CI when missing, skips locally."""
    found = office.find_office()
    if found is None:
        problem = "LibreOffice (soffice) is not installed"
    elif not _uno_importable(found.python):
        problem = f"python3-uno is not importable by {found.python}"
    else:
        return str(found.soffice)
    if os.environ.get("CI"):
        pytest.fail(f"{problem}; CI must install it")
    pytest.skip(problem)


@pytest.fixture(autouse=True)
def keyring_store(tmp_path):
    """Every test gets a real keyring backend (keyrings.alt's PlaintextKeyring) that keeps its secrets in
    the test's own folder: no test reads or writes the machine's credential store."""
    import keyring
    from keyrings.alt.file import PlaintextKeyring

    store = PlaintextKeyring()
    store.file_path = str(tmp_path / "keyring" / "secrets.cfg")
    previous = keyring.get_keyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)
