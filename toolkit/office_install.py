"""Where LibreOffice is installed on each system, and the Python that drives it through UNO.

* Linux: `soffice`/`libreoffice` on PATH (or the Debian and TDF package folders); UNO through the
  distribution's /usr/bin/python3 (package python3-uno).
* Windows: `<install>\\program\\soffice.exe` under Program Files, or where the registry says
  (HKLM\\SOFTWARE\\LibreOffice\\UNO\\InstallPath); UNO through the `python.exe` LibreOffice ships there.
* macOS: the `LibreOffice.app` bundle in /Applications or ~/Applications; UNO through
  `LibreOffice.app/Contents/Resources/python`.

Every function takes the platform and the places to look as parameters (`root` stands for the file
system's root, `env` for the environment, `winreg` for the registry module), so each system's layout can
be checked on any machine with a fake installation tree.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from toolkit.texts import office as TO

LINUX_FOLDERS = ("usr/lib/libreoffice/program", "opt/libreoffice/program")
WINDOWS_ENV = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
WINDOWS_KEYS = (r"SOFTWARE\LibreOffice\UNO\InstallPath", r"SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath")
MAC_APP = Path("LibreOffice.app/Contents")


@dataclass(frozen=True)
class OfficeInstall:
    """An installed LibreOffice: its soffice and the Python that can import uno for it."""

    soffice: Path
    python: Path


def system_name(platform: str = sys.platform) -> str:
    """"windows", "macos" or "linux" (any other Unix is treated as Linux)."""
    if platform.startswith(("win", "cygwin")):
        return "windows"
    return "macos" if platform == "darwin" else "linux"


def find_office(platform: str = sys.platform, env: dict[str, str] | None = None, root: Path = Path("/"),
                home: Path | None = None, winreg=None) -> OfficeInstall | None:
    """The LibreOffice of this system, or None when there is none."""
    env = dict(os.environ) if env is None else env
    system = system_name(platform)
    if system == "windows":
        return _first(_windows_programs(env, winreg if winreg is not None else _winreg(platform)),
                      "soffice.exe", "python.exe")
    if system == "macos":
        apps = [root / "Applications", (home or Path.home()) / "Applications"]
        found = next((a / MAC_APP for a in apps if _runnable(a / MAC_APP / "MacOS" / "soffice")), None)
        return None if found is None else OfficeInstall(found / "MacOS" / "soffice", found / "Resources" / "python")
    return _linux_office(env, root)


def install_hint(platform: str = sys.platform) -> str:
    """What to install on this system when no LibreOffice is found (Vietnamese)."""
    return TO.NOT_FOUND.format(hint=TO.INSTALL[system_name(platform)])


def no_uno_python(found: OfficeInstall, platform: str = sys.platform) -> str:
    """LibreOffice is there but not the Python that drives it (Vietnamese)."""
    return TO.NO_UNO_PYTHON.format(soffice=found.soffice, python=found.python,
                                   hint=TO.UNO_HINT[system_name(platform)])


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _first(programs: list[Path], soffice: str, python: str) -> OfficeInstall | None:
    found = next((p for p in programs if (p / soffice).is_file()), None)
    return None if found is None else OfficeInstall(found / soffice, found / python)


def _windows_programs(env: dict[str, str], winreg) -> list[Path]:
    """Program folders to look in: the registry's first, then Program Files (64 and 32 bit)."""
    folders = _registry_programs(winreg) if winreg is not None else []
    folders += [Path(env[k]) / "LibreOffice" / "program" for k in WINDOWS_ENV if env.get(k)]
    return folders


def _winreg(platform: str):
    """The registry module on a real Windows, None elsewhere."""
    if not (platform.startswith("win") and sys.platform.startswith("win")):
        return None
    import winreg

    return winreg


def _registry_programs(winreg) -> list[Path]:
    """The program folders the LibreOffice installer registered (machine-wide, then per user)."""
    found = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for key in WINDOWS_KEYS:
            try:
                with winreg.OpenKey(hive, key) as handle:
                    value, _ = winreg.QueryValueEx(handle, "")
            except OSError:
                continue
            path = Path(str(value))
            found.append(path.parent if path.name.lower() == "soffice.exe" else path)
    return found


def _linux_office(env: dict[str, str], root: Path) -> OfficeInstall | None:
    on_path = shutil.which("soffice", path=env.get("PATH", "")) or shutil.which("libreoffice", path=env.get("PATH", ""))
    soffice = Path(on_path) if on_path else next(
        (root / f / "soffice" for f in LINUX_FOLDERS if _runnable(root / f / "soffice")), None)
    return None if soffice is None else OfficeInstall(soffice, root / "usr" / "bin" / "python3")
