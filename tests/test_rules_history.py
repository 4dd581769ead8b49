"""History: each unit's rank and total over earlier periods, from summary workbooks thidua wrote."""

from __future__ import annotations

import dataclasses
from datetime import date

import openpyxl
from click.testing import CliRunner

from tests.rules_helpers import six_bloc, v
from toolkit import texts as T
from toolkit.cli import main
from toolkit.history import history
from toolkit.ranking import rank_bloc
from toolkit.summary import write_summary


def summary(tmp_path, name: str, values: dict, **bloc_fields):
    bloc = six_bloc()
    bloc = dataclasses.replace(bloc, **bloc_fields)
    return write_summary(tmp_path / name, rank_bloc(bloc, values), [], date(bloc.year, 12, 20))


def test_ranks_and_totals_over_periods_oldest_first(tmp_path):
    paths = [
        summary(tmp_path, "nam-2026.xlsx", {"U1": v(10, 10, 10), "U2": v(9, 9, 9)}),
        summary(tmp_path, "a.xlsx", {"U1": v(8, 8, 8), "U2": v(9, 9, 9, 1), "U3": v(9, 9, 9)}, year=2025),
        summary(tmp_path, "b.xlsx", {"U1": v(9, 9, 9), "U2": v(9, 9, 9)}, year=2026, period="so-ket"),
    ]
    h = history(paths)
    assert list(h["rank"].columns) == ["2025-tong-ket", "2026-so-ket", "2026-tong-ket"]
    assert list(h.loc["Đơn vị U1", "rank"]) == [3, 1, 1] and list(h.loc["Đơn vị U1", "total"]) == [24, 27, 30]
    assert list(h.loc["Đơn vị U2", "rank"]) == [1, 1, 2] and list(h.loc["Đơn vị U2", "total"]) == [28, 27, 27]
    assert h.loc["Đơn vị U3", ("rank", "2025-tong-ket")] == 2
    assert h["rank"].loc["Đơn vị U3"].isna().sum() == 2          # not in the 2026 summaries
    assert "Đơn vị U4" not in h.index                              # never ranked


def test_columns_found_by_label_totals_recomputed_bad_files_listed(tmp_path):
    path = summary(tmp_path, "tong-hop.xlsx", {"U1": v(10, 10, 10), "U2": v(9, 9, 9)})
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SUMMARY_SHEET]
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == T.SUMMARY_COLUMNS["name"])
    total_col = next(c for c in range(1, 30) if ws.cell(header, c).value == T.SUMMARY_COLUMNS["total"])
    ws.cell(header + 1, total_col, 99)            # a typed-over total is not trusted
    ws.insert_cols(1)                             # every column moves one to the right
    wb.save(path)
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")
    h = history([path, broken])
    assert h.loc["Đơn vị U1", ("total", "2026-tong-ket")] == 30
    assert h.loc["Đơn vị U2", ("rank", "2026-tong-ket")] == 2
    assert [(p.code, p.file) for p in h.attrs["problems"]] == [("history.unreadable", "hong.xlsx")]
    nothing = history([broken])
    assert nothing.empty and len(nothing.attrs["problems"]) == 1


def test_cli_history_prints_rank_and_total_per_period_and_reports_missing_paths(tmp_path):
    (tmp_path / "ket-qua").mkdir()
    summary(tmp_path / "ket-qua", "tong-hop-a-2026-tong-ket.xlsx", {"U1": v(10, 10, 10), "U2": v(9, 9, 9)})
    summary(tmp_path, "tong-hop-a-2025-tong-ket.xlsx", {"U1": v(8, 8, 8), "U2": v(9, 9, 9)}, year=2025)
    runner = CliRunner()
    done = runner.invoke(main, ["history", str(tmp_path)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert "Tổng kết năm 2025" in lines[1] and lines[1].index("2025") < lines[1].index("2026")
    assert lines[2].split()[-4:] == ["2", "(24,00)", "1", "(30,00)"]
    missing = runner.invoke(main, ["history", str(tmp_path / "khong-co")])
    assert missing.exit_code == 2 and "Không tìm thấy" in missing.output
