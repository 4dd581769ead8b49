"""The summary's "Qua các kỳ" sheet (issue 16): each unit's rank and total over the earlier summaries of
the bloc (ket-qua/lich-su/ or `--lich-su DIR`) and the current period, with a native line chart."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.rules_helpers import six_bloc, v
from toolkit import texts as T
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.history import history, period_label
from toolkit.paths import BlocFolder
from toolkit.ranking import rank_bloc
from toolkit.summary import bloc_summary_filename, write_summary
from toolkit.summary.history_sheet import FIRST_ROW

S = T.summary
TODAY = date(2026, 12, 20)
EARLIER = {(2025, "tong-ket"): {"U1": v(8, 8, 8), "U2": v(9, 9, 9, 1), "U3": v(9, 9, 9)},
           (2026, "so-ket"): {"U1": v(9, 9, 9), "U2": v(9, 9, 8)}}
NOW = {"U1": v(10, 10, 10), "U2": v(9, 9, 9), "U4": v(7, 7, 7)}
PERIODS = ["2025-tong-ket", "2026-so-ket", "2026-tong-ket"]
# by hand: totals are I + II + III + bonus − penalty; U3 sent nothing this period, U4 is new
EXPECTED = {"Đơn vị U1": ([3, 1, 1], [24, 27, 30]), "Đơn vị U2": ([1, 2, 2], [28, 26, 27]),
            "Đơn vị U4": ([None, None, 3], [None, None, 21]), "Đơn vị U3": ([2, None, None], [27, None, None])}


def earlier_summary(folder: Path, year: int, period: str, values: dict) -> Path:
    """A summary of an earlier period written by thidua's own summary writer."""
    bloc = dataclasses.replace(six_bloc(), year=year, period=period)
    folder.mkdir(parents=True, exist_ok=True)
    return write_summary(folder / bloc_summary_filename(bloc), rank_bloc(bloc, values), [], date(year, 12, 1))


def bloc_folder(root: Path) -> Path:
    """The six-unit bloc's folder for 2026 with U1, U2 and U4 returned; no earlier summary yet."""
    bloc = six_bloc()
    folder = root / "khoi"
    init_folder(folder, bloc)
    make_forms(folder, bloc)
    where = BlocFolder.at(folder)
    for code, values in NOW.items():
        form = where.forms / form_filename(bloc.member(code))
        fill_form(form, where.inbox / form.name, bloc, values)
    return folder


@pytest.fixture
def folder(tmp_path) -> Path:
    return bloc_folder(tmp_path)


def with_history(folder: Path) -> list[Path]:
    return [earlier_summary(BlocFolder.at(folder).history, y, p, values) for (y, p), values in EARLIER.items()]


def sheet_table(path: Path) -> dict[str, tuple[list, list]]:
    """unit -> (ranks, totals) as the Qua các kỳ sheet holds them, read by its header labels."""
    ws = openpyxl.load_workbook(path)[S.HISTORY_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[1] == S.HISTORY_COLUMNS[1])
    rank_at, total_at = rows[head].index(S.HISTORY_RANK), rows[head].index(S.HISTORY_TOTAL)
    n = total_at - rank_at
    table = {}
    for r in rows[head + 2:]:
        if not isinstance(r[0], int):
            break
        table[r[1]] = (r[rank_at:rank_at + n], r[total_at:total_at + n])
    return table


def frame_table(h: pd.DataFrame) -> dict[str, tuple[list, list]]:
    """unit -> (ranks, totals) of a toolkit.history frame, blanks as None."""
    return {unit: tuple([None if pd.isna(x) else x for x in h.loc[unit, m]] for m in ("rank", "total"))
            for unit in h.index}


def test_the_sheet_holds_each_units_rank_and_total_per_period_oldest_first(folder):
    earlier = with_history(folder)
    stale = BlocFolder.at(folder).history / "ban-cu"  # an old summary of this very period: replaced
    earlier_summary(stale, 2026, "tong-ket", {"U1": v(1, 1, 1), "U5": v(5, 5, 5)})
    result = consolidate(folder, today=TODAY)
    assert sheet_table(result.summary_path) == EXPECTED
    ws = openpyxl.load_workbook(result.summary_path)[S.HISTORY_SHEET]
    labels = [c.value for c in ws[4]][2:5]
    assert labels == [period_label(p) for p in PERIODS[:2]] + [S.HISTORY_CURRENT.format(period=period_label(PERIODS[2]))]
    # the same as toolkit.history reads from the earlier files and the new summary itself
    h = history([*earlier, result.summary_path])
    assert list(h["rank"].columns) == PERIODS
    assert frame_table(h) == sheet_table(result.summary_path)


def test_the_sheet_has_a_native_line_chart_of_the_ranks_rank_one_on_top(folder):
    with_history(folder)
    path = consolidate(folder, today=TODAY).summary_path
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
    lines = [c for c in charts if "<c:lineChart>" in c]
    assert len(lines) == 1 and len(charts) == 2  # besides Biểu đồ's bar chart
    line = lines[0]
    assert f"'{S.HISTORY_SHEET}'!$C$5:$E$5" in line and f"'{S.HISTORY_SHEET}'!$C$4:$E$4" in line
    assert line.count("<c:ser>") == len(EXPECTED)
    assert '<c:orientation val="maxMin"/>' in line  # the rank axis reversed


def test_the_sheet_prints_on_a4_landscape_fitting_the_width_with_the_header_frozen(folder):
    with_history(folder)
    ws = openpyxl.load_workbook(consolidate(folder, today=TODAY).summary_path)[S.HISTORY_SHEET]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0  # width: default 1
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$1:$4"  # the title and the header
    note = FIRST_ROW + len(EXPECTED) + 1  # 0-based: a blank row after the units, then the note
    assert [b.id for b in ws.row_breaks.brk] == [note + 1]  # the chart starts a page below the note
    assert ws["A1"].font.name == "Times New Roman" and ws["B5"].font.name == "Times New Roman"


def test_no_earlier_summary_no_sheet(folder):
    sheets = openpyxl.load_workbook(consolidate(folder, today=TODAY).summary_path).sheetnames
    assert sheets == [T.SUMMARY_SHEET, T.DETAIL_SHEET, S.AWARD_SHEET, S.CHART_SHEET, T.CHECK_SHEET,
                      S.SOURCES_SHEET, T.intake.STATUS_SHEET]
    # an earlier summary of this very period is no earlier period: replaced, still no sheet
    earlier_summary(BlocFolder.at(folder).history, 2026, "tong-ket", EARLIER[(2025, "tong-ket")])
    path = consolidate(folder, today=TODAY).summary_path
    assert S.HISTORY_SHEET not in openpyxl.load_workbook(path).sheetnames


def test_a_broken_earlier_summary_is_listed_on_kiem_tra_and_the_others_still_shown(folder):
    with_history(folder)
    (BlocFolder.at(folder).history / "tong-hop-hong-2024-tong-ket.xlsx").write_bytes(b"not a workbook")
    result = consolidate(folder, today=TODAY)
    assert sheet_table(result.summary_path) == EXPECTED
    assert [(p.code, p.file) for p in result.problems] == [("history.unreadable", "tong-hop-hong-2024-tong-ket.xlsx")]
    ws = openpyxl.load_workbook(result.summary_path)[T.CHECK_SHEET]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "history.unreadable" in cells and "tong-hop-hong-2024-tong-ket.xlsx" in cells


def test_the_buttons_consolidate_uses_the_bloc_folders_history_with_another_inbox_and_output(folder, tmp_path):
    with_history(folder)
    inbox = shutil.copytree(BlocFolder.at(folder).inbox, tmp_path / "thu-nhan")
    result = consolidate(folder, today=TODAY, inbox=inbox, output=tmp_path / "ra", chair=folder / "khoi.xlsx")
    assert result.summary_path.parent == tmp_path / "ra"
    assert sheet_table(result.summary_path) == EXPECTED


def test_cli_lich_su_names_the_folder_of_earlier_summaries(folder, tmp_path):
    named = tmp_path / "cac-nam-truoc"
    for (year, period), values in EARLIER.items():
        earlier_summary(named, year, period, values)
    runner = CliRunner()
    plain = runner.invoke(main, ["consolidate", str(folder)])
    assert plain.exit_code == 0, plain.output
    summary = BlocFolder.at(folder).output / bloc_summary_filename(six_bloc())
    assert S.HISTORY_SHEET not in openpyxl.load_workbook(summary).sheetnames
    done = runner.invoke(main, ["consolidate", str(folder), "--lich-su", str(named)])
    assert done.exit_code == 0, done.output
    assert sheet_table(summary) == EXPECTED
    missing = runner.invoke(main, ["consolidate", str(folder), "--lich-su", str(tmp_path / "khong-co")])
    assert missing.exit_code == 2 and "--lich-su" in missing.output
