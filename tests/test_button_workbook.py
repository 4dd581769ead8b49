"""The chair's khoi.xlsm as files: macro-enabled parts, the VBA project, the button's macro, the shim;
and the control sheet as LibreOffice renders it."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
import xlwings
from click.testing import CliRunner
from defusedxml import ElementTree

from tests.helpers import small_bloc
from toolkit import office
from toolkit import texts as T
from toolkit.chairbook import load_bloc, write_chair_xlsm
from toolkit.chairbook.control import ACTION_LIST_COLUMN, CONTROL_ROWS
from toolkit.chairbook.xlsm import XLWINGS_TEMPLATE, is_thidua_shim
from toolkit.cli import main
from toolkit.excel.vba import macro_names, vba_modules, xlwings_vba_version
from toolkit.folder import chair_workbook, init_folder
from toolkit.paths import INBOX_DIR, OUTPUT_DIR

B = T.button
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@pytest.fixture
def xlsm(tmp_path) -> Path:
    return init_folder(tmp_path / "khoi-thu", small_bloc(), macros=True)


def _content_types(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("[Content_Types].xml"))
    types = {e.get("PartName"): e.get("ContentType") for e in root.iter(CT + "Override")}
    types.update({"*." + e.get("Extension"): e.get("ContentType") for e in root.iter(CT + "Default")})
    return types


def _button_macros(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        vml = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".vml")]
    return [m for text in vml for m in re.findall(r"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", text)]


def test_init_writes_a_macro_enabled_workbook_and_its_shim(xlsm):
    assert xlsm.name == "khoi.xlsm" and chair_workbook(xlsm.parent) == xlsm
    types = _content_types(xlsm)
    assert types["/xl/workbook.xml"] == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert types["*.bin"] == "application/vnd.ms-office.vbaProject"
    with zipfile.ZipFile(xlsm) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    assert "relationships/vbaProject" in rels
    assert is_thidua_shim(xlsm.with_suffix(".py"))


def test_the_vba_is_xlwings_standalone_project_at_the_installed_version(xlsm):
    modules = vba_modules(xlsm)
    assert xlwings_vba_version(modules) == xlwings.__version__
    assert modules == vba_modules(XLWINGS_TEMPLATE)          # copied unchanged from the template
    assert "xlwings.bas" in modules


def test_the_button_runs_a_macro_of_the_vba_that_imports_the_module_named_after_the_workbook(xlsm):
    modules = vba_modules(xlsm)
    assert _button_macros(xlsm) == ["SampleCall"]
    assert set(_button_macros(xlsm)) <= macro_names(modules)
    sample = re.search(r"Sub SampleCall\(\)(.*?)End Sub", "\n".join(modules.values()), re.S).group(1)
    assert "Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name" in sample
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in sample


def test_the_shim_hands_over_to_the_entry_point(xlsm):
    source = xlsm.with_suffix(".py").read_text(encoding="utf-8")
    compile(source, "khoi.py", "exec")
    assert "from toolkit.excel.button import main as run_button" in source
    assert "run_button(__file__)" in source


def test_the_xlsm_carries_the_same_bloc_sheets_and_loads_back(xlsm, tmp_path):
    plain = init_folder(tmp_path / "thuong", small_bloc(), macros=False)
    assert plain.suffix == ".xlsx" and not plain.with_suffix(".py").exists()
    with_button = openpyxl.load_workbook(xlsm, keep_vba=True)
    without = openpyxl.load_workbook(plain)
    assert with_button.sheetnames == [B.SHEET_CONTROL] + without.sheetnames
    for name in without.sheetnames:
        assert [[c.value for c in r] for r in with_button[name].iter_rows()] == \
               [[c.value for c in r] for r in without[name].iter_rows()]
    assert load_bloc(xlsm) == load_bloc(plain)


def test_the_control_sheet_has_its_cells_and_the_action_list(xlsm):
    ws = openpyxl.load_workbook(xlsm, keep_vba=True)[B.SHEET_CONTROL]
    assert ws.parent.active.title == B.SHEET_CONTROL
    cell = {key: ws.cell(row + 1, 2).value for key, row in CONTROL_ROWS.items()}
    assert (cell["inbox"], cell["output"], cell["action"]) == ("nhan", "ket-qua", B.ACTIONS["consolidate"])
    assert ws.cell(CONTROL_ROWS["status"] + 1, 1).value == B.LABEL_STATUS
    validation = next(iter(ws.data_validations.dataValidation))
    assert str(validation.sqref) == f"B{CONTROL_ROWS['action'] + 1}"
    column = get_column_letter(ACTION_LIST_COLUMN + 1)
    assert validation.formula1 == f"${column}$1:${column}${len(B.ACTIONS)}"   # every action, from a range
    assert [ws[f"{column}{i + 1}"].value for i in range(len(B.ACTIONS))] == list(B.ACTIONS.values())
    assert ws.column_dimensions[column].hidden


def test_init_never_overwrites_and_says_so_in_vietnamese(xlsm):
    result = CliRunner().invoke(main, ["init", str(xlsm.parent)])
    assert result.exit_code == 2
    assert T.cli.FOLDER_EXISTS.format(path=xlsm.parent) in result.output


def test_cli_init_and_demo_write_the_button_workbook(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "k"), "--bloc", "tay-nguyen"])
    assert result.exit_code == 0, result.output
    assert chair_workbook(tmp_path / "k").name == "khoi.xlsm"
    assert is_thidua_shim(tmp_path / "k" / "khoi.py")
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert T.cli.CHAIR_WORKBOOK.format(path=tmp_path / "demo" / "khoi.xlsm") in result.output
    assert len(list((tmp_path / "demo" / "ket-qua").glob("tong-hop-*.xlsx"))) == 1


def test_cli_init_xlsx_writes_the_plain_workbook(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "k"), "--xlsx", "--bloc", "trong"])
    assert result.exit_code == 0, result.output
    assert chair_workbook(tmp_path / "k").name == "khoi.xlsx"


@pytest.mark.office
def test_libreoffice_opens_the_xlsm_renders_the_control_sheet_and_sees_the_buttons_macro(soffice, tmp_path):
    path = write_chair_xlsm(tmp_path / "khoi.xlsm", small_bloc(), INBOX_DIR, OUTPUT_DIR)
    values, pdf, saved = office.run_jobs([
        {"type": "values", "src": path, "sheets": [B.SHEET_CONTROL, T.SHEET_MEMBERS]},
        {"type": "pdf", "src": path, "dst": tmp_path / "khoi.pdf"},
        {"type": "recalc", "src": path, "dst": tmp_path / "saved.xlsx"},
    ])
    assert values["ok"] and pdf["ok"] and saved["ok"]
    control = values["values"][B.SHEET_CONTROL]
    assert control["A1"] == B.CONTROL_TITLE
    assert control[f"B{CONTROL_ROWS['action'] + 1}"] == B.ACTIONS["consolidate"]
    assert values["values"][T.SHEET_MEMBERS]["C2"] == "Đơn vị An"
    text = subprocess.run([shutil.which("pdftotext"), "-f", "1", "-l", "1", tmp_path / "khoi.pdf", "-"],
                          capture_output=True, text=True, check=True).stdout
    assert B.CONTROL_TITLE in text and B.LABEL_STATUS in text and B.STATUS_NEW in text
    png = office.pdf_to_png(tmp_path / "khoi.pdf", tmp_path / "png", first_page=1, last_page=1)
    assert len(png) == 1 and png[0].stat().st_size > 2000
    with zipfile.ZipFile(tmp_path / "saved.xlsx") as z:       # LibreOffice kept the button and its macro
        vml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".vml"))
    assert re.search(r"<x:FmlaMacro>[^<]*SampleCall</x:FmlaMacro>", vml)
    assert B.BUTTON_CAPTION in vml

def test_macros_folder_holds_the_button_macro_of_the_workbook(xlsm):
    source = (Path(__file__).resolve().parents[1] / "macros" / "Module1.bas").read_bytes().decode("ascii")
    assert source.startswith('Attribute VB_Name = "Module1"\r\n')
    in_workbook = vba_modules(xlsm)["Module1.bas"]
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    assert lines == [line.strip() for line in in_workbook.splitlines() if line.strip()]
