"""Attendance is one fact of the meeting (issue 16): the number present is one labelled cell of
“Biểu quyết” (C1) and every row holds only its votes; workbooks of the earlier layout (the number on
every row) read when their rows agree and are the chair's problem, with no vote counted, when not."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from tests.rules_helpers import UNITS, six_bloc, v
from tests.test_rules_meeting import chair_votes
from toolkit import office
from toolkit import texts as T
from toolkit.bloc.model import MeetingInfo
from toolkit.chairbook import read_chairbook, write_bloc_workbook
from toolkit.meeting.model import Vote
from toolkit.ranking import rank_bloc

R = T.rules
OLD_HEADER = ["Mã đơn vị", "Tên đơn vị", "Số phiếu đồng ý", "Số thành viên có mặt", "Hình thức"]


@pytest.fixture
def khoi(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    return path


def earlier_layout(path, rows: list[list]) -> None:
    """Rewrite Biểu quyết as workbooks written before had it: header in row 1, present on every row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[R.SHEET_VOTES]
    ws.unmerge_cells("A1:B1")
    ws.delete_rows(1, ws.max_row)
    for row in [OLD_HEADER, *rows]:
        ws.append(row)
    wb.save(path)


def _decided(path):
    """The meeting read from the chair's workbook, then the ranking's table (all units 30 points)."""
    meeting = read_chairbook(path).meeting
    table = rank_bloc(six_bloc(), {u: v(10, 10, 10) for u in UNITS}, robustness=False,
                      **meeting.ranking_inputs()).table
    return meeting, table


def test_the_sheet_asks_for_the_number_present_once_above_the_votes(khoi):
    ws = openpyxl.load_workbook(khoi)[R.SHEET_VOTES]
    assert ws["A1"].value == R.VOTE_PRESENT_LABEL and ws["C1"].value is None
    assert [c.value for c in ws[3]][:4] == list(R.VOTE_COLUMNS) and R.OLD_VOTE_PRESENT_COLUMN not in R.VOTE_COLUMNS
    assert [ws.cell(r, 1).value for r in range(4, 10)] == list(UNITS)
    [rule] = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == "C1"]
    assert (rule.type, rule.formula1, rule.formula2) == ("whole", "0", "6")
    assert rule.operator in (None, "between")  # between is the default, left out of the file
    assert rule.prompt == R.VOTE_PRESENT_PROMPT.format(members=6)


def test_the_one_cell_is_every_votes_number_present_and_drives_the_quorum(khoi):
    chair_votes(khoi, 6, [["U1", None, 5, R.VOTE_FORMS[0]], ["U2", None, 4]])
    meeting, table = _decided(khoi)
    assert meeting.votes == {"U1": Vote("U1", 5, 6, R.VOTE_FORMS[0]), "U2": Vote("U2", 4, 6, "")}
    assert meeting.problems == []
    assert table.loc["U1", "vote_passed"] is True
    chair_votes(khoi, 3, [["U1", None, 3], ["U2", None, 3]])           # 3 of 6 present: below 2/3
    meeting, table = _decided(khoi)
    assert meeting.votes["U1"] == Vote("U1", 3, 3, R.VOTE_FORMS[0])
    assert table.loc["U1", "vote_passed"] is False
    assert R.NOTE_NO_QUORUM.format(present=3, members=6, needed=4) in table.loc["U1", "note"]


def test_an_earlier_layout_whose_rows_agree_reads_the_same(khoi, tmp_path):
    chair_votes(khoi, 6, [["U1", None, 5, R.VOTE_FORMS[0]], ["U2", None, 4], [], ["U4", None, 2]])
    new = read_chairbook(khoi).meeting
    earlier_layout(khoi, [["U1", None, 5, 6, R.VOTE_FORMS[0]], ["U2", None, 4, 6], ["U3", None, None, 6],
                          ["U4", None, 2]])                       # a row without the number takes the others'
    old = read_chairbook(khoi).meeting
    assert old.votes == new.votes and len(old.votes) == 3
    assert old.problems == new.problems == []


def test_earlier_rows_that_disagree_are_the_chairs_problem_and_no_vote_counts(khoi):
    earlier_layout(khoi, [["U1", None, 5, 6], ["U2", None, 4, 5], ["U3", None, 3, 6]])
    meeting, table = _decided(khoi)
    assert meeting.votes == {}
    [found] = meeting.problems
    assert (found.code, found.sheet, found.cell, found.is_error) == ("meeting.present_disagrees", R.SHEET_VOTES,
                                                                      "D2", True)
    assert "D2, D3, D4" in found.message and "6, 5, 6" in found.message and "một lần" in found.message
    assert not table["vote_passed"].eq(True).any()


def test_votes_without_a_valid_number_present_count_nothing(khoi):
    chair_votes(khoi, None, [["U1", None, 5]])
    meeting = read_chairbook(khoi).meeting
    assert meeting.votes == {} and [(p.code, p.cell) for p in meeting.problems] == [("meeting.present_missing", "C1")]
    chair_votes(khoi, 7, [])                                        # more than the bloc's six members
    meeting = read_chairbook(khoi).meeting
    assert meeting.votes == {} and [(p.code, p.cell) for p in meeting.problems] == [
        ("meeting.present_over_members", "C1")]


def test_the_number_present_must_agree_with_the_absent_list_the_minutes_use(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, dataclasses.replace(six_bloc(), meeting_info=MeetingInfo(absent=("U5", "U6"))))
    chair_votes(path, 4, [["U1", None, 4]])                         # 6 members, 2 absent: 4 present
    meeting = read_chairbook(path).meeting
    assert meeting.votes == {"U1": Vote("U1", 4, 4, "")} and meeting.problems == []
    chair_votes(path, 6, [["U1", None, 4]])                         # the minutes would say 4 were there
    meeting = read_chairbook(path).meeting
    assert meeting.votes == {}
    [found] = meeting.problems
    assert (found.code, found.sheet, found.cell, found.is_error) == ("meeting.present_vs_absent", R.SHEET_VOTES,
                                                                      "C1", True)
    assert "ghi 6 thành viên có mặt" in found.message and "2 đơn vị vắng mặt" in found.message
    assert "tức 4 có mặt" in found.message


@pytest.mark.office
def test_votes_typed_and_saved_in_libreoffice_read_back(khoi, tmp_path):
    saved = tmp_path / "saved.xlsx"
    cells = {"C1": 5, "C4": 4, "D4": R.VOTE_FORMS[1], "C5": 2}
    [result] = office.run_jobs([{"type": "fill", "src": str(khoi), "dst": str(saved),
                                 "cells": {R.SHEET_VOTES: cells}}])
    assert result["ok"], result
    meeting = read_chairbook(saved).meeting
    assert meeting.votes == {"U1": Vote("U1", 4, 5, R.VOTE_FORMS[1]), "U2": Vote("U2", 2, 5, "")}
    assert meeting.problems == []
    ws = openpyxl.load_workbook(saved)[R.SHEET_VOTES]
    assert ws["A1"].value == R.VOTE_PRESENT_LABEL
    assert any(str(dv.sqref) == "C1" for dv in ws.data_validations.dataValidation)  # the rule survives
