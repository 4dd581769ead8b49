"""An XlsxWriter worksheet for large summaries: rows of numbers in one call, leaner cell XML.

XlsxWriter spends about 10 µs per cell (argument checks and a cell tuple on write, a generic tag
writer on close); a 1,000-unit summary has some 155,000 cells, 120,000 of them in the rows of
numbers of Chi tiết. `FastWorksheet.write_numbers` keeps such a row as one entry of XlsxWriter's
cell table and writes its XML in one piece on close; formatted number and shared-string cells get a
one-line writer; formulas whose only function is SUM skip the future-function expansion (29
regular expressions each). The file is the one XlsxWriter would write. This relies on XlsxWriter's
cell table and `_write_cell`, so tests compare every cell of the summary with the values written.

`FastWorksheet.stream_rows` keeps a country-wide sheet out of memory (issue 20): from then on each
row goes to a temporary file as soon as a later row is begun, as in XlsxWriter's constant_memory
mode, but strings stay shared (so the file reads the same) and a write to a row already written
raises instead of being dropped. Only the row spans, which are optional, are left out. In a streamed
sheet `write_cells` writes a whole row's XML at once, with no cell table in between.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import weakref
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Sequence

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

ONLY_SUM = re.compile(r"\bSUM\(")


class NumberRun(NamedTuple):
    """Numbers in consecutive cells from the cell it is stored at (`format`: XlsxWriter reads it)."""

    numbers: list[float]
    formats: list[Format]
    format: None = None


class RunEnd(NamedTuple):
    """Marks a run's last cell in the table, so that XlsxWriter's row spans cover the run; no XML."""

    format: None = None


class Formula(NamedTuple):
    """A formula ('=SUM(C5:E5)') and the value it gives, cached in the file (for `write_cells`)."""

    text: str
    value: float


Cell = str | int | float | Formula | None


class FastWorksheet(Worksheet):
    """A worksheet with `write_numbers`, a leaner cell writer and, once `stream_rows` is called, rows
    written out as they go (`write_cells`: a whole row at once); its workbook is without constant_memory."""

    def __init__(self) -> None:
        super().__init__()
        self._holding = False  # see hold_rows
        self._styles: dict[Format | None, str] = {}  # a format's s attribute, for write_cells

    def stream_rows(self) -> None:
        """Write the rows to a temporary file from now on, each once a later row is begun: the rows held
        so far go at the next row begun. Cells and heights of a row below that are refused (ValueError)."""
        if self.constant_memory:
            return
        handle, self.row_data_filename = tempfile.mkstemp(dir=self.tmpdir)
        os.close(handle)
        self.row_data_fh = self.fh = open(self.row_data_filename, "w+", encoding="utf-8")  # noqa: SIM115
        self.row_data_fh_closed, self.constant_memory, self.previous_row = False, True, 0
        weakref.finalize(self, _discard, self.row_data_fh, self.row_data_filename)  # a workbook never closed

    def hold_rows(self) -> None:
        """Keep the rows from the next one begun in memory until the sheet is done (a few closing rows
        written out of order, such as signature blocks side by side)."""
        self._holding = True

    def write_cells(self, row: int, col: int, values: Sequence[Cell], formats: Sequence[Format | None]) -> None:
        """A whole row of a streamed sheet from `col`, written to the file at once: a text (shared), a
        finite number, a Formula, or None (a blank cell, kept only with a format), each with its format.
        The row must be below every row written or begun in the sheet (ValueError; IndexError outside it)."""
        if not self.constant_memory or self._holding or self.table.get(row) or len(formats) != len(values):
            raise ValueError(f"{self.name}: row {row + 1} is not a new row of a streamed sheet")
        if self._check_dimensions(row, col) or self._check_dimensions(row, col + len(values) - 1):
            raise IndexError(f"{self.name}: cells ({row}, {col}..) are outside the sheet")
        self._write_held(row)  # first: formats are numbered in the order the file uses them
        self.previous_row = row
        cells = self._cells_xml(str(row + 1), col, values, formats)  # checked before the row is begun
        self.previous_row = row + 1
        self._write_row(row, None, self.row_info.pop(row, None))
        self.fh.write(cells)
        self._xml_end_tag("row")

    def _cells_xml(self, line: str, col: int, values: Sequence[Cell], formats: Sequence[Format | None]) -> str:
        """The <c> elements of `write_cells`: finite floats here, the other kinds in `_cell_xml`."""
        styles, cells = self._styles, []
        for name, value, cell_format in zip(_columns(col, len(values)), values, formats):
            style = styles.get(cell_format)
            if style is None:  # a format's number never changes once the file uses it
                style = styles[cell_format] = "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'
            if type(value) is float and value - value == 0.0:  # finite
                cells.append(f'<c r="{name}{line}"{style}><v>{value:.16G}</v></c>')
            else:
                cells.append(_cell_xml(self, name + line, value, style))
        return "".join(cells)

    def _write_single_row(self, current_row_num: int = 0) -> None:
        """Write every row held below `current_row_num` (all of them when 0: the sheet is done)."""
        if current_row_num and self._holding:
            return
        self._write_held(current_row_num or None)
        self.previous_row = current_row_num

    def _write_held(self, below: int | None) -> None:
        """Write the rows held (cells or a height) below `below` (None: all), in order."""
        for row in sorted(r for r in {*self.table, *self.row_info} if below is None or r < below):
            cells, info = self.table.pop(row, None), self.row_info.get(row)
            if cells:
                self._write_row(row, None, info)
                for col in sorted(cells):
                    self._write_cell(row, col, cells[col])
                self._xml_end_tag("row")
            elif info:
                self._write_empty_row(row, None, info)
            self.row_info.pop(row, None)  # written: a streamed sheet keeps no row behind

    def _check_dimensions(self, row: int, col: int, ignore_row: bool = False, ignore_col: bool = False) -> int:
        error = super()._check_dimensions(row, col, ignore_row, ignore_col)
        if error == -2:
            raise ValueError(f"{self.name}: row {row + 1} was already written to the file")
        return error

    def _write_string(self, row: int, col: int, string: str, cell_format: Format | None = None) -> int:
        """XlsxWriter's, with the string shared in a streamed sheet too (not written in line)."""
        streamed = self.constant_memory
        if streamed:
            if self._check_dimensions(row, col):
                return -1
            if row > self.previous_row:
                self._write_single_row(row)
        self.constant_memory = False
        try:
            return super()._write_string(row, col, string, cell_format)
        finally:
            self.constant_memory = streamed

    def write_numbers(self, row: int, col: int, numbers: Sequence[float], formats: Sequence[Format]) -> None:
        """Finite numbers in consecutive cells of `row` from `col`, each with its format. The cells
        must be empty and stay so (charts do not read them). Raises IndexError outside the sheet
        (XlsxWriter would drop the cells silently) and ValueError otherwise."""
        if not numbers:
            return
        last = col + len(numbers) - 1
        if self._check_dimensions(row, col) or self._check_dimensions(row, last):
            raise IndexError(f"cells ({row}, {col}..{last}) are outside the sheet")
        cells = self.table[row]
        if len(formats) != len(numbers) or not all(map(math.isfinite, numbers)) \
                or any(c in cells for c in range(col, last + 1)):
            raise ValueError(f"cells ({row}, {col}..{last}): not one finite number per empty cell")
        cells[col] = NumberRun(list(numbers), list(formats))
        if last > col:
            cells[last] = RunEnd()

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind, cell_format = cell.__class__, cell.format
        if kind is NumberRun:
            line = str(row + 1)
            styles = {f: f' s="{f._get_xf_index()}"><v>' for f in dict.fromkeys(cell.formats)}  # in first use
            self.fh.write("".join([f'<c r="{name}{line}"{styles[f]}{n:.16G}</v></c>' for name, n, f in
                                   zip(_columns(col, len(cell.numbers)), cell.numbers, cell.formats)]))
        elif kind is RunEnd:
            return
        elif kind is CellNumberTuple and cell_format is not None:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell_format._get_xf_index()}">'
                          f"<v>{cell.number:.16G}</v></c>")
        elif kind is CellStringTuple:  # always a shared string's index, streamed or not
            style = "" if cell_format is None else f' s="{cell_format._get_xf_index()}"'
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style} t="s"><v>{cell.string}</v></c>')
        else:
            super()._write_cell(row, col, cell)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if "(" in ONLY_SUM.sub("", formula):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


def _discard(handle, path: str) -> None:
    """Close and remove a streamed sheet's row file (XlsxWriter removes it when the workbook closes)."""
    handle.close()
    Path(path).unlink(missing_ok=True)


def _cell_xml(ws: FastWorksheet, ref: str, value: Cell, style: str) -> str:
    """The <c> element XlsxWriter writes for `value` (see `write_cells`) with `style` (' s="N"' or '')."""
    if value is None:
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, str):
        if len(value) > ws.xls_strmax // 2 and len(value.encode("utf-16-le")) // 2 > ws.xls_strmax:
            raise ValueError(f"{ws.name}!{ref}: a text longer than a cell holds")
        return f'<c r="{ref}"{style} t="s"><v>{ws.str_table._get_shared_string_index(value)}</v></c>'
    if isinstance(value, Formula):
        if "(" in ONLY_SUM.sub("", value.text):  # XlsxWriter writes other functions its own ways
            raise ValueError(f"{ws.name}!{ref}: write_cells takes formulas of SUM and arithmetic only")
        formula = ws._escape_data(ws._prepare_formula(value.text))
        return f'<c r="{ref}"{style}><f>{formula}</f><v>{value.value}</v></c>'
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{ws.name}!{ref}: {value!r} is not a finite number")
    return f'<c r="{ref}"{style}><v>{value:.16G}</v></c>'


@lru_cache(maxsize=64)
def _columns(first: int, count: int) -> tuple[str, ...]:
    """The letters of `count` columns from `first`."""
    return tuple(xl_col_to_name(c) for c in range(first, first + count))


class FastWorkbook(Workbook):
    """A workbook whose sheets are `FastWorksheet`s."""

    worksheet_class = FastWorksheet
