"""The meeting's sheets of the chair's workbook: written, typed into as a chair does (openpyxl),
read back with every bad row pinned to its cell, and used by consolidate."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from tests.helpers import small_bloc
from tests.rules_helpers import six_bloc
from toolkit import texts as T
from toolkit.bloc.model import Rules
from toolkit.chairbook import book as chairbook_book
from toolkit.chairbook import load_bloc, read_chairbook, write_bloc_workbook
from toolkit.chairbook.meeting import VOTE_HEADER
from toolkit.demo import fill_form
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.meeting.model import TOTAL, CrossScore, Review, Vote
from toolkit.problems import ProblemError

R = T.rules


def chair_types(path, sheet: str, rows: list[list], start: int = 2) -> None:
    """Type rows into a sheet of the chair's workbook from row `start`, as the chair would."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for i, row in enumerate(rows, start=start):
        for j, value in enumerate(row, start=1):
            ws.cell(i, j, value)
    wb.save(path)


def chair_votes(path, present, rows: list[list]) -> None:
    """Type the number present once (C1) and the votes (code, name, votes for, form) from row 4."""
    chair_types(path, R.SHEET_VOTES, [[None, None, present]], start=1)
    chair_types(path, R.SHEET_VOTES, rows, start=VOTE_HEADER + 2)


def _counting(load, opened: list):
    """A workbook opener that records each path it opens."""
    def counted(path, *args, **kwargs):
        opened.append(path)
        return load(path, *args, **kwargs)
    return counted


def pinned(meeting) -> dict[tuple[str, str], str]:
    return {(p.sheet, p.cell): p.code for p in meeting.problems}


def test_new_rules_fields_round_trip_through_the_workbook(tmp_path):
    rules = Rules(bonus_cap=3, group_weights=(("I", 1.5), ("III", 0.5)), cross_scoring=True,
                  cross_flag_threshold=4, quorum=0.75, approval=0.6, flag_quota=2, certificate_quota=5,
                  weight_self=1, weight_cross=2)
    bloc = dataclasses.replace(six_bloc(), rules=rules)
    write_bloc_workbook(tmp_path / "khoi.xlsx", bloc)
    assert load_bloc(tmp_path / "khoi.xlsx").rules == rules
    write_bloc_workbook(tmp_path / "default.xlsx", small_bloc())
    assert load_bloc(tmp_path / "default.xlsx").rules.quorum == 2 / 3


def test_bad_rules_fields_are_pinned(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SHEET_RULES]
    rows = {ws.cell(r, 1).value: r for r in range(1, 30)}
    ws.cell(rows[R.RULE_FIELDS["quorum"]], 2, "nhiều")
    ws.cell(rows[R.RULE_FIELDS["group_weights"]], 2, "IX=2")
    wb.save(path)
    with pytest.raises(ProblemError) as caught:
        load_bloc(path)
    cells = {(p.sheet, p.cell) for p in caught.value.problems}
    assert cells == {(T.SHEET_RULES, f"B{rows[R.RULE_FIELDS['quorum']]}"),
                     (T.SHEET_RULES, f"B{rows[R.RULE_FIELDS['group_weights']]}")}


def test_meeting_sheets_are_read_and_every_bad_row_is_pinned(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc(cross_scoring=True))
    chair_types(path, R.SHEET_REVIEW, [
        ["U1", "I.1", 10, 9, "thiếu minh chứng", "đã bổ sung", "7,5", "minh chứng không hợp lệ"],  # row 2: ok
        ["U2", "II.1", None, 12, "quá cao"],                  # row 3: over the leaf's max 10
        ["U9", "I.1", None, 5, "x"],                          # row 4: unknown unit
        ["U3", "II", None, 5, "x"],                           # row 5: a group, not a leaf
        ["U1", "I.1", None, 8, "lặp"],                        # row 6: duplicate of row 2
        ["U4", "III.1", None, 6],                             # row 7: no reason -> warning, kept
    ])
    chair_types(path, R.SHEET_CROSS, [
        ["U2", "U1", "I.1", 8], ["U3", "U1", R.CROSS_TOTAL, 25], ["U1", "U1", "I.1", 10],   # row 4: own
        ["U2", "U3", "I.1", "abc"],                                                         # row 5
    ])
    chair_votes(path, 4, [["U1", None, 4, "Giơ tay"], ["U2", None, 5], ["U9", None, 4], [], ["U5", None, 2.5]])
    chair_types(path, R.SHEET_CONDITIONS, [
        ["U1", None, T.YES, None, None, None, None, "Quyết định kỷ luật số 12"],
        ["U2", None, None, "có lẽ"],
        ["U3", None, None, None, None, T.YES, T.YES],
    ])
    meeting = read_chairbook(path).meeting
    assert meeting.reviews == [Review("U1", "I.1", 9.0, "thiếu minh chứng", "đã bổ sung", 7.5,
                                      "minh chứng không hợp lệ"), Review("U4", "III.1", 6.0)]
    assert meeting.cross == [CrossScore("U2", "U1", "I.1", 8.0), CrossScore("U3", "U1", TOTAL, 25.0)]
    assert meeting.votes == {"U1": Vote("U1", 4, 4, "Giơ tay")}
    assert meeting.disqualified == {"U1": ["unit_disciplined", "Quyết định kỷ luật số 12"],
                                    "U3": ["falsified", "late_form"]}
    assert pinned(meeting) == {
        (R.SHEET_REVIEW, "D3"): "meeting.over_max",
        (R.SHEET_REVIEW, "A4"): "bloc.unknown_member",
        (R.SHEET_REVIEW, "B5"): "meeting.unknown_criterion",
        (R.SHEET_REVIEW, "A6"): "meeting.duplicate_row",
        (R.SHEET_REVIEW, "E7"): "meeting.missing_reason",
        (R.SHEET_CROSS, "B4"): "meeting.self_cross",
        (R.SHEET_CROSS, "D5"): "bloc.bad_value",
        (R.SHEET_VOTES, "C5"): "meeting.votes_over_present",
        (R.SHEET_VOTES, "A6"): "bloc.unknown_member",
        (R.SHEET_VOTES, "C8"): "bloc.bad_value",
        (R.SHEET_CONDITIONS, "D3"): "bloc.bad_value",
    }
    assert all(p.file == "khoi.xlsx" for p in meeting.problems)


def test_cross_sheet_is_ignored_when_the_bloc_does_not_cross_score(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc())
    chair_types(path, R.SHEET_CROSS, [["U2", "U1", "I.1", 8]])
    assert read_chairbook(path).meeting.cross == []


def test_a_workbook_without_meeting_sheets_gives_an_empty_meeting(tmp_path):
    path = tmp_path / "old.xlsx"
    write_bloc_workbook(path, small_bloc())
    wb = openpyxl.load_workbook(path)
    for name in (R.SHEET_REVIEW, R.SHEET_CROSS, R.SHEET_VOTES, R.SHEET_CONDITIONS):
        del wb[name]
    wb.save(path)
    meeting = read_chairbook(path).meeting
    assert (meeting.reviews, meeting.cross, meeting.votes, meeting.disqualified, meeting.problems) == \
        ([], [], {}, {}, [])


def test_consolidate_applies_the_chairs_reviews_votes_and_disqualifiers(tmp_path, monkeypatch):
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path, bloc)
    inputs = {"A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
              "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
              "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0}}
    for m, form in zip(bloc.members, forms):
        fill_form(form, tmp_path / "nhan" / form_filename(m), bloc, inputs[m.code])
    khoi = tmp_path / "khoi.xlsx"
    chair_types(khoi, R.SHEET_REVIEW, [["A", "I.2", None, 7, "thiếu minh chứng"], ["C", "I.9", None, 1, "x"]])
    chair_votes(khoi, 3, [["A", None, 3], ["B", None, 1]])
    chair_types(khoi, R.SHEET_CONDITIONS, [["B", None, None, None, T.YES]], start=3)
    opened = []
    monkeypatch.setattr(chairbook_book, "open_workbook", _counting(chairbook_book.open_workbook, opened))
    result = consolidate(tmp_path)                          # the bloc and the meeting from khoi.xlsx
    assert opened == [khoi]                                 # the chair's workbook opened once
    assert result.bloc == bloc
    t = result.ranking.table
    # test_pipeline's hand computation: A 30, B 21, C 22.5; A's I.2 reviewed 9.5 -> 7: A 27.5
    assert (t.loc["A", "total"], t.loc["B", "total"], t.loc["C", "total"]) == (27.5, 21, 22.5)
    assert list(result.ranking.changes["reason"]) == ["thiếu minh chứng"]
    assert t.loc["A", "vote_passed"] is True and t.loc["B", "vote_passed"] is False
    assert t.loc["B", "disqualified"] and "giao ước" in t.loc["B", "disqualify_reason"]
    assert [p.code for p in result.problems if p.sheet == R.SHEET_REVIEW] == ["meeting.unknown_criterion"]
    assert result.summary_path.is_file()


def test_a_rules_sheet_without_the_new_fields_reads_with_defaults_and_finds_the_grade_table(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, six_bloc(flag_quota=2))
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SHEET_RULES]
    first_new = next(r for r in range(1, 30) if ws.cell(r, 1).value == R.RULE_FIELDS["group_weights"])
    ws.delete_rows(first_new, len(R.RULE_FIELDS))          # the layout written before these fields
    wb.save(path)
    rules = load_bloc(path).rules
    assert (rules.flag_quota, rules.quorum, rules.cross_scoring) == (1, 2 / 3, False)
    assert [b.name for b in rules.grade_bands] == ["Xuất sắc", "Tốt", "Hoàn thành"]
    assert rules.grade_bands[0].min_total == 27


def test_one_reading_gives_the_bloc_and_the_meeting_and_a_given_bloc_reads_only_the_meeting(tmp_path):
    path = tmp_path / "khoi.xlsx"
    bloc = six_bloc()
    write_bloc_workbook(path, bloc)
    chair_votes(path, 6, [["U1", None, 5]])
    book = read_chairbook(path)
    assert book.bloc == bloc == load_bloc(path)
    assert book.meeting.votes == {"U1": Vote("U1", 5, 6, "")} and book.meeting.problems == []
    wb = openpyxl.load_workbook(path)
    del wb[T.SHEET_MEMBERS]                                 # a given bloc needs no definition sheets
    wb.save(path)
    assert read_chairbook(path, bloc).meeting.votes == {"U1": Vote("U1", 5, 6, "")}
    with pytest.raises(ProblemError) as caught:
        read_chairbook(path)
    assert [(p.code, p.sheet) for p in caught.value.problems] == [("bloc.missing_sheet", T.SHEET_MEMBERS)]


def test_an_unreadable_chair_workbook_stops_the_bloc_but_not_a_given_blocs_meeting(tmp_path):
    path = tmp_path / "khoi.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(ProblemError) as caught:
        read_chairbook(path)
    assert [(p.code, p.file) for p in caught.value.problems] == [("bloc.not_xlsx", "khoi.xlsx")]
    book = read_chairbook(path, six_bloc())
    assert book.bloc == six_bloc() and [p.code for p in book.meeting.problems] == ["bloc.not_xlsx"]


def test_a_pass_fail_criterion_reviewed_to_part_points_is_pinned(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, small_bloc())  # II.1 is pass/fail, 5 points
    chair_types(path, R.SHEET_REVIEW, [["A", "II.1", None, 5, "đạt"], ["C", "II.1", None, 2, "đạt một nửa"]])
    meeting = read_chairbook(path).meeting
    assert meeting.reviews == [Review("A", "II.1", 5.0, "đạt")]
    assert pinned(meeting) == {(R.SHEET_REVIEW, "D3"): "meeting.passfail_points"}
    assert "0 hoặc 5" in meeting.problems[0].message
