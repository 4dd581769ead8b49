"""Every grade, rank and award explained: one hand-built case per reason, checked in the ranking's note,
in the summary's cells and in the CLI output (tests/rules_helpers.py: six_bloc)."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from tests.rules_helpers import six_bloc, v
from toolkit import texts as T
from toolkit.console import print_ranking
from toolkit.excel.button import _ranking_rows
from toolkit.meeting.model import Vote
from toolkit.ranking import rank_bloc
from toolkit.report import unit_rows
from toolkit.summary import write_summary

R = T.rules
FLOOR_I_70 = "Nhóm I đạt 70 % < 85 % của mức Xuất sắc"


def _summary_notes(tmp_path, ranking) -> dict[str, str]:
    """Unit name -> its note cell on Tổng hợp."""
    path = write_summary(tmp_path / "tong-hop.xlsx", ranking, [], date(2026, 12, 1))
    ws = openpyxl.load_workbook(path)[T.SUMMARY_SHEET]
    head = next(r for r in ws.iter_rows() if r[0].value == T.SUMMARY_COLUMNS["order"])
    cols = {c.value: c.column - 1 for c in head}
    rows = ws.iter_rows(min_row=head[0].row + 1, values_only=True)
    return {r[1]: r[cols[T.SUMMARY_COLUMNS["note"]]] or "" for r in rows if r[0] and r[1]}


def _cli(capsys, ranking) -> str:
    print_ranking(ranking)
    return capsys.readouterr().out


def _check_everywhere(tmp_path, capsys, ranking, unit: str, note: str) -> None:
    """`note` is in the unit's ranking note, its Tổng hợp note cell and below its CLI line."""
    assert note in ranking.table.loc[unit, "note"]
    assert note in _summary_notes(tmp_path, ranking)[f"Đơn vị {unit}"]
    out = _cli(capsys, ranking).splitlines()
    line = next(i for i, text in enumerate(out) if f"Đơn vị {unit}" in text)
    assert note in out[line + 1] and out[line + 1].startswith(T.cli.NOTE_LINE.split("{")[0])


def test_a_total_above_the_band_below_its_floor_names_the_floor_missed(tmp_path, capsys):
    # U2: 27 reaches Xuất sắc (27) and Tốt (24) but group I is 7/10 = 70 % < 85 % and < 75 %
    ranking = rank_bloc(six_bloc(), {"U1": v(10, 10, 10), "U2": v(7, 10, 10), "U3": v(9, 9, 9)},
                        robustness=False)
    assert ranking.table.loc["U2", "grade"] == "Hoàn thành"
    [xs, tot] = ranking.shortfalls["U2"]
    assert (xs.band, xs.group, xs.share, xs.floor) == ("Xuất sắc", "I", pytest.approx(0.7), 0.85)
    assert (tot.band, tot.floor) == ("Tốt", 0.75)
    assert ranking.shortfalls["U1"] == [] and ranking.shortfalls["U3"] == []
    _check_everywhere(tmp_path, capsys, ranking, "U2", FLOOR_I_70 + "; Nhóm I đạt 70 % < 75 % của mức Tốt")


def test_a_share_is_shown_to_one_decimal():
    # U1: I 8.29/10 = 82,9 %; total 28.29 reaches Xuất sắc, grade Tốt
    ranking = rank_bloc(six_bloc(), {"U1": v(8.29, 10, 10)}, robustness=False)
    assert ranking.table.loc["U1", "grade"] == "Tốt"
    assert ranking.table.loc["U1", "note"].startswith("Nhóm I đạt 82,9 % < 85 % của mức Xuất sắc")


def test_a_grade_its_total_does_not_reach_higher_gets_no_floor_note():
    ranking = rank_bloc(six_bloc(), {"U1": v(8, 8, 8)}, robustness=False)  # 24: Tốt, I 80 % ≥ 75 %
    assert ranking.table.loc["U1", "grade"] == "Tốt" and ranking.shortfalls["U1"] == []
    assert "Nhóm" not in ranking.table.loc["U1", "note"]


# --- why no award: one case per reason ----------------------------------------------------------------

VALUES = {"U1": v(10, 10, 10), "U2": v(9, 9, 10), "U3": v(9, 9, 9, 1), "U4": v(9, 9, 9), "U5": v(9, 9, 9),
          "U6": v(5, 5, 5)}
ALL_VOTES = [Vote(u, 5, 6) for u in VALUES]


def _decided(votes=ALL_VOTES, disqualified=None, **rules):
    return rank_bloc(six_bloc(**rules), VALUES, votes=votes, disqualified=disqualified, robustness=False)


@pytest.mark.parametrize("case, kwargs, unit, note", [
    ("not voted on", dict(votes=[Vote("U1", 5, 6)]), "U2", R.NOTE_NOT_VOTED),
    ("quorum missed", dict(votes=[*ALL_VOTES[:2], Vote("U3", 3, 3)]), "U3",
     "Đã biểu quyết nhưng kết quả không được tính: chỉ 3/6 thành viên dự họp, cần ít nhất 4"),
    ("vote failed", dict(votes=[*ALL_VOTES[:2], Vote("U3", 2, 6)]), "U3",
     "Không đủ phiếu đồng ý (33,33% tổng số thành viên)"),
    ("disqualified", dict(disqualified={"U2": ["no_pledge"]}), "U2",
     "Không xét khen thưởng: Không ký giao ước thi đua"),
    ("quota used up", {}, "U4",
     "Không đề nghị khen thưởng: đã đủ số đề nghị (1 Cờ thi đua, 2 Bằng khen) cho các đơn vị xếp trên"),
    ("tied at the quota's edge", dict(certificate_quota=3), "U4", R.NOTE_TIED_AT_QUOTA.format(award=R.AWARD_CERTIFICATE)),
    ("grade too low", {}, "U6", "Không đề nghị khen thưởng: xếp loại Hoàn thành (cần Xuất sắc hoặc Tốt)"),
])
def test_every_unit_without_an_award_says_why(tmp_path, capsys, case, kwargs, unit, note):
    ranking = _decided(**kwargs)
    assert ranking.table.loc[unit, "award"] == "", case
    _check_everywhere(tmp_path, capsys, ranking, unit, note)


def test_every_counted_unit_without_an_award_has_a_reason():
    for ranking in (_decided(), _decided(votes=[Vote("U1", 5, 6)]), _decided(votes=())):
        t = ranking.table
        unexplained = t[t["counted"] & (t["award"] == "") & (t["note"] == "")]
        assert unexplained.empty, list(unexplained.index)


def test_the_quota_note_is_not_given_to_units_with_an_award():
    t = _decided().table
    assert list(t.loc[t["award"] != "", "note"]) == ["", "", ""]  # U1 flag, U2 and U3 certificates


# --- STT and rank as numbers ------------------------------------------------------------------------

def test_stt_counts_1_2_3_in_rank_order_in_the_cli_and_on_the_control_sheet(capsys):
    values = {"U6": v(10, 10, 10), "U3": v(9, 9, 9), "U1": v(8, 8, 8)}
    ranking = rank_bloc(six_bloc(), values, robustness=False)
    rows = unit_rows(ranking)
    assert [(r.number, r.code) for r in rows] == [(1, "U6"), (2, "U3"), (3, "U1"), (4, "U2"), (5, "U4"),
                                                   (6, "U5")]
    assert [r[0] for r in _ranking_rows(ranking)] == [1, 2, 3, 4, 5, 6]
    lines = [line for line in _cli(capsys, ranking).splitlines() if "Đơn vị U" in line and "↳" not in line]
    assert [line.split()[0] for line in lines[:3]] == ["1", "2", "3"]


def test_the_summary_stores_the_rank_as_a_number_and_shows_the_tie_by_its_format(tmp_path):
    ranking = rank_bloc(six_bloc(), {"U1": v(9, 9, 9), "U2": v(9, 9, 9), "U3": v(10, 10, 10)}, robustness=False)
    path = write_summary(tmp_path / "tong-hop.xlsx", ranking, [], date(2026, 12, 1))
    ws = openpyxl.load_workbook(path)[T.SUMMARY_SHEET]
    head = next(r for r in ws.iter_rows() if r[0].value == T.SUMMARY_COLUMNS["order"])
    col = next(c.column for c in head if c.value == T.SUMMARY_COLUMNS["rank"])
    cells = {ws.cell(row, 2).value: ws.cell(row, col) for row in range(head[0].row + 1, head[0].row + 4)}
    assert [cells[f"Đơn vị {u}"].value for u in ("U3", "U1", "U2")] == [1, 2, 2]
    assert cells["Đơn vị U1"].number_format == f'0" ({T.TIED})"'
    assert cells["Đơn vị U3"].number_format == "0"


# --- the Government-flag candidate and the order of proposals ----------------------------------------

def test_the_flag_candidate_is_named_on_tong_hop_and_proposals_are_ordered_by_award_then_rank(tmp_path):
    # U1 28 is Tốt (I 80 % < 85 %): ranked first with Bằng khen; U2 27 Xuất sắc: the flag
    values = {"U1": v(8, 10, 10), "U2": v(9, 9, 9), "U3": v(8, 8, 8, 1)}
    ranking = rank_bloc(six_bloc(), values, votes=[Vote(u, 5, 6) for u in values], robustness=False)
    path = write_summary(tmp_path / "tong-hop.xlsx", ranking, [], date(2026, 12, 1))
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SUMMARY_SHEET]
    head = next(r for r in ws.iter_rows() if r[0].value == T.SUMMARY_COLUMNS["order"])
    col = next(c.column for c in head if c.value == T.summary.AWARD_COLUMN)
    awards = {ws.cell(r, 2).value: ws.cell(r, col).value for r in range(head[0].row + 1, head[0].row + 4)}
    assert awards == {"Đơn vị U1": R.AWARD_CERTIFICATE, "Đơn vị U3": R.AWARD_CERTIFICATE,
                      "Đơn vị U2": "Cờ thi đua (đề nghị xét Cờ thi đua của Chính phủ)"}
    ws = wb[T.summary.AWARD_SHEET]
    head = next(r for r in ws.iter_rows() if r[0].value == T.summary.AWARD_COLUMNS[0])
    listed = [(ws.cell(r, 2).value, ws.cell(r, 4).value, ws.cell(r, 7).value)
              for r in range(head[0].row + 1, head[0].row + 4)]
    assert listed == [("Đơn vị U2", 2, R.AWARD_FLAG), ("Đơn vị U1", 1, R.AWARD_CERTIFICATE),
                      ("Đơn vị U3", 3, R.AWARD_CERTIFICATE)]


# --- Kiểm tra: what robustness moves, the cross-score table; weighted group columns --------------------

def _check_rows(path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)[T.CHECK_SHEET]
    return [r for r in ws.iter_rows(values_only=True)]


def test_the_cross_score_table_is_on_kiem_tra_and_review_changes_leave_cross_scores_out(tmp_path):
    from toolkit.meeting.model import CrossScore, Review
    bloc = six_bloc(weight_self=1, weight_review=1, weight_cross=2, cross_flag_threshold=0.5)
    values = {u: v(9, 9, 9) for u in ("U1", "U2", "U3", "U4", "U5", "U6")}
    cross = [CrossScore(s, "U1", "I.1", score) for s, score in {"U2": 10, "U3": 2, "U4": 6, "U5": 7, "U6": 8}.items()]
    ranking = rank_bloc(bloc, values, cross=cross, reviews=[Review("U2", "II.1", 8.0, "chậm báo cáo")])
    rows = _check_rows(write_summary(tmp_path / "t.xlsx", ranking, [], date(2026, 12, 1)))
    texts = [r[0] for r in rows]
    changes = texts.index(T.summary.CHECK_CHANGES_TITLE)
    assert rows[changes + 2][:7] == ("Đơn vị U2", "II.1", 9, 8, None, 8, "Lần 1: chậm báo cáo")
    assert texts[changes + 3] is None  # U1's cross-scored leaf is not a review change
    cross_at = texts.index(T.summary.CHECK_CROSS_TITLE)
    assert rows[cross_at + 1][:7] == T.summary.CHECK_CROSS_COLUMNS
    # U1: self 27, cross I.1 = mean(6, 7, 8) = 7 -> cross total 25, final (9 + 9 + 2·7)/4 = 8 -> 26, gap 1
    assert rows[cross_at + 2][:7] == ("Đơn vị U1", 5, 27, 25, 26, 1, "Có")
    assert T.summary.CHECK_ROBUSTNESS_TITLE in texts and "10 %" in T.summary.CHECK_ROBUSTNESS_TITLE


def test_without_cross_scoring_there_is_no_cross_table(tmp_path):
    ranking = rank_bloc(six_bloc(), {"U1": v(9, 9, 9)})
    texts = [r[0] for r in _check_rows(write_summary(tmp_path / "t.xlsx", ranking, [], date(2026, 12, 1)))]
    assert T.summary.CHECK_CROSS_TITLE not in texts


def test_with_group_weights_the_group_column_header_shows_its_factor(tmp_path):
    # weights I = 2: factor 30 / (2·10 + 10 + 10) = 0,75 -> I × 1,5, II and III × 0,75
    ranking = rank_bloc(six_bloc(group_weights={"I": 2}), {"U1": v(10, 8, 8)}, robustness=False)
    ws = openpyxl.load_workbook(write_summary(tmp_path / "t.xlsx", ranking, [], date(2026, 12, 1)))[T.SUMMARY_SHEET]
    head = next(r for r in ws.iter_rows(values_only=True) if r[0] == T.SUMMARY_COLUMNS["order"])
    assert head[2:5] == ("Nhóm I (10 × hệ số 1,5)", "Nhóm II (10 × hệ số 0,75)", "Nhóm III (10 × hệ số 0,75)")
    plain = rank_bloc(six_bloc(), {"U1": v(10, 8, 8)}, robustness=False)
    ws = openpyxl.load_workbook(write_summary(tmp_path / "p.xlsx", plain, [], date(2026, 12, 1)))[T.SUMMARY_SHEET]
    head = next(r for r in ws.iter_rows(values_only=True) if r[0] == T.SUMMARY_COLUMNS["order"])
    assert head[2] == "Nhóm I (10)"


def test_a_vote_without_quorum_is_said_to_have_been_held_on_the_award_sheet(tmp_path):
    values = {"U1": v(10, 10, 10), "U2": v(9, 9, 9)}
    ranking = rank_bloc(six_bloc(), values, votes=[Vote(u, 3, 3) for u in values], robustness=False)
    assert set(ranking.table["award"]) == {""}
    ws = openpyxl.load_workbook(write_summary(tmp_path / "t.xlsx", ranking, [], date(2026, 12, 1)))[
        T.summary.AWARD_SHEET]
    texts = [c for r in ws.iter_rows(values_only=True) for c in r if c]
    assert T.summary.NO_AWARDS_VOTED in texts and T.summary.NO_AWARDS not in texts
    assert ranking.table.loc["U1", "note"].startswith("Đã biểu quyết nhưng kết quả không được tính")


def test_each_peers_score_is_listed_with_the_dropped_highest_and_lowest_and_the_trimmed_mean(tmp_path):
    from toolkit.meeting.model import CrossScore
    bloc = six_bloc(weight_self=1, weight_review=1, weight_cross=2)
    values = {u: v(9, 9, 9) for u in ("U1", "U2", "U3", "U4", "U5", "U6")}
    cross = [CrossScore(s, "U1", "I.1", x) for s, x in {"U2": 10, "U3": 2, "U4": 6, "U5": 7, "U6": 8}.items()]
    ranking = rank_bloc(bloc, values, cross=cross, robustness=False)
    dropped = ranking.peer_scores.set_index("scorer")["dropped"].to_dict()
    assert dropped == {"U3": "low", "U4": "", "U5": "", "U6": "", "U2": "high"}
    rows = _check_rows(write_summary(tmp_path / "t.xlsx", ranking, [], date(2026, 12, 1)))
    at = [r[0] for r in rows].index(T.summary.CHECK_PEERS_TITLE)
    listed = [r[2:5] for r in rows[at + 2:at + 8]]
    assert [(who, score, mark or "") for who, score, mark in listed] == [
        ("Đơn vị U3", 2, "Thấp nhất, bị loại"), ("Đơn vị U4", 6, ""), ("Đơn vị U5", 7, ""), ("Đơn vị U6", 8, ""),
        ("Đơn vị U2", 10, "Cao nhất, bị loại"), (T.summary.CHECK_TRIMMED_MEAN, 7, "")]
