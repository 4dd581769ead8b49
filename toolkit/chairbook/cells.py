"""Cells of the chair's workbook: finding sheets, naming cells, reading values, collecting problems,
and the cell formats its sheets are written with."""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from toolkit import texts as T
from toolkit.problems import Problem, problem
from toolkit.vntext import clean, match_key, parse_number

Rows = list[list]  # a sheet's values, row by row (row 1 first)
PERCENT_SHOWN = 'General" %"'  # percentages are written as numbers 0..100 shown "85 %" (not Excel's 0%)


class Collector:
    """Collects problems pinned to one file's name."""

    def __init__(self, path: Path):
        self.file = Path(path).name
        self.problems: list[Problem] = []

    def add(self, code: str, /, sheet: str = "", cell: str = "", **params) -> None:
        self.problems.append(problem(code, file=self.file, sheet=sheet, cell=cell, **params))


def find_sheet(names: list[str], wanted: str) -> str | None:
    """The name among `names` that matches `wanted` up to Unicode form, spacing and case."""
    key = match_key(wanted)
    return next((name for name in names if match_key(name) == key), None)


def cell_ref(col: int, row: int) -> str:
    """(2, 5) -> 'B5' (1-based column and row)."""
    return f"{get_column_letter(col)}{row}"


def text(value) -> str:
    """A cell value as clean text ('' for empty; 3.0 -> '3')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def number(value, sheet: str, cell: str, field: str, out: Collector) -> float:
    """A non-negative number (blank = 0); anything else is a pinned problem and counts as 0."""
    if text(value) == "":
        return 0.0
    found, _ = parse_number(value)
    if found is None or found < 0:
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=text(value), field=field,
                hint=T.HINTS["non_negative"])
        return 0.0
    return found


def yes_no(value) -> bool | None:
    """Có -> True, Không or blank -> False, anything else None."""
    key = match_key(text(value))
    return {match_key(T.YES): True, match_key(T.NO): False, "": False}.get(key)


def key_values(rows: Rows) -> dict[str, tuple[object, int]]:
    """Label (match key) -> (value, 1-based row) for a two-column key/value sheet."""
    found = {}
    for i, row in enumerate(rows, start=1):
        if row and row[0] is not None:
            found.setdefault(match_key(str(row[0])), (row[1] if len(row) > 1 else None, i))
    return found


def data_rows(rows: Rows, width: int):
    """(1-based row, values padded to `width`) for every non-blank row below the header."""
    for i, row in enumerate(rows[1:], start=2):
        row = (list(row) + [None] * width)[:width]
        if any(text(v) for v in row):
            yield i, row


def formats(wb) -> dict:
    """The cell formats of the chair's definition and meeting sheets, added to an XlsxWriter workbook."""
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    return {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "num": wb.add_format({**base, "border": 1, "num_format": "0.##"}),
        "percent": wb.add_format({**base, "border": 1, "num_format": PERCENT_SHOWN}),
        "date": wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy", "align": "left"}),
        "title": wb.add_format({**base, "bold": True, "font_size": 13}),
    }
