"""A review's history (issue 16): every round's score and reason and the unit's explanation, in the
ranking's tables and on the summary's Kiểm tra sheet, for hand-built one- and two-round reviews."""

from __future__ import annotations

import openpyxl

from tests.rules_helpers import six_bloc, v
from toolkit import texts as T
from toolkit.docstyle import TABLE
from toolkit.meeting.model import Review
from toolkit.ranking import rank_bloc
from toolkit.summary import write_summary

S = T.summary
TWO_ROUNDS = Review("U1", "I.1", 9.0, "thiếu minh chứng", "đã bổ sung biên bản", 7.5, "biên bản không hợp lệ")
ONE_ROUND = Review("U2", "II.1", 8.0, "chậm báo cáo")
RESTORED = Review("U3", "III.1", 6.0, "thiếu hồ sơ", "hồ sơ đã nộp đúng hạn", 10.0, "chấp nhận giải trình")
VALUES = {u: v(10, 10, 10) for u in ("U1", "U2", "U3")}


def _ranking():
    return rank_bloc(six_bloc(), VALUES, reviews=[RESTORED, ONE_ROUND, TWO_ROUNDS], robustness=False)


def _check_rows(tmp_path) -> tuple[list[list], dict[int, float]]:
    """The Kiểm tra sheet's review table rows (values) and their row heights."""
    ws = openpyxl.load_workbook(write_summary(tmp_path / "s.xlsx", _ranking(), [], None))[T.CHECK_SHEET]
    title = next(c.row for c in ws["A"] if c.value == S.CHECK_CHANGES_TITLE)
    assert [c.value for c in ws[title + 1]][:7] == list(S.CHECK_CHANGES_COLUMNS)
    rows = [[c.value for c in ws[r]][:7] for r in range(title + 2, title + 5)]
    return rows, {r: ws.row_dimensions[r].height for r in range(title + 2, title + 5)}


def test_changes_keep_every_round_and_the_last_reason():
    changes = _ranking().changes.set_index(["unit", "code"])
    assert list(changes.index) == [("U1", "I.1"), ("U2", "II.1")]  # U3's second round restored its 10
    u1 = changes.loc[("U1", "I.1")]
    assert (u1["self_score"], u1["first"], u1["second"], u1["final_score"]) == (10, 9, 7.5, 7.5)
    assert (u1["first_reason"], u1["explanation"], u1["reason"]) == (
        "thiếu minh chứng", "đã bổ sung biên bản", "biên bản không hợp lệ")
    assert changes.loc[("U2", "II.1"), "reason"] == "chậm báo cáo"


def test_review_rounds_list_every_reviewed_leaf_in_founding_order():
    rounds = _ranking().review_rounds
    assert list(zip(rounds["unit"], rounds["code"])) == [("U1", "I.1"), ("U2", "II.1"), ("U3", "III.1")]
    assert list(rounds["review_score"]) == [7.5, 8, 10]


def test_the_check_sheet_shows_both_rounds_reasons_and_the_explanation(tmp_path):
    rows, heights = _check_rows(tmp_path)
    two, one, restored = rows
    assert two == ["Đơn vị U1", "I.1", 10, 9, 7.5, 7.5,
                   "Lần 1: thiếu minh chứng\nĐơn vị giải trình: đã bổ sung biên bản\nLần 2: biên bản không hợp lệ"]
    assert one == ["Đơn vị U2", "II.1", 10, 8, None, 8, "Lần 1: chậm báo cáo"]  # no second round: blank
    assert restored[:6] == ["Đơn vị U3", "III.1", 10, 6, 10, 10] and "Lần 2: chấp nhận giải trình" in restored[6]
    first = min(heights)
    assert heights[first] >= TABLE.height(3)  # three lines shown in full
    assert heights[first + 1] is None  # one line: the default height
