"""The official document style (toolkit.docstyle): page setup, header, signature blocks, row heights."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
import xlsxwriter

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.docstyle import (FORM, PROVINCE, TABLE, WORKBOOK_OPTIONS, Header, SignBlock, document_formats,
                              fit_row, formats, official_header, page_setup, row_height, signatures)
from toolkit.forms import write_form


def _sheet(tmp_path, write) -> openpyxl.worksheet.worksheet.Worksheet:
    """A one-sheet workbook written by `write(ws, formats)`, read back."""
    path = tmp_path / "doc.xlsx"
    wb = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
    ws = wb.add_worksheet("S")
    write(ws, document_formats(wb))
    wb.close()
    return openpyxl.load_workbook(path)["S"]


def test_page_setup_is_a4_landscape_with_the_decree_margins_footer_titles_and_panes(tmp_path):
    ws = _sheet(tmp_path, lambda ws, f: page_setup(ws, repeat_rows=(2, 3), freeze=(4, 1)))
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0  # width: default 1
    m = ws.page_margins
    assert [round(v * 25.4, 6) for v in (m.left, m.right, m.top, m.bottom)] == [30, 15, 20, 20]
    assert ws.oddFooter.center.text == "Trang &P/&N"
    assert ws.print_title_rows == "$3:$4" and ws.freeze_panes == "B5"


def test_page_setup_options_leave_out_what_is_not_asked(tmp_path):
    ws = _sheet(tmp_path, lambda ws, f: page_setup(ws, landscape=False, margins=False, footer=False))
    assert ws.page_setup.orientation != "landscape"
    assert round(ws.page_margins.left * 25.4) != 30
    assert not ws.oddFooter.center.text and ws.print_title_rows is None


def test_the_header_places_issuer_nation_motto_date_title_and_basis(tmp_path):
    head = Header("KHỐI THI ĐUA SỐ 1", "Huế", date(2026, 3, 5), "BẢNG TỔNG HỢP", "Năm 2026", ("Căn cứ A;", "Căn cứ B."))
    rows = []
    ws = _sheet(tmp_path, lambda ws, f: rows.append(official_header(ws, f, head, last=7, split=4)))
    assert ws["A1"].value == "KHỐI THI ĐUA SỐ 1" and ws["A1"].font.b
    assert (ws["E1"].value, ws["E2"].value) == (T.NATION, T.MOTTO) and ws["E2"].font.u == "single"
    assert ws["E3"].value == "Huế, ngày 05 tháng 03 năm 2026" and ws["E3"].font.i
    assert (ws["A5"].value, ws["A6"].value, ws["A7"].value, ws["A8"].value) == \
        ("BẢNG TỔNG HỢP", "Năm 2026", "Căn cứ A;", "Căn cứ B.")
    assert {"A1:D2", "E1:H1", "E2:H2", "E3:H3", "A5:H5", "A8:H8"} <= {str(r) for r in ws.merged_cells.ranges}
    assert rows == [9]  # a blank row after the last basis line
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value} == {"Times New Roman"}


class _Recorder:
    """A worksheet stand-in that records merges and row heights."""

    def __init__(self):
        self.merges, self.heights = [], {}

    def merge_range(self, first_row, first_col, last_row, last_col, text, fmt):
        self.merges.append((first_row, first_col, last_col, text))

    def set_row(self, row, height, fmt=None):
        self.heights[row] = height


def test_signature_blocks_are_written_line_by_line_side_by_side():
    ws = _Recorder()
    signatures(ws, {"sign": 1, "hint": 2}, 10, [SignBlock(0, 2, (("Người lập", "sign"), ("(Ký)", "hint"))),
                                               SignBlock(4, 6, (("TM. KHỐI", "sign"), ("TRƯỞNG KHỐI", "sign"),
                                                                ("(Ký, đóng dấu)", "hint")))])
    assert ws.merges == [(10, 0, 2, "Người lập"), (10, 4, 6, "TM. KHỐI"), (11, 0, 2, "(Ký)"),
                         (11, 4, 6, "TRƯỞNG KHỐI"), (12, 4, 6, "(Ký, đóng dấu)")]


@pytest.mark.parametrize("fit, texts, height", [
    (TABLE, [("x" * 39, 30)], 16),                 # 30 width units hold 39 characters
    (TABLE, [("x" * 40, 30), ("", 10)], 32),
    (TABLE, [("x" * 79, 30)], 48),
    (PROVINCE, [("x" * 30, 32)], 16.5),            # 32 - 2 characters per line
    (PROVINCE, [("x" * 31, 32), ("y" * 61, 11)], 16.5 * 7),
    (FORM, [("x" * 73, 60, 0.8)], 15.75 + 2),      # int(73 * 0.8) = 58 of 58
    (FORM, [("x" * 74, 60, 0.8)], 15.75 * 2 + 2),  # int(74 * 0.8) = 59
    (FORM, [], 15.75 + 2),
])
def test_row_heights_count_the_lines_of_the_tallest_text(fit, texts, height):
    assert row_height(texts, fit) == pytest.approx(height)


def test_fit_row_heightens_only_rows_that_wrap():
    ws = _Recorder()
    fit_row(ws, 3, [("x" * 39, 30)])
    fit_row(ws, 4, [("x" * 40, 30)])
    assert ws.heights == {4: 32}


def test_formats_builds_one_format_per_spec(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    f = formats(wb, {"a": {"bold": True}, "b": {"italic": True}})
    wb.add_worksheet().write(0, 0, "x", f["a"])
    wb.close()
    assert set(f) == {"a", "b"} and openpyxl.load_workbook(path).active["A1"].font.b


def test_a_scoring_form_prints_with_the_same_page_style_as_the_summary(tmp_path):
    bloc = small_bloc()
    ws = openpyxl.load_workbook(write_form(bloc, bloc.members[0], tmp_path / "form.xlsx"))[T.FORM_SHEET]
    m = ws.page_margins
    assert [round(v * 25.4, 6) for v in (m.left, m.right, m.top, m.bottom)] == [30, 15, 20, 20]
    assert ws.page_setup.orientation == "landscape" and ws.oddFooter.center.text == "Trang &P/&N"
    preparer = next(c for row in ws.iter_rows() for c in row if c.value == T.FORM_PREPARER)
    head = next(c for row in ws.iter_rows() for c in row if c.value == T.FORM_HEAD)
    assert preparer.row == head.row and ws.cell(preparer.row + 1, 1).value == T.FORM_SIGN_HINT
