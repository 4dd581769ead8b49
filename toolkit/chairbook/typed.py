"""Type values into cells of an existing sheet of the chair's workbook, as a chair would, without
openpyxl (which would lose khoi.xlsm's button): the sheet's part is edited in the zip package and
every other part is copied unchanged. A typed cell takes its column's style, like a cell typed in Excel."""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.chairbook.ledger import sheet_xml, style_attr, text_cell, with_sheet
from toolkit.fileio import atomic_path
from toolkit.xmlscan import column_number

CELL = re.compile(r'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
ROW = re.compile(r'<row r="(\d+)"[^>]*?(?:/>|>(.*?)</row>)', re.S)


def type_cells(workbook: Path, sheet: str, cells: dict[str, float | int | str]) -> None:
    """Set `cells` (A1 reference -> number or text) of `sheet` in `workbook`, atomically."""
    workbook = Path(workbook)
    package = workbook.read_bytes()
    xml = sheet_xml(package, sheet)
    if xml is None:
        raise KeyError(sheet)
    text = xml.decode("utf-8")
    styles = _column_styles(text)
    by_row: dict[int, dict[str, str]] = {}
    for ref, value in cells.items():
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        by_row.setdefault(int(row), {})[col] = _cell_xml(ref, value, styles.get(column_number(col)))
    for row, new in sorted(by_row.items()):
        text = _set_row(text, row, new)
    with atomic_path(workbook) as tmp:
        tmp.write_bytes(with_sheet(package, sheet, text.encode("utf-8")))


def _column_styles(text: str) -> dict[int, str]:
    styles = {}
    for attrs in re.findall(r"<col\b([^>]*)/>", text):
        found = dict(re.findall(r'(\w+)="([^"]*)"', attrs))
        if "style" in found:
            for i in range(int(found["min"]), int(found["max"]) + 1):
                styles[i] = found["style"]
    return styles


def _cell_xml(ref: str, value: float | int | str, style: str | None) -> str:
    if isinstance(value, str):
        return text_cell(ref, value, style)
    return f'<c r="{ref}"{style_attr(style)}><v>{value}</v></c>'


def _set_row(text: str, row: int, new: dict[str, str]) -> str:
    """`text` with row `row` holding the `new` cells (by column), its other cells kept, in column order."""
    match = next((m for m in ROW.finditer(text) if int(m.group(1)) == row), None)
    if match is None:
        cells = "".join(new[c] for c in sorted(new, key=column_number))
        after = next((m for m in ROW.finditer(text) if int(m.group(1)) > row), None)
        at = after.start() if after else text.index("</sheetData>")
        return text[:at] + f'<row r="{row}">{cells}</row>' + text[at:]
    kept = {m.group(1): m.group(0) for m in CELL.finditer(match.group(2) or "")}
    kept.update(new)
    head = re.match(r"<row\b[^>]*?(?=/?>)", match.group(0)).group(0)
    head = re.sub(r'\s(spans)="[^"]*"', "", head)
    body = "".join(kept[c] for c in sorted(kept, key=column_number))
    return text[:match.start()] + f"{head}>{body}</row>" + text[match.end():]
