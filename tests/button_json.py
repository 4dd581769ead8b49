"""Build the JSON xlwings' remote engine takes (`xw.Book(json=...)`) from a real workbook file.

The shape is the one xlwings' clients send (see xlwings/pro/_xlremote.py and its engine tests):
version, client, book (name, active sheet, selection), names, and per sheet its name and values,
row by row from A1, empty cells as "", dates as ISO strings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlwings as xw
from openpyxl.utils.cell import coordinate_to_tuple


def _json_value(value):
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def book_json(path: Path, edits: dict[str, dict[str, object]] | None = None) -> dict:
    """The workbook's values as the remote engine expects them; `edits` ({sheet: {"B6": value}}) are
    what the chair typed before clicking (not saved to the file)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        values = [[_json_value(v) for v in row]
                  for row in ws.iter_rows(max_row=max(ws.max_row, 1), max_col=max(ws.max_column, 1),
                                          values_only=True)]
        for cell, value in (edits or {}).get(ws.title, {}).items():
            row, col = coordinate_to_tuple(cell)
            while len(values) < row:
                values.append([""] * len(values[0]))
            for line in values:
                line.extend([""] * (col - len(line)))
            values[row - 1][col - 1] = _json_value(value)
        sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": []})
    active = wb.worksheets.index(wb.active)
    return {"client": "Microsoft Excel", "version": xw.__version__,
            "book": {"name": Path(path).name, "active_sheet_index": active, "selection": "A1"},
            "names": [], "sheets": sheets}


def remote_book(path: Path, edits: dict[str, dict[str, object]] | None = None):
    """A book of xlwings' remote engine (needs XLWINGS_LICENSE_KEY, e.g. "noncommercial")."""
    return xw.Book(json=book_json(path, edits))


def set_values(book) -> list[dict]:
    """The setValues actions the entry point sent back, in order."""
    return [a for a in book.json()["actions"] if a["func"] == "setValues"]
