"""The summary workbook's content and layout, read back with openpyxl (no LibreOffice needed)."""

from __future__ import annotations

import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.summary_scenario import TODAY, VALUES, scenario_problems, scenario_ranking, scenario_sources
from toolkit import __version__
from toolkit import texts as T
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.docstyle import CHANGED_FILL, RED
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.ranking import rank_bloc
from toolkit.summary import write_summary

S = T.summary
SHEETS = [T.SUMMARY_SHEET, T.DETAIL_SHEET, S.AWARD_SHEET, S.CHART_SHEET, T.CHECK_SHEET, S.SOURCES_SHEET]


def _write(tmp_path: Path, rules: bool = False, **kwargs) -> Path:
    """The scenario's summary; `rules`: after the meeting (review, votes, disqualifier)."""
    ranking, self_scores = scenario_ranking(meeting=rules)
    return write_summary(tmp_path / "tong-hop.xlsx", ranking, scenario_problems(), TODAY,
                         self_scores=self_scores, sources=scenario_sources(), **kwargs)


def _find(ws, text: str):
    """The first cell whose value is `text`."""
    hits = [c for row in ws.iter_rows() for c in row if c.value == text]
    assert hits, f"{text!r} not on sheet {ws.title}"
    return hits[0]


def _header_row(ws) -> dict[str, int]:
    """Column header -> column number of the Tổng hợp table."""
    row = _find(ws, T.SUMMARY_COLUMNS["order"]).row
    return {c.value: c.column for c in ws[row] if c.value}


def test_every_sheet_is_written_in_order(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    assert wb.sheetnames == SHEETS


def test_summary_sheet_has_the_decree_30_header_and_signature_block(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path))[T.SUMMARY_SHEET]
    issuer = ws["A1"]
    assert issuer.value == "KHỐI THI ĐUA THỬ NGHIỆM" and issuer.font.b and issuer.font.name == "Times New Roman"
    nation, motto = _find(ws, T.NATION), _find(ws, T.MOTTO)
    assert nation.row == 1 and nation.column > 1 and nation.font.b
    assert motto.row == 2 and motto.font.b and motto.font.u == "single" and motto.font.sz >= 13
    date_line = _find(ws, "Hà Nội, ngày 15 tháng 12 năm 2026")
    assert date_line.font.i and date_line.column == nation.column
    title = _find(ws, T.SUMMARY_TITLE)
    assert title.font.b and title.row > date_line.row
    assert _find(ws, "Tổng kết năm 2026 của Khối thi đua thử nghiệm").row == title.row + 1
    basis = _find(ws, "Căn cứ Kế hoạch số 12/KH-KTĐ ngày 10/01/2026 của Khối thi đua thử nghiệm;")
    assert basis.font.i
    columns = list(_header_row(ws))
    assert columns == ["STT", "Tên đơn vị", "Nhóm I (20)", "Nhóm II (10)", "Điểm cơ bản", "Điểm thưởng",
                       "Điểm trừ", "Tổng điểm", "Xếp loại", "Xếp hạng", S.VOTES_COLUMN, S.AWARD_COLUMN, "Ghi chú"]
    chair, chair_title, preparer = _find(ws, "TM. KHỐI THI ĐUA"), _find(ws, "TRƯỞNG KHỐI"), _find(ws, "Người lập biểu")
    assert chair.font.b and chair_title.row == chair.row + 1 and preparer.row == chair.row
    assert preparer.column < chair.column
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {"Times New Roman"}


def test_a_cum_is_signed_by_its_cum_truong(tmp_path):
    ranking = rank_bloc(small_bloc(kind="cum", name="Cụm thi đua số 1"), {"A": {}})
    path = write_summary(tmp_path / "s.xlsx", ranking, [], TODAY)
    ws = openpyxl.load_workbook(path)[T.SUMMARY_SHEET]
    assert _find(ws, "TM. CỤM THI ĐUA").row + 1 == _find(ws, "CỤM TRƯỞNG").row


# Totals by hand from tests/summary_scenario.py VALUES (small bloc; only A and C returned, so C's 105 is
# scored against the best actual 110): A: I.1 10 + I.2 9.5 = 19.5; II.1 5 + II.2 2.5 = 7.5; base 27;
# bonus 2·3 = 6 capped at 4; penalty 1 -> 30. C: I.1 5 + 5·(105−100)/(110−100) = 7.5 + I.2 10 = 17.5;
# II 5; base 22.5; no bonus or penalty -> 22.5.
HAND = {"A": {"base": 27.0, "bonus": 4.0, "penalty": 1.0, "total": 30.0},
        "C": {"base": 22.5, "bonus": 0.0, "penalty": 0.0, "total": 22.5}}


def test_rows_are_in_rank_order_with_live_totals_caching_thidua_values(tmp_path):
    path = _write(tmp_path)
    ws = openpyxl.load_workbook(path)[T.SUMMARY_SHEET]
    cached = openpyxl.load_workbook(path, data_only=True)[T.SUMMARY_SHEET]
    cols = _header_row(ws)
    first = _find(ws, "STT").row + 1
    names = [ws.cell(first + i, cols["Tên đơn vị"]).value for i in range(3)]
    assert names == ["Đơn vị An", "Đơn vị Cường", "Đơn vị Bình"]  # by rank, then not counted
    assert [ws.cell(first + i, 1).value for i in range(3)] == [1, 2, 3]
    for i, unit in enumerate(["A", "C"]):
        total = ws.cell(first + i, cols["Tổng điểm"])
        assert total.value.startswith("=") and "-" in total.value and total.font.b
        assert ws.cell(first + i, cols["Điểm cơ bản"]).value.startswith("=SUM(")
        row = {key: cached.cell(first + i, cols[label]).value for key, label in
               (("base", "Điểm cơ bản"), ("bonus", "Điểm thưởng"), ("penalty", "Điểm trừ"), ("total", "Tổng điểm"))}
        assert row == pytest.approx(HAND[unit]), unit
    assert ws.cell(first + 2, cols["Tổng điểm"]).value is None
    assert ws.cell(first + 2, cols["Ghi chú"]).value == T.NOT_RETURNED


def test_without_meeting_inputs_votes_are_blank_and_the_award_only_awaits_the_vote(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    ws = wb[T.SUMMARY_SHEET]
    cols, first = _header_row(ws), _find(ws, "STT").row + 1
    assert all(ws.cell(first + i, cols[S.VOTES_COLUMN]).value is None for i in range(3))
    assert [ws.cell(first + i, cols[S.AWARD_COLUMN]).value or "" for i in range(3)] == [
        S.AWARD_GOV_FLAG.format(award=T.rules.AWARD_FLAG), "", ""]
    assert ws.cell(first, cols["Ghi chú"]).value == T.rules.NOTE_AWAITING_VOTE
    check = wb[T.CHECK_SHEET]
    changes = _find(check, S.CHECK_CHANGES_TITLE)
    assert check.cell(changes.row + 1, 1).value == S.CHECK_NONE
    assert _find(check, S.CHECK_ROBUSTNESS_TITLE)  # every ranking carries its robustness table


def test_no_unit_reaching_an_award_grade_says_so_on_the_award_sheet(tmp_path):
    ranking = rank_bloc(small_bloc(), VALUES)  # the default grade bands need 70 of 100 points; 30 is the max here
    assert set(ranking.table["award"]) == {""}
    assert _find(openpyxl.load_workbook(write_summary(tmp_path / "s.xlsx", ranking, [], TODAY))[S.AWARD_SHEET],
                 S.NO_AWARDS)


def test_rules_results_are_rendered_votes_award_and_disqualified_in_red(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path, rules=True))
    ws = wb[T.SUMMARY_SHEET]
    cols, first = _header_row(ws), _find(ws, "STT").row + 1
    a, c = first, first + 1
    assert ws.cell(a, cols[S.VOTES_COLUMN]).value == 100.0           # 3 of 3 members
    assert ws.cell(a, cols[S.AWARD_COLUMN]).value == S.AWARD_GOV_FLAG.format(award="Cờ thi đua")  # first, passed
    assert ws.cell(c, cols[S.VOTES_COLUMN]).value == 33.33           # 1 of 3
    assert ws.cell(c, cols["Tên đơn vị"]).font.color.rgb.endswith(RED.lstrip("#"))
    assert ws.cell(a, cols["Tên đơn vị"]).font.color is None or not str(ws.cell(
        a, cols["Tên đơn vị"]).font.color.rgb).endswith(RED.lstrip("#"))
    assert "Có cán bộ bị kỷ luật từ cảnh cáo trở lên" in ws.cell(c, cols["Ghi chú"]).value

    awards = wb[S.AWARD_SHEET]
    unit = _find(awards, "Đơn vị An")
    row = [x.value for x in awards[unit.row]]
    assert "Cờ thi đua" in row and S.GOV_FLAG_TAG in row and 100.0 in row
    assert all(x.value != "Đơn vị Cường" for r in awards.iter_rows() for x in r)
    assert _find(awards, "TM. KHỐI THI ĐUA")


def test_missing_rules_values_of_units_not_counted_render_as_blank_not_nan(tmp_path):
    ranking, _ = scenario_ranking(meeting=True)
    t = ranking.table
    for column in ("disqualified", "gov_flag_candidate"):
        t[column] = t[column].astype(object)
    t.loc["B", ["award", "disqualified", "disqualify_reason", "gov_flag_candidate"]] = [math.nan, math.nan,
                                                                                        math.nan, None]
    t.loc["C", "award"] = math.nan  # counted, no award
    ranking.robustness.loc["B"] = [math.nan, math.nan, math.nan]
    wb = openpyxl.load_workbook(write_summary(tmp_path / "s.xlsx", ranking, [], TODAY))
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "nan" in t.split() or t == "nan"]
    ws = wb[T.SUMMARY_SHEET]
    name = _find(ws, "Đơn vị Bình")
    assert name.font.color is None or not str(name.font.color.rgb).endswith(RED.lstrip("#"))


def test_check_sheet_lists_missing_units_problems_changes_disqualified_and_robustness(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, rules=True))[T.CHECK_SHEET]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert ["Bình", T.NOT_RETURNED] == rows[_find(ws, S.CHECK_MISSING_TITLE).row + 1][:2]
    problem_row = rows[_find(ws, S.CHECK_PROBLEMS_TITLE).row + 1]
    assert problem_row[0] == "An" and problem_row[5] == "returns.superseded"
    change = rows[_find(ws, S.CHECK_CHANGES_TITLE).row + 1]
    assert change[:7] == ["Cường", "I.2", 10.0, 9.0, None, 9.0, "Lần 1: Minh chứng chỉ chứng minh 9 điểm"]
    assert rows[_find(ws, S.CHECK_DISQUALIFIED_TITLE).row + 1][:2] == ["Cường", "Có cán bộ bị kỷ luật từ cảnh cáo trở lên"]
    assert rows[_find(ws, S.CHECK_ROBUSTNESS_TITLE).row + 1][:4] == ["An", 1, 1, 1]


def test_detail_sheet_shows_self_and_reviewed_scores_and_marks_changes(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path, rules=True))[T.DETAIL_SHEET]
    assert [ws.cell(1, c).value for c in (4, 6)] == ["An", "Cường"]
    assert [ws.cell(2, c).value for c in (4, 5)] == [S.DETAIL_SELF, S.DETAIL_FINAL]
    row = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    assert (ws.cell(row["I.2"], 6).value, ws.cell(row["I.2"], 7).value) == (10.0, 9.0)
    assert ws.cell(row["I.2"], 7).fill.fgColor.rgb.endswith(CHANGED_FILL.lstrip("#"))
    assert not ws.cell(row["I.2"], 5).fill.fgColor.rgb.endswith(CHANGED_FILL.lstrip("#"))
    assert (ws.cell(row["I"], 6).value, ws.cell(row["I"], 7).value) == (17.5, 16.5)  # group recomputed
    assert (ws.cell(row["III"], 4).value, ws.cell(row["III"], 3).value) == (4.0, 4)  # bonus cap applies


def test_chart_sheet_holds_a_native_bar_chart_of_the_totals(tmp_path):
    path = _write(tmp_path)
    ws = openpyxl.load_workbook(path)[S.CHART_SHEET]
    assert [ws.cell(r, 2).value for r in (2, 3)] == ["An", "Cường"]
    summary = openpyxl.load_workbook(path)[T.SUMMARY_SHEET]
    ref = ws.cell(2, 3).value
    assert ref.startswith(f"='{T.SUMMARY_SHEET}'!")
    assert summary[ref.split("!")[1].replace("$", "")].value.startswith("=")
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "'Biểu đồ'!$C$2:$C$3" in chart and "'Biểu đồ'!$B$2:$B$3" in chart


def test_sources_sheet_lists_each_file_with_hash_times_form_id_and_version(tmp_path):
    ws = openpyxl.load_workbook(_write(tmp_path))[S.SOURCES_SHEET]
    head = _find(ws, "Mã SHA-256").row
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=head + 1)]
    assert rows[0] == [1, "01-a-an.xlsx", "A", "a" * 64, "12/12/2026 09:31", "12/12/2026 09:30", "f" * 32,
                       "0.1.0", "Có"]
    assert rows[1][-1] == "Không" and not rows[1][5] and len(rows) == 3


def test_every_sheet_prints_on_a4_landscape_with_decree_margins_titles_and_page_numbers(tmp_path):
    wb = openpyxl.load_workbook(_write(tmp_path))
    for ws in wb.worksheets:
        setup, margins = ws.page_setup, ws.page_margins
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), ws.title
        assert 30 / 25.4 <= margins.left + 1e-6 <= 35 / 25.4 and 15 / 25.4 <= margins.right + 1e-6 <= 20 / 25.4
        assert 20 / 25.4 <= margins.top + 1e-6 <= 25 / 25.4 and 20 / 25.4 <= margins.bottom + 1e-6 <= 25 / 25.4
        assert "&P" in ws.oddFooter.center.text
    summary = wb[T.SUMMARY_SHEET]
    header = _find(summary, "STT").row
    assert summary.print_title_rows == f"${header}:${header}"
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToWidth in (1, None)
    assert summary.page_setup.fitToHeight == 0
    assert summary.freeze_panes == f"C{header + 1}"
    assert wb[T.DETAIL_SHEET].print_title_rows == "$1:$2" and wb[T.DETAIL_SHEET].freeze_panes == "D3"


def test_a_wide_detail_sheet_pages_across_with_the_criteria_repeated(tmp_path):
    from toolkit.bloc import builtin_bloc
    bloc = builtin_bloc("bac-giang")
    ranking = rank_bloc(bloc, {m.code: {} for m in bloc.members})
    ws = openpyxl.load_workbook(write_summary(tmp_path / "s.xlsx", ranking, [], TODAY))[T.DETAIL_SHEET]
    assert ws.print_title_cols == "$A:$C" and ws.page_setup.scale == 70


def _folder_with_returns(tmp_path: Path) -> Path:
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    make_forms(tmp_path, bloc)
    for code, values in {"A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
                         "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0}}.items():
        form = tmp_path / "phieu" / form_filename(bloc.member(code))
        fill_form(form, tmp_path / "nhan" / form.name, bloc, values)
    older = tmp_path / "nhan" / "ban-cu.xlsx"
    shutil.copy(tmp_path / "nhan" / form_filename(bloc.member("A")), older)
    (tmp_path / "nhan" / "ghi-chu.txt").write_text("không phải phiếu", encoding="utf-8")
    return tmp_path


def test_consolidate_lists_every_file_read_on_the_sources_sheet(tmp_path):
    folder = _folder_with_returns(tmp_path)
    result = consolidate(folder, small_bloc(), today=TODAY)
    ws = openpyxl.load_workbook(result.summary_path)[S.SOURCES_SHEET]
    head = _find(ws, "Mã SHA-256").row
    rows = {r[1]: r for r in ([c.value for c in row] for row in ws.iter_rows(min_row=head + 1))}
    assert set(rows) == {p.name for p in (folder / "nhan").iterdir()}
    for r in result.returns.results:
        row = rows[r.path.name]
        assert row[3] == sha256_file(r.path) and row[2] == r.unit_code
        if r.submission:
            assert row[6] == r.submission.form_id and row[7] == __version__
    used = {r[1] for r in rows.values() if r[8] == "Có"}
    assert used == {s.path.name for s in result.returns.submissions.values()}
    assert rows["ghi-chu.txt"][8] == "Không" and rows["ghi-chu.txt"][7] == ""


def test_cli_pdf_without_a_summary_says_what_to_do(tmp_path):
    init_folder(tmp_path, small_bloc())
    result = CliRunner().invoke(main, ["pdf", str(tmp_path)])
    assert result.exit_code == 2 and "thidua consolidate" in result.output and "Traceback" not in result.output
