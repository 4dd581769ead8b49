"""Workbooks written by real applications read by toolkit.xlsx give openpyxl's value in every cell.

Writers: Excel itself (the corpus ../shared/corpus/excel-2007/ beside the repository, workbooks saved by
Excel that XlsxWriter's comparison tests keep), and here every corpus workbook saved again by the real
LibreOffice (`soffice --headless --convert-to xlsx`) and by Gnumeric (`ssconvert`). Each sheet is read
both ways toolkit.xlsx can read it: the direct scan where it accepts the part, and the XML parser.

How values are compared (toolkit.xlsx keeps what the cell stores, openpyxl interprets number formats):
numbers as float; a date, time or duration is the serial number it is stored as (openpyxl's datetime,
date, time or timedelta turned back with `openpyxl.utils.datetime.to_excel` in the workbook's epoch);
booleans as bool; text, error values (#DIV/0!) and formula results as str; an empty string is an empty
cell. Hand-made packages below pin the three shapes some writers produce: cells or rows without `r`,
a shared string with a plain part followed by rich-text runs, zip member names with backslashes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel

from toolkit import xlsx, xmlscan

REPO = Path(__file__).resolve().parents[1]
EXCEL_CORPUS = REPO.parent / "shared" / "corpus" / "excel-2007"
# Gnumeric writes a comment author with a raw "<>&" (not XML), which openpyxl refuses: for these its
# cells are compared with openpyxl's reading of the Excel original instead.
OPENPYXL_REFUSES = {"gnumeric": {"escapes02.xlsx"}}
# openpyxl warns about parts it does not keep (headers and footers, a missing default style)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


def _require(found: bool, what: str) -> None:
    """Skip locally when a writer or the corpus is missing; in CI that is a failure."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing; CI must provide it")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="module")
def excel_files() -> list[Path]:
    files = sorted(EXCEL_CORPUS.glob("*.xls[xm]")) if EXCEL_CORPUS.is_dir() else []
    _require(bool(files), f"the corpus {EXCEL_CORPUS}")
    return files


def _normalised(value, epoch):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        return float(to_excel(value, epoch))
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _openpyxl_values(path: Path) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        return {ws.title: {c.coordinate: v for row in ws.iter_rows() for c in row
                           if (v := _normalised(c.value, wb.epoch)) is not None} for ws in wb.worksheets}
    finally:
        wb.close()


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)  # to_excel rounds times to microseconds
    return type(a) is type(b) and a == b


def _thidua_values(path: Path) -> dict[str, list[dict[str, object]]]:
    """Each sheet's values as Workbook.sheet gives them, and as the XML parser alone gives them."""
    book = xlsx.open_workbook(path)
    try:
        tree_strings = (xlsx._parse_shared_strings_tree(xlsx._read_part(book._zip, "xl/sharedStrings.xml"))
                        if "xl/sharedStrings.xml" in book._zip.NameToInfo else [])
        out = {}
        for name in book.sheet_names:
            data = xlsx._read_part(book._zip, book._parts[name])
            parsed, _, _ = xlsx._parse_sheet_tree(data, tree_strings)
            out[name] = [{ref: v for ref, cell in cells.items() if (v := _normalised(cell[0], None)) is not None}
                         for cells in (book.sheet(name).cells, parsed)]
        return out
    finally:
        book.close()


def _differences(path: Path, expected: dict[str, dict[str, object]]) -> list[str]:
    found = _thidua_values(path)
    out = [f"{path.name}: sheet {name} not read" for name in expected if name not in found]
    for name, reference in expected.items():
        for how, values in zip(("read", "parser"), found.get(name, [])):
            out += [f"{path.name} {name}!{ref} ({how}): openpyxl {reference.get(ref)!r}, thidua {values.get(ref)!r}"
                    for ref in sorted(reference.keys() | values.keys())
                    if not _same(reference.get(ref), values.get(ref))]
    return out


def _compare_all(files: list[Path], sources: dict[str, Path], refused: set[str]) -> tuple[list[str], int]:
    """Every difference between thidua and openpyxl over `files`, and how many cells were compared.
    A file openpyxl refuses must be in `refused`; it is compared with openpyxl's reading of its source."""
    problems, cells = [], 0
    for path in files:
        try:
            expected = _openpyxl_values(path)
        except Exception as exc:  # openpyxl's own parse errors vary
            if path.name not in refused:
                problems.append(f"{path.name}: openpyxl cannot read it ({exc})")
                continue
            expected = _openpyxl_values(sources[path.name])
        cells += sum(len(v) for v in expected.values())
        problems += _differences(path, expected)
    return problems, cells


def test_every_workbook_saved_by_excel_reads_like_openpyxl(excel_files):
    problems, cells = _compare_all(excel_files, {}, set())
    assert problems == []
    assert len(excel_files) >= 140 and cells >= 500


@pytest.fixture(scope="module")
def gnumeric_files(excel_files, tmp_path_factory) -> list[Path]:
    ssconvert = shutil.which("ssconvert")
    _require(ssconvert is not None, "Gnumeric's ssconvert (apt package gnumeric)")
    out = tmp_path_factory.mktemp("gnumeric")
    for src in excel_files:
        if src.suffix == ".xlsx":
            subprocess.run([ssconvert, str(src), str(out / src.name)], check=True, capture_output=True, timeout=60)
    return sorted(out.glob("*.xlsx"))


def test_every_corpus_workbook_saved_by_gnumeric_reads_like_openpyxl(excel_files, gnumeric_files):
    sources = {p.name: p for p in excel_files}
    problems, cells = _compare_all(gnumeric_files, sources, OPENPYXL_REFUSES["gnumeric"])
    assert problems == []
    assert len(gnumeric_files) >= 140 and cells >= 500


@pytest.mark.office
def test_every_corpus_workbook_saved_by_libreoffice_reads_like_openpyxl(soffice, excel_files, tmp_path):
    out, profile = tmp_path / "lo", tmp_path / "profile"
    sources = [str(p) for p in excel_files if p.suffix == ".xlsx"]
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), *sources], check=True, capture_output=True, timeout=600)
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == len(sources)
    problems, cells = _compare_all(files, {}, set())
    assert problems == []
    assert cells >= 500


# Hand-made minimal packages: each shape alone, as some real writers produce it.

MAIN, REL = xmlscan.NS["m"], xmlscan.NS["r"]
PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
        'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>',
    "_rels/.rels":
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{xmlscan.NS["pr"]}"><Relationship '
        'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Trang1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{xmlscan.NS["pr"]}">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/sharedStrings.xml":
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"><si><t>Đơn vị</t></si></sst>',
}


def _package(path: Path, rows: str, strings: str | None = None, backslashes: bool = False) -> Path:
    parts = dict(PARTS)
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
                                         f"<sheetData>{rows}</sheetData></worksheet>")
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{strings}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name.replace("/", "\\") if backslashes and name.startswith("xl/") else name, text)
    path.write_bytes(buffer.getvalue())
    return path


def _both_paths(path: Path) -> list[dict[str, object]]:
    return _thidua_values(path)["Trang1"]


NO_R = ('<row r="2"><c t="s"><v>0</v></c><c><v>5</v></c><c r="E2"><v>6</v></c><c t="b"><v>1</v></c></row>'
        '<row><c t="inlineStr"><is><t>x</t></is></c><c/><c><v>7</v></c></row>'
        '<row r="7"><c r="Z7"><v>8</v></c><c><v>9</v></c></row>')


def test_cells_and_rows_without_r_take_their_place_from_order(tmp_path):
    path = _package(tmp_path / "no-r.xlsx", NO_R)
    expected = {"A2": "Đơn vị", "B2": 5.0, "E2": 6.0, "F2": True, "A3": "x", "C3": 7.0, "Z7": 8.0, "AA7": 9.0}
    assert _openpyxl_values(path)["Trang1"] == expected
    assert _both_paths(path) == [expected, expected]


RICH = ('<si><t>Đơn vị </t><r><rPr><b/></rPr><t>An</t></r><r><t xml:space="preserve"> (xã)</t></r>'
        '<rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></si>'
        '<si><r><rPr><color rgb="FFFF0000"/></rPr><t>đỏ</t></r><r><t>-xanh</t></r></si>')


def test_a_shared_string_with_a_plain_part_and_runs_is_all_its_text(tmp_path):
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    path = _package(tmp_path / "rich.xlsx", rows, RICH)
    expected = {"A1": "Đơn vị An (xã)", "B1": "đỏ-xanh"}
    assert _openpyxl_values(path)["Trang1"] == expected
    assert _both_paths(path) == [expected, expected]


def test_zip_member_names_with_backslashes_are_read_like_slashes(tmp_path):
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2.5</v></c></row>'
    plain = _package(tmp_path / "plain.xlsx", rows)
    windows = _package(tmp_path / "windows.xlsx", rows, backslashes=True)
    assert any("\\" in n for n in zipfile.ZipFile(windows).namelist())
    expected = {"A1": "Đơn vị", "B1": 2.5}
    assert _openpyxl_values(plain)["Trang1"] == expected
    assert _both_paths(windows) == [expected, expected]


def test_a_name_given_twice_once_with_backslashes_is_a_corrupt_package(tmp_path):
    path = _package(tmp_path / "twice.xlsx", "")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl\\workbook.xml", PARTS["xl/workbook.xml"])
    with pytest.raises(xlsx.XlsxError) as caught:
        xlsx.open_workbook(path)
    assert caught.value.kind == "corrupt"


@pytest.mark.parametrize("cell", ['<c\nr="A1"><v>4</v></c>', '<c\tr="A1" t="s"><v>0</v></c>'])
def test_a_cell_whose_name_is_followed_by_a_line_break_is_not_lost_by_the_scan(cell):
    data = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1">'
            f'{cell}</row></sheetData></worksheet>').encode()
    assert xmlscan.scan_sheet(data, ["s"]) is None  # declined: the parser reads it
    assert xlsx._parse_sheet_tree(data, ["s"])[0]["A1"][0] in (4.0, "s")
