"""Chi tiết holds every unit's every self and reviewed score in both layouts (units as columns for
small blocs, one row per unit above DETAIL_MAX_UNIT_COLUMNS); the fast worksheet writes the file
plain XlsxWriter writes, streamed or not, and never drops a cell silently."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from bench.dataset import bench_bloc
from toolkit import texts as T
from toolkit.demo import plausible_inputs
from toolkit.docstyle import CHANGED_FILL
from toolkit.fastsheet import FastWorksheet, Formula
from toolkit.meeting.model import Review
from toolkit.ranking import Ranking, group_scores, rank_bloc
import toolkit.summary
from toolkit.summary import DETAIL_MAX_UNIT_COLUMNS, write_summary

S = T.summary
TODAY = date(2026, 12, 15)
PASS_FAIL = {T.PASS: 1.0, T.FAIL: 0.0}  # as the reader turns them into numbers


def _ranking(units: int) -> Ranking:
    """A bench bloc whose last unit sent nothing; a review lowers leaf I.2 of every third unit."""
    bloc = bench_bloc(units)
    values = {m.code: {k: PASS_FAIL.get(v, v) for k, v in plausible_inputs(bloc, m)[0].items()}
              for m in bloc.members[:-1]}
    reviews = [Review(m.code, "I.2", first=0.5) for m in bloc.members[:-1:3]]
    return rank_bloc(bloc, values, reviews=reviews)


def _expected(ranking: Ranking) -> dict[tuple[str, str], tuple[float, float]]:
    """(unit, criterion) -> (self, reviewed) for every counted unit and every row of the tree."""
    own = ranking.self_scores.join(group_scores(ranking.bloc, ranking.self_scores))
    final = ranking.leaf_scores.join(ranking.groups)
    return {(u, c.code): (own.at[u, c.code], final.at[u, c.code])
            for u in ranking.leaf_scores.index for c in ranking.bloc.criteria}


def _changed(cell) -> bool:
    return cell.fill.fgColor.rgb.endswith(CHANGED_FILL.lstrip("#"))


def _detail(tmp_path: Path, ranking: Ranking):
    path = write_summary(tmp_path / "s.xlsx", ranking, [], TODAY, self_scores=ranking.self_scores)
    return openpyxl.load_workbook(path)[T.DETAIL_SHEET]


def test_a_small_bloc_has_its_units_as_pairs_of_columns_with_every_score(tmp_path):
    ranking = _ranking(8)
    ws = _detail(tmp_path, ranking)
    expected = _expected(ranking)
    row_of = {ws.cell(r, 1).value: r for r in range(3, 3 + len(ranking.bloc.criteria))}
    counted = [m for m in ranking.bloc.members if m.code in ranking.leaf_scores.index]
    assert len(counted) == 7 and ws.print_title_rows == "$1:$2" and ws.freeze_panes == "D3"
    changed = 0
    for j, m in enumerate(counted):
        col = 4 + 2 * j
        assert ws.cell(1, col).value == m.label
        for c in ranking.bloc.criteria:
            own, final = ws.cell(row_of[c.code], col), ws.cell(row_of[c.code], col + 1)
            assert (own.value, final.value) == pytest.approx(expected[(m.code, c.code)], abs=1e-12)
            assert _changed(final) == (abs(own.value - final.value) > 1e-9) and not _changed(own)
            changed += _changed(final)
    assert changed and ws.cell(3 + len(ranking.bloc.criteria), 4 + 2 * len(counted)).value is None


@pytest.mark.parametrize("chunk", [toolkit.summary.DETAIL_CHUNK, 7])
def test_a_large_bloc_has_one_row_per_unit_with_every_score(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(toolkit.summary, "DETAIL_CHUNK", chunk)  # 7: scores gathered in 6 chunks
    ranking = _ranking(DETAIL_MAX_UNIT_COLUMNS + 10)
    ws = _detail(tmp_path, ranking)
    expected, tree = _expected(ranking), list(ranking.bloc.criteria)
    assert ws.print_title_rows == "$1:$3" and ws.print_title_cols == "$A:$B" and ws.freeze_panes == "C4"
    assert [ws.cell(1, 1).value, ws.cell(1, 2).value, ws.cell(3, 1).value] == [*S.DETAIL_UNIT_COLUMNS,
                                                                             T.DETAIL_COLUMNS[2]]
    for j, c in enumerate(tree):
        col = 3 + 2 * j
        assert (ws.cell(1, col).value, ws.cell(2, col).value, ws.cell(2, col + 1).value) == \
            (c.code, S.DETAIL_SELF, S.DETAIL_FINAL)
    assert ws.cell(3, 3).value == tree[0].max_points
    counted = [m for m in ranking.bloc.members if m.code in ranking.leaf_scores.index]
    changed = 0
    for i, m in enumerate(counted, start=4):
        assert (ws.cell(i, 1).value, ws.cell(i, 2).value) == (m.code, m.name)
        for j, c in enumerate(tree):
            own, final = ws.cell(i, 3 + 2 * j), ws.cell(i, 4 + 2 * j)
            assert (own.value, final.value) == pytest.approx(expected[(m.code, c.code)], abs=1e-12)
            assert _changed(final) == (abs(own.value - final.value) > 1e-9) and not _changed(own)
            changed += _changed(final)
        assert ws.cell(i, 3 + 2 * len(tree)).value is None
    assert changed
    end = 4 + len(counted)
    assert ws.cell(end, 1).value is None and ws.cell(end + 1, 2).value == S.DETAIL_LEGEND
    key = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(end + 4, end + 4 + len(tree))}
    assert key == {c.code: c.text for c in tree}


def _sheet(worksheet_class, path: Path, runs: bool, stream: bool = False, whole_rows: bool = False,
           lookup: bool = True) -> bytes:
    """The XML of a sheet with strings, numbers (one call per cell or one per row), formulas, a merge,
    a row height; `stream`: the rows after the title written out as they go; `whole_rows`: each row
    written with one call of `write_cells`; `lookup`: a dynamic-array formula in each row."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("x", worksheet_class=worksheet_class)
    plain, bold = wb.add_format({"num_format": "0.00"}), wb.add_format({"bold": True, "border": 1})
    ws.merge_range(0, 0, 0, 3, "Tiêu đề", bold)
    if stream:
        ws.stream_rows()
    for row in range(1, 40):
        if row == 5:
            ws.set_row(6, 30)  # a height set before its row is begun
        if row == 7:
            ws.set_row(7, 30)  # a row with a height and no cell
            continue
        numbers = [row * 0.25 + k / 3 for k in range(1, 30)]
        formats = [bold if k % 4 else plain for k in range(1, 30)]
        if whole_rows:
            ws.write_cells(row, 0, [f"Đơn vị {row}", *numbers, None, Formula(f"=SUM(B{row + 1}:AD{row + 1})", sum(numbers)),
                                    None, None, "Đạt" if row % 2 else "Không đạt"],
                           [bold, *formats, None, plain, None, plain, None])
            continue
        ws.write_string(row, 0, f"Đơn vị {row}", bold)
        if runs:
            ws.write_numbers(row, 1, numbers, formats)
        else:
            for k, (n, f) in enumerate(zip(numbers, formats), start=1):
                ws.write_number(row, k, n, f)
        ws.write_formula(row, 31, f"=SUM(B{row + 1}:AD{row + 1})", plain, sum(numbers))
        if lookup:
            ws.write_formula(row, 32, f"=XLOOKUP(A{row + 1},A:A,B:B)", plain, 1)
        ws.write_blank(row, 33, None, plain)
        ws.write_string(row, 34, "Đạt" if row % 2 else "Không đạt")
    wb.close()
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml") + zf.read("xl/sharedStrings.xml")


def test_the_fast_worksheet_writes_the_xml_plain_xlsxwriter_writes(tmp_path):
    reference = _sheet(None, tmp_path / "plain.xlsx", runs=False)
    assert _sheet(FastWorksheet, tmp_path / "cells.xlsx", runs=False) == reference
    assert _sheet(FastWorksheet, tmp_path / "runs.xlsx", runs=True) == reference
    assert b"_xlfn.XLOOKUP(" in reference and b'<row r="8" ' in reference


def test_a_streamed_sheet_writes_the_same_rows_and_shared_strings_without_the_optional_spans(tmp_path):
    reference = re.sub(rb' spans="[0-9:]+"', b"", _sheet(None, tmp_path / "plain.xlsx", runs=False))
    for runs in (False, True):
        assert _sheet(FastWorksheet, tmp_path / f"streamed{runs}.xlsx", runs=runs, stream=True) == reference
    plain = re.sub(rb' spans="[0-9:]+"', b"", _sheet(None, tmp_path / "plain2.xlsx", runs=False, lookup=False))
    assert _sheet(FastWorksheet, tmp_path / "rows.xlsx", runs=False, stream=True, whole_rows=True) == plain
    assert b"inlineStr" not in reference and b' spans="' not in reference


def test_a_streamed_sheet_refuses_to_go_back_and_holds_its_closing_rows(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("x", worksheet_class=FastWorksheet)
    ws.stream_rows()
    for row in range(3):
        ws.write_string(row, 0, f"dòng {row + 1}")
    for late in (lambda: ws.write_string(0, 1, "muộn"), lambda: ws.write_number(1, 1, 1.0),
                 lambda: ws.write_numbers(0, 1, [1.0], [None]), lambda: ws.set_row(1, 30)):
        with pytest.raises(ValueError, match="row [12] was already written"):
            late()
    with pytest.raises(ValueError, match="row 3 is not a new row"):
        ws.write_cells(2, 1, ["dòng đang ghi"], [None])  # the row in progress holds a cell already
    ws.hold_rows()
    with pytest.raises(ValueError, match="not a new row"):
        ws.write_cells(6, 0, ["giữ lại"], [None])
    ws.write_string(4, 0, "trái dưới")
    ws.write_string(3, 1, "phải trên")  # a signature block beside another: back one row, held
    ws.write_string(2, 1, "vẫn được")  # the row in progress when holding began
    with pytest.raises(ValueError):
        ws.write_string(1, 1, "đã ghi")
    wb.close()
    cells = {c.coordinate: c.value for row in openpyxl.load_workbook(path)["x"].iter_rows() for c in row if c.value}
    assert cells == {"A1": "dòng 1", "A2": "dòng 2", "A3": "dòng 3", "B3": "vẫn được", "B4": "phải trên",
                     "A5": "trái dưới"}


def test_a_row_refused_whole_leaves_the_rows_above_written_once(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("x", worksheet_class=FastWorksheet)
    ws.stream_rows()
    ws.write_string(0, 0, "dòng 1")
    for bad in (float("inf"), Formula("=XLOOKUP(A1,A:A,B:B)", 1.0), True):
        with pytest.raises(ValueError, match="not a finite number|SUM and arithmetic only"):
            ws.write_cells(1, 0, ["dòng 2", bad], [None, None])
    with pytest.raises(ValueError, match="row 1 was already written"):
        ws.write_string(0, 1, "muộn")
    ws.write_cells(1, 0, ["dòng 2", 2.5], [None, None])
    wb.close()
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert re.findall(r'<row r="(\d+)"', xml) == ["1", "2"] and "<v>2.5</v>" in xml


def test_numbers_that_do_not_fit_the_sheet_are_refused_not_dropped(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet(worksheet_class=FastWorksheet)
    f = wb.add_format()
    with pytest.raises(IndexError):
        ws.write_numbers(0, 16_383, [1.0, 2.0], [f, f])  # Excel has 16,384 columns
    ws.write_number(1, 2, 5.0, f)
    with pytest.raises(ValueError):
        ws.write_numbers(1, 0, [1.0, 2.0, 3.0], [f, f, f])  # would overwrite C2
    with pytest.raises(ValueError):
        ws.write_numbers(2, 0, [float("nan")], [f])
    wb.close()


def test_a_streamed_sheet_of_a_workbook_never_closed_leaves_no_file_behind(tmp_path):
    """A summary that fails half-way (its atomic output is dropped) must not leave its rows in the temp folder."""
    import gc

    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"tmpdir": str(tmp_path)})
    ws = wb.add_worksheet("x", worksheet_class=FastWorksheet)
    ws.stream_rows()
    for row in range(3):
        ws.write_cells(row, 0, [f"dòng {row + 1}", row + 0.5], [None, None])
    assert [p.name for p in tmp_path.iterdir()] == [Path(ws.row_data_filename).name]
    del wb, ws
    gc.collect()
    assert list(tmp_path.iterdir()) == []
