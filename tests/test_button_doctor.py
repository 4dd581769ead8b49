"""`thidua doctor`: checks and repairs around the chair's button (config written to a temporary file)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import xlwings
from click.testing import CliRunner

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.chairbook.xlsm import is_thidua_shim
from toolkit.cli import main
from toolkit.excel import doctor as checkup
from toolkit.excel.doctor import BAD, FIXED, OK, WARN, doctor
from toolkit.folder import init_folder

B = T.button


@pytest.fixture
def folder(tmp_path) -> Path:
    init_folder(tmp_path / "khoi", small_bloc(), macros=True)
    return tmp_path / "khoi"


def _levels(findings) -> list[str]:
    return [f.level for f in findings]


def _config(path: Path) -> dict[str, str]:
    return dict(line.replace('"', "").split(",", 1) for line in path.read_text().splitlines())


def test_a_fresh_folder_passes_and_the_interpreter_is_written_to_the_config(folder, tmp_path):
    config = tmp_path / "conf" / "xlwings.conf"
    config.parent.mkdir()
    config.write_text('"LICENSE_KEY","noncommercial"\n"INTERPRETER_WIN","C:\\cu\\python.exe"\n')
    findings = doctor(folder, config, platform="win32", env={})
    assert BAD not in _levels(findings)
    assert findings[0] == checkup.Finding(OK, B.DOCTOR_PYTHON.format(
        version=".".join(map(str, sys.version_info[:3])), executable=sys.executable))
    assert checkup.Finding(OK, B.DOCTOR_VBA_VERSION.format(workbook="khoi.xlsm", vba=xlwings.__version__)) in findings
    assert _config(config) == {"LICENSE_KEY": "noncommercial", "INTERPRETER_WIN": sys.executable}


def test_a_renamed_workbook_gets_its_shim_and_a_name_python_cannot_import_is_bad(folder, tmp_path):
    (folder / "khoi.xlsm").rename(folder / "khoi_2026.xlsm")
    (folder / "khoi.py").unlink()
    (folder / "khoi_2026 (1).xlsm").write_bytes((folder / "khoi_2026.xlsm").read_bytes())
    findings = doctor(folder, tmp_path / "xlwings.conf", platform="win32", env={})
    messages = {f.message: f.level for f in findings}
    names = {"default": "khoi.xlsm"}
    assert messages[B.DOCTOR_SHIM_WRITTEN.format(workbook="khoi_2026.xlsm", shim="khoi_2026.py", **names)] == FIXED
    assert messages[B.DOCTOR_NAME_BAD.format(workbook="khoi_2026 (1).xlsm", shim="khoi_2026 (1).py",
                                             stem="khoi_2026 (1)", **names)] == BAD
    shim = folder / "khoi_2026.py"
    assert is_thidua_shim(shim)
    spec = importlib.util.spec_from_file_location("khoi_2026", shim)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main)


def test_a_foreign_module_with_the_workbooks_name_is_not_overwritten(folder, tmp_path):
    (folder / "khoi.py").write_text("print('của người khác')\n", encoding="utf-8")
    findings = doctor(folder, tmp_path / "xlwings.conf", platform="win32", env={})
    assert checkup.Finding(BAD, B.DOCTOR_SHIM_FOREIGN.format(workbook="khoi.xlsm", shim="khoi.py",
                                                             default="khoi.xlsm")) in findings
    assert "của người khác" in (folder / "khoi.py").read_text(encoding="utf-8")


def test_a_vba_version_other_than_the_installed_xlwings_is_reported(folder, tmp_path, monkeypatch):
    vba = xlwings.__version__
    monkeypatch.setattr(xlwings, "__version__", "0.0.1")        # as if another xlwings were installed
    expected = B.DOCTOR_VBA_MISMATCH.format(workbook="khoi.xlsm", vba=vba, installed="0.0.1")
    on_windows = doctor(folder, tmp_path / "a.conf", platform="win32", env={})
    assert checkup.Finding(WARN, expected) in on_windows
    script = tmp_path / "Library" / "Application Scripts" / "com.microsoft.Excel" / "xlwings-0.0.1.applescript"
    script.parent.mkdir(parents=True)
    script.write_text("")                                        # that xlwings' RunPython is enabled
    on_mac = doctor(folder, tmp_path / "b.conf", platform="darwin", env={}, home=tmp_path)
    assert checkup.Finding(BAD, expected) in on_mac        # macOS needs xlwings-<VBA version>.applescript


def test_a_onedrive_folder_is_warned_about_and_its_root_goes_to_the_config(tmp_path):
    root = tmp_path / "OneDrive - Sở Nội vụ"
    init_folder(root / "Thi đua", small_bloc(), macros=True)
    config = tmp_path / "xlwings.conf"
    findings = doctor(root / "Thi đua", config, platform="win32", env={"OneDriveCommercial": str(root)})
    assert checkup.Finding(WARN, B.DOCTOR_CLOUD.format(service=root.name)) in findings
    assert _config(config)["ONEDRIVE_COMMERCIAL_WIN"] == str(root)


def test_on_macos_runpython_is_enabled_and_the_mac_interpreter_written(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))                 # xlwings' installer copies under ~
    config = tmp_path / "xlwings.conf"
    findings = doctor(folder, config, platform="darwin", env={}, home=tmp_path)
    script = (tmp_path / "Library" / "Application Scripts" / "com.microsoft.Excel"
              / f"xlwings-{xlwings.__version__}.applescript")
    assert script.is_file()
    assert findings[-1] == checkup.Finding(FIXED, B.DOCTOR_MAC_SCRIPT.format(path=script))
    assert _config(config) == {"INTERPRETER_MAC": sys.executable}
    again = doctor(folder, config, platform="darwin", env={}, home=tmp_path)
    assert again[-1].level == OK


def test_cli_doctor_prints_the_checks_and_exits_by_the_result(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(tmp_path / "user" / "xlwings.conf"))
    result = CliRunner().invoke(main, ["doctor", str(folder)])
    assert result.exit_code == 0, result.output
    assert B.DOCTOR_SUMMARY_OK in result.output
    assert f"{B.DOCTOR_OK} {B.DOCTOR_SHIM_OK.format(workbook='khoi.xlsm', shim='khoi.py')}" in result.output
    assert (tmp_path / "user" / "xlwings.conf").is_file()
    empty = tmp_path / "trong"
    empty.mkdir()
    result = CliRunner().invoke(main, ["doctor", str(empty)])
    assert result.exit_code == 1
    assert B.DOCTOR_NO_WORKBOOK.format(folder=empty.resolve()) in result.output


def test_on_windows_a_workbook_marked_as_downloaded_is_unblocked(folder, tmp_path):
    # On NTFS "khoi.xlsm:Zone.Identifier" names the Mark-of-the-Web stream; here it is a plain file
    # reached by the same path, which is all the check uses.
    mark = folder / "khoi.xlsm:Zone.Identifier"
    mark.write_text("[ZoneTransfer]\r\nZoneId=3\r\nReferrerUrl=https://mail.example/\r\n")
    findings = doctor(folder, tmp_path / "xlwings.conf", platform="win32", env={})
    assert checkup.Finding(FIXED, B.DOCTOR_UNBLOCKED.format(workbook="khoi.xlsm")) in findings
    assert not mark.exists()
    mark.write_text("[ZoneTransfer]\r\nZoneId=1\r\n")            # the local intranet: not blocked
    again = doctor(folder, tmp_path / "xlwings.conf", platform="win32", env={})
    assert not any("Unblock" in f.message for f in again) and mark.exists()


def _fake_windows_libreoffice(tmp_path: Path, with_python: bool = True) -> dict[str, str]:
    program = tmp_path / "Program Files" / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"MZ")
    if with_python:
        (program / "python.exe").write_bytes(b"MZ")
    return {"ProgramFiles": str(tmp_path / "Program Files")}


def test_doctor_says_which_pdf_route_works_on_each_system(folder, tmp_path, monkeypatch):
    from toolkit.texts import office as TO
    from toolkit.office_install import install_hint

    bare = doctor(folder, tmp_path / "a.conf", platform="win32", env={})
    assert checkup.Finding(OK, TO.DOCTOR_PDF_EXCEL) in bare
    assert checkup.Finding(WARN, TO.DOCTOR_PDF_NONE.format(reason=install_hint("win32"))) in bare
    env = _fake_windows_libreoffice(tmp_path)
    with_lo = doctor(folder, tmp_path / "b.conf", platform="win32", env=env)
    soffice = tmp_path / "Program Files" / "LibreOffice" / "program" / "soffice.exe"
    assert checkup.Finding(OK, TO.DOCTOR_PDF_LIBREOFFICE.format(soffice=soffice)) in with_lo
    assert BAD not in _levels(with_lo)
    on_linux = doctor(folder, tmp_path / "c.conf", platform="linux", env={"PATH": ""})
    assert checkup.Finding(OK, TO.DOCTOR_PDF_EXCEL) not in on_linux      # no Excel on Linux


def test_doctor_warns_when_libreoffice_lacks_its_python(folder, tmp_path):
    from toolkit.texts import office as TO

    env = _fake_windows_libreoffice(tmp_path, with_python=False)
    findings = doctor(folder, tmp_path / "a.conf", platform="win32", env=env)
    [pdf] = [f for f in findings if f.message.startswith(TO.DOCTOR_PDF_NONE.split("{")[0])]
    assert pdf.level == WARN and TO.UNO_HINT["windows"] in pdf.message


def test_doctor_asks_for_the_smtp_password_once_and_keeps_it_in_the_store(tmp_path, monkeypatch, keyring_store):
    from toolkit import credentials
    from toolkit.texts import mail as M

    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(tmp_path / "user" / "xlwings.conf"))
    folder = tmp_path / "khoi-thu"
    init_folder(folder, small_bloc(smtp_host="smtp.khoi.example", smtp_user="truongkhoi"), macros=True)
    not_yet = CliRunner().invoke(main, ["doctor", str(folder)])          # no keyboard: it only says so
    assert M.DOCTOR_PASSWORD_MISSING.format(user="truongkhoi", folder=folder) in not_yet.output
    asked = CliRunner().invoke(main, ["doctor", "--mat-khau", str(folder)], input="Bi mat 1\n")
    assert asked.exit_code == 0, asked.output
    assert "Bi mat 1" not in asked.output
    assert credentials.get_password("thidua-smtp/smtp.khoi.example", "truongkhoi") == "Bi mat 1"
    store = credentials.store_name()
    again = CliRunner().invoke(main, ["doctor", str(folder)])
    assert M.DOCTOR_PASSWORD_OK.format(user="truongkhoi", store=store) in again.output
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert written and not [p for p in written if b"Bi mat 1" in p.read_bytes()]
