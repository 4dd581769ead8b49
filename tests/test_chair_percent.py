"""Percentages of the chair's workbook mean what was typed (issue 13, item 1): 85, 85% (0.85 with a
percent format), "85%", "85 %" and 0,85 in a percent cell are 85 %; a bare 0.85 is a pinned error."""

from __future__ import annotations

import openpyxl
import pytest

from tests.rules_helpers import six_bloc, v
from toolkit import office
from toolkit import texts as T
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.chairbook.cells import PERCENT_SHOWN
from toolkit.chairbook.percent import PercentNumber, PercentText, is_percent_format, read_percent
from toolkit.meeting.model import Vote
from toolkit.problems import ProblemError
from toolkit.ranking import rank_bloc

R = T.rules
# (value, number format) as the chair may type 85 %
SPELLINGS_85 = [(85, "General"), (0.85, "0%"), (0.85, "0.00%"), ("85%", "General"), ("85 %", "General"),
                ("85%", "@"), ("0,85", "0%"), (85, PERCENT_SHOWN)]


@pytest.mark.parametrize("code, percent", [("0%", True), ("0.00%", True), ("#,##0.0%;[Red]-0%", True),
                                           (PERCENT_SHOWN, False), ('0" %"', False), ("0\\%", False),
                                           ("General", False), ("", False)])
def test_percent_formats_are_those_with_an_unquoted_percent_sign(code, percent):
    assert is_percent_format(code) is percent


@pytest.mark.parametrize("value", [85, 85.0, PercentNumber(0.85), "85%", "85 %", "85\u00a0%", "85,0%",
                                   PercentText("0,85"), PercentText("85"), "85"])
def test_every_spelling_of_85_percent_reads_85(value):
    assert read_percent(value) == (85, "")


@pytest.mark.parametrize("value, why", [(0.85, "fraction"), ("0,85", "fraction"), (101, "percent"),
                                        (PercentNumber(1.5), "percent"), ("nhiều", "percent"), (True, "percent")])
def test_a_bare_fraction_and_non_percentages_are_refused(value, why):
    assert read_percent(value) == (None, why)


def _rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(1, 40) if ws.cell(r, 1).value}


def _type(path, floor, approval) -> tuple[int, int]:
    """Type the Xuất sắc per-group floor and the approval threshold (value, number format) with openpyxl;
    (floor row, approval row)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SHEET_RULES]
    rows = _rows(ws)
    floor_row, approval_row = rows["Xuất sắc"], rows[R.RULE_FIELDS["approval"]]
    for (value, fmt), (row, col) in ((floor, (floor_row, 3)), (approval, (approval_row, 2))):
        ws.cell(row, col, value).number_format = fmt
    wb.save(path)
    return floor_row, approval_row


VALUES = {"U1": v(10, 10, 10, bonus=3), "U2": v(10, 10, 8), "U3": v(9, 9, 9), "U4": v(8, 8, 8),
          "U5": v(7, 7, 7), "U6": v(6, 6, 6)}


def _outcome(bloc):
    """(grade of U2, award of U1): U2 has 28 points with group III at 80 %; U1 leads with 3 of 6 votes."""
    t = rank_bloc(bloc, VALUES, votes=[Vote("U1", 3, 6)]).table
    return t.loc["U2", "grade"], t.loc["U1", "award"]


@pytest.mark.parametrize("spelling", SPELLINGS_85)
def test_typed_percentages_keep_the_grade_and_the_vote(tmp_path, spelling):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    value, fmt = spelling
    half = (value * 50 / 85 if isinstance(value, (int, float)) else str(value).replace("85", "50")
            .replace("0,50", "0,5"), fmt)
    _type(path, spelling, half)
    bloc = load_bloc(path)
    assert bloc.rules.grade_bands[0].min_group_share == pytest.approx(0.85)
    assert bloc.rules.approval == pytest.approx(0.5)
    assert _outcome(bloc) == ("Tốt", "")  # 80 % < 85 %: not Xuất sắc; 3 of 6 is not above 50 %: no flag


def test_a_bare_fraction_is_pinned_and_says_to_type_85_or_85_percent(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    floor_row, approval_row = _type(path, (0.85, "General"), (0.5, "General"))
    with pytest.raises(ProblemError) as caught:
        load_bloc(path)
    found = {p.cell: p for p in caught.value.problems}
    assert set(found) == {f"C{floor_row}", f"B{approval_row}"}
    assert {p.code for p in found.values()} == {"bloc.bare_fraction"}
    assert "Ghi 85 hoặc 85%" in found[f"C{floor_row}"].message
    assert "Ghi 50 hoặc 50%" in found[f"B{approval_row}"].message


def test_percentage_cells_are_written_shown_as_percent_with_a_validation(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    ws = openpyxl.load_workbook(path)[T.SHEET_RULES]
    rows = _rows(ws)
    approval, floor = ws.cell(rows[R.RULE_FIELDS["approval"]], 2), ws.cell(rows["Xuất sắc"], 3)
    assert (approval.value, floor.value) == (50, 85)
    assert approval.number_format == floor.number_format == PERCENT_SHOWN
    covered = {str(r) for dv in ws.data_validations.dataValidation if "85%" in (dv.prompt or "")
               for r in dv.sqref.ranges}
    assert approval.coordinate in covered and any(floor.coordinate in r or r.startswith("C") for r in covered)


@pytest.mark.office
def test_percent_cells_saved_by_libreoffice_read_back_as_typed(soffice, tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    _type(path, (0.85, "0%"), (0.5, "0%"))
    saved = office.recalculate(path, tmp_path / "saved.xlsx")
    ws = openpyxl.load_workbook(saved, read_only=True)[T.SHEET_RULES]
    assert any(is_percent_format(c.number_format) for row in ws.iter_rows() for c in row
               if c.value == 0.85)  # LibreOffice kept the percent format
    bloc = load_bloc(saved)
    assert bloc.rules.approval == pytest.approx(0.5)
    assert _outcome(bloc) == ("Tốt", "")
