"""The official document style (Decree 30/2020/NĐ-CP) of every workbook thidua prints.

Times New Roman 12; A4 with the decree's margins, fit to the page width, "Trang n/N" footers; the
header (issuing body top left; quốc hiệu and the underlined tiêu ngữ top right; place-and-date line;
title); signature blocks; row heights that show wrapped text in full. For XlsxWriter workbooks:

    wb = xlsxwriter.Workbook(path, WORKBOOK_OPTIONS)
    f = document_formats(wb)                # or formats(wb, {...}) built on BASE and CELL
    page_setup(ws, repeat_rows=(7, 7), freeze=(8, 2))
    row = official_header(ws, f, Header(...), last=8, split=4)
    ws.set_row(row, row_height([(text, 30)]))
    signatures(ws, f, row, [SignBlock(0, 3, ((preparer, "sign"), (hint, "sign_hint")))])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from toolkit import texts as T

FONT = "Times New Roman"
MM = 1 / 25.4  # inches per millimetre
MARGINS_MM = {"left": 30, "right": 15, "top": 20, "bottom": 20}  # Decree 30/2020, appendix I
A4 = 9  # XlsxWriter's paper code
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}

NUMBER = "0.00"  # a score in a table of results
SCORE = "0.##"  # a score as entered: no trailing zeros
HEAD_FILL = "#DDEBF7"
GROUP_FILL = "#F2F2F2"
INPUT_FILL = "#FFF2CC"
CHANGED_FILL = "#FCE4D6"
RED = "#C00000"
GREY = "#7F7F7F"

BASE = {"font_name": FONT, "font_size": 12, "valign": "vcenter"}
CELL = {**BASE, "border": 1, "text_wrap": True}  # a cell of a table
_NUM = {**CELL, "num_format": NUMBER, "align": "center"}
DOCUMENT_SPECS = {
    "issuer": {**BASE, "bold": True, "align": "center", "text_wrap": True},
    "nation": {**BASE, "bold": True, "align": "center"},
    "motto": {**BASE, "bold": True, "align": "center", "font_size": 13, "underline": 1},
    "date": {**BASE, "italic": True, "align": "center"},
    "title": {**BASE, "bold": True, "font_size": 14, "align": "center", "text_wrap": True},
    "center": {**BASE, "align": "center", "text_wrap": True},
    "basis": {**BASE, "italic": True, "font_size": 12, "text_wrap": True},
    "section": {**BASE, "bold": True},
    "plain": {**BASE, "italic": True},
    "head": {**CELL, "bold": True, "align": "center", "bg_color": HEAD_FILL},
    "text": CELL,
    "ctext": {**CELL, "align": "center"},
    "small": {**CELL, "font_size": 9},  # hashes and ids, in the sheet's font
    "num": _NUM,
    "changed": {**_NUM, "bg_color": CHANGED_FILL},
    "pct": {**_NUM, "num_format": "0.0"},
    "int": {**_NUM, "num_format": "0"},
    "bold_num": {**_NUM, "bold": True},
    "group": {**CELL, "bold": True, "bg_color": GROUP_FILL},
    "group_num": {**_NUM, "bold": True, "bg_color": GROUP_FILL},
    "group_changed": {**_NUM, "bold": True, "bg_color": CHANGED_FILL},
    "grey": {**CELL, "italic": True, "font_color": GREY},
    "bold_ctext": {**CELL, "bold": True, "align": "center"},
    "sign": {**BASE, "bold": True, "align": "center"},
    "sign_hint": {**BASE, "italic": True, "align": "center"},
}
RED_VARIANTS = ("text", "ctext", "num", "pct", "bold_num")  # "<name>_red": the same in red


# Formats -------------------------------------------------------------------------------------------

def formats(wb, specs: Mapping[str, Mapping]) -> dict:
    """One workbook format per named spec (build specs on BASE and CELL)."""
    return {name: wb.add_format(dict(spec)) for name, spec in specs.items()}


def document_formats(wb) -> dict:
    """The formats of an official document by role (DOCUMENT_SPECS), with red variants."""
    out = formats(wb, DOCUMENT_SPECS)
    for name in RED_VARIANTS:
        out[name + "_red"] = wb.add_format({**DOCUMENT_SPECS[name], "font_color": RED})
    return out


# Page ------------------------------------------------------------------------------------------------

def page_setup(ws, *, landscape: bool = True, fit_width: bool = True, margins: bool = True,
               center: bool = False, footer: bool = True, repeat_rows: tuple[int, int] | None = None,
               freeze: tuple[int, int] | None = None) -> None:
    """A4 (landscape), the decree's margins, fit to the page width, page numbers in the footer;
    `repeat_rows` (first, last) printed on every page, panes frozen at `freeze` (row, column)."""
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    if fit_width:
        ws.fit_to_pages(1, 0)
    if margins:
        ws.set_margins(**{side: mm * MM for side, mm in MARGINS_MM.items()})
    if center:
        ws.center_horizontally()
    if footer:
        ws.set_footer(T.PAGE_FOOTER)
    if repeat_rows:
        ws.repeat_rows(*repeat_rows)
    if freeze:
        ws.freeze_panes(*freeze)


def set_widths(ws, widths: Sequence[float]) -> None:
    """Column widths (characters) from column A."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


# Header and signatures ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    """What the decree's header shows."""

    issuer: str  # the issuing body, top left (upper case)
    place: str
    today: date
    title: str
    subtitle: str = ""
    basis: tuple[str, ...] = ()  # legal-basis lines below the subtitle


def official_header(ws, f, header: Header, last: int, split: int) -> int:
    """The header over columns 0..`last` with `document_formats`: issuer in columns before `split`,
    nation and motto from `split`; place-and-date line, title, subtitle, basis; next free row."""
    ws.merge_range(0, 0, 1, split - 1, header.issuer, f["issuer"])
    ws.merge_range(0, split, 0, last, T.NATION, f["nation"])
    ws.merge_range(1, split, 1, last, T.MOTTO, f["motto"])
    ws.set_row(0, 20)
    ws.set_row(1, 20)
    day = header.today
    ws.merge_range(2, split, 2, last, T.DATE_LINE.format(place=header.place, day=day.day, month=day.month,
                                                        year=day.year), f["date"])
    ws.merge_range(4, 0, 4, last, header.title, f["title"])
    ws.merge_range(5, 0, 5, last, header.subtitle, f["center"])
    row = 6
    for line in header.basis:
        ws.merge_range(row, 0, row, last, line, f["basis"])
        row += 1
    return row + 1


@dataclass(frozen=True)
class SignBlock:
    """A signature block over columns `first`..`last`: (text, format name) lines, top down."""

    first: int
    last: int
    lines: tuple[tuple[str, str], ...]


def signatures(ws, f, row: int, blocks: Sequence[SignBlock]) -> None:
    """Signature blocks side by side from `row`, written line by line across the blocks."""
    for i in range(max((len(b.lines) for b in blocks), default=0)):
        for b in blocks:
            if i < len(b.lines):
                text, style = b.lines[i]
                ws.merge_range(row + i, b.first, row + i, b.last, text, f[style])


# Row heights -----------------------------------------------------------------------------------------

CHARS_PER_WIDTH = 1.3  # Times New Roman 12 characters per unit of column width (measured in LibreOffice)


@dataclass(frozen=True)
class RowFit:
    """An estimate of wrapped text's height: XlsxWriter cannot autofit rows and spreadsheet
    applications do not refit them on opening."""

    line_height: float  # points per line
    chars_per_width: float = 1.0  # characters per unit of column width
    padding: float = 0  # width units lost to the cell's margins
    extra: float = 0  # points added to the row

    def height(self, lines: int) -> float:
        return self.line_height * lines + self.extra

    def lines(self, text: str, width: float, scale: float = 1.0) -> int:
        """Lines of `text` in a column `width` wide (`scale`: its characters' width, body font = 1);
        each line break starts a new line."""
        room = max(width * self.chars_per_width - self.padding, 1)
        return sum(max(1, math.ceil(int(len(part) * scale) / room)) for part in text.split("\n"))


# The measured estimate; the forms and the province table keep their earlier ones (same output).
TABLE = RowFit(16, CHARS_PER_WIDTH)
FORM = RowFit(15.75, padding=2, extra=2)  # 15.75: a line of 12 pt Times New Roman
PROVINCE = RowFit(16.5, padding=2)

TextsAndWidths = Iterable[tuple]  # (text, width) or (text, width, scale)


def line_count(texts: TextsAndWidths, fit: RowFit = TABLE) -> int:
    """Lines of the tallest text, at least one."""
    return max([1, *(fit.lines(*t) for t in texts)])


def row_height(texts: TextsAndWidths, fit: RowFit = TABLE) -> float:
    """Height (points) of a row that shows every text in full."""
    return fit.height(line_count(texts, fit))


def fit_row(ws, row: int, texts: TextsAndWidths, fmt=None, fit: RowFit = TABLE) -> None:
    """Heighten `row` when one of its texts wraps onto more than one line."""
    lines = line_count(texts, fit)
    if lines > 1:
        ws.set_row(row, fit.height(lines), fmt)


# openpyxl sheets (a copy of a returned form gets a sheet added) -------------------------------------

def openpyxl_page_setup(ws, *, landscape: bool = True, repeat_rows: str | None = None,
                        freeze: str | None = None) -> None:
    """`page_setup` for an openpyxl sheet: A4 (landscape), the decree's margins, fit to the page width,
    "Trang n/N" footers; `repeat_rows` ("4:4") printed on every page, panes frozen at `freeze` ("A5")."""
    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    for side, mm in MARGINS_MM.items():
        setattr(ws.page_margins, side, mm * MM)
    ws.oddFooter.center.text = T.PAGE_FOOTER.removeprefix("&C")
    if repeat_rows:
        ws.print_title_rows = repeat_rows
    if freeze:
        ws.freeze_panes = freeze
