"""The chair's workbook is read by toolkit.xlsx (toolkit.xlsxrows) into exactly the rows openpyxl's
read-only, data-only reader gave (issue 20): same values of the same types (int/float, datetime, time,
timedelta, bool, str, the percent marks), rows padded the same way, for every chair's workbook the
project makes, as typed by a chair, as saved again by LibreOffice and Gnumeric, for Excel's own
workbooks (the corpus beside the repository) and for random cells. openpyxl is only the reference here.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from tests.readable_scenario import type_meeting
from tests.rules_helpers import six_bloc
from tests.test_attendance import earlier_layout
from tests.test_chair_percent import SPELLINGS_85, _type
from tests.test_real_writers import EXCEL_CORPUS, NO_R, _package, _require
from toolkit import office
from toolkit.bloc import BUILTIN_BLOCS, builtin_bloc
from toolkit.chairbook import write_bloc_workbook
from toolkit.chairbook.book import _percent_mark, _sheet_rows
from toolkit.chairbook.cells import PERCENT_SHOWN
from toolkit.chairbook.percent import with_format
from toolkit.demo import type_demo_votes
from toolkit.folder import init_folder
from toolkit.numformat import is_percent_format
from toolkit.paths import BlocFolder
from toolkit.xlsx import open_workbook
from toolkit.xlsxrows import BUILTIN_CODES, RowReader, cell_format

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
FORMATS = ["General", "0%", "0.00%", PERCENT_SHOWN, "dd/mm/yyyy", "hh:mm", "[h]:mm:ss", "mm:ss", "0.##",
           "@", "#,##0.0%;[Red]-0%", "yyyy-mm-dd hh:mm:ss", '0" giờ"', "[$-42A]d mmmm yyyy", "0.00E+00"]


def openpyxl_rows(path: Path) -> dict[str, list[list]]:
    """Every worksheet's rows as `_sheet_rows` read them with openpyxl before (the reference)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [[with_format(c.value, getattr(c, "number_format", None)) for c in r]
                           for r in ws.iter_rows()] for ws in wb.worksheets if isinstance(ws, ReadOnlyWorksheet)}
    finally:
        wb.close()


def typed(rows: dict[str, list[list]]) -> dict[str, list[list]]:
    """Rows with each value's exact type beside it (85 and 85.0 differ, so do 0.85 and 85%)."""
    return {name: [[(type(v).__name__, v) for v in row] for row in sheet] for name, sheet in rows.items()}


def assert_reads_like_openpyxl(path: Path) -> int:
    """The chair's reader gives openpyxl's rows for every sheet of `path`; how many cells it compared."""
    expected = openpyxl_rows(path)
    found = _sheet_rows(path, tuple(expected))
    assert typed(found) == typed(expected), path.name
    return sum(len(row) for sheet in expected.values() for row in sheet)


def _chair(folder: Path, bloc, macros: bool) -> Path:
    init_folder(folder, bloc, macros=macros)
    return BlocFolder.at(folder).chair


def _kinds_openpyxl(path: Path, epoch1904: bool = False) -> Path:
    """Cells of every kind a chair may type, in every format of FORMATS, sparse rows, a wide row."""
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    values = [85, 85.0, 0.85, -3, 1e20, 12345678901234567890, 46096, 46096.5, 0.25, 2.5, True, False,
              "85%", "0,85", "  khoảng trắng  ", "dòng\nhai", "_x005F_x000D_ chữ", "#N/A",
              dt.datetime(2026, 3, 13, 8, 30), dt.date(2026, 3, 13), dt.time(7, 45, 30), dt.timedelta(hours=30)]
    for i, value in enumerate(values):
        for j, fmt in enumerate(FORMATS):
            ws.cell(2 * i + 1, j + 1, value).number_format = fmt
    ws.cell(60, 40, "xa")  # a row far below and wide: every row is padded to the dimension
    ws["B70"] = "=1/0"  # a formula without a cached value reads None
    wb.save(path)
    return path


def _kinds_xlsxwriter(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Loại")
    for j, code in enumerate(FORMATS):
        fmt = wb.add_format({"num_format": code})
        ws.write_number(0, j, 46096.25, fmt)
        ws.write_number(1, j, 85, fmt)
        ws.write_string(2, j, "85 %", fmt)
        ws.write_boolean(3, j, True, fmt)
        ws.write_datetime(4, j, dt.datetime(2026, 11, 29, 23, 59), fmt)
        ws.write_formula(5, j, "=NA()", fmt, "#N/A")
        ws.write_formula(6, j, '="a"&"b"', fmt, "ab")
        ws.write_number(8, j, 1e16, fmt)
    ws.set_row(12, 30)  # a row element without cells
    wb.close()
    return path


@pytest.fixture(scope="module")
def chair_books(tmp_path_factory) -> list[Path]:
    """Every kind of chair's workbook the project makes, and as a chair types into them."""
    tmp = tmp_path_factory.mktemp("chair-books")
    books = sorted(ROOT.glob("workbooks/*.xls[xm]"))
    for name in BUILTIN_BLOCS:
        books += [_chair(tmp / f"{name}-xlsx", builtin_bloc(name), False),
                  _chair(tmp / f"{name}-xlsm", builtin_bloc(name), True)]
    write_bloc_workbook(tmp / "template.xlsx", None)
    met = shutil.copy(books[-1], tmp / "met.xlsm")
    type_meeting(met, builtin_bloc(list(BUILTIN_BLOCS)[-1]))
    voted = shutil.copy(books[-1], tmp / "voted.xlsm")
    type_demo_votes(voted, builtin_bloc(list(BUILTIN_BLOCS)[-1]))
    earlier = tmp / "earlier.xlsx"
    write_bloc_workbook(earlier, six_bloc())
    earlier_layout(earlier, [["U1", "Đơn vị 1", 4, 5, "Giơ tay"], ["U2", None, "3", 5.0, None]])
    books += [tmp / "template.xlsx", met, voted, earlier]
    for i, (floor, approval) in enumerate(zip(SPELLINGS_85, SPELLINGS_85[1:] + SPELLINGS_85[:1])):
        percent = tmp / f"percent-{i}.xlsx"
        write_bloc_workbook(percent, six_bloc())
        _type(percent, floor, approval)
        books.append(percent)
    return books + [_kinds_openpyxl(tmp / "kinds.xlsx"), _kinds_openpyxl(tmp / "kinds-1904.xlsx", True),
                    _kinds_xlsxwriter(tmp / "kinds-xlsxwriter.xlsx")]


def test_every_chair_workbook_reads_like_openpyxl(chair_books):
    assert len(chair_books) >= 25
    assert sum(assert_reads_like_openpyxl(path) for path in chair_books) > 10_000


def test_the_probe_sees_the_types(chair_books, tmp_path):
    """The rows compared hold what the chair's readers rely on, and typed() tells 85 from 85.0."""
    rows = _sheet_rows(chair_books[-3], ("Sheet",))["Sheet"]
    assert [type(v).__name__ for v in rows[0][:2]] == ["int", "PercentNumber"] and type(rows[4][0]) is float
    assert type(rows[36][4]) is dt.datetime and type(rows[40][4]) is dt.time and type(rows[42][6]) is dt.timedelta
    assert rows[8][4] == "#VALUE!" and rows[69][1] is None  # 1e20 days is no date; a formula never computed
    assert len(rows) == 70 and {len(row) for row in rows} == {40}
    numbers = _package(tmp_path / "numbers.xlsx", INT_FLOAT)
    assert typed(_sheet_rows(numbers, ("Trang1",)))["Trang1"] == [[("int", 85), ("float", 85.0), ("float", 100.0)]]


@pytest.mark.office
def test_chair_workbooks_saved_by_libreoffice_read_like_openpyxl(soffice, chair_books, tmp_path):
    jobs = [{"type": "recalc", "src": str(p.resolve()), "dst": str(tmp_path / f"{i}-{p.stem}.xlsx")}
            for i, p in enumerate(chair_books)]
    results = office.run_jobs(jobs)
    assert all(r["ok"] for r in results), results
    assert sum(assert_reads_like_openpyxl(Path(job["dst"])) for job in jobs) > 10_000


def test_chair_workbooks_saved_by_gnumeric_read_like_openpyxl(chair_books, tmp_path):
    ssconvert = shutil.which("ssconvert")
    _require(ssconvert is not None, "Gnumeric's ssconvert (apt package gnumeric)")
    for i, path in enumerate(chair_books):
        saved = tmp_path / f"{i}-{path.stem}.xlsx"
        subprocess.run([ssconvert, str(path), str(saved)], check=True, capture_output=True, timeout=120)
        assert_reads_like_openpyxl(saved)


def test_excel_workbooks_read_like_openpyxl():
    """Excel's own files (XlsxWriter's comparison corpus): every sheet, all shapes Excel writes."""
    files = sorted(EXCEL_CORPUS.glob("*.xls[xm]")) if EXCEL_CORPUS.is_dir() else []
    _require(len(files) >= 140, f"the corpus {EXCEL_CORPUS}")
    assert sum(assert_reads_like_openpyxl(path) for path in files) >= 500


INT_FLOAT = '<row r="1"><c r="A1"><v>85</v></c><c r="B1"><v>85.0</v></c><c r="C1"><v>1E+2</v></c></row>'


@pytest.mark.parametrize("rows, dimension", [
    (INT_FLOAT, '<dimension ref="A1:C1"/>'),
    (NO_R, ""),  # cells and rows without r: placed by order, rows as wide as their last cell
    (NO_R, '<dimension ref="A1:C4"/>'),  # a dimension smaller than the data cuts rows and cells
    ('<row r="3"><c r="B3"><v>1</v></c><c r="D3"/></row><row r="5" ht="20"/>', ""),
    ('<row r="3"><c r="B3"><v>1</v></c></row>', '<dimension ref="A1:F9"/>'),  # wider and taller
])
def test_hand_made_shapes_read_like_openpyxl(tmp_path, rows, dimension):
    path = _package(tmp_path / "shape.xlsx", rows)
    if dimension:
        path = _with_dimension(path, dimension)
    assert_reads_like_openpyxl(path)


def _with_dimension(path: Path, dimension: str) -> Path:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", dimension.encode() + b"<sheetData>")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("number_id", range(164))
def test_built_in_formats_are_dates_and_percents_as_openpyxl_reads_them(number_id):
    code = BUILTIN_FORMATS.get(number_id)
    fmt = cell_format(BUILTIN_CODES.get(number_id))
    assert (fmt.date, fmt.elapsed) == (is_date_format(code), is_timedelta_format(code))
    assert is_percent_format(fmt.code) == is_percent_format(code)


CELL_VALUES = st.one_of(
    st.integers(-10**6, 10**20), st.floats(-1e6, 1e6, allow_nan=False), st.booleans(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)), st.times())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 12), CELL_VALUES, st.sampled_from(FORMATS)),
                min_size=1, max_size=40))
def test_random_cells_read_like_openpyxl(tmp_path, cells):
    wb = openpyxl.Workbook()
    for row, col, value, fmt in cells:
        wb.active.cell(row, col, value).number_format = fmt
    path = tmp_path / "random.xlsx"
    wb.save(path)
    assert_reads_like_openpyxl(path)


def test_the_percent_mark_is_given_only_to_percent_formats():
    assert _percent_mark("General") is None and _percent_mark(PERCENT_SHOWN) is None
    assert type(_percent_mark("0%")(0.85)).__name__ == "PercentNumber"
    book = open_workbook(ROOT / "workbooks" / "khoi-trong.xlsx")
    try:
        assert RowReader(book, _percent_mark).rows(book.sheet_names[0])  # reads on its own too
    finally:
        book.close()

