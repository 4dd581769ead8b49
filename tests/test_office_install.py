"""Finding LibreOffice and its UNO Python on each system's layout, with fake installation trees.

The platform, environment, file-system root and registry module are parameters of find_office: nothing
here monkeypatches sys.platform. The fake trees hold empty executables where LibreOffice puts its own.
"""

from contextlib import contextmanager
from pathlib import Path

import pytest

from toolkit import office
from toolkit.office_install import OfficeInstall, find_office, install_hint, no_uno_python
from toolkit.texts import office as TO


def _exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


class FakeWinreg:
    """The part of the winreg module that find_office uses, over a dict {(hive, key): default value}."""

    HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER = "HKLM", "HKCU"

    def __init__(self, values: dict):
        self.values = values
        self.opened = []

    @contextmanager
    def OpenKey(self, hive, key):
        self.opened.append((hive, key))
        if (hive, key) not in self.values:
            raise FileNotFoundError(key)
        yield (hive, key)

    def QueryValueEx(self, handle, name):
        assert name == ""
        return self.values[handle], 1


def test_windows_program_files_and_the_python_libreoffice_ships(tmp_path):
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    _exe(program / "soffice.exe"), _exe(program / "python.exe")
    env = {"ProgramFiles": str(tmp_path / "Program Files"), "PATH": ""}
    assert find_office("win32", env=env, root=tmp_path) == OfficeInstall(program / "soffice.exe",
                                                                           program / "python.exe")
    assert find_office("win32", env={"ProgramFiles": str(tmp_path / "nowhere")}, root=tmp_path) is None


def test_windows_32_bit_libreoffice_under_program_files_x86(tmp_path):
    program = tmp_path / "Program Files (x86)" / "LibreOffice" / "program"
    _exe(program / "soffice.exe")
    env = {"ProgramFiles": str(tmp_path / "Program Files"), "ProgramFiles(x86)": str(program.parents[1])}
    assert find_office("win32", env=env).soffice == program / "soffice.exe"


def test_windows_registry_install_path_comes_first(tmp_path):
    custom = tmp_path / "D" / "Ung dung" / "LibreOffice" / "program"
    default = tmp_path / "Program Files" / "LibreOffice" / "program"
    for program in (custom, default):
        _exe(program / "soffice.exe"), _exe(program / "python.exe")
    registry = FakeWinreg({("HKLM", r"SOFTWARE\LibreOffice\UNO\InstallPath"): str(custom)})
    found = find_office("win32", env={"ProgramFiles": str(tmp_path / "Program Files")}, winreg=registry)
    assert found == OfficeInstall(custom / "soffice.exe", custom / "python.exe")
    assert ("HKLM", r"SOFTWARE\LibreOffice\UNO\InstallPath") in registry.opened
    per_user = FakeWinreg({("HKCU", r"SOFTWARE\LibreOffice\UNO\InstallPath"): str(custom / "soffice.exe")})
    assert find_office("win32", env={}, winreg=per_user).soffice == custom / "soffice.exe"


def test_macos_application_bundle_and_its_python(tmp_path):
    contents = tmp_path / "Applications" / "LibreOffice.app" / "Contents"
    _exe(contents / "MacOS" / "soffice"), _exe(contents / "Resources" / "python")
    found = find_office("darwin", env={"PATH": ""}, root=tmp_path, home=tmp_path / "home")
    assert found == OfficeInstall(contents / "MacOS" / "soffice", contents / "Resources" / "python")
    assert find_office("darwin", env={}, root=tmp_path / "other", home=tmp_path / "home") is None


def test_macos_bundle_in_the_users_own_applications(tmp_path):
    contents = tmp_path / "home" / "Applications" / "LibreOffice.app" / "Contents"
    _exe(contents / "MacOS" / "soffice")
    found = find_office("darwin", env={}, root=tmp_path / "root", home=tmp_path / "home")
    assert found.python == contents / "Resources" / "python"


def test_linux_path_first_then_package_folders_and_the_distributions_python(tmp_path):
    on_path = _exe(tmp_path / "bin" / "soffice")
    packaged = _exe(tmp_path / "usr" / "lib" / "libreoffice" / "program" / "soffice")
    assert find_office("linux", env={"PATH": str(tmp_path / "bin")}, root=tmp_path) == OfficeInstall(
        on_path, tmp_path / "usr" / "bin" / "python3")
    assert find_office("linux", env={"PATH": str(tmp_path / "empty")}, root=tmp_path).soffice == packaged
    assert find_office("linux", env={"PATH": ""}, root=tmp_path / "bare") is None


@pytest.mark.parametrize("platform, system", [("win32", "windows"), ("darwin", "macos"), ("linux", "linux")])
def test_what_to_install_is_said_for_each_system(platform, system):
    assert install_hint(platform) == TO.NOT_FOUND.format(hint=TO.INSTALL[system])
    found = OfficeInstall(Path("soffice"), Path("python"))
    assert TO.UNO_HINT[system] in no_uno_python(found, platform)
    assert len(set(TO.INSTALL.values())) == 3


def test_the_worker_runs_under_the_python_found_with_libreoffice(tmp_path, monkeypatch):
    """run_jobs starts the UNO worker with the discovered Python, not a hard-coded one."""
    python = _exe(tmp_path / "lo" / "python")
    python.write_text("#!/bin/sh\necho \"ran by the bundled python: $2\" >&2\nexit 4\n")
    monkeypatch.setattr(office, "find_office", lambda: OfficeInstall(tmp_path / "lo" / "soffice", python))
    with pytest.raises(office.OfficeError, match=f"ran by the bundled python: {tmp_path / 'lo' / 'soffice'}"):
        office.run_jobs([{"type": "values", "src": "x.xlsx"}])
