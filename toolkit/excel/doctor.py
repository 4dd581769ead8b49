"""`thidua doctor`: check (and repair what can be repaired) everything the chair's button needs.

Known pain it guards against: Excel running another Python than the one with thidua (it writes the
xlwings user config INTERPRETER_WIN / INTERPRETER_MAC for the current interpreter), a renamed workbook
whose shim no longer matches, xlwings' VBA and Python package at different versions, a bloc folder
inside OneDrive/SharePoint, and macOS' one-time `xlwings runpython install`. It also says which PDF
route works (Excel's own export from the button, LibreOffice from the command line).
"""

from __future__ import annotations

import locale
import os
import sys
from dataclasses import dataclass
from keyword import iskeyword
from pathlib import Path

import xlwings

from toolkit import texts as T
from toolkit.chairbook.xlsm import DEFAULT_STEM, is_thidua_shim, shim_path, write_shim
from toolkit.excel.vba import VbaError, vba_modules, xlwings_vba_version
from toolkit.fileio import write_bytes_atomic
from toolkit.office_install import find_office, install_hint, no_uno_python, system_name
from toolkit.texts import office as TO

B = T.button
OK, WARN, BAD, FIXED = "ok", "warn", "bad", "fixed"
MARKS = {OK: B.DOCTOR_OK, WARN: B.DOCTOR_WARN, BAD: B.DOCTOR_BAD, FIXED: B.DOCTOR_FIXED}
ONEDRIVE_ENV = {"OneDriveCommercial": "ONEDRIVE_COMMERCIAL_WIN", "OneDriveConsumer": "ONEDRIVE_CONSUMER_WIN",
                "OneDrive": "ONEDRIVE_CONSUMER_WIN"}
CLOUD_MARKS = ("onedrive", "sharepoint")


@dataclass(frozen=True)
class Finding:
    level: str   # OK, WARN, BAD or FIXED
    message: str


def doctor(folder: Path, config_file: Path | None = None, platform: str = sys.platform,
           env: dict[str, str] | None = None, home: Path | None = None) -> list[Finding]:
    """Run every check for the bloc folder; writes the xlwings config and missing shims."""
    folder = Path(folder).resolve()
    env = dict(os.environ) if env is None else env
    findings = [check_python(platform), Finding(OK, B.DOCTOR_XLWINGS.format(version=xlwings.__version__))]
    workbooks = sorted(p for p in folder.glob("*.xlsm") if not p.name.startswith(("~$", ".~")))
    if not workbooks:
        findings.append(Finding(BAD, B.DOCTOR_NO_WORKBOOK.format(folder=folder)))
    for workbook in workbooks:
        findings += [check_vba(workbook, platform), check_shim(workbook)]
        if platform.startswith("win"):
            findings += unblock(workbook)
    cloud, cloud_settings = check_cloud(folder, platform, env, home or Path.home())
    findings.append(cloud)
    config_file = Path(config_file or xlwings.USER_CONFIG_FILE)
    findings.append(write_config(config_file, {interpreter_key(platform): sys.executable, **cloud_settings}))
    findings += check_pdf(platform, env, home)
    if platform == "darwin":
        findings.append(enable_mac_runpython(home or Path.home()))
    return findings


def check_pdf(platform: str, env: dict[str, str], home: Path | None = None) -> list[Finding]:
    """Which PDF route works: Excel's own export from the button (Windows, macOS), LibreOffice from the
    command line (every system). A missing route is a warning: PDF is optional."""
    findings = [Finding(OK, TO.DOCTOR_PDF_EXCEL)] if system_name(platform) != "linux" else []
    found = find_office(platform, env=env, home=home)
    if found is None:
        return findings + [Finding(WARN, TO.DOCTOR_PDF_NONE.format(reason=install_hint(platform)))]
    if not found.python.is_file():
        return findings + [Finding(WARN, TO.DOCTOR_PDF_NONE.format(reason=no_uno_python(found, platform)))]
    return findings + [Finding(OK, TO.DOCTOR_PDF_LIBREOFFICE.format(soffice=found.soffice))]


def check_python(platform: str) -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    if sys.version_info < (3, 10):
        return Finding(BAD, B.DOCTOR_PYTHON_OLD.format(version=version))
    if platform.startswith("win") and not sys.executable.isascii():
        return Finding(WARN, B.DOCTOR_PYTHON_NON_ASCII.format(executable=sys.executable))
    return Finding(OK, B.DOCTOR_PYTHON.format(version=version, executable=sys.executable))


def check_vba(workbook: Path, platform: str) -> Finding:
    """The xlwings version written in the workbook's VBA equals the installed package's."""
    try:
        vba = xlwings_vba_version(vba_modules(workbook))
    except VbaError as exc:
        return Finding(BAD, B.DOCTOR_VBA_UNREADABLE.format(workbook=workbook.name, reason=exc))
    if vba is None:
        return Finding(BAD, B.DOCTOR_VBA_MISSING.format(workbook=workbook.name))
    if vba != xlwings.__version__:
        # macOS looks up xlwings-<VBA version>.applescript: a mismatch stops the button there
        level = BAD if platform == "darwin" else WARN
        return Finding(level, B.DOCTOR_VBA_MISMATCH.format(workbook=workbook.name, vba=vba,
                                                           installed=xlwings.__version__))
    return Finding(OK, B.DOCTOR_VBA_VERSION.format(workbook=workbook.name, vba=vba))


def check_shim(workbook: Path) -> Finding:
    """RunPython imports the module named after the workbook: the name must be a module name and
    the shim must sit beside it (written here when the workbook was renamed)."""
    stem, shim = workbook.stem, shim_path(workbook)
    names = {"workbook": workbook.name, "shim": shim.name, "default": DEFAULT_STEM + ".xlsm"}
    if not (stem.isascii() and stem.isidentifier()) or iskeyword(stem):
        return Finding(BAD, B.DOCTOR_NAME_BAD.format(stem=stem, **names))
    if is_thidua_shim(shim):
        return Finding(OK, B.DOCTOR_SHIM_OK.format(**names))
    if shim.exists():
        return Finding(BAD, B.DOCTOR_SHIM_FOREIGN.format(**names))
    write_shim(workbook)
    return Finding(FIXED, B.DOCTOR_SHIM_WRITTEN.format(**names))


def unblock(workbook: Path) -> list[Finding]:
    """Windows marks files from e-mail or the web (the Zone.Identifier stream, "Mark of the Web") and
    Excel then blocks their macros; removing the mark is what Properties › Unblock does."""
    mark = Path(f"{workbook}:Zone.Identifier")
    try:
        zone = mark.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if not any(f"ZoneId={n}" in zone for n in (3, 4)):
        return []
    try:
        os.remove(mark)
    except OSError:
        return [Finding(BAD, B.DOCTOR_BLOCKED.format(workbook=workbook.name))]
    return [Finding(FIXED, B.DOCTOR_UNBLOCKED.format(workbook=workbook.name))]


def check_cloud(folder: Path, platform: str, env: dict[str, str], home: Path) -> tuple[Finding, dict]:
    """A folder synced by OneDrive/SharePoint: warn, and give xlwings the local roots it needs to
    turn the workbook's https:// name back into a local path."""
    settings = {}
    if platform.startswith("win"):
        for var, key in ONEDRIVE_ENV.items():
            root = env.get(var)
            if root and _inside(folder, Path(root)):
                settings.setdefault(key, root)
    elif platform == "darwin":
        cloud = home / "Library" / "CloudStorage"
        if _inside(folder, cloud):
            root = cloud / folder.relative_to(cloud).parts[0]
            key = "ONEDRIVE_CONSUMER_MAC" if root.name == "OneDrive-Personal" else "ONEDRIVE_COMMERCIAL_MAC"
            settings[key] = str(root)
    marked = [part for part in folder.parts if any(m in part.casefold() for m in CLOUD_MARKS)]
    service = Path(next(iter(settings.values()))).name if settings else (marked[-1] if marked else None)
    if service:
        return Finding(WARN, B.DOCTOR_CLOUD.format(service=service)), settings
    return Finding(OK, B.DOCTOR_LOCAL), settings


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def interpreter_key(platform: str) -> str:
    return "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"


def write_config(config_file: Path, settings: dict[str, str]) -> Finding:
    """Set keys in an xlwings config file (lines `"KEY","VALUE"`, read by the VBA), keeping the others."""
    lines = []
    if config_file.is_file():
        keys = {f'"{key}"'.casefold() for key in settings}
        lines = [line for line in config_file.read_text(encoding=_config_encoding(), errors="replace").splitlines()
                 if line.strip() and line.split(",")[0].strip().casefold() not in keys]
    lines += [f'"{key}","{value}"' for key, value in settings.items()]
    # The VBA reads the file in the system's ANSI code page, as xlwings itself writes it
    write_bytes_atomic(config_file, ("\n".join(lines) + "\n").encode(_config_encoding(), errors="replace"))
    return Finding(FIXED, B.DOCTOR_CONFIG.format(keys=", ".join(settings), path=config_file))


def _config_encoding() -> str:
    return locale.getpreferredencoding(False)


def enable_mac_runpython(home: Path) -> Finding:
    """Excel on macOS runs Python through an AppleScript that `xlwings runpython install` copies."""
    script = home / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{xlwings.__version__}.applescript"
    if script.is_file():
        return Finding(OK, B.DOCTOR_MAC_SCRIPT_OK.format(path=script))
    from xlwings.cli import runpython_install

    runpython_install(None)
    if script.is_file():
        return Finding(FIXED, B.DOCTOR_MAC_SCRIPT.format(path=script))
    return Finding(BAD, B.DOCTOR_MAC_SCRIPT_FAILED)
