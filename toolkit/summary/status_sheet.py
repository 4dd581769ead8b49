"""The summary's "Tình hình nộp phiếu" sheet: the status rows of toolkit.status, one per unit."""

from __future__ import annotations

from typing import Sequence

from toolkit.docstyle import page_setup, set_widths
from toolkit.texts import intake as TI

WIDTHS = (5, 12, 30, 8, 44, 16, 9, 18, 60, 40)
CENTERED = {0, 1, 3, 5, 6}


def status_sheet(ws, f, rows: Sequence) -> None:
    """Title, header and one row per unit (`rows`: toolkit.status.StatusRow, anything with `cells()`)."""
    ws.merge_range(0, 0, 0, len(TI.STATUS_COLUMNS) - 1, TI.STATUS_SHEET_TITLE, f["title"])
    ws.write_row(2, 0, TI.STATUS_COLUMNS, f["head"])
    ws.set_row(2, 32)
    set_widths(ws, WIDTHS)
    page_setup(ws, center=True, repeat_rows=(2, 2), freeze=(3, 3))
    ws.stream_rows()
    styles = [f["ctext"] if col in CENTERED else f["text"] for col in range(len(TI.STATUS_COLUMNS))]
    for row, status in enumerate(rows, start=3):
        cells = list(status.cells())
        ws.write_cells(row, 0, cells, styles[:len(cells)])
