"""An XlsxWriter worksheet for large summaries: rows of numbers in one call, leaner cell XML.

XlsxWriter spends about 10 µs per cell (argument checks and a cell tuple on write, a generic tag
writer on close); a 1,000-unit summary has some 155,000 cells, 120,000 of them in the rows of
numbers of Chi tiết. `FastWorksheet.write_numbers` keeps such a row as one entry of XlsxWriter's
cell table and writes its XML in one piece on close; formatted number and shared-string cells get a
one-line writer; formulas whose only function is SUM skip the future-function expansion (29
regular expressions each). The file is the one XlsxWriter would write. This relies on XlsxWriter's
cell table and `_write_cell`, so tests compare every cell of the summary with the values written.
"""

from __future__ import annotations

import math
import re
from array import array
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

ONLY_SUM = re.compile(r"\bSUM\(")


class NumberRun(NamedTuple):
    """Numbers in consecutive cells from the cell it is stored at, packed (8 bytes a number, 2 a format:
    its code in the sheet's palette) so that a 20,000-unit Chi tiết stays small (`format`: XlsxWriter
    reads it)."""

    numbers: array
    codes: array
    format: None = None


class RunEnd(NamedTuple):
    """Marks a run's last cell in the table, so that XlsxWriter's row spans cover the run; no XML."""

    format: None = None


class FastWorksheet(Worksheet):
    """A worksheet with `write_numbers` and a leaner cell writer (a workbook without constant_memory)."""

    def __init__(self) -> None:
        super().__init__()
        self._palette: dict[Format, int] = {}  # the formats of number runs, by their code

    def _codes(self, formats: Iterable[Format]) -> array:
        """The palette codes of `formats` (new formats get the next codes)."""
        palette = self._palette
        for f in formats:
            palette.setdefault(f, len(palette))
        return array("H", map(palette.__getitem__, formats))

    def write_numbers(self, row: int, col: int, numbers: Sequence[float], formats: Sequence[Format]) -> None:
        """Finite numbers in consecutive cells of `row` from `col`, each with its format. The cells
        must be empty and stay so (charts do not read them). Raises IndexError outside the sheet
        (XlsxWriter would drop the cells silently) and ValueError otherwise."""
        if self.constant_memory:
            raise ValueError("write_numbers needs a workbook without constant_memory")
        if not numbers:
            return
        last = col + len(numbers) - 1
        if self._check_dimensions(row, col) or self._check_dimensions(row, last):
            raise IndexError(f"cells ({row}, {col}..{last}) are outside the sheet")
        cells = self.table[row]
        if len(formats) != len(numbers) or not all(map(math.isfinite, numbers)) \
                or any(c in cells for c in range(col, last + 1)):
            raise ValueError(f"cells ({row}, {col}..{last}): not one finite number per empty cell")
        cells[col] = NumberRun(array("d", numbers), self._codes(formats))
        if last > col:
            cells[last] = RunEnd()

    def _write_cell(self, row: int, col: int, cell) -> None:
        kind, cell_format = cell.__class__, cell.format
        if kind is NumberRun:
            line, formats = str(row + 1), list(self._palette)
            styles = {code: f' s="{formats[code]._get_xf_index()}"><v>' for code in set(cell.codes)}
            self.fh.write("".join([f'<c r="{name}{line}"{styles[code]}{n:.16G}</v></c>' for name, n, code in
                                   zip(_columns(col, len(cell.numbers)), cell.numbers, cell.codes)]))
        elif kind is RunEnd:
            return
        elif kind is CellNumberTuple and cell_format is not None:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell_format._get_xf_index()}">'
                          f"<v>{cell.number:.16G}</v></c>")
        elif kind is CellStringTuple and cell_format is not None and not self.constant_memory:
            self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell_format._get_xf_index()}" '
                          f't="s"><v>{cell.string}</v></c>')  # the shared string's index
        else:
            super()._write_cell(row, col, cell)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if "(" in ONLY_SUM.sub("", formula):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


@lru_cache(maxsize=64)
def _columns(first: int, count: int) -> tuple[str, ...]:
    """The letters of `count` columns from `first`."""
    return tuple(xl_col_to_name(c) for c in range(first, first + count))


class FastWorkbook(Workbook):
    """A workbook whose sheets are `FastWorksheet`s."""

    worksheet_class = FastWorksheet
