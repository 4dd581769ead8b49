"""A sheet's rows exactly as openpyxl's read-only, data-only `iter_rows` gives them, read by toolkit.xlsx.

The chair's workbook used to be read through openpyxl, and its readers rely on what that gives: a
number as int when its text has no ".", "e" or "E", else float; a number whose format openpyxl takes
for a date as datetime (time of day, timedelta for elapsed formats like [h]:mm:ss); rows from 1 to the
sheet's dimension (or its last row element), each as wide as the dimension (or its last cell); empty
cells None. This module gives the same from toolkit.xlsx (the direct scan, with the parser's fallback),
without importing openpyxl; tests/test_chair_rows.py checks it against openpyxl cell for cell.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Callable

from toolkit.xlsx import Workbook, XlsxError, parse_xml, sheet_root
from toolkit.xmlscan import NS, column_number

# The built-in formats openpyxl reads as dates or percents (every other built-in id is neither).
BUILTIN_CODES = {9: "0%", 10: "0.00%", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
                 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
                 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0"}
GENERAL = "General"
# openpyxl.styles.numbers: is_date_format and is_timedelta_format look at the first section only.
_NOT_DATE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
WINDOWS_EPOCH, MAC_EPOCH = datetime(1899, 12, 30), datetime(1904, 1, 1)
_DATE1904 = re.compile(rb'<(?:[\w.-]+:)?workbookPr\b[^>]*\sdate1904="(?:1|true)"')
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\sref="\$?([A-Z]{1,3})\$?([0-9]+)'
                        rb'(?::\$?([A-Z]{1,3})\$?([0-9]+))?"')
_ROW = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s>/])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')
_M = "{%s}" % NS["m"]
Mark = Callable[[object], object]  # a value -> the value a reader keeps


@dataclass(frozen=True)
class CellFormat:
    """A cell style's number format: its code, and whether openpyxl reads its numbers as dates."""

    code: str
    date: bool = False
    elapsed: bool = False  # read as timedelta


def cast_number(text: str) -> int | float:
    """A number's text as openpyxl casts it (ValueError for a non-number)."""
    return float(text) if "." in text or "e" in text or "E" in text else int(text)


def cell_format(code: str | None) -> CellFormat:
    """The format of a number format code, with openpyxl's tests for dates and elapsed times."""
    if code is None:
        return CellFormat(GENERAL)
    first = code.split(";")[0]
    return CellFormat(code, _DATE_LETTER.search(_NOT_DATE.sub("", first)) is not None,
                      _TIMEDELTA.search(first) is not None)


def style_formats(book: Workbook) -> list[CellFormat]:
    """The number format of each cell style (the index a cell's `s` gives)."""
    try:
        root = parse_xml(book.part("xl/styles.xml"))
    except XlsxError as exc:
        if exc.detail == "part":
            return []  # no styles part: every cell is General
        raise
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(_M + "numFmt")
              if f.get("numFmtId", "").isdigit()}
    xfs = root.find(_M + "cellXfs")
    formats = []
    for xf in xfs.iter(_M + "xf") if xfs is not None else ():
        number_id = xf.get("numFmtId", "0")
        number_id = int(number_id) if number_id.isdigit() else 0
        formats.append(cell_format(custom[number_id] if number_id in custom else BUILTIN_CODES.get(number_id)))
    return formats


def from_excel(value: int | float, epoch: datetime, elapsed: bool):
    """openpyxl.utils.datetime.from_excel: a serial number as timedelta, time of day or datetime."""
    if elapsed:
        span = timedelta(days=value)
        return timedelta(seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)) \
            if span.microseconds else span
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        return time(minutes // 60, minutes % 60, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + timedelta(days=day) + diff


class RowReader:
    """Reads sheets of one open workbook as openpyxl's read-only `iter_rows` does. `mark(code)`: what
    to apply to each non-empty value shown with the number format `code` (None: nothing)."""

    def __init__(self, book: Workbook, mark: Callable[[str], Mark | None]):
        self.book = book
        self.epoch = MAC_EPOCH if _DATE1904.search(book.part("xl/workbook.xml")) else WINDOWS_EPOCH
        self.styles = [(fmt, mark(fmt.code)) for fmt in style_formats(book)]
        strings = book.shared_strings()
        if any("x005F_" in s for s in strings):  # openpyxl drops Excel's escape of a literal "_x...._"
            strings[:] = [s.replace("x005F_", "") for s in strings]

    def rows(self, name: str) -> list[list]:
        """The sheet's rows, row 1 first."""
        try:
            grid = _grid(*_layout(self.book.part(sheet=name)))  # the part is let go before the scan
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
            raise XlsxError("corrupt", "zip") from None
        sheet = self.book.sheet(name, cast_number)
        styles, known, plain = sheet.styles, len(self.styles), self._plain()
        for ref, (value, _) in sheet.cells.items():
            letters = ref.rstrip(_DIGITS)
            cells = grid.get(int(ref[len(letters):]))
            col = _COLUMNS.get(letters) or _column(letters)
            if value is None or cells is None or col > len(cells):
                continue
            style = styles.get(ref, 0)
            if style not in plain:
                value = self._styled(value, *self.styles[style]) if style < known else value
            cells[col - 1] = value
        return [grid[number] for number in sorted(grid)]

    def _plain(self) -> set[int]:
        """The style indexes whose values are kept as they are (no date, nothing to mark)."""
        return {i for i, (fmt, apply) in enumerate(self.styles) if not fmt.date and apply is None}

    def _styled(self, value, fmt: CellFormat, apply: Mark | None):
        if fmt.date and type(value) in (int, float):
            try:
                value = from_excel(value, self.epoch, fmt.elapsed)
            except (OverflowError, ValueError):
                value = "#VALUE!"
        return value if apply is None else apply(value)


def _layout(data: bytes) -> tuple[int | None, int | None, list[tuple[int, int]]]:
    """(dimension's last column, its last row, [(row number, its last cell's column)]) of a sheet
    part, the row elements in file order; columns are only counted when there is no dimension."""
    start = data.find(b"<sheetData")
    dimension = _DIMENSION.search(data, 0, start) if start >= 0 else None
    numbers = [_ROW_NUMBER.search(attrs) for attrs in _ROW.findall(data)]
    if dimension and all(numbers):
        return (*_bounds(dimension), [(int(n.group(1)), 0) for n in numbers])
    return _layout_tree(sheet_root(data))


def _bounds(dimension: re.Match) -> tuple[int, int]:
    """(last column, last row) of a matched dimension reference."""
    return _column((dimension.group(3) or dimension.group(1)).decode()), int(dimension.group(4) or dimension.group(2))


def _layout_tree(root) -> tuple[int | None, int | None, list[tuple[int, int]]]:
    """`_layout` by the parser, counting rows and cells without `r` as openpyxl does."""
    found = root.find(_M + "dimension")
    match = _DIMENSION.search(b'<dimension ref="%s"' % found.get("ref", "").encode()) if found is not None else None
    layout, number = [], 0
    for row in root.iter(_M + "row"):
        text = row.get("r", "")
        number, column = int(text) if text.isdigit() else number + 1, 0
        for cell in row.iter(_M + "c"):
            ref = cell.get("r")
            column = _split(ref)[0] if ref else column + 1
        layout.append((number, column))
    return (*_bounds(match), layout) if match else (None, None, layout)


def _grid(width: int | None, height: int | None, layout: list[tuple[int, int]]) -> dict[int, list]:
    """Row number -> its empty cells, for the rows openpyxl's `_cells_by_row` yields."""
    grid, counter, number = {}, 1, 1
    for number, last in layout:
        if height is not None and number > height:
            break
        while counter < number:
            grid[counter], counter = [None] * (width or 0), counter + 1
        if counter <= number:
            grid[number], counter = [None] * (width or last), counter + 1
    if height is not None and height < number:
        while counter <= height:
            grid[counter], counter = [None] * (width or 0), counter + 1
    return grid


_COLUMNS: dict[str, int] = {}
_DIGITS = "0123456789"


def _column(letters: str) -> int:
    index = _COLUMNS.get(letters)
    if index is None:
        index = _COLUMNS[letters] = column_number(letters)
    return index


def _split(ref: str) -> tuple[int, int]:
    """'B7' -> (2, 7)."""
    letters = ref.rstrip(_DIGITS)
    return _column(letters), int(ref[len(letters):])
